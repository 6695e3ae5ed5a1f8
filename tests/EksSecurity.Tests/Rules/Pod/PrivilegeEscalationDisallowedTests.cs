using EksSecurity.Engine.Rules.Pod;
using k8s.Models;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class PrivilegeEscalationDisallowedTests
{
    private static V1SecurityContext Ape(bool? value) => new() { AllowPrivilegeEscalation = value };

    [Fact]
    public void Explicit_true_fails_and_is_recorded_as_explicit()
    {
        var finding = OnPod<PrivilegeEscalationDisallowed>(Spec(C("app", Ape(true))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-008", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("spec.containers[app].securityContext.allowPrivilegeEscalation = true (explicit)", finding.Evidence);
        Assert.Contains("explicitly true on containers[app]", finding.Message);
        Assert.Contains(finding.Evidence, e => e.StartsWith("modes: 1 explicit true", StringComparison.Ordinal) && e.Contains("0 unset"));
    }

    [Fact]
    public void Unset_fails_because_the_default_is_true_and_is_recorded_as_unset()
    {
        var finding = OnPod<PrivilegeEscalationDisallowed>(Spec(C("app")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("spec.containers[app].securityContext.allowPrivilegeEscalation is unset (Kubernetes defaults it to true)", finding.Evidence);
        Assert.Contains("unset (defaults to true) on containers[app]", finding.Message);
        Assert.DoesNotContain("explicitly", finding.Message);
        Assert.Contains(finding.Evidence, e => e.StartsWith("modes: 0 explicit true", StringComparison.Ordinal) && e.Contains("1 unset"));
    }

    [Fact]
    public void Both_modes_in_one_pod_are_told_apart_and_init_and_ephemeral_containers_count()
    {
        var spec = Spec(C("app", Ape(false)))
            .With(s => { s.InitContainers = [C("setup", Ape(true))]; s.EphemeralContainers = [E("debug")]; });
        var finding = OnPod<PrivilegeEscalationDisallowed>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("explicitly true on initContainers[setup]", finding.Message);
        Assert.Contains("unset (defaults to true) on ephemeralContainers[debug]", finding.Message);
        Assert.DoesNotContain(finding.Evidence, e => e.StartsWith("spec.containers[app]", StringComparison.Ordinal));
    }

    [Fact]
    public void Explicit_false_everywhere_passes()
    {
        var spec = Spec(C("app", Ape(false))).With(s => s.InitContainers = [C("setup", Ape(false))]);
        var finding = OnPod<PrivilegeEscalationDisallowed>(spec);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(
            ["spec.initContainers[setup].securityContext.allowPrivilegeEscalation = false", "spec.containers[app].securityContext.allowPrivilegeEscalation = false"],
            finding.Evidence);
    }

    [Fact]
    public void Windows_pods_are_not_applicable()
    {
        var finding = OnPod<PrivilegeEscalationDisallowed>(Spec(C("app")).With(s => s.Os = new V1PodOS { Name = "windows" }));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
        Assert.Equal(["spec.os.name = windows"], finding.Evidence);
    }
}
