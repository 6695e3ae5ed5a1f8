namespace EksSecurity.Engine.Rules.Tenant;

/// <summary>EKS-TENANT-001: every non-system namespace has a ResourceQuota that limits something.</summary>
public sealed class NamespaceHasResourceQuota : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-TENANT-001",
        Title = "ResourceQuota per namespace",
        Severity = Severity.Medium,
        Area = RuleArea.Tenant,
        Rationale = "Without a ResourceQuota, one namespace can claim all CPU, memory, pods, load balancers or volumes the cluster has, " +
                    "by mistake or on purpose, and starve every other tenant. A quota bounds what a namespace can consume " +
                    "and, for compute, makes every pod declare requests and limits.",
        Remediation = "Apply a quota sized for the namespace, for example: kubectl apply -n <ns> -f - <<EOF\n" +
                      "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute\nspec:\n  hard:\n    requests.cpu: \"8\"\n    requests.memory: 16Gi\n" +
                      "    limits.memory: 32Gi\n    pods: \"100\"\n    services.loadbalancers: \"2\"\n    persistentvolumeclaims: \"20\"\nEOF",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/tenant-isolation.html",
            "https://kubernetes.io/docs/concepts/policy/resource-quotas/",
        ],
        Frameworks = ["HardenEKS ensure_namespace_quotas_exist"],
        Reads = [SnapshotSection.Namespaces, SnapshotSection.ResourceQuotas],
        Tags = ["multi-tenancy", "namespace", "quota"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var quotas = context.Kubernetes.ResourceQuotas!.All.ToLookup(q => q.Metadata?.NamespaceProperty ?? "", StringComparer.Ordinal);
        foreach (var ns in context.Kubernetes.Namespaces!.All)
        {
            var name = ns.Metadata?.Name;
            if (string.IsNullOrEmpty(name) || context.Settings.IsSystemNamespace(name)) continue;
            var resource = new ResourceRef("Namespace", name, name);
            var inNamespace = quotas[name].ToList();
            var evidence = inNamespace.Count == 0
                ? ["no ResourceQuota in the namespace"]
                : inNamespace.Select(q =>
                {
                    var hard = q.Spec?.Hard;
                    return $"ResourceQuota {q.Metadata?.Name ?? "(unnamed)"}: spec.hard = " +
                           (hard is null || hard.Count == 0 ? "(empty)" : "{" + string.Join(", ", hard.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}={h.Value}")) + "}");
                }).ToList();
            var effective = inNamespace.Where(q => q.Spec?.Hard is { Count: > 0 }).Select(q => q.Metadata?.Name ?? "(unnamed)").ToList();
            if (effective.Count > 0)
                yield return context.Pass(resource, $"Namespace {name} is bounded by ResourceQuota {string.Join(", ", effective)}.", evidence);
            else if (inNamespace.Count > 0)
                yield return context.Fail(resource, $"Namespace {name} has ResourceQuota object(s) with no spec.hard limits, which bound nothing.", evidence);
            else
                yield return context.Fail(resource, $"Namespace {name} has no ResourceQuota: its workloads can consume the cluster's capacity without bound.", evidence);
        }
    }
}
