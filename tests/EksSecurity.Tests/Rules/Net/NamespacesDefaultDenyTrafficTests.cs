using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Net.NetworkFixtures;

namespace EksSecurity.Tests.Rules.Net;

public class NamespacesDefaultDenyTrafficTests
{
    private static EksSecurityFinding Judge(params V1NetworkPolicy[] policies)
    {
        var snapshot = TestSnapshots.Empty().Add(k => k.Namespaces, Namespace("shop"), Namespace("kube-system")).Add(k => k.NetworkPolicies, policies);
        return Assert.Single(TestSnapshots.Run<NamespacesDefaultDenyTraffic>(snapshot));
    }

    private static V1NetworkPolicy DenyAll() => Policy("shop", "default-deny", types: ["Ingress", "Egress"]);
    private static V1NetworkPolicy AllowDns(params V1NetworkPolicyPort[] ports) =>
        Policy("shop", "allow-dns", types: ["Egress"], egress: [DnsEgress(ports.Length == 0 ? [Port("UDP", 53), Port("TCP", 53)] : ports)]);

    [Fact]
    public void Default_deny_with_dns_passes()
    {
        var finding = Judge(DenyAll(), AllowDns());
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("EKS-NET-008", finding.RuleId);
        Assert.Equal("shop", finding.ResourceName);
        Assert.Contains(finding.Evidence, e => e.Contains("UDP and TCP"));
    }

    [Fact]
    public void Namespace_without_policies_fails()
    {
        var finding = Judge();
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
    }

    [Fact]
    public void Ingress_only_default_deny_fails_for_egress()
    {
        // No policyTypes and no egress rules: the API server defaults to Ingress only.
        var finding = Judge(Policy("shop", "deny-ingress"));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("does not deny egress", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("policyTypes (unset) -> isolates ingress,"));
    }

