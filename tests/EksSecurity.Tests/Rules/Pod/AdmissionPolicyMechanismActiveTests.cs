using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Pod;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Pod.NamespacesHavePodSecurityLabelsTests;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class AdmissionPolicyMechanismActiveTests
{
    private const string Enforce = "pod-security.kubernetes.io/enforce";

    private static V1ValidatingWebhookConfiguration Validating(string name, string webhook, string ns, string service, string failurePolicy = "Fail") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Webhooks =
        [
            new V1ValidatingWebhook
            {
                Name = webhook,
                FailurePolicy = failurePolicy,
                ClientConfig = new Admissionregistrationv1WebhookClientConfig { Service = new Admissionregistrationv1ServiceReference { NamespaceProperty = ns, Name = service } },
            },
        ],
    };

    private static V1MutatingWebhookConfiguration Mutating(string name, string webhook, string url) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Webhooks = [new V1MutatingWebhook { Name = webhook, ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = url } }],
    };

    private static readonly V1ValidatingWebhookConfiguration LoadBalancerController =
        Validating("aws-load-balancer-webhook", "vingress.elbv2.k8s.aws", "kube-system", "aws-load-balancer-webhook-service");

    [Fact]
    public void Nothing_enforcing_fails_with_the_inventory()
    {
        var snapshot = Cluster(Ns("kube-system"), Ns("app", (Enforce, "privileged")), Ns("web", ("pod-security.kubernetes.io/warn", "restricted")), LoadBalancerController);
        var finding = One<AdmissionPolicyMechanismActive>(snapshot);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-003", finding.RuleId);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Equal("Cluster", finding.ResourceType);
        Assert.Contains("Pod Security Admission: no namespace has pod-security.kubernetes.io/enforce=baseline or restricted", finding.Evidence);
        Assert.Contains("other webhooks, not policy engines: aws-load-balancer-webhook/vingress.elbv2.k8s.aws", finding.Evidence);
    }

    [Fact]
    public void No_webhooks_at_all_is_said()
    {
        var finding = One<AdmissionPolicyMechanismActive>(Cluster(Ns("app")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("admission webhooks: none", finding.Evidence);
    }

    [Theory]
    [InlineData("baseline")]
    [InlineData("restricted")]
    public void One_enforcing_namespace_passes(string level)
    {
        var finding = One<AdmissionPolicyMechanismActive>(Cluster(Ns("app"), Ns("payments", (Enforce, level))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains($"Pod Security Admission enforces in 1 namespace(s): payments ({level})", finding.Evidence);
    }

    [Fact]
    public void Kyverno_is_recognised_by_its_webhooks()
    {
        var snapshot = Cluster(Ns("app"), LoadBalancerController,
            Validating("kyverno-resource-validating-webhook-cfg", "validate.kyverno.svc-fail", "kyverno", "kyverno-svc"));
        var finding = One<AdmissionPolicyMechanismActive>(snapshot);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("Kyverno", finding.Message);
        Assert.Contains("Kyverno: ValidatingWebhookConfiguration kyverno-resource-validating-webhook-cfg: webhook validate.kyverno.svc-fail (service kyverno/kyverno-svc, failurePolicy Fail)", finding.Evidence);
    }

    [Fact]
    public void Gatekeeper_is_recognised_and_its_fail_open_policy_shown()
    {
        var snapshot = Cluster(Ns("app"),
            Validating("gatekeeper-validating-webhook-configuration", "validation.gatekeeper.sh", "gatekeeper-system", "gatekeeper-webhook-service", "Ignore"));
        var finding = One<AdmissionPolicyMechanismActive>(snapshot);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("OPA Gatekeeper:", StringComparison.Ordinal) && e.Contains("failurePolicy Ignore"));
    }

    [Fact]
    public void Mutating_only_engine_reached_by_url_counts()
    {
        var finding = One<AdmissionPolicyMechanismActive>(Cluster(Ns("app"), Mutating("policy-server", "mutate.example", "https://kubewarden.example.internal/mutate")));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("Kubewarden", finding.Message);
    }

    [Fact]
    public void In_house_engines_come_from_the_settings()
    {
        var snapshot = Cluster(Ns("app"), Validating("acme-guard", "pods.guard.acme.io", "guard", "guard-svc"));
        Assert.Equal(FindingStatus.Fail, One<AdmissionPolicyMechanismActive>(snapshot).Status);
        var finding = One<AdmissionPolicyMechanismActive>(snapshot, new RuleSettings { PolicyEngineWebhooks = ["*.guard.acme.io"] });
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Webhooks_not_collected_is_an_error_only_when_psa_does_not_decide()
    {
        var denied = Cluster(Ns("app")).With(s =>
        {
            s.Kubernetes.ValidatingWebhookConfigurations = Section<V1ValidatingWebhookConfiguration>.Denied("list validatingwebhookconfigurations");
            s.Kubernetes.MutatingWebhookConfigurations = Section<V1MutatingWebhookConfiguration>.Denied("list mutatingwebhookconfigurations");
        });
        var error = One<AdmissionPolicyMechanismActive>(denied);
        Assert.Equal(FindingStatus.Error, error.Status);
        Assert.Contains("ValidatingWebhookConfigurations", error.Message);

        denied.Kubernetes.Namespaces!.Items!.Add(Ns("payments", (Enforce, "restricted")));
        var pass = One<AdmissionPolicyMechanismActive>(denied);
        Assert.Equal(FindingStatus.Pass, pass.Status);
        Assert.Contains(pass.Evidence, e => e.StartsWith("not collected, so not inventoried:", StringComparison.Ordinal));
    }

    [Fact]
    public void Denied_namespaces_is_an_error()
    {
        var snapshot = Cluster().With(s => s.Kubernetes.Namespaces = Section<V1Namespace>.Denied("list namespaces"));
        Assert.Equal(FindingStatus.Error, One<AdmissionPolicyMechanismActive>(snapshot).Status);
    }
}
