using k8s.Models;

namespace EksSecurity.Engine.Rules.Img;

/// <summary>
/// EKS-IMG-010: an admission webhook verifies image signatures: Sigstore policy-controller, Kyverno image validating policies, Ratify (with
/// Gatekeeper), Connaisseur, Portieris, or one named in <see cref="RuleSettings.ImageVerificationWebhooks"/>. One finding for the cluster.
/// </summary>
public sealed class ImageSignaturesVerified : Rule
{
    /// <summary>Verifiers by the names of their webhook configurations, webhooks and services (lower-case substrings).</summary>
    private static readonly (string Verifier, string[] Markers)[] Verifiers =
    [
        ("Sigstore policy-controller", ["policy.sigstore.dev", "sigstore-policy-controller", "cosigned"]),
        ("Kyverno image validating policy", ["ivpol.", "/ivpol/", "/nivpol/"]),
        ("Ratify", ["ratify"]),
        ("Connaisseur", ["connaisseur"]),
        ("Portieris", ["portieris", "trust.hooks.securityenforcement.admission.cloud.ibm.com"]),
    ];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IMG-010",
        Title = "Image signatures verified at admission",
        Severity = Severity.Low,
        Area = RuleArea.Img,
        Rationale = "A registry allow-list says where an image comes from, not who built it. Verifying signatures (Cosign/Sigstore or Notation with " +
                    "AWS Signer) at admission rejects images that your pipeline did not sign: a tampered or substituted image, or one pushed " +
                    "with stolen registry credentials, never runs.",
        Remediation = "Sign images in CI (AWS Signer with Notation, or Cosign) and enforce it at admission, for example with the Sigstore " +
                      "policy-controller (a ClusterImagePolicy per registry, namespaces labelled policy.sigstore.dev/include=true), Kyverno " +
                      "(an ImageValidatingPolicy, or a ClusterPolicy with verifyImages and validationFailureAction: Enforce), or Ratify with Gatekeeper " +
                      "for Notation signatures. Keep the webhook's failurePolicy Fail so an outage does not turn verification off. Add other " +
                      "verifiers to the ImageVerificationWebhooks setting.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/image-security.html",
            "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-signing.html",
            "https://docs.sigstore.dev/policy-controller/overview/",
            "https://kyverno.io/docs/policy-types/image-validating-policy/",
            "https://ratify.dev/docs/what-is-ratify",
        ],
        Frameworks = ["Kubescape C-0236", "Kubescape C-0237"],
        Reads = [SnapshotSection.ValidatingWebhookConfigurations, SnapshotSection.MutatingWebhookConfigurations],
        OptionallyReads = [SnapshotSection.Deployments],
        ClusterWide = true,
        Tags = ["images", "supply-chain", "signing", "admission"],
    };

    private sealed record Hook(string Kind, string Configuration, string Name, string? Service, string? Path, string FailurePolicy)
    {
        public IEnumerable<string> Names() => new[] { Configuration, Name, Service, Path }.OfType<string>();
        public override string ToString() => $"{Kind} {Configuration}: webhook {Name}" + (Service is null ? "" : $" (service {Service}{Path})") + $", failurePolicy {FailurePolicy}";
    }

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var hooks = new List<Hook>();
        foreach (var config in context.Kubernetes.ValidatingWebhookConfigurations!.All)
            foreach (var w in config.Webhooks ?? [])
                hooks.Add(Describe("ValidatingWebhookConfiguration", config.Metadata, w.Name, w.ClientConfig, w.FailurePolicy));
        foreach (var config in context.Kubernetes.MutatingWebhookConfigurations!.All)
            foreach (var w in config.Webhooks ?? [])
                hooks.Add(Describe("MutatingWebhookConfiguration", config.Metadata, w.Name, w.ClientConfig, w.FailurePolicy));

        var evidence = new List<string>();
        var failClosed = new SortedSet<string>(StringComparer.Ordinal);
        var failOpen = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var hook in hooks)
        {
            var verifier = Verifiers.FirstOrDefault(v => hook.Names().Any(n => v.Markers.Any(m => n.Contains(m, StringComparison.OrdinalIgnoreCase)))).Verifier
                           ?? (context.Settings.ImageVerificationWebhooks.Any(p => hook.Names().Any(n => WildcardMatch.IsMatch(n, p, StringComparison.OrdinalIgnoreCase)))
                               ? "verifier (ImageVerificationWebhooks setting)" : null);
            if (verifier is null) continue;
            evidence.Add($"{verifier}: {hook}");
            (hook.FailurePolicy == "Ignore" ? failOpen : failClosed).Add(verifier);
        }

        // Ratify runs as an external data provider of Gatekeeper: its own Deployment, not a webhook.
        if (context.Has(SnapshotSection.Deployments))
            foreach (var d in context.Kubernetes.Deployments!.All.Where(IsRatify))
            {
                evidence.Add($"Ratify: Deployment {d.Metadata?.NamespaceProperty}/{d.Metadata?.Name}");
                if (hooks.Any(h => h.Names().Any(n => n.Contains("gatekeeper", StringComparison.OrdinalIgnoreCase)) && h.FailurePolicy != "Ignore"))
                    failClosed.Add("Ratify (with Gatekeeper)");
                else
                    failOpen.Add("Ratify (Gatekeeper webhook absent or failing open)");
            }

        var kyverno = hooks.Any(h => h.Names().Any(n => n.Contains("kyverno", StringComparison.OrdinalIgnoreCase)));
        var gatekeeper = hooks.Any(h => h.Names().Any(n => n.Contains("gatekeeper", StringComparison.OrdinalIgnoreCase)));
        if (failClosed.Count > 0)
        {
            yield return context.Pass(context.Cluster, $"Image signatures are verified at admission by {string.Join(", ", failClosed)}.", evidence);
            yield break;
        }
        if (failOpen.Count > 0)
        {
            yield return context.Warn(context.Cluster,
                $"{string.Join(", ", failOpen)} verifies image signatures, but only with failurePolicy Ignore: when it is down, unsigned images are admitted.", evidence);
            yield break;
        }
        if (kyverno || gatekeeper)
            evidence.Add($"{(kyverno ? "Kyverno" : "OPA Gatekeeper")} is installed; its policies are not in the snapshot, so whether one verifies signatures (verifyImages, Ratify) cannot be seen");
        evidence.Insert(0, $"admission webhooks examined: {hooks.Count}");
        yield return context.Warn(context.Cluster, "No admission webhook verifies image signatures: any image from an allowed registry runs, signed or not.", evidence);
    }

    private static bool IsRatify(V1Deployment d) =>
        d.Metadata?.Name?.Contains("ratify", StringComparison.OrdinalIgnoreCase) == true ||
        d.Spec?.Template?.Spec?.Containers?.Any(c => c.Image?.Contains("/ratify", StringComparison.OrdinalIgnoreCase) == true) == true;

    private static Hook Describe(string kind, V1ObjectMeta? config, string? name, Admissionregistrationv1WebhookClientConfig? client, string? failurePolicy) =>
        new(kind, config?.Name ?? "(unnamed)", name ?? "(unnamed)",
            client?.Service is { } s ? $"{s.NamespaceProperty}/{s.Name}" : client?.Url,
            client?.Service?.Path, string.IsNullOrEmpty(failurePolicy) ? "Fail" : failurePolicy);
}
