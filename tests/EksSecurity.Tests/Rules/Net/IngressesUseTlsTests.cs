using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Net.NetworkFixtures;

namespace EksSecurity.Tests.Rules.Net;

public class IngressesUseTlsTests
{
    private const string Cert = "arn:aws:acm:eu-west-1:111122223333:certificate/0f6c8e8a-1111-2222-3333-444455556666";

    private static EksSecurityFinding Run(V1Ingress ingress, RuleSettings? settings = null) =>
        Assert.Single(TestSnapshots.Run<IngressesUseTls>(TestSnapshots.Empty().Add(k => k.Ingresses, ingress), settings));

    private static List<V1IngressTLS> Tls(params string[] hosts) => [new V1IngressTLS { Hosts = hosts.ToList(), SecretName = "tls" }];

    [Fact]
    public void Alb_without_certificate_is_http_only()
    {
        var finding = Run(Ingress("shop", "web", "alb", null, null, "shop.example.com"));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-NET-013", finding.RuleId);
        Assert.Equal("Ingress", finding.ResourceType);
        Assert.Contains(finding.Evidence, e => e.Contains("HTTP:80"));
    }

    [Fact]
    public void Alb_spec_tls_alone_opens_no_https_listener()
    {
        var finding = Run(Ingress("shop", "web", "alb", null, Tls("shop.example.com"), "shop.example.com"));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("spec.tls is set, but the ALB opens an HTTPS listener only"));
    }

    [Fact]
    public void Alb_with_certificate_defaults_to_https_only()
    {
        var finding = Run(Ingress("shop", "web", "alb", Annotations((AwsLoadBalancers.AlbCertificateArn, Cert)), null, "shop.example.com"));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("HTTPS:443"));
    }

    [Fact]
    public void Alb_http_and_https_needs_a_redirect()
    {
        var both = Annotations((AwsLoadBalancers.AlbCertificateArn, Cert), (AwsLoadBalancers.AlbListenPorts, "[{\"HTTP\": 80}, {\"HTTPS\": 443}]"));
        Assert.Equal(FindingStatus.Warning, Run(Ingress("shop", "web", "alb", both, null, "shop.example.com")).Status);
        both[AwsLoadBalancers.AlbSslRedirect] = "443";
        var finding = Run(Ingress("shop", "web", "alb", both, null, "shop.example.com"));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("redirected", finding.Message);
    }

    [Fact]
    public void Alb_https_with_discovered_certificate_passes()
    {
        var annotations = Annotations((AwsLoadBalancers.AlbListenPorts, "[{\"HTTPS\": 443}]"));
        var finding = Run(Ingress("shop", "web", null, annotations, Tls("shop.example.com"), "shop.example.com"));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("discovered from ACM"));
    }

    [Fact]
    public void Alb_https_without_any_certificate_source_warns()
    {
        var annotations = Annotations((AwsLoadBalancers.AlbListenPorts, "[{\"HTTPS\": 443}]"));
        Assert.Equal(FindingStatus.Warning, Run(Ingress("shop", "web", "alb", annotations)).Status);
    }

    [Fact]
    public void Unreadable_listen_ports_warns()
    {
        var annotations = Annotations((AwsLoadBalancers.AlbListenPorts, "HTTPS:443"));
        Assert.Equal(FindingStatus.Warning, Run(Ingress("shop", "web", "alb", annotations)).Status);
    }

    [Fact]
    public void Other_controllers_need_spec_tls_for_their_hosts()
    {
        Assert.Equal(FindingStatus.Fail, Run(Ingress("shop", "web", "nginx", null, null, "shop.example.com")).Status);
        Assert.Equal(FindingStatus.Pass, Run(Ingress("shop", "web", "nginx", null, Tls("*.example.com"), "shop.example.com")).Status);
        var partial = Run(Ingress("shop", "web", "nginx", null, Tls("shop.example.com"), "shop.example.com", "admin.example.org"));
        Assert.Equal(FindingStatus.Warning, partial.Status);
        Assert.Contains("admin.example.org", partial.Message);
    }

    [Fact]
    public void Nginx_redirect_turned_off_warns()
    {
        var ingress = Ingress("shop", "web", "nginx", Annotations(("nginx.ingress.kubernetes.io/ssl-redirect", "false")), Tls("shop.example.com"), "shop.example.com");
        Assert.Equal(FindingStatus.Warning, Run(ingress).Status);
    }

    [Fact]
    public void Class_behind_a_tls_load_balancer_passes_by_setting()
    {
        var ingress = Ingress("shop", "web", "nginx-internal", null, null, "shop.example.com");
        Assert.Equal(FindingStatus.Fail, Run(ingress).Status);
        Assert.Equal(FindingStatus.Pass, Run(ingress, new RuleSettings { TlsTerminatingIngressClasses = ["nginx-internal"] }).Status);
    }

    [Fact]
    public void Denied_ingresses_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Ingresses = Section<V1Ingress>.Denied("list ingresses.networking.k8s.io"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<IngressesUseTls>(snapshot)).Status);
    }

    [Theory]
    [InlineData("*.example.com", "shop.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com", false)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("Shop.Example.com", "shop.example.com", true)]
    public void Wildcard_hosts(string tls, string host, bool expected) => Assert.Equal(expected, IngressesUseTls.Covers(tls, host));
}
