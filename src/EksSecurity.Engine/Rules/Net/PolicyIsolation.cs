using System.Net;
using EksSecurity.Engine.Kubernetes.NetworkPolicies;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// What the namespace rules (EKS-NET-007, EKS-NET-008) know beyond NetworkPolicy semantics, which <see cref="NetworkPolicyEngine"/>
/// owns: where the cluster DNS answers on EKS, and how to describe a policy in evidence.
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

    /// <summary>CoreDNS as a destination: its labels and the named ports the EKS add-on gives it (dns is UDP 53, dns-tcp is TCP 53).</summary>
    public static readonly PolicyPod ClusterDnsPod = new(DnsNamespace, "coredns", ClusterDnsPodLabels, ports:
    [
        new V1ContainerPort { Name = "dns", ContainerPort = 53, Protocol = "UDP" },
        new V1ContainerPort { Name = "dns-tcp", ContainerPort = 53, Protocol = "TCP" },
        new V1ContainerPort { Name = "metrics", ContainerPort = 9153, Protocol = "TCP" },
    ]);

    /// <summary>Whether <paramref name="allows"/> lets port 53 through to the cluster DNS (CoreDNS or NodeLocal DNSCache), over UDP and over TCP.</summary>
    public static (bool Udp, bool Tcp) DnsAllowed(Func<TrafficPeer, ProtocolPort, bool> allows)
    {
        bool Reaches(ProtocolPort port) => allows(ClusterDnsPod, port) || allows(NodeLocalDns, port);
        return (Reaches(ProtocolPort.Udp(53)), Reaches(ProtocolPort.Tcp(53)));
    }

    /// <summary>"NetworkPolicy name: podSelector ..., policyTypes [...] -> isolates ..., n ingress rule(s), m egress rule(s)".</summary>
    public static string Describe(EffectivePolicy policy)
    {
        var spec = policy.Source.Spec;
        var declared = policy.PolicyTypesDefaulted ? "(unset)" : $"[{string.Join(", ", spec!.PolicyTypes)}]";
        return $"NetworkPolicy {policy.Name}: podSelector {LabelSelectors.Describe(policy.PodSelector)}{(policy.SelectsEveryPod ? " (every pod)" : "")}, " +
               $"policyTypes {declared} -> isolates {Directions(policy.IsolatesIngress, policy.IsolatesEgress)}, " +
               $"{spec?.Ingress?.Count ?? 0} ingress rule(s), {spec?.Egress?.Count ?? 0} egress rule(s)";
    }

    private static string Directions(bool ingress, bool egress) => ingress && egress ? "ingress and egress" : ingress ? "ingress" : egress ? "egress" : "nothing";
}
