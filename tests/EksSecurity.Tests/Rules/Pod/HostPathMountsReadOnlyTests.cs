using EksSecurity.Engine.Rules.Pod;
using k8s.Models;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class HostPathMountsReadOnlyTests
{
    [Fact]
    public void Read_write_mount_in_an_init_container_fails_even_when_the_main_container_is_read_only()
    {
        var spec = Spec(C("app", mounts: [Mount("logs", "/logs", readOnly: true)]))
            .With(s => { s.Volumes = [HostPath("logs", "/var/log")]; s.InitContainers = [C("chown", mounts: [Mount("logs", "/logs")])]; });
        var finding = OnPod<HostPathMountsReadOnly>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-012", finding.RuleId);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("initContainers[chown]", finding.Message);
        Assert.DoesNotContain("containers[app]", finding.Message.Replace("initContainers", ""));
        Assert.Equal(["spec.initContainers[chown].volumeMounts[/logs]: hostPath /var/log (volume logs) readOnly = (unset): read-write"], finding.Evidence);
    }

    [Fact]
    public void Explicit_read_only_false_from_an_ephemeral_container_fails()
    {
        var spec = Spec(C("app")).With(s => { s.Volumes = [HostPath("host", "/etc")]; s.EphemeralContainers = [E("debug", mounts: [Mount("host", "/host", readOnly: false)])]; });
        var finding = OnPod<HostPathMountsReadOnly>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("readOnly = false: read-write", Evidence(finding));
    }

    [Fact]
    public void Read_only_mounts_pass()
    {
        var spec = Spec(C("app", mounts: [Mount("logs", "/logs", readOnly: true), Mount("tmp", "/tmp")]))
            .With(s => s.Volumes = [HostPath("logs", "/var/log"), new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }]);
        var finding = OnPod<HostPathMountsReadOnly>(spec);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(["spec.containers[app].volumeMounts[/logs]: hostPath /var/log (volume logs) readOnly = true"], finding.Evidence);
    }

    [Fact]
    public void No_hostPath_or_an_unmounted_one_passes()
    {
        var none = OnPod<HostPathMountsReadOnly>(Spec(C("app")));
        Assert.Equal(FindingStatus.Pass, none.Status);
        Assert.Equal(["spec.volumes: no hostPath volume"], none.Evidence);

        var unmounted = OnPod<HostPathMountsReadOnly>(Spec(C("app")).With(s => s.Volumes = [HostPath("logs", "/var/log")]));
        Assert.Equal(FindingStatus.Pass, unmounted.Status);
        Assert.Contains("mounted by no container", Evidence(unmounted));
    }
}
