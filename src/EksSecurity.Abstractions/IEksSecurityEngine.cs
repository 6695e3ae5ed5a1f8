namespace EksSecurity;

/// <summary>
/// The engine behind every cmdlet. It lives in an isolated load context with the AWS SDK,
/// KubernetesClient and YamlDotNet; only types of this assembly cross the boundary.
/// </summary>
public interface IEksSecurityEngine
{
    /// <summary>The rule catalogue, ordered by id.</summary>
    IReadOnlyList<EksSecurityRule> Rules { get; }

    /// <summary>Reads a snapshot file (JSON, gzip accepted). Throws <see cref="EksSecurityException"/> naming the file and the problem.</summary>
    IClusterSnapshot ReadSnapshot(string path, CancellationToken cancellationToken = default);

    /// <summary>Runs the selected rules over a snapshot; findings in rule-id order, deterministic.</summary>
    IReadOnlyList<EksSecurityFinding> Evaluate(IClusterSnapshot snapshot, EvaluationOptions options, CancellationToken cancellationToken = default);

    /// <summary>The built-in exclusions for EKS's own system workloads.</summary>
    IReadOnlyList<EksSecurityExclusion> DefaultExclusions { get; }

    /// <summary>
    /// Reads Kubernetes manifests (YAML, JSON, lists, directories, text) into a snapshot of the
    /// Kubernetes sections, every object remembering its file and line. Bad input is reported to
    /// <paramref name="log"/> and never stops the other inputs.
    /// </summary>
    IClusterSnapshot ReadManifests(ManifestRequest request, IEngineLog log, CancellationToken cancellationToken = default);

    /// <summary>Evaluates every pod and workload template of a snapshot against the Pod Security Standards.</summary>
    IReadOnlyList<PodSecurityResult> EvaluatePodSecurity(IClusterSnapshot snapshot, PodSecurityOptions options, CancellationToken cancellationToken = default);
}
