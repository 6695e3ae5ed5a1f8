using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Img;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Img;

public class ImageSignaturesVerifiedTests
{
    private static V1ValidatingWebhookConfiguration Validating(string config, string webhook, string service, string? failurePolicy = null, string? path = null) => new()
    {
        Metadata = TestSnapshots.Meta(config),
        Webhooks =
        [
            new V1ValidatingWebhook
            {
                Name = webhook, FailurePolicy = failurePolicy, SideEffects = "None", AdmissionReviewVersions = ["v1"],
                ClientConfig = new Admissionregistrationv1WebhookClientConfig { Service = new Admissionregistrationv1ServiceReference { NamespaceProperty = service.Split('/')[0], Name = service.Split('/')[1], Path = path } },
            },
        ],
    };

    private static ClusterSnapshot With(params V1ValidatingWebhookConfiguration[] configs) => TestSnapshots.Empty().With(s => s.Kubernetes.ValidatingWebhookConfigurations!.Items!.AddRange(configs));

    [Fact]
    public void No_verifier_warns()
    {
        var finding = Assert.Single(TestSnapshots.Run<ImageSignaturesVerified>(With(Validating("aws-load-balancer-webhook", "vtargetgroupbinding.elbv2.k8s.aws", "kube-system/aws-load-balancer-webhook-service"))));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Equal("Cluster", finding.ResourceType);
    }

    [Fact]
    public void Sigstore_policy_controller_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<ImageSignaturesVerified>(With(Validating("policy.sigstore.dev", "policy.sigstore.dev", "cosign-system/webhook"))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("Sigstore", finding.Message);
    }

    [Fact]
    public void Kyverno_image_validating_policy_passes_but_plain_kyverno_is_only_noted()
    {
        var ivpol = Validating("kyverno-resource-validating-webhook-cfg", "ivpol.validate.kyverno.svc-fail-finegrained-check-signed-images", "kyverno/kyverno-svc", path: "/ivpol/validate/check-signed-images");
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<ImageSignaturesVerified>(With(ivpol))).Status);
        var plain = Validating("kyverno-resource-validating-webhook-cfg", "validate.kyverno.svc-fail", "kyverno/kyverno-svc", path: "/validate/fail");
        var finding = Assert.Single(TestSnapshots.Run<ImageSignaturesVerified>(With(plain)));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("Kyverno is installed"));
    }

    [Fact]
    public void Verifier_failing_open_warns()
    {
        var finding = Assert.Single(TestSnapshots.Run<ImageSignaturesVerified>(With(Validating("connaisseur-webhook", "connaisseur-svc.connaisseur.svc", "connaisseur/connaisseur-svc", failurePolicy: "Ignore"))));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("failurePolicy Ignore", finding.Message);
    }

    [Fact]
    public void Ratify_with_gatekeeper_passes()
    {
        var snapshot = With(Validating("gatekeeper-validating-webhook-configuration", "validation.gatekeeper.sh", "gatekeeper-system/gatekeeper-webhook-service"))
            .WithObjects(Deployment("ratify", "gatekeeper-system", Spec(Container("ratify", image: "ghcr.io/notaryproject/ratify:v1.4.0"))));
        var finding = Assert.Single(TestSnapshots.Run<ImageSignaturesVerified>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("Ratify", finding.Message);
    }

    [Fact]
    public void Extra_verifiers_come_from_settings()
    {
        var snapshot = With(Validating("in-house-signature-check", "verify.example.com", "security/verifier"));
        var finding = Assert.Single(TestSnapshots.Run<ImageSignaturesVerified>(snapshot, new RuleSettings { ImageVerificationWebhooks = ["in-house-signature-*"] }));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Denied_webhooks_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.MutatingWebhookConfigurations = Section<V1MutatingWebhookConfiguration>.Denied("list mutatingwebhookconfigurations"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ImageSignaturesVerified>(snapshot)).Status);
    }
}

