using EksSecurity.Engine.Rules.Runtime;
using k8s.Models;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Runtime;

public class SeccompProfileConfinedTests
{
    private static V1SecurityContext Seccomp(string type) => new() { SeccompProfile = new V1SeccompProfile { Type = type } };

    private static V1PodSpec PodLevel(string type, params V1Container[] containers)
    {
        var spec = Spec(containers);
        spec.SecurityContext = new V1PodSecurityContext { SeccompProfile = new V1SeccompProfile { Type = type } };
        return spec;
    }

    [Fact]
    public void Unset_at_both_levels_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<SeccompProfileConfined>(Snapshot(Deployment("api", "shop", Spec(Container("app"))))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-RUNTIME-004", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains(finding.Evidence, e => e.StartsWith("containers[app]: seccompProfile unset", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("RuntimeDefault")]
    [InlineData("Localhost")]
    public void Pod_level_profile_is_inherited(string type)
    {
        var finding = Assert.Single(TestSnapshots.Run<SeccompProfileConfined>(Snapshot(Deployment("api", "shop", PodLevel(type, Container("app"))))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e == $"containers[app]: inherits spec.template.spec.securityContext.seccompProfile.type = {type}");
    }

    [Fact]
    public void Container_unconfined_overrides_the_pod()
    {
        var spec = PodLevel("RuntimeDefault", Container("app"), Container("sidecar", securityContext: Seccomp("Unconfined")));
        var finding = Assert.Single(TestSnapshots.Run<SeccompProfileConfined>(Snapshot(BarePod("p", "shop", spec))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("1 of 2", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "containers[sidecar].securityContext.seccompProfile.type = Unconfined (no system call filtering)");
    }

    [Fact]
    public void Container_profile_overrides_an_unconfined_pod()
    {
        var spec = PodLevel("Unconfined", Container("app", securityContext: Seccomp("RuntimeDefault")));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<SeccompProfileConfined>(Snapshot(BarePod("p", "shop", spec)))).Status);
    }

    [Fact]
    public void Ephemeral_container_inherits_and_can_override()
    {
        var spec = PodLevel("RuntimeDefault", Container("app")).WithEphemeral(Ephemeral("debugger", securityContext: Seccomp("Unconfined")));
        var finding = Assert.Single(TestSnapshots.Run<SeccompProfileConfined>(Snapshot(BarePod("p", "shop", spec))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("ephemeralContainers[debugger]", StringComparison.Ordinal));
    }

    [Fact]
    public void Legacy_unconfined_annotation_fails()
    {
        var annotations = new Dictionary<string, string> { ["container.seccomp.security.alpha.kubernetes.io/app"] = "unconfined" };
        var finding = Assert.Single(TestSnapshots.Run<SeccompProfileConfined>(Snapshot(BarePod("p", "shop", Spec(Container("app")), annotations))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("legacy annotation container.seccomp.security.alpha.kubernetes.io/app = unconfined"));
    }

    [Fact]
    public void Legacy_runtime_default_annotation_counts_only_before_1_27()
    {
        var annotations = new Dictionary<string, string> { ["seccomp.security.alpha.kubernetes.io/pod"] = "runtime/default" };
        var snapshot = Snapshot(Deployment("api", "shop", Spec(Container("app")), annotations));

        // The test cluster runs 1.33: the annotation does nothing there.
        var modern = Assert.Single(TestSnapshots.Run<SeccompProfileConfined>(snapshot));
        Assert.Equal(FindingStatus.Fail, modern.Status);
        Assert.Contains(modern.Evidence, e => e.Contains("ignored on Kubernetes 1.33"));

        snapshot.Cluster().Version = "1.26";
        var old = Assert.Single(TestSnapshots.Run<SeccompProfileConfined>(snapshot));
        Assert.Equal(FindingStatus.Pass, old.Status);
        Assert.Contains(old.Evidence, e => e.Contains("still honoured on Kubernetes 1.26"));
    }

    [Fact]
    public void Field_wins_over_a_legacy_annotation()
    {
        var annotations = new Dictionary<string, string> { ["seccomp.security.alpha.kubernetes.io/pod"] = "unconfined" };
        var snapshot = Snapshot(BarePod("p", "shop", PodLevel("RuntimeDefault", Container("app")), annotations));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<SeccompProfileConfined>(snapshot)).Status);
    }

    [Fact]
    public void Windows_pods_are_not_judged()
    {
        var spec = Spec(Container("app"));
        spec.Os = new V1PodOS { Name = "windows" };
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<SeccompProfileConfined>(Snapshot(BarePod("win", "shop", spec)))).Status);
    }
}
