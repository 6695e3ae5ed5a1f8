namespace EksSecurity.Engine.Kubernetes.NetworkPolicies;

internal enum TrafficDirection
{
    Ingress,
    Egress,
}

internal static class TrafficDirections
{
    /// <summary>"ingress" or "egress", as the NetworkPolicy spec spells the fields.</summary>
    public static string Text(this TrafficDirection direction) => direction == TrafficDirection.Ingress ? "ingress" : "egress";
}

internal enum IsolationState
{
    /// <summary>No policy selecting the pod covers the direction: all traffic in that direction is allowed.</summary>
    NotIsolated,
    /// <summary>Some policy selecting the pod covers the direction: only what a rule allows gets through.</summary>
    Isolated,
    /// <summary>A host-network pod: NetworkPolicy does not apply to it.</summary>
    NotIsolatable,
}

internal enum TrafficOutcome
{
    NotIsolated,
    HostNetwork,
    AllowedByRule,
    /// <summary>Ingress from the pod's own node (kubelet probes, host-network pods on it) is always allowed.</summary>
    FromLocalNode,
    Denied,
}

/// <summary>A policy, or one of its rules (index into spec.ingress or spec.egress), for evidence: "shop/allow-dns egress[0]".</summary>
internal readonly record struct PolicyRuleRef(string Namespace, string Policy, TrafficDirection Direction, int? RuleIndex = null)
{
    public override string ToString() =>
        RuleIndex is null ? $"{Namespace}/{Policy}" : $"{Namespace}/{Policy} {Direction.Text()}[{RuleIndex}]";
}

/// <summary>Whether a pod is isolated in a direction, and by which policies.</summary>
internal sealed record IsolationVerdict(PolicyPod Pod, TrafficDirection Direction, IsolationState State, IReadOnlyList<PolicyRuleRef> IsolatedBy)
{
    public bool IsIsolated => State == IsolationState.Isolated;

    public override string ToString() => State switch
    {
        IsolationState.NotIsolatable => $"{Pod} uses the host network: NetworkPolicy does not apply to it",
        IsolationState.NotIsolated => $"no NetworkPolicy isolates {Pod} for {Direction.Text()}",
        _ => $"{Pod} is isolated for {Direction.Text()} by {string.Join(", ", IsolatedBy)}",
    };
}

/// <summary>One side's answer for a connection: the egress of its source or the ingress of its destination, with the rules that allowed it.</summary>
internal sealed record TrafficVerdict(IsolationVerdict Isolation, TrafficOutcome Outcome, IReadOnlyList<PolicyRuleRef> AllowedBy)
{
    public bool Allowed => Outcome != TrafficOutcome.Denied;
    public TrafficDirection Direction => Isolation.Direction;

    public override string ToString() => Outcome switch
    {
        TrafficOutcome.AllowedByRule => $"{Direction.Text()} allowed by {string.Join(", ", AllowedBy)}",
        TrafficOutcome.FromLocalNode => $"{Direction.Text()} allowed: it comes from {Isolation.Pod}'s own node",
        TrafficOutcome.Denied => $"{Direction.Text()} denied: {Isolation} and no rule allows it",
        _ => $"{Direction.Text()} allowed: {Isolation}",
    };
}

/// <summary>
/// A connection from source to destination on a port: allowed when the source's egress allows it and the destination's ingress
/// allows it. A cluster-external end has no side (null): NetworkPolicy only governs pods.
/// </summary>
internal sealed record ConnectionVerdict(TrafficPeer Source, TrafficPeer Destination, ProtocolPort Port, TrafficVerdict? Egress, TrafficVerdict? Ingress)
{
    public bool Allowed => (Egress?.Allowed ?? true) && (Ingress?.Allowed ?? true);

    public override string ToString() =>
        $"{Source} -> {Destination} {Port}: {(Allowed ? "allowed" : "denied")} ({string.Join("; ", new[] { Egress, Ingress }.OfType<TrafficVerdict>())})";
}
