using EksSecurity.Engine.Rules.Pod;
using k8s.Models;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class ReadOnlyRootFilesystemTests
{
    private static V1SecurityContext Ro(bool? value) => new() { ReadOnlyRootFilesystem = value };

    [Fact]
    public void Writable_or_unset_root_fails_per_container()
    {
        var spec = Spec(C("app", Ro(true)), C("sidecar", Ro(false))).With(s => s.InitContainers = [C("migrate")]);
        var finding = OnPod<ReadOnlyRootFilesystem>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-010", finding.RuleId);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Contains("2 container(s)", finding.Message);
        Assert.Equal(
            ["spec.initContainers[migrate].securityContext.readOnlyRootFilesystem = (unset)", "spec.containers[sidecar].securityContext.readOnlyRootFilesystem = false"],
            finding.Evidence);
    }

    [Fact]
    public void Read_only_everywhere_passes_ephemeral_included()
    {
        var spec = Spec(C("app", Ro(true))).With(s => s.EphemeralContainers = [E("debug", Ro(true))]);
        var finding = OnPod<ReadOnlyRootFilesystem>(spec);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("spec.ephemeralContainers[debug].securityContext.readOnlyRootFilesystem = true", finding.Evidence);
    }

    [Fact]
    public void Writable_ephemeral_container_fails()
    {
        var spec = Spec(C("app", Ro(true))).With(s => s.EphemeralContainers = [E("debug")]);
        Assert.Equal(FindingStatus.Fail, OnPod<ReadOnlyRootFilesystem>(spec).Status);
    }

    [Fact]
    public void Windows_pods_are_not_applicable()
    {
        var finding = OnPod<ReadOnlyRootFilesystem>(Spec(C("iis")).With(s => s.Os = new V1PodOS { Name = "windows" }));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
    }
}
