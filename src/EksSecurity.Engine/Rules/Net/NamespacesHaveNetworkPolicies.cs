namespace EksSecurity.Engine.Rules.Net;

/// <summary>EKS-NET-007: every non-system namespace has at least one NetworkPolicy.</summary>
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
        var byNamespace = context.Kubernetes.NetworkPolicies!.All.ToLookup(p => p.Metadata?.NamespaceProperty ?? "", StringComparer.Ordinal);
        // Calico and Cilium have their own policy kinds, which the snapshot does not hold: say so where it may matter.
        var crdEngines = context.Has(SnapshotSection.DaemonSets)
            ? context.Kubernetes.DaemonSets!.All.Select(d => d.Metadata?.Name).Where(n => n is "cilium" or "calico-node").Distinct().ToList()
            : [];
        foreach (var ns in context.Kubernetes.Namespaces!.All)
        {
            var name = ns.Metadata?.Name;
            if (string.IsNullOrEmpty(name) || context.Settings.IsSystemNamespace(name)) continue;
            var resource = new ResourceRef("Namespace", name, name);
            var policies = byNamespace[name].Select(p => p.Metadata?.Name ?? "(unnamed)").Order(StringComparer.Ordinal).ToList();
            if (policies.Count > 0)
            {
                yield return context.Pass(resource, $"Namespace {name} has {policies.Count} NetworkPolicy object(s).",
                    [$"NetworkPolicies in {name}: {string.Join(", ", policies)}"]);
                continue;
            }
            var evidence = new List<string> { $"no networking.k8s.io/v1 NetworkPolicy in namespace {name}" };
            if (crdEngines.Count > 0)
                evidence.Add($"{string.Join(" and ", crdEngines)} run in the cluster: CiliumNetworkPolicy or Calico NetworkPolicy objects are not in the snapshot; " +
                             "if one of them protects this namespace, record an exclusion for it");
            yield return context.Fail(resource, $"Namespace {name} has no NetworkPolicy: its pods accept and open connections without restriction.", evidence);
        }
    }
}
