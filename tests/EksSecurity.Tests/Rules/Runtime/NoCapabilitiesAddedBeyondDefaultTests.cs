using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Runtime;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Runtime;

public class NoCapabilitiesAddedBeyondDefaultTests
{
    [Fact]
    public void Sys_admin_fails_as_critical_and_names_the_container_path()
    {
        var snapshot = Snapshot(Deployment("api", "shop", Spec(Container("app", securityContext: Caps(add: ["SYS_ADMIN"])))));
        var finding = Assert.Single(TestSnapshots.Run<NoCapabilitiesAddedBeyondDefault>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-RUNTIME-001", finding.RuleId);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("Deployment", finding.ResourceType);
        Assert.Equal("shop", finding.Namespace);
        Assert.Equal("api", finding.ResourceName);
        Assert.Contains(finding.Evidence, e => e.StartsWith("containers[app].securityContext.capabilities.add = [SYS_ADMIN]", StringComparison.Ordinal));
    }

    [Fact]
    public void Non_critical_extra_capability_fails_at_the_rule_severity()
    {
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("app", securityContext: Caps(add: ["NET_RAW", "CHOWN"])))));
        var finding = Assert.Single(TestSnapshots.Run<NoCapabilitiesAddedBeyondDefault>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("NET_RAW", finding.Message);
        Assert.DoesNotContain("CHOWN", finding.Message);
    }

    [Theory]
    [InlineData("cap_sys_admin")]
    [InlineData("CAP_SYS_ADMIN")]
    [InlineData("Sys_Admin")]
    [InlineData("all")]
    [InlineData(" bpf ")]
    public void Prefix_and_case_are_normalised(string written)
    {
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("app", securityContext: Caps(add: [written])))));
        var finding = Assert.Single(TestSnapshots.Run<NoCapabilitiesAddedBeyondDefault>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Contains(finding.Evidence, e => e.Contains(written, StringComparison.Ordinal));
    }

    [Fact]
    public void Default_set_and_no_add_pass()
    {
        var snapshot = Snapshot(
            BarePod("defaults", "shop", Spec(Container("app", securityContext: Caps(add: ["NET_BIND_SERVICE", "cap_chown"])))),
            BarePod("none", "shop", Spec(Container("app"))));
        var findings = TestSnapshots.Run<NoCapabilitiesAddedBeyondDefault>(snapshot);
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
        Assert.Contains(findings[0].Evidence, e => e.Contains("default set only"));
    }

    [Fact]
    public void Init_and_ephemeral_containers_are_judged()
    {
        var init = Snapshot(BarePod("p", "shop", Spec(Container("app")).WithInit(Container("setup", securityContext: Caps(add: ["NET_ADMIN"])))));
        var initFinding = Assert.Single(TestSnapshots.Run<NoCapabilitiesAddedBeyondDefault>(init));
        Assert.Equal(FindingStatus.Fail, initFinding.Status);
        Assert.Contains(initFinding.Evidence, e => e.StartsWith("initContainers[setup].securityContext.capabilities.add = [NET_ADMIN]", StringComparison.Ordinal));

        var debug = Snapshot(BarePod("p", "shop", Spec(Container("app")).WithEphemeral(Ephemeral("debugger", securityContext: Caps(add: ["SYS_PTRACE"])))));
        var debugFinding = Assert.Single(TestSnapshots.Run<NoCapabilitiesAddedBeyondDefault>(debug));
        Assert.Equal(Severity.Critical, debugFinding.Severity);
        Assert.Contains(debugFinding.Evidence, e => e.StartsWith("ephemeralContainers[debugger].", StringComparison.Ordinal));
    }

    [Fact]
    public void Replicas_of_a_workload_are_judged_once_through_the_template()
    {
        var bad = Spec(Container("app", securityContext: Caps(add: ["SYS_ADMIN"])));
        var snapshot = Snapshot(
            Deployment("api", "shop", bad),
            BarePod("api-1", "shop", bad, owner: Owner("Deployment", "api")),
            BarePod("api-2", "shop", bad, owner: Owner("Deployment", "api")));
        var finding = Assert.Single(TestSnapshots.Run<NoCapabilitiesAddedBeyondDefault>(snapshot));
        Assert.Equal("Deployment", finding.ResourceType);
    }

    [Fact]
    public void Windows_pods_are_not_judged_and_system_workloads_are_not_special_cased()
    {
        var windows = Spec(Container("app"));
        windows.Os = new V1PodOS { Name = "windows" };
        var snapshot = Snapshot(
            BarePod("win", "shop", windows),
            DaemonSet("aws-node", "kube-system", Spec(Container("aws-node", securityContext: Caps(add: ["NET_ADMIN"])))));
        var finding = Assert.Single(TestSnapshots.Run<NoCapabilitiesAddedBeyondDefault>(snapshot));
        // The rule itself fails it; the runner's default exclusion turns it into Suppressed.
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("aws-node", finding.ResourceName);
        var suppressed = Assert.Single(RuleRunner.Suppress([finding], DefaultExclusions.All));
        Assert.Equal(FindingStatus.Suppressed, suppressed.Status);
    }

    [Fact]
    public void Allowed_set_is_configurable()
    {
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("app", securityContext: Caps(add: ["NET_RAW"])))));
        var settings = new RuleSettings { AllowedAddedCapabilities = ["NET_RAW"] };
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<NoCapabilitiesAddedBeyondDefault>(snapshot, settings)).Status);
    }

    [Fact]
    public void Denied_pods_is_an_error_and_no_pods_is_not_applicable()
    {
        var denied = TestSnapshots.Empty().With(s => s.Kubernetes.Pods = Section<V1Pod>.Denied("list pods"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NoCapabilitiesAddedBeyondDefault>(denied)).Status);
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<NoCapabilitiesAddedBeyondDefault>(TestSnapshots.Empty())).Status);
    }
}
