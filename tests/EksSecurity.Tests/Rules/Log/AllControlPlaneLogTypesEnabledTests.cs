using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Log;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Log.AuditLogEnabledTests;

namespace EksSecurity.Tests.Rules.Log;

public class AllControlPlaneLogTypesEnabledTests
{
    [Fact]
    public void Missing_types_fail_and_are_named()
    {
        var snapshot = Logging((true, ["api", "audit", "authenticator"]), (false, ["controllerManager", "scheduler"]));
        var finding = Assert.Single(TestSnapshots.Run<AllControlPlaneLogTypesEnabled>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-LOG-002", finding.RuleId);
        Assert.Equal("test-cluster", finding.ResourceName);
        Assert.Contains("2 of 5", finding.Message);
        Assert.Contains("controllerManager, scheduler", finding.Message);
    }

    [Fact]
    public void All_types_across_several_enabled_elements_pass()
    {
        var snapshot = Logging((true, ["api", "audit"]), (true, ["authenticator", "controllerManager", "scheduler"]), (false, []));
        var finding = Assert.Single(TestSnapshots.Run<AllControlPlaneLogTypesEnabled>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("clusterLogging[1]: enabled = true"));
    }

    [Fact]
    public void Disabled_group_listed_first_is_not_mistaken_for_the_whole_config()
    {
        var snapshot = Logging((false, ["scheduler"]), (true, ["api", "audit", "authenticator", "controllerManager"]));
        var finding = Assert.Single(TestSnapshots.Run<AllControlPlaneLogTypesEnabled>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("1 of 5", finding.Message);
        Assert.EndsWith("scheduler.", finding.Message);
    }

    [Fact]
    public void Required_types_come_from_the_settings()
    {
        var snapshot = Logging((true, ["audit", "authenticator"]), (false, ["api", "controllerManager", "scheduler"]));
        var settings = new RuleSettings { RequiredLogTypes = ["audit", "authenticator"] };
        var finding = Assert.Single(TestSnapshots.Run<AllControlPlaneLogTypesEnabled>(snapshot, settings));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e == "setting RequiredLogTypes = [audit, authenticator]");
    }

    [Fact]
    public void Absent_logging_fails_with_every_type_missing()
    {
        var finding = Assert.Single(TestSnapshots.Run<AllControlPlaneLogTypesEnabled>(TestSnapshots.Empty()));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("5 of 5", finding.Message);
    }

    [Fact]
    public void Denied_cluster_description_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.Cluster = ObjectSection<EksCluster>.Denied("eks:DescribeCluster"));
        var finding = Assert.Single(TestSnapshots.Run<AllControlPlaneLogTypesEnabled>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("eks:DescribeCluster", finding.Message);
    }
}
