using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Log;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Log;

public class AuditLogEnabledTests
{
    internal static ClusterSnapshot Logging(params (bool? Enabled, string[] Types)[] elements) => TestSnapshots.Empty().With(s =>
        s.Cluster().Logging = new EksLogging
        {
            ClusterLogging = elements.Select(e => new EksLogSetup { Enabled = e.Enabled, Types = e.Types.ToList() }).ToList(),
        });

    [Fact]
    public void Audit_only_in_the_disabled_group_fails()
    {
        var snapshot = Logging((true, ["api"]), (false, ["audit", "authenticator", "controllerManager", "scheduler"]));
        var finding = Assert.Single(TestSnapshots.Run<AuditLogEnabled>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-LOG-001", finding.RuleId);
        Assert.Equal("test-cluster", finding.ResourceName);
        Assert.Contains("not exported", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("clusterLogging[1]: enabled = false, types = [audit"));
    }

    [Fact]
    public void Audit_enabled_in_a_later_element_passes()
    {
        // DescribeCluster lists the disabled group first here: reading only element [0] would misjudge it.
        var snapshot = Logging((false, ["api", "scheduler"]), (true, ["audit", "authenticator"]));
        var finding = Assert.Single(TestSnapshots.Run<AuditLogEnabled>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("clusterLogging[1]: enabled = true, types = [audit, authenticator]"));
    }

    [Fact]
    public void Absent_logging_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<AuditLogEnabled>(TestSnapshots.Empty()));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("logging = (absent)"));
    }

    [Fact]
    public void Element_without_enabled_flag_enables_nothing()
    {
        var finding = Assert.Single(TestSnapshots.Run<AuditLogEnabled>(Logging((null, ["audit"]))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("enabled = (absent)"));
    }

    [Fact]
    public void Audit_listed_as_both_enabled_and_disabled_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<AuditLogEnabled>(Logging((true, ["audit"]), (false, ["audit"]))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("both enabled and disabled", finding.Message);
    }

    [Fact]
    public void Denied_cluster_description_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.Cluster = ObjectSection<EksCluster>.Failed("throttled"));
        var finding = Assert.Single(TestSnapshots.Run<AuditLogEnabled>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("Cluster", finding.Message);
    }
}
