using k8s.Models;

namespace EksSecurity.Engine.Kubernetes.NetworkPolicies;

/// <summary>
/// A NetworkPolicy with the API server's defaults applied: which pods it selects, which directions it isolates, and the rules that
/// count. policyTypes absent means Ingress always, plus Egress when the policy has at least one egress rule (so "egress: []" alone
/// does not isolate egress); rules of a direction the policy does not isolate are ignored, as Kubernetes ignores them.
/// </summary>
internal sealed class EffectivePolicy
{
    public EffectivePolicy(V1NetworkPolicy policy)
    {
        Source = policy;
        Namespace = policy.Metadata?.NamespaceProperty ?? "";
        Name = policy.Metadata?.Name ?? "(unnamed)";
        var spec = policy.Spec;
        PodSelector = spec?.PodSelector;
        var types = spec?.PolicyTypes;
        PolicyTypesDefaulted = types is not { Count: > 0 };
        IsolatesIngress = PolicyTypesDefaulted || Lists(types!, "Ingress");
        IsolatesEgress = PolicyTypesDefaulted ? (spec?.Egress?.Count ?? 0) > 0 : Lists(types!, "Egress");
        IngressRules = !IsolatesIngress ? [] :
            (spec?.Ingress ?? []).Select((rule, index) => new PolicyRule(this, TrafficDirection.Ingress, index, rule?.FromProperty, rule?.Ports)).ToList();
        EgressRules = !IsolatesEgress ? [] :
            (spec?.Egress ?? []).Select((rule, index) => new PolicyRule(this, TrafficDirection.Egress, index, rule?.To, rule?.Ports)).ToList();
    }

    public V1NetworkPolicy Source { get; }
    public string Namespace { get; }
    public string Name { get; }
    public V1LabelSelector? PodSelector { get; }

    /// <summary>An empty podSelector selects every pod of the policy's namespace.</summary>
    public bool SelectsEveryPod => LabelSelectors.IsEmpty(PodSelector);

    /// <summary>policyTypes was not written: <see cref="IsolatesIngress"/> and <see cref="IsolatesEgress"/> are the API server's defaults.</summary>
    public bool PolicyTypesDefaulted { get; }

    public bool IsolatesIngress { get; }
    public bool IsolatesEgress { get; }
    public IReadOnlyList<PolicyRule> IngressRules { get; }
    public IReadOnlyList<PolicyRule> EgressRules { get; }

    public PolicyRuleRef Ref(TrafficDirection direction) => new(Namespace, Name, direction);

    public bool Isolates(TrafficDirection direction) => direction == TrafficDirection.Ingress ? IsolatesIngress : IsolatesEgress;

    /// <summary>The rules that count in a direction: none when the policy does not isolate it.</summary>
    public IReadOnlyList<PolicyRule> Rules(TrafficDirection direction) => direction == TrafficDirection.Ingress ? IngressRules : EgressRules;

    /// <summary>Whether the policy applies to the pod (host-network pods aside: the engine says those are not isolatable).</summary>
    public bool Selects(PolicyPod pod) => pod.Namespace == Namespace && LabelSelectors.Matches(PodSelector, pod.Labels);

    public override string ToString() => $"{Namespace}/{Name}";

    private static bool Lists(IList<string> types, string type) => types.Any(t => string.Equals(t, type, StringComparison.OrdinalIgnoreCase));
}
