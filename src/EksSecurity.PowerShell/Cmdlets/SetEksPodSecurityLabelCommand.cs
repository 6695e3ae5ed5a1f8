using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// Set-EksPodSecurityLabel: the Pod Security admission labels of namespaces (pod-security.kubernetes.io/&lt;mode&gt;=&lt;level&gt;, and
/// &lt;mode&gt;-version with -Version) on a live cluster. First it judges the namespaces' existing pods at the new level, as the API
/// server does when the enforce label changes, and warns about those that would be refused; -WhatIf stops there. The labels
/// are a merge patch through ShouldProcess, sent only where they differ. One result per namespace.
/// </summary>
[Cmdlet(VerbsCommon.Set, "EksPodSecurityLabel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PodSecurityLabelResult))]
public sealed class SetEksPodSecurityLabelCommand : EksRemediationCmdlet
{
    private const string LabelPrefix = "pod-security.kubernetes.io/";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceNameTransformation]
    [AllowEmptyString]
    public string[] Namespace { get; set; } = [];

    [Parameter(Mandatory = true, Position = 1)]
    public PodSecurityLevel Level { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public PodSecurityMode[] Mode { get; set; } = [];

    [Parameter]
    [ValidatePattern(@"^(v1\.(0|[1-9][0-9]*)|latest)$", Options = System.Text.RegularExpressions.RegexOptions.None)]
    public string? Version { get; set; }

    protected override void ProcessRecord() => AddNamespaces(Namespace);

    protected override void EndProcessing()
    {
        if (Namespaces.Count == 0)
        {
            base.EndProcessing();
            return;
        }
        var access = RequireAccess("Set-EksPodSecurityLabel");
        var snapshot = ReadCluster(new KubernetesReadRequest { Namespaces = Namespaces, Pods = true }, "Set-EksPodSecurityLabel");
        var cluster = NamespacesOf(snapshot);
        var existing = KeepExisting(Namespaces, cluster);
        var byName = cluster.Namespaces.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var pods = snapshot.Sections.FirstOrDefault(s => s.Section == SnapshotSection.Pods);
        var podsRead = pods is { Status: SectionStatus.Collected };
        if (!podsRead)
            WriteWarning($"The pods of {ClusterLabel} could not be read ({pods?.Describe() ?? "not read"}): pods that the new level would refuse cannot be reported.");

        var modes = Mode.Distinct().OrderBy(m => m).ToList();
        var level = Level.ToString().ToLowerInvariant();
        var primary = modes.Contains(PodSecurityMode.Enforce) ? PodSecurityMode.Enforce : modes[0];
        var evaluations = new Dictionary<string, IReadOnlyList<PodSecurityResult>>(StringComparer.Ordinal);
        var plans = new List<(string Namespace, Dictionary<string, string> Labels, Dictionary<string, string> Previous, bool Changed, string Version, List<PodSecurityResult> Violating, int PodCount)>();

        foreach (var name in existing)
        {
            var ns = byName[name];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var mode in modes)
            {
                var key = LabelPrefix + mode.ToString().ToLowerInvariant();
                labels[key] = level;
                if (Version is not null) labels[key + "-version"] = Version;
            }
            var previous = ns.Labels.Where(l => l.Key.StartsWith(LabelPrefix, StringComparison.Ordinal)).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
            var changed = labels.Any(l => !ns.Labels.TryGetValue(l.Key, out var v) || v != l.Value);
            var version = Version ?? (ns.Labels.TryGetValue($"{LabelPrefix}{primary.ToString().ToLowerInvariant()}-version", out var v) ? v : "latest");

            var podResults = podsRead ? Evaluate(snapshot, version, evaluations).Where(r => r.Kind == "Pod" && r.Namespace == name).ToList() : [];
            var violating = podResults.Where(r => !r.Allowed).ToList();
            if (violating.Count > 0)
            {
                WriteWarning($"existing pods in namespace \"{name}\" violate the new PodSecurity {primary.ToString().ToLowerInvariant()} level \"{level}:{violating[0].Version}\"");
                foreach (var group in violating.GroupBy(r => string.Join(", ", r.Violations.Select(v => v.Reason))))
                {
                    var first = group.First().Name;
                    var others = group.Count() - 1;
                    WriteWarning(others == 0 ? $"{first}: {group.Key}" : $"{first} (and {others} other pod{(others == 1 ? "" : "s")}): {group.Key}");
                }
            }
            plans.Add((name, labels, previous, changed, podResults.FirstOrDefault()?.Version ?? version, violating, podResults.Count));
        }

        var approved = new List<NamespaceLabelChange>();
        foreach (var plan in plans)
        {
            if (!plan.Changed)
            {
                WriteVerbose($"Namespace {plan.Namespace} already has {string.Join(", ", plan.Labels.Select(l => $"{l.Key}={l.Value}"))}.");
                continue;
            }
            if (ShouldProcess($"namespace {plan.Namespace} on {ClusterLabel}", $"Set labels {string.Join(", ", plan.Labels.Select(l => $"{l.Key}={l.Value}"))}"))
                approved.Add(new NamespaceLabelChange { Namespace = plan.Namespace, Labels = plan.Labels.ToDictionary(l => l.Key, l => (string?)l.Value) });
        }

        var applied = new HashSet<string>(StringComparer.Ordinal);
        if (approved.Count > 0)
        {
            var results = RunWithProgress(_ => Engine.SetNamespaceLabelsAsync(access, approved, new KubernetesWriteOptions(), StopToken));
            foreach (var result in results)
            {
                if (result.Action == KubernetesApplyAction.Failed) WriteFailure(result);
                else if (result.Action == KubernetesApplyAction.Updated) applied.Add(result.Name);
                WriteVerbose(result.ToString());
            }
        }

        foreach (var plan in plans)
            WriteObject(new PodSecurityLabelResult
            {
                ClusterName = cluster.ClusterName,
                Namespace = plan.Namespace,
                Level = Level,
                Mode = modes,
                Version = plan.Version,
                Labels = plan.Labels,
                PreviousLabels = plan.Previous,
                Changed = plan.Changed,
                Applied = applied.Contains(plan.Namespace),
                ViolatingPods = plan.Violating,
                PodCount = plan.PodCount,
            });
        base.EndProcessing();
    }

    /// <summary>Every pod read, judged once per policy version.</summary>
    private IReadOnlyList<PodSecurityResult> Evaluate(IClusterSnapshot snapshot, string version, Dictionary<string, IReadOnlyList<PodSecurityResult>> cache)
    {
        if (cache.TryGetValue(version, out var known)) return known;
        IReadOnlyList<PodSecurityResult> results;
        try
        {
            results = Engine.EvaluatePodSecurity(snapshot, new PodSecurityOptions { Level = Level, Version = version }, StopToken);
        }
        catch (EksSecurityException ex) when (ex.ErrorId == "InvalidPodSecurityVersion")
        {
            // A namespace's own version label that no policy version matches: judge at latest, as the admission controller does.
            WriteVerbose($"{ex.Message} Judging at latest.");
            results = Evaluate(snapshot, "latest", cache);
        }
        cache[version] = results;
        return results;
    }
}
