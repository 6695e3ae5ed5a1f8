using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Engine.Rules;

/// <summary>What a rule sees while it runs: the snapshot, the settings, and finding factories that fill in the rule's metadata.</summary>
public sealed class RuleContext
{
    public RuleContext(ClusterSnapshot snapshot, EksSecurityRule rule, RuleSettings settings)
    {
        Snapshot = snapshot;
        Rule = rule;
        Settings = settings;
    }

    public ClusterSnapshot Snapshot { get; }
    public EksSecurityRule Rule { get; }
    public RuleSettings Settings { get; }

    public SnapshotIndex Index => Snapshot.Index;
    public AwsSections Aws => Snapshot.Aws;
    public KubernetesSections Kubernetes => Snapshot.Kubernetes;

    /// <summary>The cluster's Kubernetes minor version (1.N → N), from the EKS description or the API server; null when neither is known.</summary>
    public int? KubernetesMinor
    {
        get
        {
            if (Has(SnapshotSection.Cluster) && ParseMinor(Snapshot.Aws.Cluster?.Value?.Version) is { } fromEks) return fromEks;
            if (Has(SnapshotSection.ServerVersion) && Snapshot.Kubernetes.ServerVersion?.Value is { } v &&
                v.Major?.Trim() == "1" && ParseMinor("1." + v.Minor) is { } fromApi)
                return fromApi;
            return null;
        }
    }

    /// <summary>"1.29", "v1.29.3" or "1.29+" to 29; null for anything else.</summary>
    public static int? ParseMinor(string? version)
    {
        if (string.IsNullOrWhiteSpace(version)) return null;
        var parts = version.Trim().TrimStart('v').Split('.');
        if (parts.Length < 2 || parts[0] != "1") return null;
        var digits = new string(parts[1].TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, out var minor) ? minor : null;
    }

    /// <summary>True when an optional section is present and complete.</summary>
    public bool Has(SnapshotSection section) => Snapshot.GetSection(section)?.IsCollected == true;

    public EksSecurityFinding Finding(FindingStatus status, ResourceRef resource, string message,
        IEnumerable<string>? evidence = null, Severity? severity = null)
    {
        if (resource.SourcePath is null && Snapshot.SourceLocations.Count > 0 &&
            Snapshot.SourceLocations.TryGetValue((resource.Type, resource.Namespace ?? "", resource.Name), out var source))
            resource = resource with { SourcePath = source.Path, SourceLine = source.Line };
        return Create(status, resource, message, evidence, severity);
    }

    private EksSecurityFinding Create(FindingStatus status, ResourceRef resource, string message,
        IEnumerable<string>? evidence, Severity? severity) => new()
    {
        ClusterName = Snapshot.ClusterName,
        Region = Snapshot.Region,
        AccountId = Snapshot.AccountId,
        ClusterArn = Snapshot.ClusterArn,
        RuleId = Rule.Id,
        Title = Rule.Title,
        Area = Rule.Area,
        Severity = severity ?? Rule.Severity,
        Status = status,
        ResourceType = resource.Type,
        Namespace = resource.Namespace ?? "",
        ResourceName = resource.Name,
        Message = message,
        Evidence = evidence?.ToArray() ?? [],
        Remediation = Rule.Remediation,
        HelpUri = Rule.HelpUri,
        SourcePath = resource.SourcePath,
        SourceLine = resource.SourceLine,
    };

    public EksSecurityFinding Pass(ResourceRef resource, string message, IEnumerable<string>? evidence = null) =>
        Finding(FindingStatus.Pass, resource, message, evidence);

    public EksSecurityFinding Fail(ResourceRef resource, string message, IEnumerable<string>? evidence = null, Severity? severity = null) =>
        Finding(FindingStatus.Fail, resource, message, evidence, severity);

    public EksSecurityFinding Warn(ResourceRef resource, string message, IEnumerable<string>? evidence = null, Severity? severity = null) =>
        Finding(FindingStatus.Warning, resource, message, evidence, severity);

    public EksSecurityFinding Error(ResourceRef resource, string message, IEnumerable<string>? evidence = null) =>
        Finding(FindingStatus.Error, resource, message, evidence);

    /// <summary>The cluster itself as the judged resource.</summary>
    public ResourceRef Cluster => new("Cluster", null, string.IsNullOrEmpty(Snapshot.ClusterName) ? "(unnamed)" : Snapshot.ClusterName);
}

/// <summary>What a finding is about.</summary>
public readonly record struct ResourceRef(string Type, string? Namespace, string Name, string? SourcePath = null, int? SourceLine = null)
{
    public static ResourceRef Of(string type, k8s.Models.V1ObjectMeta? metadata) =>
        new(type, metadata?.NamespaceProperty, metadata?.Name ?? "(unnamed)");
}
