using EksSecurity.Engine.Rules.Pod;
using k8s.Models;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class ContainersRunAsNonRootTests
{
    [Fact]
    public void Nothing_set_fails_as_not_prevented()
    {
        var finding = OnPod<ContainersRunAsNonRoot>(Spec(C("app")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-009", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("does not prevent containers[app] from running as root", finding.Message);
        Assert.Contains(finding.Evidence, e => e.StartsWith("spec.containers[app]: may run as root", StringComparison.Ordinal));
    }

    [Fact]
    public void Pod_level_non_root_is_inherited()
    {
        var spec = Spec(C("app"), C("sidecar")).With(s => s.SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true });
        var finding = OnPod<ContainersRunAsNonRoot>(spec);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("spec.containers[app]: runAsNonRoot = true (pod securityContext), runAsUser = (unset), runAsGroup = (unset)", finding.Evidence);
    }

    [Fact]
    public void Container_run_as_user_zero_overrides_a_non_root_pod()
    {
        var spec = Spec(C("app"), C("shell", new V1SecurityContext { RunAsUser = 0 }))
            .With(s => s.SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 1000 });
        var finding = OnPod<ContainersRunAsNonRoot>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("runs containers[shell] as root", finding.Message);
        Assert.DoesNotContain("containers[app]", finding.Message);
        var line = Assert.Single(finding.Evidence);
        Assert.Contains("runAsUser = 0 (container)", line);
        Assert.Contains("runAsNonRoot = true (pod securityContext)", line);
    }

    [Fact]
    public void Pod_run_as_user_zero_fails_every_container_that_does_not_override_it()
    {
        var spec = Spec(C("app"), C("ok", new V1SecurityContext { RunAsUser = 10001 }))
            .With(s => { s.SecurityContext = new V1PodSecurityContext { RunAsUser = 0 }; s.InitContainers = [C("init")]; });
        var finding = OnPod<ContainersRunAsNonRoot>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("runs initContainers[init], containers[app] as root", finding.Message);
        Assert.DoesNotContain("containers[ok]", finding.Message);
    }

    [Fact]
    public void Container_non_root_overrides_a_pod_that_allows_root()
    {
        var spec = Spec(C("app", new V1SecurityContext { RunAsNonRoot = true }))
            .With(s => s.SecurityContext = new V1PodSecurityContext { RunAsNonRoot = false });
        var finding = OnPod<ContainersRunAsNonRoot>(spec);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("runAsNonRoot = true (container)", Evidence(finding));
    }

    [Fact]
    public void Non_zero_run_as_user_passes_without_run_as_non_root()
    {
        var finding = OnPod<ContainersRunAsNonRoot>(Spec(C("app", new V1SecurityContext { RunAsUser = 65534, RunAsGroup = 0 })));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("runAsGroup = 0 (container)", Evidence(finding));
    }

    [Fact]
    public void Run_as_non_root_with_user_zero_still_fails()
    {
        var finding = OnPod<ContainersRunAsNonRoot>(Spec(C("app", new V1SecurityContext { RunAsNonRoot = true, RunAsUser = 0 })));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("runs containers[app] as root", finding.Message);
    }

    [Fact]
    public void Ephemeral_containers_inherit_the_pod_setting_too()
    {
        var spec = Spec(C("app", new V1SecurityContext { RunAsUser = 1000 })).With(s => s.EphemeralContainers = [E("debug")]);
        var finding = OnPod<ContainersRunAsNonRoot>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("ephemeralContainers[debug]", finding.Message);
    }
}
