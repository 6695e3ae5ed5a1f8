using System.Text.RegularExpressions;
using k8s.Models;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>
/// EKS-POD-003: something rejects non-compliant pods at admission: Pod Security Admission enforcing baseline or
/// restricted in at least one namespace, or a policy engine recognised by its webhooks (Kyverno, OPA Gatekeeper,
/// Kubewarden, jsPolicy, Polaris, or <see cref="RuleSettings.PolicyEngineWebhooks"/>). One finding for the cluster,
/// with the inventory in its evidence.
/// </summary>
public sealed partial class AdmissionPolicyMechanismActive : Rule
{
    private const string EnforceLabel = "pod-security.kubernetes.io/enforce";

    /// <summary>Policy engines by the names their webhook configurations, webhooks and services carry.</summary>
    private static readonly (string Engine, Regex Pattern)[] Engines =
    [
        ("Kyverno", KyvernoPattern()),
        ("OPA Gatekeeper", GatekeeperPattern()),
        ("Kubewarden", KubewardenPattern()),
        ("jsPolicy", JsPolicyPattern()),
        ("Polaris", PolarisPattern()),
    ];

    [GeneratedRegex("kyverno", RegexOptions.IgnoreCase)] private static partial Regex KyvernoPattern();
    [GeneratedRegex("gatekeeper", RegexOptions.IgnoreCase)] private static partial Regex GatekeeperPattern();
    [GeneratedRegex("kubewarden", RegexOptions.IgnoreCase)] private static partial Regex KubewardenPattern();
    [GeneratedRegex("jspolicy", RegexOptions.IgnoreCase)] private static partial Regex JsPolicyPattern();
    [GeneratedRegex("polaris", RegexOptions.IgnoreCase)] private static partial Regex PolarisPattern();

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-003",
        Title = "An admission policy mechanism is active",
        Severity = Severity.Low,
        Area = RuleArea.Pod,
        Rationale = "Audits like this one find problems after the fact; only admission control stops a privileged or host-mounting pod before it runs. " +
                    "EKS ships Pod Security Admission, but it enforces nothing until a namespace is labelled, and policy engines such as Kyverno or " +
                    "OPA Gatekeeper cover what it cannot (image registries, labels, resource settings). A cluster with neither admits any pod spec.",
        Remediation = "Enforce a Pod Security Standard on application namespaces:\n" +
                      "kubectl label --overwrite namespace <ns> pod-security.kubernetes.io/enforce=baseline pod-security.kubernetes.io/warn=restricted\n" +
                      "and, for rules PSA cannot express, install a policy engine, for example Kyverno (helm install kyverno kyverno/kyverno -n kyverno " +
                      "--create-namespace) with the Pod Security policies, or OPA Gatekeeper with its pod security library. Add an in-house engine to " +
                      "the PolicyEngineWebhooks setting so this rule recognises it.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/pod-security.html",
            "https://docs.aws.amazon.com/eks/latest/best-practices/compliance.html",
            "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
            "https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/",
        ],
        Frameworks = ["Kubescape C-0192", "Kubescape C-0036", "Kubescape C-0039"],
        Reads = [SnapshotSection.Namespaces],
        OptionallyReads = [SnapshotSection.ValidatingWebhookConfigurations, SnapshotSection.MutatingWebhookConfigurations],
        ClusterWide = true,
        Tags = ["pod-security", "psa", "admission", "policy-as-code"],
    };

    /// <summary>One webhook as the inventory shows it.</summary>
    private sealed record Hook(string Kind, string Configuration, string Name, string? Service, string? Url, string? FailurePolicy)
    {
        public IEnumerable<string> Names() => new[] { Configuration, Name, Service, Url }.OfType<string>();

        public override string ToString() =>
            $"{Kind} {Configuration}: webhook {Name}" +
            (Service is not null ? $" (service {Service}" : Url is not null ? $" (url {Url}" : " (") +
            $", failurePolicy {FailurePolicy ?? "Fail"})";
    }

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var evidence = new List<string>();

        // Pod Security Admission.
        var enforcing = context.Kubernetes.Namespaces!.All
            .Where(n => n.Metadata?.Name is not null)
            .Select(n => (Name: n.Metadata!.Name!, Level: n.Metadata.Labels?.TryGetValue(EnforceLabel, out var v) == true ? v : null))
            .Where(n => n.Level is "baseline" or "restricted")
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
        evidence.Add(enforcing.Count == 0
            ? $"Pod Security Admission: no namespace has {EnforceLabel}=baseline or restricted"
            : $"Pod Security Admission enforces in {enforcing.Count} namespace(s): {JoinCapped(enforcing.Select(n => $"{n.Name} ({n.Level})").ToList(), 20)}");

        // Webhooks.
        var hooks = new List<Hook>();
        var missing = new List<string>();
        if (context.Has(SnapshotSection.ValidatingWebhookConfigurations))
            foreach (var config in context.Kubernetes.ValidatingWebhookConfigurations!.All)
                foreach (var w in config.Webhooks ?? [])
                    hooks.Add(Describe("ValidatingWebhookConfiguration", config.Metadata, w.Name, w.ClientConfig, w.FailurePolicy));
        else
            missing.Add(nameof(SnapshotSection.ValidatingWebhookConfigurations));
        if (context.Has(SnapshotSection.MutatingWebhookConfigurations))
            foreach (var config in context.Kubernetes.MutatingWebhookConfigurations!.All)
                foreach (var w in config.Webhooks ?? [])
                    hooks.Add(Describe("MutatingWebhookConfiguration", config.Metadata, w.Name, w.ClientConfig, w.FailurePolicy));
        else
            missing.Add(nameof(SnapshotSection.MutatingWebhookConfigurations));

        var extra = context.Settings.PolicyEngineWebhooks;
        var engines = new SortedSet<string>(StringComparer.Ordinal);
        var others = new List<Hook>();
        foreach (var hook in hooks)
        {
            var engine = Engines.FirstOrDefault(e => hook.Names().Any(n => e.Pattern.IsMatch(n))).Engine
                         ?? (extra.Any(p => hook.Names().Any(n => WildcardMatch.IsMatch(n, p))) ? "policy engine (PolicyEngineWebhooks setting)" : null);
            if (engine is null)
            {
                others.Add(hook);
                continue;
            }
            engines.Add(engine);
            evidence.Add($"{engine}: {hook}");
        }
        if (others.Count > 0)
            evidence.Add($"other webhooks, not policy engines: {JoinCapped(others.Select(h => $"{h.Configuration}/{h.Name}").Distinct().ToList(), 20)}");
        if (hooks.Count == 0 && missing.Count < 2)
            evidence.Add("admission webhooks: none");
        if (missing.Count > 0)
            evidence.Add($"not collected, so not inventoried: {string.Join(", ", missing)}");
        evidence.Add("ValidatingAdmissionPolicy objects are not in the snapshot and were not considered");

        if (enforcing.Count > 0 || engines.Count > 0)
        {
            var parts = new List<string>();
            if (enforcing.Count > 0) parts.Add($"Pod Security Admission enforces in {enforcing.Count} namespace(s)");
            if (engines.Count > 0) parts.Add($"policy engine(s) installed: {string.Join(", ", engines)}");
            yield return context.Pass(context.Cluster, $"An admission policy mechanism is active: {string.Join("; ", parts)}.", evidence);
        }
        else if (missing.Count > 0)
        {
            yield return context.Error(context.Cluster,
                $"No namespace enforces a Pod Security Standard, and whether a policy engine is installed cannot be told: {string.Join(" and ", missing)} not collected.",
                [.. evidence, .. missing.Select(m => $"section {m}: {context.Snapshot.DescribeSection(Enum.Parse<SnapshotSection>(m)).Status}")]);
        }
        else
        {
            yield return context.Fail(context.Cluster,
                "No admission policy mechanism is active: no namespace enforces a Pod Security Standard and no policy engine (Kyverno, OPA Gatekeeper, Kubewarden, jsPolicy, Polaris) is installed.",
                evidence);
        }
    }

    private static Hook Describe(string kind, V1ObjectMeta? config, string? name, Admissionregistrationv1WebhookClientConfig? client, string? failurePolicy)
    {
        var service = client?.Service is { } s ? $"{s.NamespaceProperty}/{s.Name}" : null;
        return new Hook(kind, config?.Name ?? "(unnamed)", name ?? "(unnamed)", service, client?.Url, failurePolicy);
    }
}
