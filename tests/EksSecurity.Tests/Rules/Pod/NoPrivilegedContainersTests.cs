using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Pod;
using k8s.Models;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class NoPrivilegedContainersTests
{
    private static readonly V1SecurityContext Privileged = new() { Privileged = true };

    [Fact]
    public void Privileged_init_container_fails_naming_its_path()
    {
        var spec = Spec(C("app")).With(s => s.InitContainers = [C("setup", Privileged)]);
        var finding = OnPod<NoPrivilegedContainers>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-004", finding.RuleId);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("Pod", finding.ResourceType);
        Assert.Equal("app", finding.Namespace);
        Assert.Equal("web", finding.ResourceName);
        Assert.Contains("initContainers[setup]", finding.Message);
        Assert.Equal(["spec.initContainers[setup].securityContext.privileged = true"], finding.Evidence);
    }

    [Fact]
    public void Privileged_ephemeral_container_fails()
    {
        var spec = Spec(C("app", new V1SecurityContext { Privileged = false })).With(s => s.EphemeralContainers = [E("debugger", Privileged)]);
        var finding = OnPod<NoPrivilegedContainers>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("ephemeralContainers[debugger]", finding.Message);
        Assert.DoesNotContain("containers[app]", finding.Message.Replace("ephemeralContainers", ""));
    }

    [Fact]
    public void Deployment_template_is_judged_once_not_its_replica_set_or_pods()
    {
        var spec = Spec(C("app", Privileged));
        var snapshot = Cluster(
            Deployment("api", spec),
            ReplicaSet("api-5d8f", spec, "api"),
            BarePod("api-5d8f-abcde", spec, ownerKind: "ReplicaSet", ownerName: "api-5d8f"),
            BarePod("api-5d8f-fghij", spec, ownerKind: "ReplicaSet", ownerName: "api-5d8f"));
        var finding = One<NoPrivilegedContainers>(snapshot);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("Deployment", finding.ResourceType);
        Assert.Equal("api", finding.ResourceName);
        Assert.Equal(["spec.template.spec.containers[app].securityContext.privileged = true"], finding.Evidence);
    }

    [Fact]
    public void Unprivileged_containers_pass_with_what_was_checked()
    {
        var spec = Spec(C("app", new V1SecurityContext { Privileged = false }), C("sidecar"));
        var finding = OnPod<NoPrivilegedContainers>(spec);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(
            ["spec.containers[app].securityContext.privileged = false", "spec.containers[sidecar].securityContext.privileged = (unset)"],
            finding.Evidence);
    }

    [Fact]
    public void System_daemonset_fails_in_the_rule_and_is_suppressed_by_the_default_exclusions()
    {
        var snapshot = Cluster(DaemonSet("aws-node", Spec(C("aws-node", Privileged))), DaemonSet("rogue-agent", Spec(C("agent", Privileged))));
        var raw = TestSnapshots.Run<NoPrivilegedContainers>(snapshot);
        Assert.All(raw, f => Assert.Equal(FindingStatus.Fail, f.Status));
        var suppressed = RuleRunner.Suppress(raw, DefaultExclusions.All);
        Assert.Equal(FindingStatus.Suppressed, suppressed.Single(f => f.ResourceName == "aws-node").Status);
        Assert.Equal(FindingStatus.Fail, suppressed.Single(f => f.ResourceName == "rogue-agent").Status);
    }
}
