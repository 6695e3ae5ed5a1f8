using System.Globalization;
using System.Net;
using k8s.Models;

namespace EksSecurity.Engine.Kubernetes.NetworkPolicies;

/// <summary>
/// One ingress or egress rule of a policy. Traffic matches when it matches one of the peers (no peers: any source or destination)
/// and one of the ports (no ports: any port). Ports are destination ports: the selected pod's for ingress, the peer's for egress,
/// and a named port resolves against that pod's container ports.
/// </summary>
internal sealed class PolicyRule
{
    public PolicyRule(EffectivePolicy policy, TrafficDirection direction, int index, IList<V1NetworkPolicyPeer>? peers, IList<V1NetworkPolicyPort>? ports)
    {
        Policy = policy;
        Direction = direction;
        Index = index;
        Peers = peers?.Where(p => p is not null).ToList() ?? [];
        Ports = ports?.Where(p => p is not null).ToList() ?? [];
    }

    public EffectivePolicy Policy { get; }
    public TrafficDirection Direction { get; }
    public int Index { get; }
    public IReadOnlyList<V1NetworkPolicyPeer> Peers { get; }
    public IReadOnlyList<V1NetworkPolicyPort> Ports { get; }

    public PolicyRuleRef Ref => new(Policy.Namespace, Policy.Name, Direction, Index);

    /// <summary>
    /// A rule that lets every port through from or to every pod of every namespace, or every address of an IP family, undoes the
    /// isolation of its direction: "ingress: [{}]", "to: [ipBlock: 0.0.0.0/0]", "from: [namespaceSelector: {}]".
    /// </summary>
    public bool AllowsAllTraffic => Ports.Count == 0 && (Peers.Count == 0 || Peers.Any(p => TakesInEveryPod(p) || TakesInWholeFamily(p)));

    /// <summary>Whether the rule allows traffic between the selected pod (subject) and the other end on the port.</summary>
    public bool Allows(PolicyPod subject, TrafficPeer other, ProtocolPort port, Func<string, IReadOnlyDictionary<string, string>> namespaceLabels)
    {
        var destination = Direction == TrafficDirection.Ingress ? subject : other.Pod;
        return PortsMatch(port, destination) && (Peers.Count == 0 || Peers.Any(peer => PeerMatches(peer, other, namespaceLabels)));
    }

    /// <summary>Inside cidr and outside every except block.</summary>
    public static bool IpBlockContains(V1IPBlock block, IPAddress address) =>
        Cidr.TryParse(block.Cidr, out var cidr) && cidr.Contains(address) &&
        !(block.Except ?? []).Any(e => Cidr.TryParse(e, out var excepted) && excepted.Contains(address));

    private bool PeerMatches(V1NetworkPolicyPeer peer, TrafficPeer other, Func<string, IReadOnlyDictionary<string, string>> namespaceLabels)
    {
        // ipBlock is for cluster-external addresses; which pod IPs it catches is up to the network plugin, so pods match by selectors only.
        if (peer.IpBlock is { } block) return other.IpBlockAddresses.Any(a => IpBlockContains(block, a));
        // Host-network pods send and receive as their node: selectors do not pick them, as with the EKS network policy agent and Calico.
        if (other.Pod is not { HostNetwork: false } pod) return false;
        // A peer with neither selector is rejected by the API server: it matches nothing.
        if (peer.NamespaceSelector is null && peer.PodSelector is null) return false;
        var namespaceMatches = peer.NamespaceSelector is null
            ? pod.Namespace == Policy.Namespace
            : LabelSelectors.Matches(peer.NamespaceSelector, namespaceLabels(pod.Namespace));
        // Both selectors in one peer: pods matching podSelector inside the namespaces matching namespaceSelector (AND).
        return namespaceMatches && LabelSelectors.Matches(peer.PodSelector, pod.Labels);
    }

    private bool PortsMatch(ProtocolPort port, PolicyPod? destination)
    {
        if (Ports.Count == 0) return true;
        foreach (var rulePort in Ports)
        {
            if (!string.Equals(rulePort.Protocol ?? "TCP", port.Protocol, StringComparison.OrdinalIgnoreCase)) continue;
            var value = rulePort.Port?.Value;
            if (value is null) return true; // a protocol without a port: every port of that protocol
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                var last = Math.Max(first, rulePort.EndPort ?? first);
                if (port.Number >= first && port.Number <= last) return true;
            }
            // A named port only exists on a pod: to an external address it matches nothing.
            else if (destination?.ResolvePort(value, port.Protocol) == port.Number) return true;
        }
        return false;
    }

    private static bool TakesInEveryPod(V1NetworkPolicyPeer peer) =>
        peer.IpBlock is null && peer.NamespaceSelector is not null && LabelSelectors.IsEmpty(peer.NamespaceSelector) && LabelSelectors.IsEmpty(peer.PodSelector);

    private static bool TakesInWholeFamily(V1NetworkPolicyPeer peer) =>
        peer.IpBlock is { } block && (block.Except?.Count ?? 0) == 0 && Cidr.TryParse(block.Cidr, out var cidr) && cidr.IsWholeFamily;
}
