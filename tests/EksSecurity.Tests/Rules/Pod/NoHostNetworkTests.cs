using EksSecurity.Engine.Rules.Pod;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class NoHostNetworkTests
{
    [Fact]
    public void HostNetwork_pod_fails_and_says_it_reaches_imds()
    {
        var finding = OnPod<NoHostNetwork>(Spec(C()).With(s => s.HostNetwork = true));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-007", finding.RuleId);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("spec.hostNetwork = true", finding.Evidence);
        Assert.Contains(finding.Evidence, e => e.Contains("169.254.169.254"));
    }

    [Fact]
    public void Pod_network_passes_without_the_imds_note()
    {
        var finding = OnPod<NoHostNetwork>(Spec(C()));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(["spec.hostNetwork = (unset)"], finding.Evidence);
    }
}
