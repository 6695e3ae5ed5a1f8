using System.Globalization;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Tenant;

/// <summary>
/// EKS-TENANT-004: inventory of the namespaces that hold workloads, with the team or tenant label that makes each an administrative
/// boundary; namespaces with workloads but no owner label warn.
/// </summary>
public sealed class NamespacesAsBoundaries : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-TENANT-004",
        Title = "Namespaces used as administrative boundaries",
        Severity = Severity.Informational,
        Area = RuleArea.Tenant,
        Rationale = "Namespaces are the unit RBAC, ResourceQuotas, LimitRanges, NetworkPolicies and Pod Security labels apply to. They only work as " +
                    "boundaries when each one belongs to a known team or application: a namespace nobody owns collects unrelated workloads, and " +
                    "nobody decides who may deploy there or what its policies should be.",
        Remediation = "Give every application namespace an owner label and keep one team or application per namespace:\n" +
                      "kubectl label namespace <ns> team=<team>\n" +
                      "Then scope RoleBindings, quotas and policies to the namespaces of each team. Which labels count is the TenantLabelKeys setting.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/tenant-isolation.html",
            "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",
            "https://kubernetes.io/docs/concepts/security/multi-tenancy/",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.5.1", "Kubescape C-0209"],
        Reads = [SnapshotSection.Namespaces, SnapshotSection.Pods],
        OptionallyReads = [.. Kubernetes.PodSpecSource.WorkloadSections],
        ClusterWide = true,
        Tags = ["multi-tenancy", "namespace", "inventory"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var workloads = context.Index.PodSpecs.GroupBy(s => s.Namespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.GroupBy(s => s.Kind).OrderBy(k => k.Key, StringComparer.Ordinal)
                .Select(k => $"{k.Count().ToString(CultureInfo.InvariantCulture)} {k.Key}").ToList(), StringComparer.Ordinal);
        foreach (var ns in context.Kubernetes.Namespaces!.All)
        {
            var name = ns.Metadata?.Name;
            if (string.IsNullOrEmpty(name) || context.Settings.IsSystemNamespace(name)) continue;
            var resource = new ResourceRef("Namespace", name, name);
            var owner = OwnerLabel(ns, context.Settings.TenantLabelKeys);
            var held = workloads.GetValueOrDefault(name);
            var evidence = new List<string>
            {
                held is null ? "workloads: none" : $"workloads: {string.Join(", ", held)}",
                owner is { } o ? $"owner label {o.Key} = {o.Value}" : $"owner labels: none of {string.Join(", ", context.Settings.TenantLabelKeys)}",
            };
            if (held is null)
                yield return context.Pass(resource, $"Namespace {name} holds no workloads" + (owner is { } e ? $" (owner {e.Value})." : "."), evidence);
            else if (owner is { } o2)
                yield return context.Pass(resource, $"Namespace {name} belongs to {o2.Value} ({o2.Key}).", evidence);
            else
                yield return context.Warn(resource, $"Namespace {name} holds workloads but names no owning team or tenant.", evidence);
        }
    }

    /// <summary>The first of <paramref name="keys"/> set on the namespace.</summary>
    internal static KeyValuePair<string, string>? OwnerLabel(V1Namespace ns, IReadOnlyList<string> keys)
    {
        var labels = ns.Metadata?.Labels;
        if (labels is null) return null;
        foreach (var key in keys)
            if (labels.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value))
                return new KeyValuePair<string, string>(key, value);
        return null;
    }
}
