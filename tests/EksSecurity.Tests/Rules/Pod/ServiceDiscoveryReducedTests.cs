using EksSecurity.Engine.Rules.Pod;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class ServiceDiscoveryReducedTests
{
    [Fact]
    public void Default_service_links_warn_at_informational_severity()
    {
        var finding = OnPod<ServiceDiscoveryReduced>(Spec(C()));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal("EKS-POD-019", finding.RuleId);
        Assert.Equal(Severity.Informational, finding.Severity);
        Assert.Contains("spec.enableServiceLinks = (unset; Kubernetes defaults it to true)", finding.Evidence);
        Assert.Contains("spec.dnsPolicy = (unset; ClusterFirst) (recorded, not judged)", finding.Evidence);
    }

    [Fact]
    public void Explicit_true_warns()
    {
        var finding = OnPod<ServiceDiscoveryReduced>(Spec(C()).With(s => s.EnableServiceLinks = true));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("spec.enableServiceLinks = true", finding.Evidence);
    }

    [Fact]
    public void Disabled_service_links_pass_whatever_the_dns_policy()
    {
        var finding = OnPod<ServiceDiscoveryReduced>(Spec(C()).With(s => { s.EnableServiceLinks = false; s.DnsPolicy = "ClusterFirst"; }));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("spec.dnsPolicy = ClusterFirst (recorded, not judged)", finding.Evidence);
    }
}
