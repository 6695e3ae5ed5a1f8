using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Infra;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Infra;

public class ClusterDeletionProtectionEnabledTests
{
    [Fact]
    public void Protection_off_fails()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Cluster().DeletionProtection = false);
        var finding = Assert.Single(TestSnapshots.Run<ClusterDeletionProtectionEnabled>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-INFRA-020", finding.RuleId);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Equal("test-cluster", finding.ResourceName);
        Assert.Contains(finding.Evidence, e => e == "deletionProtection = false");
    }

    [Fact]
    public void Protection_on_passes()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Cluster().DeletionProtection = true);
        var finding = Assert.Single(TestSnapshots.Run<ClusterDeletionProtectionEnabled>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e == "deletionProtection = true");
    }

    [Fact]
    public void Absent_field_counts_as_off()
    {
        var finding = Assert.Single(TestSnapshots.Run<ClusterDeletionProtectionEnabled>(TestSnapshots.Empty()));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("(absent: counts as false)"));
    }

    [Fact]
    public void Denied_cluster_description_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.Cluster = ObjectSection<EksCluster>.Denied("eks:DescribeCluster"));
        var finding = Assert.Single(TestSnapshots.Run<ClusterDeletionProtectionEnabled>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("eks:DescribeCluster", finding.Message);
    }
}
