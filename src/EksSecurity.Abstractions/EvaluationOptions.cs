namespace EksSecurity;

/// <summary>Which rules to run and which findings to return.</summary>
public sealed class EvaluationOptions
{
    /// <summary>Exact rule ids to run; null runs every rule.</summary>
    public IReadOnlyCollection<string>? RuleIds { get; init; }
    /// <summary>Statuses to return; null returns all.</summary>
    public IReadOnlyCollection<FindingStatus>? Statuses { get; init; }
    /// <summary>How many rules evaluate at once; 0 means one per processor.</summary>
    public int MaxParallelism { get; init; }
    /// <summary>Exclusions to apply; null applies the engine's defaults (<see cref="IEksSecurityEngine.DefaultExclusions"/>).</summary>
    public IReadOnlyList<EksSecurityExclusion>? Exclusions { get; init; }
}
