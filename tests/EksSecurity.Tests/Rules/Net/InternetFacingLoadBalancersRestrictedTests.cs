using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Net.NetworkFixtures;

namespace EksSecurity.Tests.Rules.Net;

public class InternetFacingLoadBalancersRestrictedTests
{
    private static IReadOnlyList<EksSecurityFinding> Run(ClusterSnapshot snapshot, RuleSettings? settings = null) =>
        TestSnapshots.Run<InternetFacingLoadBalancersRestricted>(snapshot, settings);

    private static EksSecurityFinding RunService(V1Service service, RuleSettings? settings = null) =>
        Assert.Single(Run(TestSnapshots.Empty().Add(k => k.Services, service), settings));

    private static EksSecurityFinding RunIngress(V1Ingress ingress) =>
        Assert.Single(Run(TestSnapshots.Empty().Add(k => k.Ingresses, ingress)));

    [Fact]
    public void In_tree_load_balancer_is_internet_facing_and_open_by_default()
    {
        var finding = RunService(Service("shop", "web", "LoadBalancer"));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-NET-014", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains(finding.Evidence, e => e.Contains("internet-facing by default"));
    }

    [Fact]
    public void Source_ranges_restrict()
    {
        var service = Service("shop", "web", "LoadBalancer");
        service.Spec.LoadBalancerSourceRanges = ["203.0.113.0/24"];
        Assert.Equal(FindingStatus.Pass, RunService(service).Status);
        service.Spec.LoadBalancerSourceRanges = ["203.0.113.0/24", "0.0.0.0/0"];
        Assert.Equal(FindingStatus.Fail, RunService(service).Status);
        service.Spec.LoadBalancerSourceRanges = ["office"];
        Assert.Equal(FindingStatus.Error, RunService(service).Status);
    }

    [Fact]
    public void Source_range_annotation_is_read_when_the_field_is_empty()
    {
        var service = Service("shop", "web", "LoadBalancer", Annotations((AwsLoadBalancers.SourceRanges, "198.51.100.0/24, ::/0")));
        var finding = RunService(service);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("::/0", finding.Message);
    }

    [Fact]
    public void Load_balancer_controller_defaults_to_internal()
    {
        var lbc = Service("shop", "web", "LoadBalancer", Annotations((AwsLoadBalancers.LoadBalancerType, "external")));
        Assert.Equal(FindingStatus.Pass, RunService(lbc).Status);
        var auto = Service("shop", "web", "LoadBalancer");
        auto.Spec.LoadBalancerClass = "eks.amazonaws.com/nlb";
        Assert.Equal(FindingStatus.Pass, RunService(auto).Status);
        auto.Metadata.Annotations = Annotations((AwsLoadBalancers.Scheme, "internet-facing"));
        Assert.Equal(FindingStatus.Fail, RunService(auto).Status);
    }

    [Fact]
    public void In_tree_internal_annotation_makes_it_internal()
    {
        Assert.Equal(FindingStatus.Pass, RunService(Service("shop", "web", "LoadBalancer", Annotations((AwsLoadBalancers.Internal, "true")))).Status);
        Assert.Equal(FindingStatus.Fail, RunService(Service("shop", "web", "LoadBalancer", Annotations((AwsLoadBalancers.Internal, "false")))).Status);
    }

    [Fact]
    public void Scheme_annotation_is_ignored_by_the_in_tree_provider()
    {
        var finding = RunService(Service("shop", "web", "LoadBalancer", Annotations((AwsLoadBalancers.Scheme, "internal"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("is ignored by the in-tree provider"));
    }

    [Fact]
    public void Allow_list_and_prefix_lists_pass_and_own_security_groups_warn()
    {
        var service = Service("public", "site", "LoadBalancer");
        Assert.Equal(FindingStatus.Pass, RunService(service, new RuleSettings { PublicLoadBalancerAllowlist = ["public/*"] }).Status);
        var prefixed = Service("shop", "web", "LoadBalancer", Annotations((AwsLoadBalancers.PrefixLists, "pl-0123456789abcdef0")));
        Assert.Equal(FindingStatus.Pass, RunService(prefixed).Status);
        var groups = Service("shop", "web", "LoadBalancer", Annotations((AwsLoadBalancers.SecurityGroups, "sg-0123456789abcdef0")));
        Assert.Equal(FindingStatus.Warning, RunService(groups).Status);
    }

    [Fact]
    public void Alb_ingress_scheme_and_inbound_cidrs()
    {
        Assert.Equal(FindingStatus.Pass, RunIngress(Ingress("shop", "web", "alb")).Status);
        var open = RunIngress(Ingress("shop", "web", "alb", Annotations((AwsLoadBalancers.AlbScheme, "internet-facing"))));
        Assert.Equal(FindingStatus.Fail, open.Status);
        Assert.Equal("Ingress", open.ResourceType);
        var restricted = RunIngress(Ingress("shop", "web", "alb", Annotations((AwsLoadBalancers.AlbScheme, "internet-facing"), (AwsLoadBalancers.AlbInboundCidrs, "10.0.0.0/8,192.0.2.0/24"))));
        Assert.Equal(FindingStatus.Pass, restricted.Status);
    }

    [Fact]
    public void Non_alb_ingresses_and_cluster_ip_services_are_not_judged()
    {
        var snapshot = TestSnapshots.Empty().Add(k => k.Services, Service("shop", "web", "ClusterIP")).Add(k => k.Ingresses, Ingress("shop", "web", "nginx"));
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(Run(snapshot)).Status);
    }

    [Fact]
    public void Missing_ingresses_is_an_error_beside_service_findings()
    {
        var snapshot = TestSnapshots.Empty().Add(k => k.Services, Service("shop", "web", "LoadBalancer"))
            .With(s => s.Kubernetes.Ingresses = Section<V1Ingress>.Denied("list ingresses.networking.k8s.io"));
        var findings = Run(snapshot);
        Assert.Contains(findings, f => f.Status == FindingStatus.Fail && f.ResourceType == "Service");
        Assert.Contains(findings, f => f.Status == FindingStatus.Error && f.Message.Contains("Ingresses"));
    }

    [Fact]
    public void Denied_services_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Services = Section<V1Service>.Denied("list services"));
        var finding = Assert.Single(Run(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("list services", finding.Message);
    }
}
