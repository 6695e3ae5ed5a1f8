using EksSecurity.Engine.Rules.Pod;
using k8s.Models;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class HostPathVolumesMinimizedTests
{
    [Fact]
    public void HostPath_volume_fails_naming_path_type_and_mounts()
    {
        var logs = HostPath("logs", "/var/log");
        logs.HostPath.Type = "Directory";
        var spec = Spec(C("app", mounts: [Mount("logs", "/host/log", readOnly: true)])).With(s => s.Volumes = [logs, new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }]);
        var finding = OnPod<HostPathVolumesMinimized>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-011", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("volumes[logs]", finding.Message);
        Assert.Equal(["spec.volumes[logs].hostPath.path = /var/log (type Directory); mounted by containers[app]"], finding.Evidence);
    }

    [Fact]
    public void Unmounted_hostPath_volume_still_fails()
    {
        var spec = Spec(C("app")).With(s => s.Volumes = [HostPath("root", "/")]);
        var finding = OnPod<HostPathVolumesMinimized>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("not mounted by any container", Evidence(finding));
    }

    [Fact]
    public void Other_volume_types_pass()
    {
        var spec = Spec(C("app")).With(s => s.Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }]);
        var finding = OnPod<HostPathVolumesMinimized>(spec);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(["spec.volumes: no hostPath volume among 1 volume(s)"], finding.Evidence);
    }
}
