namespace EksSecurity.Engine.Rules.Pod;

/// <summary>EKS-POD-001: every non-system namespace opts into Pod Security Admission with at least one mode label.</summary>
public sealed class NamespacesHavePodSecurityLabels : Rule
{
    private const string Prefix = "pod-security.kubernetes.io/";
    private static readonly string[] Modes = ["enforce", "audit", "warn"];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-001",
        Title = "Namespaces carry Pod Security Admission labels",
        Severity = Severity.Medium,
        Area = RuleArea.Pod,
        Rationale = "Pod Security Admission is built into every EKS cluster but acts only through namespace labels, and EKS offers no cluster-wide default: " +
                    "a namespace without pod-security.kubernetes.io labels admits privileged pods, host namespaces and hostPath mounts silently. " +
                    "Labelling each namespace is the cheapest way to make pod security visible and enforced.",
        Remediation = "Label each application namespace, starting with audit and warn to see what would break, then enforce: " +
                      "kubectl label namespace <ns> pod-security.kubernetes.io/enforce=baseline pod-security.kubernetes.io/audit=restricted pod-security.kubernetes.io/warn=restricted. " +
                      "Test first with kubectl label --dry-run=server --overwrite namespace <ns> pod-security.kubernetes.io/enforce=baseline.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/pod-security.html",
            "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
            "https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/",
        ],
        Frameworks = ["HardenEKS ensure_namespace_psa_exist", "Kubescape C-0192"],
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
            var psaLabels = (ns.Metadata!.Labels ?? new Dictionary<string, string>())
                .Where(l => l.Key.StartsWith(Prefix, StringComparison.Ordinal))
                .OrderBy(l => l.Key, StringComparer.Ordinal)
                .ToList();
            var modes = Modes.Where(m => psaLabels.Any(l => l.Key == Prefix + m)).ToList();
            var evidence = psaLabels.Count == 0
                ? ["metadata.labels: no pod-security.kubernetes.io/* label"]
                : psaLabels.Select(l => $"metadata.labels[{l.Key}] = {l.Value}").ToList();
            if (modes.Count > 0)
                yield return context.Pass(resource, $"Namespace {name} sets Pod Security Admission mode(s): {string.Join(", ", modes)}.", evidence);
            else
                yield return context.Fail(resource,
                    $"Namespace {name} has no pod-security.kubernetes.io/enforce, audit or warn label: any pod, privileged included, is admitted without notice.", evidence);
        }
    }
}
