using EksSecurity.Engine.Rules.Runtime;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Runtime;

public class CapabilitiesDropAllTests
{
    [Fact]
    public void Container_without_drop_all_fails()
    {
        var snapshot = Snapshot(Deployment("api", "shop", Spec(Container("app", securityContext: Caps(drop: ["NET_RAW"])))));
        var finding = Assert.Single(TestSnapshots.Run<CapabilitiesDropAll>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-RUNTIME-002", finding.RuleId);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Contains(finding.Evidence, e => e == "containers[app].securityContext.capabilities.drop = [NET_RAW] (ALL not dropped)");
    }

    [Fact]
    public void Unset_security_context_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<CapabilitiesDropAll>(Snapshot(BarePod("p", "shop", Spec(Container("app"))))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("drop = (not set)"));
    }

    [Fact]
    public void Drop_all_passes_and_net_bind_service_may_be_added_back()
    {
        var snapshot = Snapshot(
            BarePod("a", "shop", Spec(Container("app", securityContext: Caps(drop: ["ALL"])))),
            BarePod("b", "shop", Spec(Container("app", securityContext: Caps(add: ["NET_BIND_SERVICE"], drop: ["all"])))));
        Assert.All(TestSnapshots.Run<CapabilitiesDropAll>(snapshot), f => Assert.Equal(FindingStatus.Pass, f.Status));
    }

    [Fact]
    public void Adding_more_than_net_bind_service_after_drop_all_fails()
    {
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("app", securityContext: Caps(add: ["CHOWN"], drop: ["ALL"])))));
        var finding = Assert.Single(TestSnapshots.Run<CapabilitiesDropAll>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("adds back more than NET_BIND_SERVICE: CHOWN"));
    }

    [Fact]
    public void Every_container_kind_must_drop_all()
    {
        var spec = Spec(Container("app", securityContext: Hardened()))
            .WithInit(Container("setup", securityContext: Hardened()))
            .WithEphemeral(Ephemeral("debugger"));
        var finding = Assert.Single(TestSnapshots.Run<CapabilitiesDropAll>(Snapshot(BarePod("p", "shop", spec))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("1 of 3", finding.Message);
        Assert.Contains(finding.Evidence, e => e.StartsWith("ephemeralContainers[debugger]", StringComparison.Ordinal) && e.EndsWith("(ALL not dropped)", StringComparison.Ordinal));
    }
}
