using System.Net;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// NetworkPolicy semantics shared by the namespace rules (EKS-NET-007, EKS-NET-008): which pods a policy selects, which
/// directions it isolates, which rules allow everything, and whether egress to the cluster DNS is allowed. Semantics, not
/// names: a policy named "default-deny" that allows everything is not a default deny.
/// </summary>
internal static class PolicyIsolation
{
    /// <summary>Labels the CoreDNS pods carry on EKS (the add-on and the self-managed manifest).</summary>
    public static readonly IReadOnlyDictionary<string, string> ClusterDnsPodLabels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["k8s-app"] = "kube-dns",
        ["eks.amazonaws.com/component"] = "coredns",
    };

    /// <summary>The link-local address NodeLocal DNSCache answers on.</summary>
    public static readonly IPAddress NodeLocalDns = IPAddress.Parse("169.254.20.10");

    public const string DnsNamespace = "kube-system";

    /// <summary>True when the selector has no requirement: an empty (or absent) podSelector selects every pod of the namespace.</summary>
    public static bool IsEmpty(V1LabelSelector? selector) =>
        selector is null || ((selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0);

    public static bool SelectsEveryPod(V1NetworkPolicy policy) => IsEmpty(policy.Spec?.PodSelector);

    /// <summary>
    /// The directions a policy isolates, as the API server defaults them: policyTypes when given; otherwise Ingress always,
    /// plus Egress when the policy has at least one egress rule.
    /// </summary>
    public static (bool Ingress, bool Egress) Types(V1NetworkPolicy policy)
    {
        var types = policy.Spec?.PolicyTypes;
        if (types is { Count: > 0 })
            return (types.Contains("Ingress"), types.Contains("Egress"));
        return (true, (policy.Spec?.Egress?.Count ?? 0) > 0);
    }

    /// <summary>Whether the label set satisfies the selector (matchLabels and matchExpressions); an empty selector matches everything.</summary>
    public static bool Matches(V1LabelSelector? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null) return true;
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
            if (!labels.TryGetValue(key, out var actual) || actual != value) return false;
        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(requirement.Key ?? "", out var actual);
            var values = requirement.Values ?? [];
            var ok = requirement.OperatorProperty switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>A rule with no peers and no ports allows all traffic in its direction; so does one whose only peer is 0.0.0.0/0 or ::/0.</summary>
    public static bool AllowsEverything(IList<V1NetworkPolicyPeer>? peers, IList<V1NetworkPolicyPort>? ports)
    {
        if (ports is { Count: > 0 }) return false;
        if (peers is null || peers.Count == 0) return true;
        return peers.Any(p => p.IpBlock is { } block && (block.Except?.Count ?? 0) == 0 &&
                              PublicEndpointNotOpenToInternet.TryParseCidr(block.Cidr, out _, out var prefix) && prefix == 0);
    }

    /// <summary>Whether an egress rule's ports let UDP and TCP port 53 through (named ports: CoreDNS calls them dns and dns-tcp).</summary>
    public static (bool Udp, bool Tcp) DnsPorts(IList<V1NetworkPolicyPort>? ports)
    {
        if (ports is null || ports.Count == 0) return (true, true);
        bool udp = false, tcp = false;
        foreach (var port in ports)
        {
            var protocol = (port.Protocol ?? "TCP").ToUpperInvariant();
            bool covers;
            var value = port.Port?.Value;
            if (value is null) covers = true;
            else if (int.TryParse(value, out var number)) covers = number == 53 || (port.EndPort is { } end && number <= 53 && end >= 53);
            else covers = (value == "dns" && protocol == "UDP") || (value == "dns-tcp" && protocol == "TCP");
            if (!covers) continue;
            if (protocol == "UDP") udp = true;
            if (protocol == "TCP") tcp = true;
        }
        return (udp, tcp);
    }

    /// <summary>
    /// Whether an egress rule's peers include the cluster DNS: any destination, the CoreDNS pods in kube-system (by their labels and
    /// the namespace's labels), or an ipBlock holding the NodeLocal DNSCache address.
    /// </summary>
    public static bool ReachesDns(IList<V1NetworkPolicyPeer>? peers, string policyNamespace, IReadOnlyDictionary<string, string> dnsNamespaceLabels)
    {
        if (peers is null || peers.Count == 0) return true;
        foreach (var peer in peers)
        {
            if (peer.IpBlock is { } block)
            {
                if (Contains(block.Cidr, NodeLocalDns) && !(block.Except ?? []).Any(e => Contains(e, NodeLocalDns))) return true;
                continue;
            }
            var namespaceOk = peer.NamespaceSelector is null
                ? policyNamespace == DnsNamespace
                : Matches(peer.NamespaceSelector, dnsNamespaceLabels);
            if (namespaceOk && Matches(peer.PodSelector, ClusterDnsPodLabels)) return true;
        }
        return false;
    }

    /// <summary>True when the CIDR holds the address (a /0 holds every address of its family).</summary>
    public static bool Contains(string? cidr, IPAddress address)
    {
        if (!PublicEndpointNotOpenToInternet.TryParseCidr(cidr, out var family, out var prefix) || family != address.AddressFamily) return false;
        var slash = cidr!.IndexOf('/');
        var network = IPAddress.Parse((slash < 0 ? cidr : cidr[..slash]).Trim()).GetAddressBytes();
        var bytes = address.GetAddressBytes();
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((network[bit / 8] & mask) != (bytes[bit / 8] & mask)) return false;
        }
        return true;
    }

    /// <summary>"{}" or "k=v,k2 In (a,b)" for evidence.</summary>
    public static string Describe(V1LabelSelector? selector)
    {
        if (IsEmpty(selector)) return "{}";
        var parts = new List<string>();
        foreach (var (k, v) in (selector!.MatchLabels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal)) parts.Add($"{k}={v}");
        foreach (var e in selector.MatchExpressions ?? [])
            parts.Add(e.OperatorProperty is "Exists" or "DoesNotExist" ? $"{e.Key} {e.OperatorProperty}" : $"{e.Key} {e.OperatorProperty} ({string.Join(",", e.Values ?? [])})");
        return string.Join(",", parts);
    }

    /// <summary>The labels of the namespace that holds the cluster DNS, with the label Kubernetes sets on every namespace.</summary>
    public static IReadOnlyDictionary<string, string> DnsNamespaceLabels(IEnumerable<V1Namespace> namespaces)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var ns = namespaces.FirstOrDefault(n => n.Metadata?.Name == DnsNamespace);
        foreach (var (k, v) in ns?.Metadata?.Labels ?? new Dictionary<string, string>()) labels[k] = v;
        labels["kubernetes.io/metadata.name"] = DnsNamespace;
        return labels;
    }
}
