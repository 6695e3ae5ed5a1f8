using EksSecurity.Engine.Rules.Pod;
using k8s.Models;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class NoHostPortsTests
{
    [Fact]
    public void Host_port_fails_naming_the_port()
    {
        var spec = Spec(C("web", ports: [new V1ContainerPort { Name = "http", ContainerPort = 80, HostPort = 8080 }, new V1ContainerPort { ContainerPort = 9090 }]));
        var finding = OnPod<NoHostPorts>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-014", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("containers[web]", finding.Message);
        Assert.Equal(["spec.containers[web].ports[http].hostPort = 8080 (containerPort 80/TCP)"], finding.Evidence);
    }

    [Fact]
    public void Unnamed_port_of_an_init_container_is_named_by_index()
    {
        var spec = Spec(C("web")).With(s => s.InitContainers = [C("probe", ports: [new V1ContainerPort { ContainerPort = 53, Protocol = "UDP" }, new V1ContainerPort { ContainerPort = 54, HostPort = 54, Protocol = "UDP" }])]);
        var finding = OnPod<NoHostPorts>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(["spec.initContainers[probe].ports[1].hostPort = 54 (containerPort 54/UDP)"], finding.Evidence);
    }

    [Fact]
    public void Zero_host_port_is_unset()
    {
        var finding = OnPod<NoHostPorts>(Spec(C("web", ports: [new V1ContainerPort { ContainerPort = 80, HostPort = 0 }])));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(["spec: no hostPort among 1 container port(s)"], finding.Evidence);
    }

    [Fact]
    public void Host_network_pods_say_why_host_ports_appeared()
    {
        var spec = Spec(C("agent", ports: [new V1ContainerPort { ContainerPort = 61678, HostPort = 61678 }])).With(s => s.HostNetwork = true);
        var finding = OnPod<NoHostPorts>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("hostNetwork = true") && e.Contains("EKS-POD-007"));
    }
}
