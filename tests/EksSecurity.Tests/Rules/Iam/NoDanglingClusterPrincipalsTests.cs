using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.AwsIamFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class NoDanglingClusterPrincipalsTests
{
    private static string MapRole(string arn, string group = "developers") => $"""
        - rolearn: {arn}
          username: dev:{"{{SessionName}}"}
          groups:
            - {group}
        """;

    private static ClusterSnapshot Both() => TestSnapshots.Empty().Mode("API_AND_CONFIG_MAP", false);

    [Fact]
    public void Deleted_role_still_mapped_in_aws_auth_fails()
    {
        var snapshot = Both().WithAwsAuth(IamFixtures.AwsAuth(MapRole(RoleArn("old-team")))).WithRoles(Role("old-team", missing: true));
        var finding = Assert.Single(TestSnapshots.Run<NoDanglingClusterPrincipals>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-IAM-006", finding.RuleId);
        Assert.Equal("IamRole", finding.ResourceType);
        Assert.Equal(RoleArn("old-team"), finding.ResourceName);
        Assert.Contains("recreates", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("aws-auth mapRoles (line 1)"));
        Assert.Contains(finding.Evidence, e => e.EndsWith(": NoSuchEntity"));
    }

    [Fact]
    public void Deleted_principal_with_only_an_access_entry_warns()
    {
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(UserArn("bob"), Policy(View))).WithUsers(User("bob", missing: true));
        var finding = Assert.Single(TestSnapshots.Run<NoDanglingClusterPrincipals>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal("IamUser", finding.ResourceType);
        Assert.Contains(finding.Evidence, e => e.Contains("unique id"));
    }

    [Fact]
    public void Existing_principals_pass_and_a_role_path_does_not_hide_the_match()
    {
        var pathRole = Role("deployer");
        pathRole.Arn = $"arn:aws:iam::{Account}:role/ci/deployer";
        var snapshot = Both()
            .WithAwsAuth(IamFixtures.AwsAuth(MapRole(RoleArn("deployer"))))
            .WithEntries(Entry(UserArn("carol"), Policy(View)))
            .WithRoles(pathRole)
            .WithUsers(User("carol"));
        var findings = TestSnapshots.Run<NoDanglingClusterPrincipals>(snapshot);
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
    }

    [Fact]
    public void Principal_not_looked_up_is_an_error_naming_a_foreign_account()
    {
        var foreign = "arn:aws:iam::999988887777:role/partner";
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(foreign, Policy(View)));
        var finding = Assert.Single(TestSnapshots.Run<NoDanglingClusterPrincipals>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("999988887777", finding.Message);
    }

    [Fact]
    public void Aws_auth_is_ignored_in_api_mode()
    {
        var snapshot = TestSnapshots.Empty().Mode("API", false)
            .WithAwsAuth(IamFixtures.AwsAuth(MapRole(RoleArn("old-team")))).WithRoles(Role("old-team", missing: true));
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<NoDanglingClusterPrincipals>(snapshot)).Status);
    }

    [Fact]
    public void Access_entries_are_ignored_in_config_map_mode()
    {
        var snapshot = TestSnapshots.Empty().Mode("CONFIG_MAP", true)
            .With(s => s.Aws.AccessEntries = Section<EksAccessEntry>.Failed("authentication mode must be API or API_AND_CONFIG_MAP"));
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<NoDanglingClusterPrincipals>(snapshot)).Status);
    }

    [Fact]
    public void Unreadable_aws_auth_is_an_error_but_entries_are_still_judged()
    {
        var snapshot = Both()
            .With(s => s.Kubernetes.ConfigMaps = Section<V1ConfigMap>.Denied("list configmaps"))
            .WithEntries(Entry(RoleArn("admin"), Policy(ClusterAdmin)))
            .WithRoles(Role("admin"));
        var findings = TestSnapshots.Run<NoDanglingClusterPrincipals>(snapshot);
        var gap = Assert.Single(findings, f => f.Status == FindingStatus.Error);
        Assert.Equal("Cluster", gap.ResourceType);
        Assert.Contains("list configmaps", gap.Message);
        Assert.Equal(FindingStatus.Pass, Assert.Single(findings, f => f.ResourceName == RoleArn("admin")).Status);
    }

    [Fact]
    public void Denied_iam_roles_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(RoleArn("admin"))).With(s => s.Aws.IamRoles = Section<IamRole>.Denied("iam:GetRole"));
        var finding = Assert.Single(TestSnapshots.Run<NoDanglingClusterPrincipals>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("iam:GetRole", finding.Message);
    }
}
