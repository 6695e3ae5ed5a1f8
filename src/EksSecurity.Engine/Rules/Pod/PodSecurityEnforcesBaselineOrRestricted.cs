namespace EksSecurity.Engine.Rules.Pod;

/// <summary>EKS-POD-002: Pod Security Admission enforces baseline or restricted, and audit and warn are at least as strict.</summary>
public sealed class PodSecurityEnforcesBaselineOrRestricted : Rule
{
    private const string Prefix = "pod-security.kubernetes.io/";

    /// <summary>The Pod Security Standards levels, weakest first. Values are case-sensitive, as the admission plugin parses them.</summary>
    private static readonly string[] Levels = ["privileged", "baseline", "restricted"];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-002",
        Title = "PSA enforces baseline or restricted, with audit and warn",
        Severity = Severity.Medium,
        Area = RuleArea.Pod,
        Rationale = "Only the enforce mode of Pod Security Admission rejects pods; an absent or privileged enforce level lets a pod take the node's " +
                    "network, PID namespace or filesystem. The audit and warn modes set at the same or a stricter level tell users and the audit log " +
                    "what a tighter policy would reject, so the namespace can move towards restricted without surprises.",
        Remediation = "kubectl label --overwrite namespace <ns> pod-security.kubernetes.io/enforce=baseline " +
                      "pod-security.kubernetes.io/audit=restricted pod-security.kubernetes.io/warn=restricted " +
                      "(use enforce=restricted where the workloads allow it; preview the effect with --dry-run=server). " +
                      "Valid levels are privileged, baseline and restricted, in lower case.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/pod-security.html",
            "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        ],
        Frameworks = [.. Enumerable.Range(193, 12).Select(n => $"Kubescape C-{n:0000}"), "CIS EKS 1.8.0 4.2 (intent)"],
        Reads = [SnapshotSection.Namespaces],
        Tags = ["pod-security", "psa", "namespace"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var ns in context.Kubernetes.Namespaces!.All)
        {
            var name = ns.Metadata?.Name;
            if (string.IsNullOrEmpty(name) || context.Settings.IsSystemNamespace(name)) continue;
            var resource = new ResourceRef("Namespace", name, name);
            var labels = ns.Metadata!.Labels ?? new Dictionary<string, string>();

            string? Label(string key) => labels.TryGetValue(Prefix + key, out var v) ? v : null;
            var enforce = Label("enforce");
            var audit = Label("audit");
            var warn = Label("warn");

            var evidence = new List<string>();
            foreach (var mode in new[] { "enforce", "audit", "warn" })
            {
                evidence.Add($"metadata.labels[{Prefix}{mode}] = {Label(mode) ?? "(absent)"}");
                if (Label(mode + "-version") is { } version) evidence.Add($"metadata.labels[{Prefix}{mode}-version] = {version}");
            }

            var invalid = new[] { ("enforce", enforce), ("audit", audit), ("warn", warn) }
                .Where(m => m.Item2 is not null && Rank(m.Item2) < 0)
                .Select(m => $"{Prefix}{m.Item1}=\"{m.Item2}\"")
                .ToList();
            if (invalid.Count > 0)
            {
                yield return context.Fail(resource,
                    $"Namespace {name} has invalid Pod Security Admission level(s): {string.Join(", ", invalid)} (valid levels: privileged, baseline, restricted).", evidence);
                continue;
            }
            if (enforce is null)
            {
                yield return context.Fail(resource,
                    $"Namespace {name} has no pod-security.kubernetes.io/enforce label: pods are admitted at the privileged level.", evidence);
                continue;
            }
            if (enforce == "privileged")
            {
                yield return context.Fail(resource, $"Namespace {name} enforces the privileged level: Pod Security Admission rejects nothing.", evidence);
                continue;
            }

            var gaps = new List<string>();
            foreach (var (mode, value) in new[] { ("audit", audit), ("warn", warn) })
            {
                if (value is null) gaps.Add($"{mode} is unset");
                else if (Rank(value) < Rank(enforce)) gaps.Add($"{mode}={value} is weaker than enforce={enforce}");
            }
            if (gaps.Count > 0)
                yield return context.Warn(resource, $"Namespace {name} enforces {enforce}, but {string.Join(" and ", gaps)}.", evidence);
            else
                yield return context.Pass(resource, $"Namespace {name} enforces {enforce}, with audit={audit} and warn={warn}.", evidence);
        }
    }

    private static int Rank(string level) => Array.IndexOf(Levels, level);
}
