namespace EksSecurity;

/// <summary>
/// A documented exception: findings of the matching rules on the matching resources become
/// Suppressed (never Pass) with the reason attached. The engine ships a default set for EKS's own
/// system workloads (Get-EksSecurityExclusion lists it); users can add their own or drop the defaults.
/// </summary>
public sealed class EksSecurityExclusion
{
    /// <summary>Rule ids (wildcards allowed) the exclusion applies to.</summary>
    public required IReadOnlyList<string> RuleId { get; init; }
    /// <summary>Namespace (wildcards allowed); "*" for any, "" for cluster-scoped resources.</summary>
    public string Namespace { get; init; } = "*";
    /// <summary>Resource types (Pod, DaemonSet, ...); empty for any.</summary>
    public IReadOnlyList<string> ResourceType { get; init; } = [];
    /// <summary>Resource name (wildcards allowed).</summary>
    public string ResourceName { get; init; } = "*";
    /// <summary>Why the exception is acceptable. Shown on every suppressed finding.</summary>
    public required string Reason { get; init; }
    /// <summary>True for the engine's built-in EKS system baseline.</summary>
    public bool IsDefault { get; init; }

    public override string ToString() =>
        $"{string.Join(",", RuleId)} on {(ResourceType.Count == 0 ? "*" : string.Join(",", ResourceType))}/{Namespace}/{ResourceName}: {Reason}";
}
