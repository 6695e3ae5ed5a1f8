using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Engine.Rules;

/// <summary>Runs rules over a snapshot: in parallel, with the Error and NotApplicable guarantees, in a deterministic order.</summary>
public sealed class RuleRunner
{
    private readonly RuleCatalog _catalog;
    private readonly RuleSettings _settings;

    public RuleRunner(RuleCatalog catalog, RuleSettings settings)
    {
        _catalog = catalog;
        _settings = settings;
    }

    public IReadOnlyList<EksSecurityFinding> Run(ClusterSnapshot snapshot, EvaluationOptions options, CancellationToken cancellationToken)
    {
        var selected = (options.RuleIds is null
            ? _catalog.Rules
            : _catalog.Rules.Where(r => options.RuleIds.Contains(r.Metadata.Id, StringComparer.OrdinalIgnoreCase)))
            .Where(r => AppliesTo(r, snapshot))
            .ToList();
        var exclusions = options.Exclusions ?? DefaultExclusions.All;
        var results = new IReadOnlyList<EksSecurityFinding>[selected.Count];
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = options.MaxParallelism > 0 ? options.MaxParallelism : Environment.ProcessorCount,
        };
        // Indexes are shared by many rules; build them before the rules race for them.
        _ = snapshot.Index;
        Parallel.For(0, selected.Count, parallel, i => results[i] = Suppress(RunOne(selected[i], snapshot), exclusions));

        var statuses = options.Statuses is null ? null : new HashSet<FindingStatus>(options.Statuses);
        var findings = new List<EksSecurityFinding>();
        foreach (var list in results)
            foreach (var finding in list)
                if (statuses is null || statuses.Contains(finding.Status))
                    findings.Add(finding);
        return findings;
    }

    /// <summary>Manifests carry Kubernetes objects only: rules that need AWS data, or judge the whole cluster, do not apply to them.</summary>
    public static bool AppliesTo(Rule rule, ClusterSnapshot snapshot) =>
        snapshot.Origin != SnapshotOrigin.Manifests || rule.Metadata.AppliesToManifests;

    /// <summary>Fail and Warning findings an exclusion covers become Suppressed, with its reason; nothing else changes.</summary>
    public static IReadOnlyList<EksSecurityFinding> Suppress(IReadOnlyList<EksSecurityFinding> findings, IReadOnlyList<EksSecurityExclusion> exclusions)
    {
        if (exclusions.Count == 0) return findings;
        List<EksSecurityFinding>? changed = null;
        for (var i = 0; i < findings.Count; i++)
        {
            var finding = findings[i];
            if (finding.Status is not (FindingStatus.Fail or FindingStatus.Warning)) continue;
            var exclusion = exclusions.FirstOrDefault(e => DefaultExclusions.Matches(e, finding));
            if (exclusion is null) continue;
            changed ??= findings.ToList();
            changed[i] = finding with
            {
                Status = FindingStatus.Suppressed,
                Evidence = [.. finding.Evidence, $"suppressed ({finding.Status} without it) by {(exclusion.IsDefault ? "the default EKS system exclusion" : "an exclusion")}: {exclusion.Reason}"],
            };
        }
        return changed ?? findings;
    }

    /// <summary>One rule: Error when its data is missing or it throws, NotApplicable when it judged nothing.</summary>
    public IReadOnlyList<EksSecurityFinding> RunOne(Rule rule, ClusterSnapshot snapshot)
    {
        var context = new RuleContext(snapshot, rule.Metadata, _settings);
        var missing = rule.Metadata.Reads
            .Select(snapshot.DescribeSection)
            .Where(s => s.Status != SectionStatus.Collected)
            .ToList();
        if (missing.Count > 0)
        {
            var message = "Could not evaluate: " + string.Join("; ", missing.Select(s => s.Describe())) + ".";
            return [context.Error(context.Cluster, message, missing.Select(s => $"section {s.Section}: {s.Status}" + (s.Permission is null ? "" : $" (needs {s.Permission})")))];
        }
        try
        {
            var findings = rule.Evaluate(context).ToList();
            if (findings.Count == 0)
                findings.Add(context.Finding(FindingStatus.NotApplicable, context.Cluster, "Nothing in this cluster is subject to this rule."));
            return findings;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A rule that throws must show up, never vanish from the report.
            return [context.Error(context.Cluster, $"The rule failed while evaluating: {ex.GetType().Name}: {ex.Message}")];
        }
    }
}
