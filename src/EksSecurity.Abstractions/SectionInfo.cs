namespace EksSecurity;

/// <summary>How one snapshot section was obtained, and how many items it holds.</summary>
public sealed class SectionInfo
{
    public SnapshotSection Section { get; init; }
    public SectionStatus Status { get; init; }
    /// <summary>The permission that was missing when <see cref="Status"/> is Denied (an IAM action or a Kubernetes verb and resource).</summary>
    public string? Permission { get; init; }
    /// <summary>Why collection failed or was denied.</summary>
    public string? Reason { get; init; }
    public int ItemCount { get; init; }

    /// <summary>A sentence for an Error finding: what is missing and why.</summary>
    public string Describe() => Status switch
    {
        SectionStatus.Collected => $"{Section} was collected ({ItemCount} items)",
        SectionStatus.Denied => $"{Section} was denied" + (Permission is null ? "" : $" (missing permission: {Permission})") + (Reason is null ? "" : $": {Reason}"),
        SectionStatus.Failed => $"{Section} could not be collected" + (Reason is null ? "" : $": {Reason}"),
        _ => $"{Section} was not collected",
    };

    public override string ToString() => Describe();
}
