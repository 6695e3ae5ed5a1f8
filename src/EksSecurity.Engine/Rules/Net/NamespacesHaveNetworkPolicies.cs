using EksSecurity.Engine.Kubernetes.NetworkPolicies;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// EKS-NET-007: every non-system namespace has at least one NetworkPolicy. The evidence says which policies restrict traffic (isolate
/// a direction without a rule allowing all of it back), so that a namespace whose only policy is "ingress: [{}]" does not look protected.
/// </summary>
public sealed class NamespacesHaveNetworkPolicies : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-007",
        Title = "Every namespace has a NetworkPolicy",
        Severity = Severity.Medium,
        Area = RuleArea.Net,
        Rationale = "A pod that no NetworkPolicy selects accepts connections from, and opens connections to, anything it can route to: every " +
                    "other pod in the cluster, the nodes, the VPC and (through NAT) the internet. A namespace without a single policy is " +
                    "therefore completely open, and one compromised workload in it can probe and attack everything else.",
        Remediation = "Give every application namespace at least a default-deny policy and then allow what its workloads need, for example:\n" +
                      "kubectl apply -n <ns> -f - <<EOF\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n" +
                      "spec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\nEOF\n" +
                      "(then add policies that allow DNS and the application's own flows; see EKS-NET-008).",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html#_network_policy",
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.3.2", "Kubescape C-0206", "Kubescape C-0054", "Kubescape C-0260"],
        Reads = [SnapshotSection.Namespaces, SnapshotSection.NetworkPolicies],
        OptionallyReads = [SnapshotSection.DaemonSets],
        Tags = ["cis", "network", "network-policy", "namespace", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var engine = new NetworkPolicyEngine(context.Kubernetes.NetworkPolicies!.All, context.Kubernetes.Namespaces!.All);
        // Calico and Cilium have their own policy kinds, which the snapshot does not hold: say so where it may matter.
        var crdEngines = context.Has(SnapshotSection.DaemonSets)
            ? context.Kubernetes.DaemonSets!.All.Select(d => d.Metadata?.Name).Where(n => n is "cilium" or "calico-node").Distinct().ToList()
            : [];
        foreach (var ns in context.Kubernetes.Namespaces!.All)
        {
            var name = ns.Metadata?.Name;
            if (string.IsNullOrEmpty(name) || context.Settings.IsSystemNamespace(name)) continue;
            var resource = new ResourceRef("Namespace", name, name);
            var policies = engine.PoliciesIn(name);
            if (policies.Count > 0)
            {
                var evidence = new List<string> { $"NetworkPolicies in {name}: {string.Join(", ", policies.Select(p => p.Name))}" };
                // Whether the policies deny anything is EKS-NET-008's verdict; here it is evidence, so a pass that restricts nothing shows.
                var restrictions = Restrictions(engine, name, evidence);
                evidence.Add(restrictions.Count > 0
                    ? $"restricting traffic: {string.Join(", ", restrictions)}"
                    : "none of them restricts traffic: every isolation they set is allowed all back (see EKS-NET-008)");
                yield return context.Pass(resource, $"Namespace {name} has {policies.Count} NetworkPolicy object(s).", evidence);
                continue;
            }
            var missing = new List<string> { $"no networking.k8s.io/v1 NetworkPolicy in namespace {name}" };
            if (crdEngines.Count > 0)
                missing.Add($"{string.Join(" and ", crdEngines)} run in the cluster: CiliumNetworkPolicy or Calico NetworkPolicy objects are not in the snapshot; " +
                            "if one of them protects this namespace, record an exclusion for it");
            yield return context.Fail(resource, $"Namespace {name} has no NetworkPolicy: its pods accept and open connections without restriction.", missing);
        }
    }

    /// <summary>
    /// "policy (directions)" for each policy that restricts its pods: it isolates a direction and neither its own rules nor a policy
    /// selecting every pod allow all of that direction back. What is allowed back goes to the evidence.
    /// </summary>
    private static List<string> Restrictions(NetworkPolicyEngine engine, string ns, List<string> evidence)
    {
        var restrictions = new List<string>();
        var everyPod = PolicyPod.AnyPodIn(ns);
        var openForEveryPod = new[] { TrafficDirection.Ingress, TrafficDirection.Egress }.ToDictionary(d => d, d => engine.RulesAllowingAllTraffic(everyPod, d));
        foreach (var policy in engine.PoliciesIn(ns))
        {
            var restricted = new List<string>();
            foreach (var direction in openForEveryPod.Keys.Where(policy.Isolates))
            {
                var openedBy = policy.Rules(direction).Where(r => r.AllowsAllTraffic).Select(r => r.Ref).Concat(openForEveryPod[direction]).Distinct().ToList();
                var named = direction.Text();
                if (openedBy.Count == 0) restricted.Add(named);
                else evidence.Add($"{policy.Name} isolates {named} but all {named} is allowed back by {string.Join(", ", openedBy)}");
            }
            if (restricted.Count > 0) restrictions.Add($"{policy.Name} ({string.Join(", ", restricted)})");
        }
        return restrictions;
    }
}
