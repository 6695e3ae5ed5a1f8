using EksSecurity.Engine.Rules.Iam;

namespace EksSecurity.Tests.Rules.Iam;

public class AwsAuthHygieneTests
{
    private const string HumanRole = """
        - rolearn: arn:aws:iam::111122223333:role/developers
          username: developer:{{SessionName}}
          groups:
            - dev-team
        """;

    private static EksSecurityFinding RunOn(string? mapRoles, string? mapUsers = null, string? mapAccounts = null) =>
        Assert.Single(TestSnapshots.Run<AwsAuthHygiene>(TestSnapshots.Empty().WithAwsAuth(IamFixtures.AwsAuth(mapRoles, mapUsers, mapAccounts))));

    [Fact]
    public void Clean_aws_auth_passes()
    {
        var finding = RunOn(IamFixtures.NodeRole + "\n" + HumanRole);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("aws-auth", finding.ResourceName);
        Assert.Equal("kube-system", finding.Namespace);
        Assert.Contains(finding.Evidence, e => e.Contains("mapRoles: 2 entries"));
    }

    [Fact]
    public void Yaml_parse_error_fails_naming_key_line_and_column()
    {
        var finding = RunOn(IamFixtures.NodeRole + "\n- rolearn: arn:aws:iam::111122223333:role/x\n  groups: [unclosed\n");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("YAML parse error in mapRoles line 8, column ", finding.Message);
        Assert.Contains(finding.Evidence, e => e.StartsWith("parse error: mapRoles line ") && e.Contains(", column "));
    }

    [Fact]
    public void Unclosed_flow_list_is_a_parse_error_not_a_crash()
    {
        var finding = RunOn(IamFixtures.NodeRole, mapUsers: "- userarn: [unclosed\n  groups: x");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("parse error: mapUsers line ") && e.Contains(", column "));
    }

    [Fact]
    public void Map_users_fails()
    {
        var finding = RunOn(IamFixtures.NodeRole, mapUsers: """
            - userarn: arn:aws:iam::111122223333:user/alice
              username: alice
              groups: [dev-team]
            """);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("mapUsers has 1 entry", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("userarn = arn:aws:iam::111122223333:user/alice"));
    }

    [Fact]
    public void Map_accounts_fails_but_an_empty_list_does_not()
    {
        var finding = RunOn(IamFixtures.NodeRole, mapAccounts: "- \"444455556666\"\n");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("mapAccounts maps 1 account", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("444455556666"));

        var empty = RunOn(IamFixtures.NodeRole, mapAccounts: "[]");
        Assert.Equal(FindingStatus.Pass, empty.Status);
        Assert.Contains("mapAccounts is present but empty", empty.Evidence);
    }

    [Fact]
    public void Duplicate_role_arn_fails()
    {
        var finding = RunOn(HumanRole + "\n" + HumanRole.Replace("dev-team", "other-team"));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("duplicate rolearn", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("rolearn arn:aws:iam::111122223333:role/developers appears 2 times"));
    }

    [Fact]
    public void Role_arn_with_path_fails()
    {
        var finding = RunOn(HumanRole.Replace("role/developers", "role/teams/web/developers"));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("carry a path", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("has path /teams/web/"));
    }

    [Fact]
    public void Human_role_without_session_name_fails_but_node_role_does_not()
    {
        var finding = RunOn(IamFixtures.NodeRole + "\n" + HumanRole.Replace("developer:{{SessionName}}", "developer"));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("{{SessionName}}", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("role/developers username = developer"));
        Assert.DoesNotContain(finding.Evidence, e => e.Contains("eks-node-role"));
    }

    [Fact]
    public void Several_problems_are_all_reported()
    {
        var finding = RunOn(HumanRole.Replace("developer:{{SessionName}}", "dev").Replace("role/developers", "role/a/developers"),
            mapUsers: "- userarn: arn:aws:iam::111122223333:user/bob\n  username: bob\n");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("3 hygiene problem(s)", finding.Message);
    }

    [Fact]
    public void Missing_aws_auth_is_not_applicable()
    {
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<AwsAuthHygiene>(TestSnapshots.Empty())).Status);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/plain", null)]
    [InlineData("arn:aws:iam::111122223333:role/a/b/name", "a/b")]
    [InlineData("arn:aws-cn:iam::111122223333:role/ops/name", "ops")]
    [InlineData("arn:aws:iam::111122223333:user/x/alice", null)]
    public void Role_path_is_parsed(string arn, string? path) => Assert.Equal(path, AwsAuthHygiene.RolePath(arn));
}
