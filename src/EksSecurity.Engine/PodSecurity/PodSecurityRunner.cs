using EksSecurity.Engine.Kubernetes;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Engine.PodSecurity;

/// <summary>
/// Test-EksPodSecurity over a snapshot: every pod spec of <see cref="SnapshotIndex.PodSpecs"/>
/// (bare pods and workload templates), in that order, judged at the options' level and version
/// or at each namespace's <c>pod-security.kubernetes.io/enforce</c> labels.
/// </summary>
internal static class PodSecurityRunner
{
    public const string EnforceLevelLabel = "pod-security.kubernetes.io/enforce";
    public const string EnforceVersionLabel = "pod-security.kubernetes.io/enforce-version";

    public static IReadOnlyList<PodSecurityResult> Run(ClusterSnapshot snapshot, PodSecurityOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        if (!PodSecurityVersion.TryParse(options.Version, out var version))
            throw new EksSecurityException("InvalidPodSecurityVersion", EksErrorKind.InvalidArgument,
                $"The Pod Security version \"{options.Version}\" is not valid: use {PodSecurityVersion.AcceptedForms}.", options.Version);
        if (!Enum.IsDefined(options.Level))
            throw new EksSecurityException("InvalidPodSecurityLevel", EksErrorKind.InvalidArgument,
                $"The Pod Security level \"{options.Level}\" is not valid: use privileged, baseline or restricted.", options.Level.ToString());
        cancellationToken.ThrowIfCancellationRequested();

        var parameterPolicy = new Policy(options.Level, version, version.ToString(), "parameter");
        Dictionary<string, Policy>? byNamespace = null;
        Dictionary<string, V1Namespace>? namespaces = null;
        string? namespacesMissing = null;
        if (options.UseNamespaceLabels)
        {
            byNamespace = new Dictionary<string, Policy>(StringComparer.Ordinal);
            namespaces = new Dictionary<string, V1Namespace>(StringComparer.Ordinal);
            var section = snapshot.Kubernetes.Namespaces;
            if (section is null || !section.IsCollected)
                namespacesMissing = section is null ? "namespaces are not in the snapshot" : $"namespaces were not collected ({section.Status})";
            foreach (var ns in section?.Items ?? [])
                if (ns?.Metadata?.Name is { } name) namespaces.TryAdd(name, ns);
        }

        var specs = snapshot.Index.PodSpecs;
        var results = new List<PodSecurityResult>(specs.Count);
        var locations = snapshot.SourceLocations;
        foreach (var source in specs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var policy = parameterPolicy;
            if (byNamespace is not null)
            {
                var ns = source.Namespace;
                if (!byNamespace.TryGetValue(ns, out policy))
                {
                    policy = FromNamespace(ns, namespaces!, namespacesMissing, parameterPolicy);
                    byNamespace[ns] = policy;
                }
            }

            var violations = PodSecurityEvaluator.Evaluate(source.PodMetadata, source.Spec, policy.Level, policy.Version);
            string? path = null;
            int? line = null;
            if (locations.Count > 0 && locations.TryGetValue((source.Kind, source.Namespace, source.Metadata.Name ?? ""), out var where))
            {
                path = where.Path;
                line = where.Line;
            }
            results.Add(new PodSecurityResult
            {
                ClusterName = snapshot.ClusterName,
                Kind = source.Kind,
                Namespace = source.Namespace,
                Name = source.Name,
                Level = policy.Level,
                Version = policy.VersionText,
                Allowed = violations.Count == 0,
                Violations = violations,
                LevelSource = policy.Source,
                SourcePath = path,
                SourceLine = line,
            });
        }
        return results;
    }

    private sealed record Policy(PodSecurityLevel Level, PodSecurityVersion Version, string VersionText, string Source);

    /// <summary>
    /// The enforce policy of a namespace, as the admission controller's <c>PolicyToEvaluate</c>
    /// with the default configuration (privileged:latest): an invalid level label is evaluated
    /// as restricted, an invalid version label as latest.
    /// </summary>
    private static Policy FromNamespace(string ns, Dictionary<string, V1Namespace> namespaces, string? namespacesMissing, Policy fallback)
    {
        // A manifest without a namespace is created in the current namespace, normally "default".
        var lookup = ns.Length == 0 ? "default" : ns;
        var who = ns.Length == 0 ? "no namespace (looked up as namespace \"default\")" : $"namespace \"{ns}\"";
        if (!namespaces.TryGetValue(lookup, out var nsObject))
        {
            // Unknown labels must not read as "privileged, all allowed": judge at the level asked for instead.
            var why = namespacesMissing ?? "is not in the input";
            var text = namespacesMissing is null ? $"{who} {why}" : $"{who}: {why}";
            return fallback with { Source = $"{text}: its labels are unknown, so the -Level/-Version asked for is used" };
        }

        var labels = nsObject.Metadata?.Labels;
        string? levelText = null, versionText = null;
        var hasLevel = labels is not null && labels.TryGetValue(EnforceLevelLabel, out levelText);
        var hasVersion = labels is not null && labels.TryGetValue(EnforceVersionLabel, out versionText);

        PodSecurityLevel level;
        string levelPart;
        if (!hasLevel)
        {
            level = PodSecurityLevel.Privileged;
            levelPart = $"no {EnforceLevelLabel} label: privileged (the admission controller's default)";
        }
        else if (TryParseLevel(levelText, out level))
        {
            levelPart = $"{EnforceLevelLabel}={levelText}";
        }
        else
        {
            level = PodSecurityLevel.Restricted;
            levelPart = $"invalid {EnforceLevelLabel}=\"{levelText}\" (must be privileged, baseline or restricted): evaluated as restricted, as the admission controller does";
        }

        PodSecurityVersion version;
        string versionPart;
        if (!hasVersion)
        {
            version = PodSecurityVersion.Latest;
            versionPart = $"no {EnforceVersionLabel} label: latest";
        }
        else if (PodSecurityVersion.TryParse(versionText, out version))
        {
            versionPart = $"{EnforceVersionLabel}={versionText}";
        }
        else
        {
            version = PodSecurityVersion.Latest;
            versionPart = $"invalid {EnforceVersionLabel}=\"{versionText}\" (must be \"latest\" or \"v1.x\"): evaluated as latest, as the admission controller does";
        }

        return new Policy(level, version, version.ToString(), $"{who}: {levelPart}; {versionPart}");
    }

    /// <summary>upstream api.ParseLevel: exact, case-sensitive.</summary>
    internal static bool TryParseLevel(string? text, out PodSecurityLevel level)
    {
        switch (text)
        {
            case "privileged": level = PodSecurityLevel.Privileged; return true;
            case "baseline": level = PodSecurityLevel.Baseline; return true;
            case "restricted": level = PodSecurityLevel.Restricted; return true;
            default: level = PodSecurityLevel.Restricted; return false;
        }
    }
}
