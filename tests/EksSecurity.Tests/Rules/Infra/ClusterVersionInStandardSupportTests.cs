using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Infra;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Infra;

public class ClusterVersionInStandardSupportTests
{
    private static DateTimeOffset Date(int y, int m, int d) => new(y, m, d, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The test snapshot runs 1.33 and was collected on 2026-11-01.</summary>
    private static ClusterSnapshot WithCalendar(string? supportType, params EksClusterVersion[] versions) => TestSnapshots.Empty().With(s =>
    {
        s.Aws.ClusterVersions = Section<EksClusterVersion>.Collected(versions);
        if (supportType is not null) s.Cluster().UpgradePolicy = new EksUpgradePolicy { SupportType = supportType };
    });

    private static EksClusterVersion V(string version, string? status, DateTimeOffset? endStandard, DateTimeOffset? endExtended, string? clusterType = "eks") => new()
    {
        ClusterVersion = version, ClusterType = clusterType, VersionStatus = status,
        EndOfStandardSupportDate = endStandard, EndOfExtendedSupportDate = endExtended,
    };

    [Fact]
    public void Extended_support_fails_medium_with_days_left_from_collection_time()
    {
        var snapshot = WithCalendar("EXTENDED", V("1.33", "EXTENDED_SUPPORT", Date(2026, 7, 29), Date(2027, 1, 31)), V("1.34", "STANDARD_SUPPORT", null, null));
        var finding = Assert.Single(TestSnapshots.Run<ClusterVersionInStandardSupport>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("EKS-INFRA-001", finding.RuleId);
        Assert.Equal("test-cluster", finding.ResourceName);
        Assert.Contains("91 day(s) left", finding.Message);
        Assert.Contains("2027-01-31", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "upgradePolicy.supportType = EXTENDED");
        Assert.Contains(finding.Evidence, e => e == "clusterVersions[1.33].versionStatus = EXTENDED_SUPPORT");
        Assert.Contains(finding.Evidence, e => e.Contains("2026-11-01 (snapshot collectedAt)"));
    }

    [Fact]
    public void Standard_support_passes()
    {
        var snapshot = WithCalendar("STANDARD", V("1.33", "STANDARD_SUPPORT", Date(2026, 12, 15), Date(2027, 12, 15)));
        var finding = Assert.Single(TestSnapshots.Run<ClusterVersionInStandardSupport>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("44 day(s) left", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "upgradePolicy.supportType = STANDARD");
    }

    [Fact]
    public void Past_the_end_of_extended_support_fails_high()
    {
        var snapshot = WithCalendar("EXTENDED", V("1.33", "EXTENDED_SUPPORT", Date(2025, 7, 29), Date(2026, 7, 29)));
        var finding = Assert.Single(TestSnapshots.Run<ClusterVersionInStandardSupport>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("past the end", finding.Message);
    }

    [Fact]
    public void Unsupported_version_fails_high()
    {
        var snapshot = WithCalendar(null, V("1.33", "UNSUPPORTED", null, null));
        var finding = Assert.Single(TestSnapshots.Run<ClusterVersionInStandardSupport>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains(finding.Evidence, e => e == "upgradePolicy.supportType = (absent)");
    }

    [Fact]
    public void Version_missing_from_the_calendar_is_an_error_not_a_pass()
    {
        var snapshot = WithCalendar("STANDARD", V("1.34", "STANDARD_SUPPORT", null, null), V("1.35", "STANDARD_SUPPORT", null, null));
        var finding = Assert.Single(TestSnapshots.Run<ClusterVersionInStandardSupport>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("1.33 is not in the EKS version calendar", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "clusterVersions lists [1.34, 1.35]");
    }

    [Fact]
    public void Plain_eks_entry_is_preferred_over_other_cluster_types()
    {
        var snapshot = WithCalendar(null,
            V("1.33", "UNSUPPORTED", null, null, clusterType: "eks-local-outposts"),
            V("1.33", "STANDARD_SUPPORT", null, null, clusterType: "eks"));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<ClusterVersionInStandardSupport>(snapshot)).Status);
    }

    [Fact]
    public void Deprecated_status_field_is_used_when_version_status_is_absent()
    {
        var entry = V("1.33", null, null, Date(2027, 1, 31));
        entry.Status = "extended-support";
        var finding = Assert.Single(TestSnapshots.Run<ClusterVersionInStandardSupport>(WithCalendar(null, entry)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e == "clusterVersions[1.33].status = extended-support");
    }

    [Fact]
    public void Unknown_status_is_an_error()
    {
        var finding = Assert.Single(TestSnapshots.Run<ClusterVersionInStandardSupport>(WithCalendar(null, V("1.33", "BETA", null, null))));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("'BETA'", finding.Message);
    }

    [Fact]
    public void Without_collected_at_the_current_time_is_used()
    {
        var snapshot = WithCalendar(null, V("1.33", "EXTENDED_SUPPORT", Date(2000, 1, 1), Date(2001, 1, 1))).With(s => s.CollectedAt = null);
        var finding = Assert.Single(TestSnapshots.Run<ClusterVersionInStandardSupport>(snapshot));
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains(finding.Evidence, e => e.Contains("now: the snapshot has no collectedAt"));
    }

    [Fact]
    public void Denied_calendar_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.ClusterVersions = Section<EksClusterVersion>.Denied("eks:DescribeClusterVersions"));
        var finding = Assert.Single(TestSnapshots.Run<ClusterVersionInStandardSupport>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("eks:DescribeClusterVersions", finding.Message);
    }

    [Fact]
    public void Cluster_without_version_is_an_error()
    {
        var snapshot = WithCalendar(null, V("1.33", "STANDARD_SUPPORT", null, null)).With(s => s.Cluster().Version = null);
        var finding = Assert.Single(TestSnapshots.Run<ClusterVersionInStandardSupport>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("no version", finding.Message);
    }
}
