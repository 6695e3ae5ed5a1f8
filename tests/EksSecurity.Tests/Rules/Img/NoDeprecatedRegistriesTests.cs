using EksSecurity.Engine.Rules.Img;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Img;

public class NoDeprecatedRegistriesTests
{
    [Fact]
    public void K8s_gcr_io_fails_and_names_the_replacement()
    {
        var snapshot = Snapshot(Deployment("metrics-server", "monitoring", Spec(Container("metrics-server", image: "k8s.gcr.io/metrics-server/metrics-server:v0.6.1"))));
        var finding = Assert.Single(TestSnapshots.Run<NoDeprecatedRegistries>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-IMG-009", finding.RuleId);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Contains(finding.Evidence, e => e.Contains("use registry.k8s.io/metrics-server/metrics-server"));
    }

    [Fact]
    public void Registry_k8s_io_and_others_pass()
    {
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("a", image: "registry.k8s.io/pause:3.9"), Container("b", image: "nginx"))));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<NoDeprecatedRegistries>(snapshot)).Status);
    }

    [Fact]
    public void Init_containers_and_case_of_the_host_are_handled()
    {
        var spec = Spec(Container("app")).WithInit(Container("wait", image: "K8S.GCR.IO/pause:3.2"));
        var finding = Assert.Single(TestSnapshots.Run<NoDeprecatedRegistries>(Snapshot(BarePod("p", "shop", spec))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("initContainers[wait]", StringComparison.Ordinal));
    }
}
