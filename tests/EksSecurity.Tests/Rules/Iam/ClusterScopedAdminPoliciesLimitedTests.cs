using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Iam.AwsIamFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class ClusterScopedAdminPoliciesLimitedTests
{
    private static IReadOnlyList<EksSecurityFinding> Run(RuleSettings? settings, params EksAccessEntry[] entries) =>
        TestSnapshots.Run<ClusterScopedAdminPoliciesLimited>(TestSnapshots.Empty().WithEntries(entries), settings);

    [Fact]
    public void Iam_user_with_cluster_admin_fails()
    {
        var findings = Run(null, Entry(UserArn("alice"), Policy(ClusterAdmin)), Entry(RoleArn("platform-admin"), Policy(ClusterAdmin)));
        var alice = Assert.Single(findings, f => f.ResourceName == UserArn("alice"));
        Assert.Equal(FindingStatus.Fail, alice.Status);
        Assert.Equal("AccessEntry", alice.ResourceType);
        Assert.Contains("IAM user", alice.Message);
        Assert.Contains(alice.Evidence, e => e.Contains("AmazonEKSClusterAdminPolicy @ cluster"));
        Assert.Equal(FindingStatus.Pass, Assert.Single(findings, f => f.ResourceName == RoleArn("platform-admin")).Status);
        var count = Assert.Single(findings, f => f.ResourceType == "Cluster");
        Assert.Equal(FindingStatus.Pass, count.Status);
        Assert.Contains("2 principal(s)", count.Message);
    }

    [Fact]
    public void More_admins_than_allowed_fails_on_the_cluster()
    {
        var settings = new RuleSettings { MaxClusterAdminPrincipals = 2 };
        var findings = Run(settings, Entry(RoleArn("a"), Policy(ClusterAdmin)), Entry(RoleArn("b"), Policy(Admin)), Entry(RoleArn("c"), Policy(ClusterAdmin), Policy(Admin)));
        var count = Assert.Single(findings, f => f.ResourceType == "Cluster");
        Assert.Equal(FindingStatus.Fail, count.Status);
        Assert.Contains("3 principals", count.Message);
        Assert.Contains(count.Evidence, e => e == "MaxClusterAdminPrincipals = 2");
        Assert.Contains(count.Evidence, e => e.EndsWith("/c: AmazonEKSClusterAdminPolicy, AmazonEKSAdminPolicy @ cluster"));
    }

    [Fact]
    public void Count_at_the_threshold_passes()
    {
        var settings = new RuleSettings { MaxClusterAdminPrincipals = 2 };
        var findings = Run(settings, Entry(RoleArn("a"), Policy(ClusterAdmin)), Entry(RoleArn("b"), Policy(Admin)));
        Assert.Equal(FindingStatus.Pass, Assert.Single(findings, f => f.ResourceType == "Cluster").Status);
    }

    [Fact]
    public void Namespace_scoped_admin_and_view_policies_do_not_count()
    {
        var findings = Run(new RuleSettings { MaxClusterAdminPrincipals = 0 },
            Entry(RoleArn("team-a"), Policy(Admin, "namespace", "team-a")), Entry(RoleArn("viewer"), Policy(View)));
        var count = Assert.Single(findings);
        Assert.Equal(FindingStatus.Pass, count.Status);
        Assert.Contains("0 principal(s)", count.Message);
    }

    [Fact]
    public void Principal_outside_the_allow_list_fails()
    {
        var settings = new RuleSettings { ClusterAdminPrincipalAllowlist = [$"arn:aws:iam::{Account}:role/platform-*"] };
        var findings = Run(settings, Entry(RoleArn("Platform-Admin"), Policy(ClusterAdmin)), Entry(RoleArn("ci-deployer"), Policy(ClusterAdmin)));
        var allowed = Assert.Single(findings, f => f.ResourceName == RoleArn("Platform-Admin"));
        Assert.Equal(FindingStatus.Pass, allowed.Status);
        Assert.Contains(allowed.Evidence, e => e.Contains("allowed by ClusterAdminPrincipalAllowlist"));
        var other = Assert.Single(findings, f => f.ResourceName == RoleArn("ci-deployer"));
        Assert.Equal(FindingStatus.Fail, other.Status);
        Assert.Contains("not in ClusterAdminPrincipalAllowlist", other.Message);
    }

    [Fact]
    public void Unlisted_policies_are_errors_and_the_count_is_unknown()
    {
        var unlisted = Entry(RoleArn("mystery"));
        unlisted.AssociatedAccessPolicies = null;
        var findings = Run(null, unlisted, Entry(RoleArn("a"), Policy(ClusterAdmin)));
        Assert.Equal(FindingStatus.Error, Assert.Single(findings, f => f.ResourceName == RoleArn("mystery")).Status);
        var count = Assert.Single(findings, f => f.ResourceType == "Cluster");
        Assert.Equal(FindingStatus.Error, count.Status);
        Assert.Contains("At least 1", count.Message);
    }

    [Fact]
    public void No_entries_passes_with_zero()
    {
        var finding = Assert.Single(Run(null));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Denied_access_entries_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().Mode("API_AND_CONFIG_MAP", false).With(s => s.Aws.AccessEntries = Section<EksAccessEntry>.Denied("eks:ListAccessEntries"));
        var finding = Assert.Single(TestSnapshots.Run<ClusterScopedAdminPoliciesLimited>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("needs eks:ListAccessEntries"));
    }

    [Theory]
    [InlineData("CONFIG_MAP")]
    [InlineData(null)]
    public void Clusters_without_access_entries_are_not_applicable(string? mode)
    {
        var snapshot = TestSnapshots.Empty().Mode(mode, mode is null ? null : true)
            .With(s => s.Aws.AccessEntries = Section<EksAccessEntry>.Failed("The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP]"));
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<ClusterScopedAdminPoliciesLimited>(snapshot)).Status);
    }

    [Fact]
    public void Denied_cluster_description_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.Cluster = ObjectSection<EksCluster>.Denied("eks:DescribeCluster"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ClusterScopedAdminPoliciesLimited>(snapshot)).Status);
    }
}
