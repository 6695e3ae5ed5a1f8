using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Iam.AwsIamFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class ClusterAdminRolesShortSessionsTests
{
    [Fact]
    public void Admin_role_with_long_sessions_warns()
    {
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(RoleArn("platform-admin"), Policy(ClusterAdmin))).WithRoles(Role("platform-admin", 43200));
        var finding = Assert.Single(TestSnapshots.Run<ClusterAdminRolesShortSessions>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Equal("IamRole", finding.ResourceType);
        Assert.Contains("12 h", finding.Message);
        Assert.Contains(finding.Evidence, e => e.StartsWith("MaxSessionDuration = 43200 s"));
    }

    [Fact]
    public void System_masters_mapping_in_aws_auth_counts_as_cluster_admin()
    {
        var mapRoles = $"""
            - rolearn: {RoleArn("legacy-admin")}
              username: admin
              groups: [system:masters]
            """;
        var snapshot = TestSnapshots.Empty().WithAwsAuth(IamFixtures.AwsAuth(mapRoles)).WithRoles(Role("legacy-admin", 7200));
        var finding = Assert.Single(TestSnapshots.Run<ClusterAdminRolesShortSessions>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("groups [system:masters]"));
    }

    [Theory]
    [InlineData(3600, FindingStatus.Pass)]
    [InlineData(3601, FindingStatus.Warning)]
    public void Threshold_boundary(int seconds, FindingStatus expected)
    {
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(RoleArn("admin"), Policy(ClusterAdmin))).WithRoles(Role("admin", seconds));
        Assert.Equal(expected, Assert.Single(TestSnapshots.Run<ClusterAdminRolesShortSessions>(snapshot)).Status);
    }

    [Fact]
    public void Threshold_is_configurable()
    {
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(RoleArn("admin"), Policy(ClusterAdmin))).WithRoles(Role("admin", 7200));
        var settings = new RuleSettings { ClusterAdminMaxSessionSeconds = 7200 };
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<ClusterAdminRolesShortSessions>(snapshot, settings)).Status);
    }

    [Fact]
    public void Roles_without_cluster_admin_are_not_judged()
    {
        var snapshot = TestSnapshots.Empty()
            .WithEntries(Entry(RoleArn("viewer"), Policy(View)), Entry(RoleArn("ns-admin"), Policy(ClusterAdmin, "namespace", "team-a")))
            .WithRoles(Role("viewer", 43200), Role("ns-admin", 43200));
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<ClusterAdminRolesShortSessions>(snapshot)).Status);
    }

    [Fact]
    public void Unlisted_policies_are_an_error()
    {
        var entry = Entry(RoleArn("mystery"));
        entry.AssociatedAccessPolicies = null;
        var snapshot = TestSnapshots.Empty().WithEntries(entry).WithRoles(Role("mystery", 43200));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ClusterAdminRolesShortSessions>(snapshot)).Status);
    }

    [Fact]
    public void Admin_role_not_looked_up_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(RoleArn("admin"), Policy(ClusterAdmin)));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ClusterAdminRolesShortSessions>(snapshot)).Status);
    }

    [Fact]
    public void Denied_iam_roles_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(RoleArn("admin"), Policy(ClusterAdmin))).With(s => s.Aws.IamRoles = Section<IamRole>.Denied("iam:GetRole"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ClusterAdminRolesShortSessions>(snapshot)).Status);
    }
}
