using EksSecurity.Engine.Aws.Policy;

namespace EksSecurity.Tests.Aws.Policy;

public class PolicyAnalysisTests
{
    private static PolicyStatement Statement(string json) =>
        PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{{json}}]}""", "p").Statements[0];

    [Theory]
    [InlineData("""{"Effect":"Allow","Action":"*","Resource":"*"}""", "AllActions")]
    [InlineData("""{"Effect":"Allow","Action":["s3:GetObject","*:*"],"Resource":"*"}""", "AllActions")]
    [InlineData("""{"Effect":"Allow","Action":["iam:*","s3:GetObject"],"Resource":"*"}""", "ServiceWide")]
    [InlineData("""{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:*:*:*"}""", "ServiceWide")]
    [InlineData("""{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}""", "NotAction")]
    [InlineData("""{"Effect":"Allow","Action":"*","NotResource":"arn:aws:s3:::audit/*"}""", "AllActions")]
    [InlineData("""{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}""", null)]
    [InlineData("""{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::bucket/*"}""", null)]
    [InlineData("""{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket"}""", null)]
    [InlineData("""{"Effect":"Deny","Action":"*","Resource":"*"}""", null)]
    [InlineData("""{"Effect":"Allow","Action":"ec2:*Instances","Resource":"*"}""", null)]
    public void Admin_like_statements(string json, string? kind)
    {
        var grant = PolicyAnalysis.AsAdminGrant(Statement(json));
        Assert.Equal(kind, grant?.Kind.ToString());
        Assert.Equal(kind is not null, PolicyAnalysis.IsAdminLike(Statement(json)));
    }

    [Fact]
    public void Admin_grants_across_policies_say_which_and_whether_conditioned()
    {
        var admin = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"}}""", "AdministratorAccess");
        var iam = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Allow","Action":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}""", "iam-admin");
        var grants = PolicyAnalysis.AdminGrants([admin, iam]);
        Assert.Equal(2, grants.Count);
        Assert.Equal("policy 'AdministratorAccess' statement 0 (Sid All) allows every action on every resource", grants[0].ToString());
        Assert.Equal("policy 'iam-admin' statement 1 allows iam:* on every resource (with conditions)", grants[1].ToString());
    }

    [Theory]
    [InlineData("""{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}""", true)]
    [InlineData("""{"Effect":"Allow","Action":"iam:Pass*","Resource":"*"}""", true)]
    [InlineData("""{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::111122223333:role/*"}""", true)]
    [InlineData("""{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:*"}""", true)]
    [InlineData("""{"Effect":"Allow","Action":"iam:PassRole","NotResource":"arn:aws:iam::111122223333:role/admin"}""", true)]
    [InlineData("""{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app-*"}""", false)]
    [InlineData("""{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app"}""", false)]
    [InlineData("""{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"}""", false)]
    [InlineData("""{"Effect":"Deny","Action":"iam:PassRole","Resource":"*"}""", false)]
    [InlineData("""{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}""", true)]
    public void Allows_an_action_on_all_resources(string json, bool expected)
    {
        var policy = PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{{json}}]}""", "p");
        Assert.Equal(expected, PolicyAnalysis.AllowsOnAllResources(policy, "iam:PassRole").Count == 1);
    }

    [Theory]
    [InlineData("*", true)]
    [InlineData("arn:aws:*", true)]
    [InlineData("arn:aws:s3:::*", true)]
    [InlineData("arn:aws:s3:::bucket/*", false)]
    [InlineData("arn:aws:iam::*:*", true)]
    [InlineData("arn:aws:iam::111122223333:role/*", true)]
    [InlineData("arn:aws:secretsmanager:*:*:secret:*", true)]
    [InlineData("arn:aws:secretsmanager:*:*:secret:db-*", false)]
    [InlineData("arn:aws:ec2:us-east-1:111122223333:instance/i-0abc", false)]
    [InlineData("arn:aws:iam::111122223333:role/team/*", false)]
    public void Unscoped_resource_patterns(string pattern, bool unscoped) =>
        Assert.Equal(unscoped, PolicyAnalysis.IsUnscopedResource(pattern));

    [Fact]
    public void Grants_of_sensitive_actions_name_action_and_statement()
    {
        var node = PolicyDocument.Parse("""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Pull","Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"*"},
              {"Sid":"Push","Effect":"Allow","Action":"ecr:Put*","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/app"},
              {"Sid":"NoPush","Effect":"Deny","Action":"ecr:InitiateLayerUpload","Resource":"*"}]}
            """, "node-ecr");
        var grants = PolicyAnalysis.GrantsOf([node], ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:BatchGetImage"]);
        Assert.Equal(["ecr:PutImage", "ecr:BatchGetImage"], grants.Select(g => g.Action));
        Assert.Equal("policy 'node-ecr' statement 1 (Sid Push) allows ecr:PutImage on arn:aws:ecr:us-east-1:111122223333:repository/app", grants[0].ToString());
        Assert.Equal("policy 'node-ecr' statement 0 (Sid Pull) allows ecr:BatchGetImage on every resource", grants[1].ToString());
    }

    [Fact]
    public void Referenced_context_keys_include_conditions_and_variables()
    {
        var abac = PolicyDocument.Parse("""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/${aws:PrincipalTag/kubernetes-namespace}/${*}",
               "Condition":{"StringEquals":{"s3:ExistingObjectTag/owner":"${aws:PrincipalTag/eks-cluster-name, 'none'}"}}}]}
            """, "abac");
        var keys = PolicyAnalysis.ReferencedContextKeys(abac);
        Assert.Equal(3, keys.Count);
        Assert.Contains("aws:PrincipalTag/kubernetes-namespace", keys);
        Assert.Contains("AWS:PRINCIPALTAG/EKS-CLUSTER-NAME", keys);
        Assert.Contains("s3:ExistingObjectTag/owner", keys);
    }
}
