using EksSecurity.Engine.Rules.Pod;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class NoHostIpcTests
{
    [Fact]
    public void HostIpc_deployment_fails()
    {
        var finding = One<NoHostIpc>(Cluster(Deployment("shm", Spec(C()).With(s => s.HostIPC = true))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-006", finding.RuleId);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("Deployment", finding.ResourceType);
        Assert.Equal(["spec.template.spec.hostIPC = true"], finding.Evidence);
    }

    [Fact]
    public void Other_host_namespaces_do_not_count()
    {
        var finding = OnPod<NoHostIpc>(Spec(C()).With(s => { s.HostPID = true; s.HostNetwork = true; s.HostIPC = false; }));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(["spec.hostIPC = false"], finding.Evidence);
    }
}
