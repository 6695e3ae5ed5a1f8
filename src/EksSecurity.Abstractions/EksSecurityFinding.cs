namespace EksSecurity;

/// <summary>
/// One rule's verdict on one resource. Flat and JSON-friendly: it pipes into AWS cmdlets
/// (ClusterName, Region), Where-Object, Export-Csv, ConvertTo-Json and Pester.
/// </summary>
public sealed record EksSecurityFinding
{
    public required string ClusterName { get; init; }
    public string? Region { get; init; }
    public string? AccountId { get; init; }
    public string? ClusterArn { get; init; }

    public required string RuleId { get; init; }
    public required string Title { get; init; }
    public required RuleArea Area { get; init; }
    public required Severity Severity { get; init; }
    public required FindingStatus Status { get; init; }

    /// <summary>The kind of resource judged: Cluster, Namespace, ClusterRoleBinding, ConfigMap, ...</summary>
    public required string ResourceType { get; init; }
    /// <summary>The namespace of a namespaced Kubernetes resource; empty otherwise.</summary>
    public string Namespace { get; init; } = "";
    public required string ResourceName { get; init; }

    /// <summary>What was found, in one sentence.</summary>
    public required string Message { get; init; }
    /// <summary>What the rule saw that led to the verdict (field paths and values, never secret data).</summary>
    public IReadOnlyList<string> Evidence { get; init; } = [];
    public string Remediation { get; init; } = "";
    public string HelpUri { get; init; } = "";

    /// <summary>The manifest file the resource came from, when scanning files.</summary>
    public string? SourcePath { get; init; }
    public int? SourceLine { get; init; }

    /// <summary>Kind/namespace/name, for tables and messages.</summary>
    public string Resource =>
        Namespace.Length == 0 || (ResourceType == "Namespace" && Namespace == ResourceName)
            ? $"{ResourceType}/{ResourceName}"
            : $"{ResourceType}/{Namespace}/{ResourceName}";

    public override string ToString()
    {
        var where = SourcePath is null ? "" : $" ({SourcePath}{(SourceLine is null ? "" : ":" + SourceLine)})";
        return $"{RuleId} {Status} [{Severity}] {ClusterName} {Resource}{where}: {Message}";
    }
}