public class NoKnownVulnerableComponentsTests
{
    private static ClusterSnapshot Running(string image, DateTimeOffset? at = null) =>
        Snapshot(Deployment("controller", "ingress", Spec(Container("controller", image: image)))).With(s => s.CollectedAt = at ?? new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("registry.k8s.io/ingress-nginx/controller:v1.11.4@sha256:abc", FindingStatus.Fail)]
    [InlineData("registry.k8s.io/ingress-nginx/controller:v1.12.0", FindingStatus.Fail)]
    [InlineData("registry.k8s.io/ingress-nginx/controller:v1.11.5", FindingStatus.Pass)]
    [InlineData("registry.k8s.io/ingress-nginx/controller:v1.12.1", FindingStatus.Pass)]
    [InlineData("111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror/ingress-nginx/controller:v1.9.6", FindingStatus.Fail)]
    [InlineData("docker.io/bitnami/nginx-ingress-controller:1.11.2-debian-12-r0", FindingStatus.Fail)]
    [InlineData("quay.io/argoproj/argocd:v2.2.3", FindingStatus.Fail)]
    [InlineData("quay.io/argoproj/argocd:v2.2.4", FindingStatus.Pass)]
    [InlineData("grafana/grafana:8.3.0", FindingStatus.Fail)]
    [InlineData("grafana/grafana:9.2.3", FindingStatus.Fail)]
    [InlineData("grafana/grafana:10.4.1", FindingStatus.Pass)]
    [InlineData("ghcr.io/kyverno/kyverno:v1.8.4", FindingStatus.Fail)]
    [InlineData("ghcr.io/kyverno/kyverno:v1.12.0", FindingStatus.Pass)]
    public void Versions_against_the_advisories(string image, FindingStatus expected)
    {
        var finding = Assert.Single(TestSnapshots.Run<NoKnownVulnerableComponents>(Running(image)));
        Assert.Equal(expected, finding.Status);
    }

    [Fact]
    public void Failure_names_the_advisory_and_the_fix()
    {
        var finding = Assert.Single(TestSnapshots.Run<NoKnownVulnerableComponents>(Running("registry.k8s.io/ingress-nginx/controller:v1.11.3")));
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains(finding.Evidence, e => e.Contains("CVE-2025-1974") && e.Contains("1.11.5, 1.12.1 or later"));
    }

    [Fact]
    public void End_of_life_entry_applies_from_its_date_by_collected_at()
    {
        const string image = "registry.k8s.io/ingress-nginx/controller:v1.14.0";
        var before = Assert.Single(TestSnapshots.Run<NoKnownVulnerableComponents>(Running(image, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero))));
        Assert.Equal(FindingStatus.Pass, before.Status);
        Assert.Contains(before.Evidence, e => e.Contains("upcoming") && e.Contains("end of life"));
        var after = Assert.Single(TestSnapshots.Run<NoKnownVulnerableComponents>(Running(image, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero))));
        Assert.Equal(FindingStatus.Fail, after.Status);
        Assert.Contains(after.Evidence, e => e.Contains("retired"));
    }

    [Fact]
    public void Digest_only_reference_of_a_tracked_component_warns()
    {
        var finding = Assert.Single(TestSnapshots.Run<NoKnownVulnerableComponents>(Running("grafana/grafana@sha256:0123456789abcdef")));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("names no version"));
    }

    [Fact]
    public void Untracked_images_are_not_applicable()
    {
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<NoKnownVulnerableComponents>(Running("nginx:1.27"))).Status);
    }

    [Fact]
    public void List_is_replaceable()
    {
        var settings = new RuleSettings { KnownVulnerableComponents = [new("in-house proxy", ["platform/proxy"], "<2.0.0", "INT-2026-7: auth bypass", "2.0.0")] };
        var finding = Assert.Single(TestSnapshots.Run<NoKnownVulnerableComponents>(Running("example.com/platform/proxy:1.9.9"), settings));
        Assert.Equal(FindingStatus.Fail, finding.Status);
    }

    [Theory]
    [InlineData("v1.11.4", "1.11.4")]
    [InlineData("1.11.2-debian-12-r0", "1.11.2")]
    [InlineData("9.2", "9.2.0")]
    [InlineData("latest", null)]
    [InlineData("3f2a9c1", null)]
    [InlineData(null, null)]
    public void Tags_to_versions(string? tag, string? version) =>
        Assert.Equal(version, KnownVulnerableComponent.ParseVersion(tag)?.ToString());

    [Fact]
    public void Malformed_range_makes_the_rule_error_not_pass()
    {
        var settings = new RuleSettings { KnownVulnerableComponents = [new("x", ["x/y"], "~1.2", "A", "B")] };
        var finding = Assert.Single(TestSnapshots.Run<NoKnownVulnerableComponents>(Running("x/y:1.2.3"), settings));
        Assert.Equal(FindingStatus.Error, finding.Status);
    }
}
