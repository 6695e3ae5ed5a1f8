using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Data;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Data.SecretsKeyHealthyAndRotatingTests;

namespace EksSecurity.Tests.Rules.Data;

public class SecretsKeyPolicyNotOverBroadTests
{
    private const string RootStatement = """{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}""";
    private const string ClusterRoleStatement = """{"Sid":"AllowCluster","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/eks-cluster"},"Action":["kms:Encrypt","kms:Decrypt","kms:DescribeKey","kms:CreateGrant"],"Resource":"*"}""";

    private static string Policy(params string[] statements) => $$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", statements)}}]}""";

    private static EksSecurityFinding Judge(string policy) =>
        Assert.Single(TestSnapshots.Run<SecretsKeyPolicyNotOverBroad>(Encrypted(Key(policy: policy))));

    [Fact]
    public void Default_policy_with_named_principals_passes()
    {
        var finding = Judge(Policy(RootStatement, ClusterRoleStatement));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("KmsKey", finding.ResourceType);
        Assert.Contains(finding.Evidence, e => e == "key account = 111122223333");
    }

    [Fact]
    public void Wildcard_principal_without_condition_fails()
    {
        var finding = Judge(Policy(RootStatement, """{"Sid":"Everyone","Effect":"Allow","Principal":"*","Action":"kms:DescribeKey","Resource":"*"}"""));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("statement 1 (Sid Everyone) allows any principal", finding.Message);
        Assert.Contains(finding.Evidence, e => e.StartsWith("statement 1 (Sid Everyone): Allow Principal *"));
    }

    [Fact]
    public void Wildcard_principal_restricted_by_caller_account_passes()
    {
        var statement = """{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333","kms:ViaService":"eks.eu-west-1.amazonaws.com"}}}""";
        Assert.Equal(FindingStatus.Pass, Judge(Policy(RootStatement, statement)).Status);
    }

    [Fact]
    public void Wildcard_decrypt_with_a_condition_that_does_not_limit_the_caller_fails()
    {
        var statement = """{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}""";
        var finding = Judge(Policy(RootStatement, statement));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("do not limit who may call", finding.Message);
    }

    [Fact]
    public void Decrypt_for_a_whole_foreign_account_fails()
    {
        var statement = """{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::999988887777:root"]},"Action":"kms:*","Resource":"*"}""";
        var finding = Judge(Policy(RootStatement, statement));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("every identity of account 999988887777", finding.Message);
    }

    [Fact]
    public void Foreign_account_without_decrypt_passes()
    {
        var statement = """{"Effect":"Allow","Principal":{"AWS":"999988887777"},"Action":"kms:DescribeKey","Resource":"*"}""";
        Assert.Equal(FindingStatus.Pass, Judge(Policy(RootStatement, statement)).Status);
    }

    [Fact]
    public void Not_principal_allow_fails()
    {
        var statement = """{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/blocked"},"Action":"kms:Decrypt","Resource":"*"}""";
        Assert.Equal(FindingStatus.Fail, Judge(Policy(RootStatement, statement)).Status);
    }

    [Fact]
    public void Deny_statements_do_not_count()
    {
        var statement = """{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*"}""";
        Assert.Equal(FindingStatus.Pass, Judge(Policy(RootStatement, statement)).Status);
    }

    [Fact]
    public void Missing_or_unreadable_policy_is_an_error()
    {
        Assert.Equal(FindingStatus.Error, Judge(null!).Status);
        Assert.Equal(FindingStatus.Error, Judge("{not json").Status);
    }

    [Fact]
    public void No_customer_key_is_not_applicable_and_denied_key_is_an_error()
    {
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<SecretsKeyPolicyNotOverBroad>(TestSnapshots.Empty())).Status);
        var denied = Encrypted(null).With(s => s.Aws.KmsKey = ObjectSection<KmsKeyInfo>.Denied("kms:GetKeyPolicy"));
        var finding = Assert.Single(TestSnapshots.Run<SecretsKeyPolicyNotOverBroad>(denied));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("kms:GetKeyPolicy", finding.Message);
    }
}
