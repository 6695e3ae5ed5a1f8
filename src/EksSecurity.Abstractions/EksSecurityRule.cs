namespace EksSecurity;

/// <summary>A rule of the catalogue: its stable id, what it checks, why, and how to fix it.</summary>
public sealed class EksSecurityRule
{
    /// <summary>Stable id, such as EKS-IAM-001. Never renumbered.</summary>
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required Severity Severity { get; init; }
    public required RuleArea Area { get; init; }
    /// <summary>Why the check matters.</summary>
    public required string Rationale { get; init; }
    /// <summary>How to fix a failure.</summary>
    public required string Remediation { get; init; }
    /// <summary>Links to the EKS Best Practices Guide and other sources.</summary>
    public IReadOnlyList<string> References { get; init; } = [];
    /// <summary>Control ids in other frameworks, such as "CIS EKS 1.8.0 4.1.1".</summary>
    public IReadOnlyList<string> Frameworks { get; init; } = [];
    /// <summary>Snapshot sections the rule cannot judge without.</summary>
    public IReadOnlyList<SnapshotSection> Reads { get; init; } = [];
    /// <summary>Snapshot sections the rule uses when present, and judges without otherwise.</summary>
    public IReadOnlyList<SnapshotSection> OptionallyReads { get; init; } = [];
    /// <summary>
    /// True for rules that judge the cluster as a whole (is an admission mechanism installed?):
    /// a set of manifest files is not a cluster, so they do not run on manifests.
    /// </summary>
    public bool ClusterWide { get; init; }

    /// <summary>Whether the rule runs on manifest files: it needs no AWS data and does not judge the whole cluster.</summary>
    public bool AppliesToManifests => !ClusterWide && !Reads.Any(s => s <= SnapshotSection.KmsKey);

    /// <summary>Free-form tags for selection, such as "cis" or "aws-auth".</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The relative path of the rule's documentation page in the module's docs.</summary>
    public string HelpUri => $"docs/rules/{Id}.md";

    public override string ToString() => $"{Id} [{Severity}] {Title}";
}
