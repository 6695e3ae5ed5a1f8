using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Engine.Remediation;

/// <summary>
/// The namespaces of a snapshot and the cluster's IP family, for -AllNamespaces and -IPv6 detection. The family is eks:DescribeCluster's
/// <c>kubernetesNetworkConfig.ipFamily</c>; without it, the family of the <c>default/kubernetes</c> Service (an IPv6 cluster's
/// service network is IPv6 only).
/// </summary>
internal static class NamespaceInventory
{
    public static ClusterNamespaces From(ClusterSnapshot snapshot)
    {
        var section = snapshot.Kubernetes.Namespaces;
        var namespaces = (section?.All ?? [])
            .Where(n => !string.IsNullOrEmpty(n?.Metadata?.Name))
            .Select(n => new KubernetesNamespace
            {
                Name = n.Metadata.Name,
                Labels = new Dictionary<string, string>(n.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),
                Phase = n.Status?.Phase,
                IsSystem = KubernetesNames.IsSystemNamespace(n.Metadata.Name),
            })
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
        return new ClusterNamespaces
        {
            ClusterName = snapshot.ClusterName,
            IpFamily = IpFamily(snapshot),
            Collected = section is { IsCollected: true },
            Problem = section is null ? "the snapshot holds no namespaces"
                : section.IsCollected ? null
                : $"namespaces were not collected ({section.Status}{(section.Permission is null ? "" : $": {section.Permission}")}{(section.Reason is null ? "" : $": {section.Reason}")})",
            Namespaces = namespaces,
        };
    }

    /// <summary>ipv4 or ipv6, lower case as EKS writes it; null when nothing tells.</summary>
    public static string? IpFamily(ClusterSnapshot snapshot)
    {
        if (snapshot.Aws.Cluster?.Value?.KubernetesNetworkConfig?.IpFamily is { Length: > 0 } family) return family.ToLowerInvariant();
        var api = snapshot.Kubernetes.Services?.All.FirstOrDefault(s => s?.Metadata?.Name == "kubernetes" && s.Metadata.NamespaceProperty == "default");
        if (api?.Spec is not { } spec) return null;
        if (spec.IpFamilies is { Count: > 0 } families) return families[0].ToLowerInvariant();
        return spec.ClusterIP is { Length: > 0 } ip ? (ip.Contains(':') ? "ipv6" : "ipv4") : null;
    }
}
