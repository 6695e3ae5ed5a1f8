using System.Globalization;
using EksSecurity.Engine.Rules.Infra;

namespace EksSecurity.Engine.Rules.Tenant;

/// <summary>EKS-TENANT-006: inventory of which tenants share each node; a node shared by several tenants warns.</summary>
public sealed class TenantNodeIsolation : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-TENANT-006",
        Title = "Tenant node isolation",
        Severity = Severity.Informational,
        Area = RuleArea.Tenant,
        Rationale = "Containers on one node share its kernel, its kubelet and its instance role. A container escape, a kernel exploit or a noisy " +
                    "neighbour on a shared node reaches every tenant scheduled there. Where tenants do not trust each other, dedicated nodes (taints " +
                    "with matching tolerations and node selectors, or separate node pools) turn that into a boundary; this inventory shows where " +
                    "tenants share nodes today.",
        Remediation = "Dedicate nodes to a tenant: taint them (kubectl taint nodes <node> tenant=<name>:NoSchedule, or taints on the node group or " +
                      "Karpenter NodePool) and give that tenant's pods the toleration and a nodeSelector or node affinity for the matching label, " +
                      "enforced with a policy engine so other tenants cannot add the toleration. Tenants are told apart by the TenantLabelKeys " +
                      "namespace labels, or by namespace.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/tenant-isolation.html",
            "https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/",
            "https://kubernetes.io/docs/concepts/security/multi-tenancy/#node-isolation",
        ],
        Frameworks = ["Kubescape C-0242"],
        Reads = [SnapshotSection.Pods, SnapshotSection.Nodes],
        OptionallyReads = [SnapshotSection.Namespaces],
        ClusterWide = true,
        Tags = ["multi-tenancy", "nodes", "isolation", "inventory"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var tenantOf = new Dictionary<string, string>(StringComparer.Ordinal);
        if (context.Has(SnapshotSection.Namespaces))
            foreach (var ns in context.Kubernetes.Namespaces!.All)
                if (ns.Metadata?.Name is { } n && NamespacesAsBoundaries.OwnerLabel(ns, context.Settings.TenantLabelKeys) is { } owner)
                    tenantOf[n] = owner.Value;

        // node → tenant → namespaces/pods; DaemonSet pods are per-node agents, not tenants choosing a node.
        var placement = new Dictionary<string, SortedDictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        foreach (var pod in context.Kubernetes.Pods!.All)
        {
            if (pod.Spec?.NodeName is not { Length: > 0 } node || pod.Status?.Phase is "Succeeded" or "Failed") continue;
            var ns = pod.Metadata?.NamespaceProperty ?? "";
            if (context.Settings.IsSystemNamespace(ns)) continue;
            if (pod.Metadata?.OwnerReferences?.Any(o => o.Kind == "DaemonSet") == true) continue;
            var tenant = tenantOf.GetValueOrDefault(ns) ?? ns;
            if (!placement.TryGetValue(node, out var tenants)) placement[node] = tenants = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            if (!tenants.TryGetValue(tenant, out var namespaces)) tenants[tenant] = namespaces = new SortedSet<string>(StringComparer.Ordinal);
            namespaces.Add(ns);
        }

        foreach (var node in context.Kubernetes.Nodes!.All)
        {
            var name = NodeFacts.Name(node);
            var resource = NodeFacts.Ref(node);
            var tenants = placement.GetValueOrDefault(name);
            var taints = node.Spec?.Taints ?? [];
            var evidence = new List<string>
            {
                taints.Count == 0 ? "taints: none" : $"taints: {string.Join(", ", taints.Select(t => $"{t.Key}={t.Value}:{t.Effect}"))}",
            };
            if (tenants is null || tenants.Count == 0)
            {
                evidence.Add("tenant pods: none");
                yield return context.Pass(resource, $"Node {name} runs no tenant pods.", evidence);
                continue;
            }
            evidence.AddRange(tenants.Select(t => $"tenant {t.Key}: namespace(s) {string.Join(", ", t.Value)}"));
            if (tenants.Count == 1)
                yield return context.Pass(resource, $"Node {name} runs pods of one tenant only ({tenants.Keys.First()}).", evidence);
            else
                yield return context.Warn(resource,
                    $"Node {name} is shared by {tenants.Count.ToString(CultureInfo.InvariantCulture)} tenants: {Pod.PodRuleSupport.JoinCapped(tenants.Keys.ToList(), 10)}.", evidence);
        }
    }
}
