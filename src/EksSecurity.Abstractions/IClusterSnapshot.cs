namespace EksSecurity;

/// <summary>A snapshot as the cmdlets see it: identity and section states. The data stays in the engine.</summary>
public interface IClusterSnapshot
{
    int SchemaVersion { get; }
    string ClusterName { get; }
    string? Region { get; }
    string? AccountId { get; }
    string? ClusterArn { get; }
    DateTimeOffset? CollectedAt { get; }
    /// <summary>The file it was read from, if any.</summary>
    string? SourcePath { get; }
    IReadOnlyList<SectionInfo> Sections { get; }
}
