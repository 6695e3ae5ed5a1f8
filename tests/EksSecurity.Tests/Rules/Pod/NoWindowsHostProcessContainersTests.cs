using EksSecurity.Engine.Rules.Pod;
using k8s.Models;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class NoWindowsHostProcessContainersTests
{
    private static V1SecurityContext HostProcess(bool? value) => new() { WindowsOptions = new V1WindowsSecurityContextOptions { HostProcess = value } };

    [Fact]
    public void Pod_level_host_process_fails()
    {
        var spec = Spec(C("agent")).With(s =>
        {
            s.HostNetwork = true;
            s.SecurityContext = new V1PodSecurityContext { WindowsOptions = new V1WindowsSecurityContextOptions { HostProcess = true, RunAsUserName = "NT AUTHORITY\\SYSTEM" } };
        });
        var finding = OnPod<NoWindowsHostProcessContainers>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-016", finding.RuleId);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("pod-level setting", finding.Message);
        Assert.Equal(["spec.securityContext.windowsOptions.hostProcess = true"], finding.Evidence);
    }

    [Fact]
    public void Container_level_host_process_fails_init_included()
    {
        var spec = Spec(C("app")).With(s => s.InitContainers = [C("setup", HostProcess(true))]);
        var finding = OnPod<NoWindowsHostProcessContainers>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("initContainers[setup]", finding.Message);
        Assert.Equal(["spec.initContainers[setup].securityContext.windowsOptions.hostProcess = true"], finding.Evidence);
    }

    [Fact]
    public void Unset_or_false_passes()
    {
        var finding = OnPod<NoWindowsHostProcessContainers>(Spec(C("app", HostProcess(false)), C("other")));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("spec.containers[app].securityContext.windowsOptions.hostProcess = false", finding.Evidence);
        Assert.Contains("spec.securityContext.windowsOptions.hostProcess = (unset)", finding.Evidence);
    }
}
