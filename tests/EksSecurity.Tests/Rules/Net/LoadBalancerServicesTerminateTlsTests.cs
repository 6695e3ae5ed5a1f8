using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Net.NetworkFixtures;

namespace EksSecurity.Tests.Rules.Net;

public class LoadBalancerServicesTerminateTlsTests
{
    private const string Cert = "arn:aws:acm:eu-west-1:111122223333:certificate/0f6c8e8a-1111-2222-3333-444455556666";

    private static IReadOnlyList<EksSecurityFinding> Run(params V1Service[] services) =>
        TestSnapshots.Run<LoadBalancerServicesTerminateTls>(TestSnapshots.Empty().Add(k => k.Services, services));

    [Fact]
    public void Http_port_without_certificate_fails()
    {
        var finding = Assert.Single(Run(Service("shop", "web", "LoadBalancer", null, ServicePort(80, "http"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-NET-012", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("Service", finding.ResourceType);
        Assert.Equal("shop", finding.Namespace);
        Assert.Contains("80/TCP", finding.Message);
    }

    [Fact]
    public void Port_443_without_certificate_fails_too()
    {
        // Kubescape C-0231 looks only at 443; HardenEKS needs cert and ports on every LB. Both port kinds are judged here.
        Assert.Equal(FindingStatus.Fail, Assert.Single(Run(Service("shop", "api", "LoadBalancer", null, ServicePort(443)))).Status);
    }

    [Fact]
    public void Certificate_on_every_port_passes()
    {
        var service = Service("shop", "web", "LoadBalancer", Annotations((AwsLoadBalancers.SslCert, Cert)), ServicePort(443, "https"), ServicePort(8443));
        var finding = Assert.Single(Run(service));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("every port when a certificate is set"));
    }

    [Fact]
    public void Plain_port_beside_tls_warns()
    {
        var service = Service("shop", "web", "LoadBalancer", Annotations((AwsLoadBalancers.SslCert, Cert), (AwsLoadBalancers.SslPorts, "https")),
            ServicePort(80, "http"), ServicePort(443, "https"));
        var finding = Assert.Single(Run(service));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("80/TCP (http)", finding.Message);
    }

    [Fact]
    public void Declared_tls_passthrough_is_skipped_from_failure()
    {
        var byAnnotation = Service("shop", "grpc", "LoadBalancer", Annotations((AwsLoadBalancers.BackendProtocol, "ssl")), ServicePort(443));
        Assert.Equal(FindingStatus.Pass, Assert.Single(Run(byAnnotation)).Status);
        var byAppProtocol = Service("shop", "tls", "LoadBalancer", null, ServicePort(8443, appProtocol: "https"));
        var finding = Assert.Single(Run(byAppProtocol));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("TLS passthrough declared"));
    }

    [Fact]
    public void Non_http_ports_other_classes_and_non_load_balancers_are_not_judged()
    {
        var findings = Run(
            Service("db", "postgres", "LoadBalancer", null, ServicePort(5432, "postgres")),
            Service("shop", "web", "ClusterIP", null, ServicePort(80)),
            new V1Service { Metadata = TestSnapshots.Meta("metallb", "shop"), Spec = new V1ServiceSpec { Type = "LoadBalancer", LoadBalancerClass = "metallb.io/metallb", Ports = [ServicePort(80)] } },
            Service("shop", "quic", "LoadBalancer", null, ServicePort(443, protocol: "UDP")));
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(findings).Status);
    }

    [Fact]
    public void Http_named_and_configured_ports_count()
    {
        Assert.Equal(FindingStatus.Fail, Assert.Single(Run(Service("shop", "api", "LoadBalancer", null, ServicePort(9090, "http-metrics")))).Status);
        var settings = new RuleSettings { HttpLikePorts = [9000] };
        var findings = TestSnapshots.Run<LoadBalancerServicesTerminateTls>(TestSnapshots.Empty().Add(k => k.Services, Service("shop", "api", "LoadBalancer", null, ServicePort(9000))), settings);
        Assert.Equal(FindingStatus.Fail, Assert.Single(findings).Status);
    }

    [Fact]
    public void Aws_load_balancer_classes_are_judged()
    {
        var service = Service("shop", "web", "LoadBalancer", null, ServicePort(80));
        service.Spec.LoadBalancerClass = "eks.amazonaws.com/nlb";
        var finding = Assert.Single(Run(service));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("EKS Auto Mode NLB"));
    }

    [Fact]
    public void Denied_services_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Services = Section<V1Service>.Denied("list services"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<LoadBalancerServicesTerminateTls>(snapshot)).Status);
    }
}
