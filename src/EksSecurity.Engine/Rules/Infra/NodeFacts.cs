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

    /// <summary>(major, minor) of "v1.33.4-eks-1234567", "1.33", "1.33+".</summary>
    public static (int Major, int Minor)? ParseMinor(string? version)
    {
        if (string.IsNullOrWhiteSpace(version)) return null;
        var parts = version.Trim().TrimStart('v', 'V').Split('.');
        if (parts.Length < 2) return null;
        var minorDigits = new string(parts[1].TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) &&
               int.TryParse(minorDigits, NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            ? (major, minor)
            : null;
    }

    /// <summary>The control plane's (major, minor) and where it came from: the EKS description, else the API server's /version.</summary>
    public static ((int Major, int Minor) Version, string Source)? ControlPlaneVersion(RuleContext context)
    {
        if (context.Has(SnapshotSection.Cluster) && ParseMinor(context.Aws.Cluster?.Value?.Version) is { } eks)
            return (eks, $"cluster.version = {context.Aws.Cluster!.Value!.Version}");
        if (context.Has(SnapshotSection.ServerVersion) && context.Kubernetes.ServerVersion?.Value is { } v &&
            ParseMinor($"{v.Major}.{v.Minor}") is { } api)
            return (api, $"API server /version = {v.GitVersion ?? $"{v.Major}.{v.Minor}"}");
        return null;
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
