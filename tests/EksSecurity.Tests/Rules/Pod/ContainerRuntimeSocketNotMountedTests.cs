using EksSecurity.Engine.Rules.Pod;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class ContainerRuntimeSocketNotMountedTests
{
    private static EksSecurityFinding Judge(string path) =>
        OnPod<ContainerRuntimeSocketNotMounted>(Spec(C("agent", mounts: [Mount("sock", "/sock")])).With(s => s.Volumes = [HostPath("sock", path)]));

    [Theory]
    [InlineData("/run/containerd/containerd.sock")]          // the EKS containerd socket (HardenEKS misses it)
    [InlineData("/var/run/containerd/containerd.sock")]
    [InlineData("/var/run/docker.sock")]
    [InlineData("/run/docker.sock")]
    [InlineData("/var/run/crio/crio.sock")]
    [InlineData("/run/dockershim.sock")]
    [InlineData("/run/host-containerd/containerd.sock")]
    public void Runtime_sockets_fail(string path)
    {
        var finding = Judge(path);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-013", finding.RuleId);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Contains($"spec.volumes[sock].hostPath.path = {path}: is the socket of", Evidence(finding));
        Assert.Contains("mounted by containers[agent]", Evidence(finding));
    }

    [Theory]
    [InlineData("/run/containerd/containerd.sock/", "/run/containerd/containerd.sock")]
    [InlineData("//var//run//docker.sock", "/var/run/docker.sock")]
    [InlineData("/var/lib/../run/containerd/./containerd.sock", "/var/run/containerd/containerd.sock")]
    [InlineData("/../run/docker.sock", "/run/docker.sock")]
    public void Paths_are_normalised_before_matching(string raw, string normalized)
    {
        var finding = Judge(raw);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains($"= {raw} (normalised: {normalized}): is the socket of", Evidence(finding));
    }

    [Theory]
    [InlineData("/run")]
    [InlineData("/run/")]
    [InlineData("/var/run")]
    [InlineData("/var/run/containerd/")]
    [InlineData("/run/containerd")]
    [InlineData("/run/crio")]
    [InlineData("/")]
    public void Parent_directories_fail(string path)
    {
        var finding = Judge(path);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("is a directory above", Evidence(finding));
    }

    [Theory]
    [InlineData(@"\\.\pipe\containerd-containerd")]
    [InlineData(@"\\.\pipe\docker_engine")]
    [InlineData("//./pipe/containerd-containerd")]
    public void Windows_runtime_pipes_fail(string path)
    {
        var finding = Judge(path);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("named pipe", Evidence(finding));
    }

    [Theory]
    [InlineData("/var/run/containerd.sock")]   // HardenEKS's path: not where EKS puts it, but not a socket either
    [InlineData("/var/log")]
    [InlineData("/var")]                      // /var/run inside it is a symlink resolved in the container
    [InlineData("/run/containerd-other")]
    [InlineData("/var/lib/containerd")]
    public void Other_paths_pass(string path)
    {
        var finding = Judge(path);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("no runtime socket", Evidence(finding));
    }

    [Fact]
    public void Socket_mounted_by_a_daemonset_template_fails_once()
    {
        var spec = Spec(C("agent", mounts: [Mount("sock", "/run/containerd/containerd.sock")])).With(s => s.Volumes = [HostPath("sock", "/run/containerd/containerd.sock")]);
        var finding = One<ContainerRuntimeSocketNotMounted>(Cluster(DaemonSet("falco", spec, ns: "security")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("DaemonSet", finding.ResourceType);
        Assert.StartsWith("spec.template.spec.volumes[sock].hostPath.path", finding.Evidence[0]);
    }

    [Fact]
    public void No_hostPath_passes()
    {
        var finding = OnPod<ContainerRuntimeSocketNotMounted>(Spec(C("app")));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(["spec.volumes: no hostPath volume"], finding.Evidence);
    }
}
