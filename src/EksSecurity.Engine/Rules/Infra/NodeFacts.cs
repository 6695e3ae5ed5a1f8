using System.Globalization;
using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>What the node rules (EKS-INFRA-003 to 008, EKS-HEALTH-001 to 008) read from a v1 Node. Not a rule.</summary>
internal static class NodeFacts
{
    public static string Name(V1Node node) => node.Metadata?.Name is { Length: > 0 } n ? n : "(unnamed)";

    public static ResourceRef Ref(V1Node node) => new("Node", null, Name(node));

    public static string? Label(V1Node node, string key) =>
        node.Metadata?.Labels?.TryGetValue(key, out var v) == true && !string.IsNullOrEmpty(v) ? v : null;

    /// <summary>fargate, auto, hybrid or another value of eks.amazonaws.com/compute-type; null for EC2 nodes without it.</summary>
    public static string? ComputeType(V1Node node) => Label(node, KubeletConfigSample.ComputeTypeLabel)?.ToLowerInvariant();

    public static bool IsFargate(V1Node node) => ComputeType(node) == "fargate" || Name(node).StartsWith("fargate-", StringComparison.Ordinal);

    public static bool IsWindows(V1Node node) =>
        Label(node, "kubernetes.io/os") == "windows" || string.Equals(node.Status?.NodeInfo?.OperatingSystem, "windows", StringComparison.OrdinalIgnoreCase);

    /// <summary>"i-0123..." from providerID "aws:///eu-west-1a/i-0123..."; null otherwise.</summary>
    public static string? InstanceId(V1Node node)
    {
        var provider = node.Spec?.ProviderID;
        if (string.IsNullOrEmpty(provider) || !provider.StartsWith("aws://", StringComparison.Ordinal)) return null;
        var last = provider[(provider.LastIndexOf('/') + 1)..];
        return last.StartsWith("i-", StringComparison.Ordinal) ? last : null;
    }

    /// <summary>
    /// The control plane's minor version (<see cref="RuleContext.KubernetesMinor"/>) and, for evidence, where it came from:
    /// the EKS description, else the API server's /version.
    /// </summary>
    public static (int Minor, string Source)? ControlPlaneMinor(RuleContext context)
    {
        if (context.KubernetesMinor is not { } minor) return null;
        var source = context.Has(SnapshotSection.Cluster) && RuleContext.ParseMinor(context.Aws.Cluster?.Value?.Version) == minor
            ? $"cluster.version = {context.Aws.Cluster!.Value!.Version}"
            : $"API server /version = {context.Kubernetes.ServerVersion?.Value?.GitVersion ?? $"1.{minor}"}";
        return (minor, source);
    }

    /// <summary>The node's condition of this type, or null.</summary>
    public static V1NodeCondition? Condition(V1Node node, string type) =>
        node.Status?.Conditions?.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal));

    /// <summary>"3d 4h", "25m": a readable span, for "NotReady for ...".</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        if (span.TotalDays >= 1) return $"{(int)span.TotalDays}d {span.Hours}h";
        if (span.TotalHours >= 1) return $"{(int)span.TotalHours}h {span.Minutes}m";
        return $"{(int)span.TotalMinutes}m";
    }

    public static string Day(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
