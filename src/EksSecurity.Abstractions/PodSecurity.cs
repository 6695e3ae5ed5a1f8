namespace EksSecurity;

/// <summary>The Pod Security Standards levels.</summary>
public enum PodSecurityLevel
{
    Privileged,
    Baseline,
    Restricted,
}

/// <summary>One failed Pod Security Standards check on one pod or workload template.</summary>
public sealed class PodSecurityViolation
{
    /// <summary>The upstream check id, such as runAsNonRoot or hostPathVolumes.</summary>
    public required string CheckId { get; init; }
    /// <summary>The admission controller's reason, such as "runAsNonRoot != true".</summary>
    public required string Reason { get; init; }
    /// <summary>The admission controller's detail, naming containers and fields.</summary>
    public required string Detail { get; init; }
    /// <summary>The containers the check names; empty for pod-level checks.</summary>
    public IReadOnlyList<string> Containers { get; init; } = [];

    /// <summary>"reason (detail)", as the API server prints it.</summary>
    public override string ToString() => Detail.Length == 0 ? Reason : $"{Reason} ({Detail})";
}

/// <summary>A pod or workload judged against one Pod Security Standards level and version.</summary>
public sealed class PodSecurityResult
{
    public string ClusterName { get; init; } = "";
    /// <summary>Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ReplicationController or PodTemplate.</summary>
    public required string Kind { get; init; }
    public string Namespace { get; init; } = "";
    public required string Name { get; init; }
    public required PodSecurityLevel Level { get; init; }
    /// <summary>The policy version asked for: v1.N or latest.</summary>
    public required string Version { get; init; }
    public required bool Allowed { get; init; }
    public IReadOnlyList<PodSecurityViolation> Violations { get; init; } = [];
    /// <summary>Where the level came from: the parameter, or a namespace's enforce label.</summary>
    public string LevelSource { get; init; } = "parameter";
    public string? SourcePath { get; init; }
    public int? SourceLine { get; init; }

    /// <summary>The API server's message for a denied pod, without the pod name prefix.</summary>
    public string Message => Allowed
        ? $"allowed by PodSecurity \"{Level.ToString().ToLowerInvariant()}:{Version}\""
        : $"violates PodSecurity \"{Level.ToString().ToLowerInvariant()}:{Version}\": {string.Join(", ", Violations)}";

    public override string ToString()
    {
        var ns = Namespace.Length == 0 ? "" : Namespace + "/";
        var where = SourcePath is null ? "" : $" ({SourcePath}{(SourceLine is null ? "" : ":" + SourceLine)})";
        return $"{Kind}/{ns}{Name}{where}: {Message}";
    }
}

/// <summary>What Test-EksPodSecurity evaluates at.</summary>
public sealed class PodSecurityOptions
{
    public PodSecurityLevel Level { get; init; } = PodSecurityLevel.Restricted;
    /// <summary>v1.0 to v1.N, or latest.</summary>
    public string Version { get; init; } = "latest";
    /// <summary>Take level and version from each namespace's pod-security.kubernetes.io/enforce labels instead.</summary>
    public bool UseNamespaceLabels { get; init; }
}