    [Fact]
    public void Separate_ingress_and_egress_policies_combine()
    {
        var finding = Judge(Policy("shop", "deny-ingress", types: ["Ingress"]), Policy("shop", "deny-egress", types: ["Egress"], egress: []), AllowDns());
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Empty_egress_list_without_policy_types_does_not_isolate_egress()
    {
        // egress: [] has no rules, so the defaulted policyTypes stay [Ingress].
        var finding = Judge(Policy("shop", "looks-like-deny", egress: []));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("egress", finding.Message);
    }

    [Fact]
    public void Egress_rule_without_policy_types_isolates_egress()
    {
        var policy = Policy("shop", "deny-all-but-dns", egress: [DnsEgress(Port("UDP", 53), Port("TCP", 53))]);
        // Defaulted to [Ingress, Egress] because it has an egress rule: both directions denied, DNS allowed.
        Assert.Equal(FindingStatus.Pass, Judge(policy).Status);
    }

    [Fact]
    public void A_policy_that_selects_some_pods_is_not_a_default_deny()
    {
        var finding = Judge(Policy("shop", "deny-web", Labels(("app", "web")), ["Ingress", "Egress"]));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("ingress and egress", finding.Message);
    }

    [Fact]
    public void Named_default_deny_that_allows_everything_fails()
    {
        var allowAll = Policy("shop", "default-deny", types: ["Ingress", "Egress"], ingress: [new V1NetworkPolicyIngressRule()],
            egress: [new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0" } }] }]);
        var finding = Judge(allowAll);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("allows all ingress back"));
        Assert.Contains(finding.Evidence, e => e.Contains("allows all egress back"));
    }

    [Fact]
    public void Ingress_from_every_namespace_on_every_port_undoes_the_default_deny()
    {
        // Every pod of every namespace may connect on any port: nothing is denied by default any more.
        var fromEverywhere = Policy("shop", "from-everywhere", types: ["Ingress"], ingress:
            [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector() }] }]);
        var finding = Judge(DenyAll(), AllowDns(), fromEverywhere);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("does not deny ingress", finding.Message);
        Assert.Contains(finding.Evidence, e => e.EndsWith("allows all ingress back: shop/from-everywhere ingress[0]", StringComparison.Ordinal));
    }

    [Fact]
    public void Default_deny_with_narrow_allowances_still_counts()
    {
        var policy = Policy("shop", "baseline", types: ["Ingress", "Egress"],
            ingress: [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector() }] }],
            egress: [DnsEgress(Port("UDP", 53), Port("TCP", 53))]);
        Assert.Equal(FindingStatus.Pass, Judge(policy).Status);
    }

    [Fact]
    public void Egress_deny_without_dns_warns()
    {
        var finding = Judge(DenyAll());
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("no DNS", finding.Message);
    }

    [Fact]
    public void Dns_over_udp_only_warns()
    {
        var finding = Judge(DenyAll(), AllowDns(Port("UDP", 53)));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("UDP only", finding.Message);
    }

    [Fact]
    public void Protocol_defaults_to_tcp_and_named_ports_follow_coredns()
    {
        // port 53 without protocol is TCP; "dns" is CoreDNS's UDP port name.
        var finding = Judge(DenyAll(), AllowDns(new V1NetworkPolicyPort { Port = 53 }, Port("UDP", "dns")));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        // "dns" over TCP names no CoreDNS port.
        Assert.Equal(FindingStatus.Warning, Judge(DenyAll(), AllowDns(Port("UDP", 53), Port("TCP", "dns"))).Status);
    }

    [Fact]
    public void Port_range_and_any_port_cover_53()
    {
        Assert.Equal(FindingStatus.Pass, Judge(DenyAll(), AllowDns(Port("UDP", 1, 1024), Port("TCP", 1, 1024))).Status);
        Assert.Equal(FindingStatus.Pass, Judge(DenyAll(), AllowDns(Port("UDP", null), Port("TCP", null))).Status);
    }

    [Fact]
    public void Dns_to_the_wrong_namespace_is_not_dns()
    {
        var wrong = Policy("shop", "allow-dns", types: ["Egress"], egress:
        [
            new V1NetworkPolicyEgressRule
            {
                To = [new V1NetworkPolicyPeer { PodSelector = Labels(("k8s-app", "kube-dns")) }], // same namespace: shop
                Ports = [Port("UDP", 53), Port("TCP", 53)],
            },
        ]);
        Assert.Equal(FindingStatus.Warning, Judge(DenyAll(), wrong).Status);
    }

    [Fact]
    public void Dns_to_node_local_cache_counts()
    {
        var nodeLocal = Policy("shop", "allow-node-local-dns", types: ["Egress"], egress:
        [
            new V1NetworkPolicyEgressRule
            {
                To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "169.254.20.10/32" } }],
                Ports = [Port("UDP", 53), Port("TCP", 53)],
            },
        ]);
        Assert.Equal(FindingStatus.Pass, Judge(DenyAll(), nodeLocal).Status);
    }

    [Fact]
    public void Dns_through_match_expressions_counts()
    {
        var rule = new V1NetworkPolicyEgressRule
        {
            To =
            [
                new V1NetworkPolicyPeer
                {
                    NamespaceSelector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "kubernetes.io/metadata.name", OperatorProperty = "In", Values = ["kube-system"] }] },
                    PodSelector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "k8s-app", OperatorProperty = "Exists" }] },
                },
            ],
            Ports = [Port("UDP", 53), Port("TCP", 53)],
        };
        Assert.Equal(FindingStatus.Pass, Judge(DenyAll(), Policy("shop", "dns", types: ["Egress"], egress: [rule])).Status);
    }

    [Fact]
    public void Dns_allowed_only_for_some_pods_passes_with_evidence()
    {
        var perApp = Policy("shop", "web-dns", Labels(("app", "web")), ["Egress"], egress: [DnsEgress(Port("UDP", 53), Port("TCP", 53))]);
        var finding = Judge(DenyAll(), perApp);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("the other pods cannot resolve names"));
    }

    [Fact]
    public void Dns_rules_in_an_ingress_only_policy_do_not_count()
    {
        // Egress rules of a policy whose policyTypes leave Egress out are ignored by Kubernetes.
        var ignored = Policy("shop", "ingress-only", types: ["Ingress"], egress: [DnsEgress(Port("UDP", 53), Port("TCP", 53))]);
        Assert.Equal(FindingStatus.Warning, Judge(DenyAll(), ignored).Status);
    }

    [Fact]
    public void System_namespaces_are_skipped_and_denied_section_is_an_error()
    {
        var system = TestSnapshots.Empty().Add(k => k.Namespaces, Namespace("kube-system"));
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<NamespacesDefaultDenyTraffic>(system)).Status);

        var denied = TestSnapshots.Empty().Add(k => k.Namespaces, Namespace("shop"))
            .With(s => s.Kubernetes.NetworkPolicies = Section<V1NetworkPolicy>.Failed("timeout"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NamespacesDefaultDenyTraffic>(denied)).Status);
    }
}
