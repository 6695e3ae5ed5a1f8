using k8s.Models;

namespace EksSecurity.Engine.Kubernetes.NetworkPolicies;

/// <summary>
/// Kubernetes NetworkPolicy semantics over a set of policies, namespaces and pods: is a pod isolated for ingress or egress and by
/// which policies, can a pod send to an address or to another pod on a port, which pods can receive from a pod or an address, and
/// which rules allowed it. A pod is isolated for a direction only when a policy selecting it covers that direction; then only the
/// union of the rules of the policies selecting it gets through, and for a connection between two pods both the source's egress
/// and the destination's ingress must allow it.
/// <para>
/// ipBlock is matched against cluster-external addresses only (and host-network pods, whose traffic is their node's): Kubernetes
/// leaves it to the network plugin whether an ipBlock catches pod IPs, so pod-to-pod traffic is judged by the pod and namespace
/// selectors alone. Host-network pods are not subject to NetworkPolicy: they are reported as not isolatable.
/// </para>
/// </summary>
internal sealed class NetworkPolicyEngine
{
    /// <summary>The label the API server sets on every namespace, so that a namespaceSelector can name one.</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    private readonly Dictionary<string, IReadOnlyList<EffectivePolicy>> _policiesByNamespace;
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _namespaceLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), PolicyPod> _podsByName = [];

    public NetworkPolicyEngine(IEnumerable<V1NetworkPolicy> policies, IEnumerable<V1Namespace> namespaces, IEnumerable<V1Pod>? pods = null)
    {
        Policies = policies.Where(p => p is not null)
            .Select(p => new EffectivePolicy(p))
            .OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        _policiesByNamespace = Policies.GroupBy(p => p.Namespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<EffectivePolicy>)g.ToList(), StringComparer.Ordinal);
        foreach (var ns in namespaces)
        {
            if (ns?.Metadata?.Name is not { } name) continue;
            var labels = new Dictionary<string, string>(ns.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [NamespaceNameLabel] = name };
            _namespaceLabels[name] = labels;
        }
        Pods = (pods ?? []).Where(p => p is not null).Select(PolicyPod.From).ToList();
        foreach (var pod in Pods) _podsByName.TryAdd((pod.Namespace, pod.Name), pod);
    }

    public IReadOnlyList<EffectivePolicy> Policies { get; }
    public IReadOnlyList<PolicyPod> Pods { get; }

    public IReadOnlyList<EffectivePolicy> PoliciesIn(string ns) => _policiesByNamespace.TryGetValue(ns, out var policies) ? policies : [];

    public PolicyPod? FindPod(string ns, string name) => _podsByName.GetValueOrDefault((ns, name));

    /// <summary>A namespace's labels with kubernetes.io/metadata.name, also for a namespace the snapshot does not hold.</summary>
    public IReadOnlyDictionary<string, string> NamespaceLabels(string ns) =>
        _namespaceLabels.TryGetValue(ns, out var labels) ? labels : new Dictionary<string, string>(StringComparer.Ordinal) { [NamespaceNameLabel] = ns };

    /// <summary>The policies that apply to the pod; none for a host-network pod.</summary>
    public IEnumerable<EffectivePolicy> PoliciesSelecting(PolicyPod pod) => pod.HostNetwork ? [] : PoliciesIn(pod.Namespace).Where(p => p.Selects(pod));

    public IsolationVerdict Isolation(PolicyPod pod, TrafficDirection direction)
    {
        if (pod.HostNetwork) return new IsolationVerdict(pod, direction, IsolationState.NotIsolatable, []);
        var isolatedBy = PoliciesSelecting(pod).Where(p => p.Isolates(direction)).Select(p => p.Ref(direction)).ToList();
        return new IsolationVerdict(pod, direction, isolatedBy.Count > 0 ? IsolationState.Isolated : IsolationState.NotIsolated, isolatedBy);
    }

    /// <summary>Whether the source pod's egress policies let it send to the destination on the port (the destination's ingress aside).</summary>
    public TrafficVerdict Egress(PolicyPod source, TrafficPeer destination, ProtocolPort port) => Judge(source, destination, port, TrafficDirection.Egress);

    /// <summary>Whether the destination pod's ingress policies let it receive from the source on the port (the source's egress aside).</summary>
    public TrafficVerdict Ingress(PolicyPod destination, TrafficPeer source, ProtocolPort port) => Judge(destination, source, port, TrafficDirection.Ingress);

    /// <summary>Both sides of a connection: the source pod's egress and the destination pod's ingress; an external end has no side.</summary>
    public ConnectionVerdict Connect(TrafficPeer source, TrafficPeer destination, ProtocolPort port)
    {
        if (source.Pod is null && destination.Pod is null)
            throw new ArgumentException("NetworkPolicy only governs pods: a connection needs a pod at one end at least.", nameof(destination));
        var egress = source.Pod is { } from ? Egress(from, destination, port) : null;
        var ingress = destination.Pod is { } to ? Ingress(to, source, port) : null;
        return new ConnectionVerdict(source, destination, port, egress, ingress);
    }

    /// <summary>The pods (of those the engine was given, the source aside) that can receive a connection from the source on the port.</summary>
    public IReadOnlyList<ConnectionVerdict> Receivers(TrafficPeer source, ProtocolPort port) =>
        Pods.Where(p => source.Pod is null || !p.IsSamePod(source.Pod)).Select(p => Connect(source, p, port)).Where(v => v.Allowed).ToList();

    /// <summary>The rules of one policy that allow the traffic, whether or not the policy selects the subject pod.</summary>
    public IReadOnlyList<PolicyRuleRef> RulesAllowing(EffectivePolicy policy, TrafficDirection direction, PolicyPod subject, TrafficPeer other, ProtocolPort port) =>
        policy.Rules(direction).Where(r => r.Allows(subject, other, port, NamespaceLabels)).Select(r => r.Ref).ToList();

    /// <summary>The rules, among the policies selecting the pod, that allow all traffic in the direction back (see <see cref="PolicyRule.AllowsAllTraffic"/>).</summary>
    public IReadOnlyList<PolicyRuleRef> RulesAllowingAllTraffic(PolicyPod pod, TrafficDirection direction) =>
        PoliciesSelecting(pod).SelectMany(p => p.Rules(direction)).Where(r => r.AllowsAllTraffic).Select(r => r.Ref).ToList();

    private TrafficVerdict Judge(PolicyPod subject, TrafficPeer other, ProtocolPort port, TrafficDirection direction)
    {
        var isolation = Isolation(subject, direction);
        if (isolation.State == IsolationState.NotIsolatable) return new TrafficVerdict(isolation, TrafficOutcome.HostNetwork, []);
        if (!isolation.IsIsolated) return new TrafficVerdict(isolation, TrafficOutcome.NotIsolated, []);
        var allowedBy = PoliciesSelecting(subject).SelectMany(p => RulesAllowing(p, direction, subject, other, port)).ToList();
        if (allowedBy.Count > 0) return new TrafficVerdict(isolation, TrafficOutcome.AllowedByRule, allowedBy);
        // The API: ingress is allowed "if the traffic source is the pod's local node"; a host-network pod on that node is the node.
        if (direction == TrafficDirection.Ingress && other.Pod is { HostNetwork: true, NodeName: { } node } && node == subject.NodeName)
            return new TrafficVerdict(isolation, TrafficOutcome.FromLocalNode, []);
        return new TrafficVerdict(isolation, TrafficOutcome.Denied, []);
    }
}
