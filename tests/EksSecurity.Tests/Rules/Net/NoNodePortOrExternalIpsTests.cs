using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Net.NetworkFixtures;

namespace EksSecurity.Tests.Rules.Net;

public class NoNodePortOrExternalIpsTests
{
    private static EksSecurityFinding Run(V1Service service, Action<ClusterSnapshot>? change = null)
    {
        var snapshot = TestSnapshots.Empty().Add(k => k.Services, service);
        change?.Invoke(snapshot);
        return Assert.Single(TestSnapshots.Run<NoNodePortOrExternalIps>(snapshot));
    }

    private static V1Service WithExternalIps(string type = "ClusterIP")
    {
        var service = Service("shop", "web", type);
        service.Spec.ExternalIPs = ["203.0.113.10"];
        return service;
    }

    [Fact]
    public void NodePort_warns()
    {
        var service = Service("shop", "web", "NodePort");
        service.Spec.Ports[0].NodePort = 30443;
        var finding = Run(service);
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal("EKS-NET-015", finding.RuleId);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Contains(finding.Evidence, e => e.Contains("30443->443"));
    }

    [Fact]
    public void External_ips_without_a_guard_fail()
    {
        var finding = Run(WithExternalIps());
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("CVE-2020-8554", finding.Message);
    }

    [Fact]
    public void External_ips_with_a_guard_warn()
    {
        var guard = new V1ValidatingWebhookConfiguration
        {
            Metadata = TestSnapshots.Meta("externalip-validation-webhook-configuration"),
            Webhooks = [new V1ValidatingWebhook { Name = "validate-externalip.webhook.svc" }],
        };
        var finding = Run(WithExternalIps(), s => s.Add(k => k.ValidatingWebhookConfigurations, guard));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("externalip-validation-webhook-configuration"));
    }

    [Fact]
    public void Unknown_webhooks_keep_it_failing()
    {
        var finding = Run(WithExternalIps("LoadBalancer"), s => s.With(x => x.Kubernetes.ValidatingWebhookConfigurations = Section<V1ValidatingWebhookConfiguration>.Denied("list validatingwebhookconfigurations")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("could not be looked for"));
    }

    [Fact]
    public void ClusterIP_and_LoadBalancer_pass()
    {
        Assert.Equal(FindingStatus.Pass, Run(Service("shop", "web", "ClusterIP")).Status);
        Assert.Equal(FindingStatus.Pass, Run(Service("shop", "web", "LoadBalancer")).Status);
        // A Service without spec.type is a ClusterIP Service.
        Assert.Equal(FindingStatus.Pass, Run(new V1Service { Metadata = TestSnapshots.Meta("plain", "shop"), Spec = new V1ServiceSpec() }).Status);
    }

    [Fact]
    public void Denied_services_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Services = Section<V1Service>.Failed("timeout"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NoNodePortOrExternalIps>(snapshot)).Status);
    }
}
