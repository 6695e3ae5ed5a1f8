using EksSecurity.Engine.Rules.Runtime;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Runtime;

public class NetRawDroppedTests
{
    [Fact]
    public void Net_raw_kept_by_default_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<NetRawDropped>(Snapshot(StatefulSet("db", "shop", Spec(Container("postgres"))))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-RUNTIME-003", finding.RuleId);
        Assert.Equal("StatefulSet", finding.ResourceType);
        Assert.Contains(finding.Evidence, e => e.StartsWith("containers[postgres]", StringComparison.Ordinal) && e.Contains("neither NET_RAW nor ALL is dropped"));
    }

    [Theory]
    [InlineData("NET_RAW")]
    [InlineData("CAP_NET_RAW")]
    [InlineData("net_raw")]
    [InlineData("ALL")]
    public void Dropping_net_raw_or_all_passes(string drop)
    {
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("app", securityContext: Caps(drop: [drop])))));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<NetRawDropped>(snapshot)).Status);
    }

    [Fact]
    public void Net_raw_added_back_after_drop_all_fails()
    {
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("app", securityContext: Caps(add: ["NET_RAW"], drop: ["ALL"])))));
        var finding = Assert.Single(TestSnapshots.Run<NetRawDropped>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("added back"));
    }

    [Fact]
    public void Explicit_drop_wins_over_add()
    {
        // containerd applies individual drops after adds.
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("app", securityContext: Caps(add: ["NET_RAW"], drop: ["NET_RAW"])))));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<NetRawDropped>(snapshot)).Status);
    }

    [Fact]
    public void Init_container_keeping_net_raw_fails_the_template()
    {
        var spec = Spec(Container("app", securityContext: Hardened())).WithInit(Container("iptables-init"));
        var finding = Assert.Single(TestSnapshots.Run<NetRawDropped>(Snapshot(Deployment("mesh", "shop", spec))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("initContainers[iptables-init]", StringComparison.Ordinal));
        Assert.Contains("1 of 2", finding.Message);
    }
}
