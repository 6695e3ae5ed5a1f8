using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Iam.AwsIamFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class ClusterCreatorAdminRemovedTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly string Creator = RoleArn("terraform-deployer");

    private static ClusterSnapshot Api(bool? bootstrap, params EksAccessEntry[] entries) => TestSnapshots.Empty()
        .Mode("API", bootstrap)
        .With(s => s.Cluster().CreatedAt = Created)
        .WithEntries(entries);

    private static EksAccessEntry At(EksAccessEntry entry, DateTimeOffset? at)
    {
        entry.CreatedAt = at;
        return entry;
    }

    [Fact]
    public void Bootstrap_entry_that_still_has_cluster_admin_fails()
    {
        var snapshot = Api(true,
            At(Entry(Creator, Policy(ClusterAdmin)), Created.AddMinutes(8)),
            At(Entry(RoleArn("platform-admin"), Policy(ClusterAdmin)), Created.AddDays(3)));
        var finding = Assert.Single(TestSnapshots.Run<ClusterCreatorAdminRemoved>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-IAM-002", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("Cluster", finding.ResourceType);
        Assert.Contains(Creator, finding.Message);
        Assert.DoesNotContain("platform-admin", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "accessConfig.bootstrapClusterCreatorAdminPermissions = true");
        Assert.Contains(finding.Evidence, e => e.StartsWith(Creator) && e.Contains("createdAt 2026-03-01T10:08:00Z") && e.Contains("AmazonEKSClusterAdminPolicy @ cluster"));
    }

    [Fact]
    public void Bootstrap_disabled_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<ClusterCreatorAdminRemoved>(Api(false, At(Entry(Creator, Policy(ClusterAdmin)), Created))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("bootstrapClusterCreatorAdminPermissions = false", finding.Message);
    }

    [Fact]
    public void Bootstrap_entry_removed_passes_when_only_later_admins_remain()
    {
        var snapshot = Api(true, At(Entry(RoleArn("platform-admin"), Policy(ClusterAdmin)), Created.AddHours(2)), At(Entry(Creator, Policy(View)), Created.AddMinutes(5)));
        var finding = Assert.Single(TestSnapshots.Run<ClusterCreatorAdminRemoved>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("1 access entry has AmazonEKSClusterAdminPolicy, none created with the cluster"));
    }

    [Theory]
    [InlineData(30, FindingStatus.Fail)]   // the window's last minute still counts
    [InlineData(31, FindingStatus.Pass)]
    public void Creation_window_boundary(int minutesAfter, FindingStatus expected)
    {
        var snapshot = Api(true, At(Entry(Creator, Policy(ClusterAdmin)), Created.AddMinutes(minutesAfter)));
        Assert.Equal(expected, Assert.Single(TestSnapshots.Run<ClusterCreatorAdminRemoved>(snapshot)).Status);
    }

    [Fact]
    public void Config_map_mode_fails_because_the_grant_cannot_be_removed()
    {
        var snapshot = TestSnapshots.Empty().Mode("CONFIG_MAP", true);
        var finding = Assert.Single(TestSnapshots.Run<ClusterCreatorAdminRemoved>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("cannot be removed", finding.Message);
    }

    [Fact]
    public void Cluster_without_access_config_fails_like_config_map()
    {
        var finding = Assert.Single(TestSnapshots.Run<ClusterCreatorAdminRemoved>(TestSnapshots.Empty()));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e == "accessConfig.authenticationMode = (not reported)");
    }

    [Fact]
    public void Named_creator_with_cluster_admin_fails_even_when_created_later()
    {
        var settings = new RuleSettings { ClusterCreatorPrincipalArn = Creator };
        var snapshot = Api(true, At(Entry(Creator, Policy(ClusterAdmin)), Created.AddDays(30)));
        var finding = Assert.Single(TestSnapshots.Run<ClusterCreatorAdminRemoved>(snapshot, settings));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("(setting)"));
    }

    [Fact]
    public void Named_creator_matches_an_assumed_role_session_arn()
    {
        var settings = new RuleSettings { ClusterCreatorPrincipalArn = $"arn:aws:sts::{Account}:assumed-role/terraform-deployer/ci-run-42" };
        var snapshot = Api(true, At(Entry(Creator, Policy(ClusterAdmin)), Created));
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<ClusterCreatorAdminRemoved>(snapshot, settings)).Status);
    }

    [Fact]
    public void Named_creator_without_entry_or_without_admin_passes()
    {
        var settings = new RuleSettings { ClusterCreatorPrincipalArn = Creator };
        var none = Api(true, At(Entry(RoleArn("platform-admin"), Policy(ClusterAdmin)), Created));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<ClusterCreatorAdminRemoved>(none, settings)).Status);
        var viewer = Api(true, At(Entry(Creator, Policy(View)), Created));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<ClusterCreatorAdminRemoved>(viewer, settings)).Status);
    }

    [Fact]
    public void Admin_entry_without_creation_time_warns()
    {
        var snapshot = Api(true, At(Entry(Creator, Policy(ClusterAdmin)), null));
        var finding = Assert.Single(TestSnapshots.Run<ClusterCreatorAdminRemoved>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("ClusterCreatorPrincipalArn", finding.Message);
    }

    [Fact]
    public void Denied_access_entries_are_an_error_when_the_creator_was_bootstrapped()
    {
        var snapshot = Api(true).With(s => s.Aws.AccessEntries = Section<EksAccessEntry>.Denied("eks:ListAccessEntries"));
        var finding = Assert.Single(TestSnapshots.Run<ClusterCreatorAdminRemoved>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("needs eks:ListAccessEntries"));
    }

    [Fact]
    public void Denied_cluster_description_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.Cluster = ObjectSection<EksCluster>.Denied("eks:DescribeCluster"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ClusterCreatorAdminRemoved>(snapshot)).Status);
    }
}
