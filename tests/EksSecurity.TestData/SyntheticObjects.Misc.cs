using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.TestData;

public sealed partial class SyntheticObjects
{
    public VersionInfo ServerVersion() => new()
    {
        Major = "1",
        Minor = Options.KubernetesVersion.Split('.')[1] + "+",
        GitVersion = KubeletVersion,
        GitCommit = Random("server-version").Hex(40),
        GitTreeState = "clean",
        BuildDate = "2024-12-13T04:17:31Z",
        GoVersion = "go1.22.9",
        Compiler = "gc",
        Platform = "linux/amd64",
    };

    private static V1RuleWithOperations WebhookRule(string[] groups, string[] resources, string[] operations) =>
        new() { ApiGroups = groups, ApiVersions = ["v1"], Resources = resources, Operations = operations, Scope = "*" };

    public V1ValidatingWebhookConfiguration ValidatingWebhook(string name, string serviceNamespace, string service, string[] groups, string[] resources, string failurePolicy, SyntheticRandom rng) => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "ValidatingWebhookConfiguration",
        Metadata = Meta("ValidatingWebhookConfiguration", name, null, CreatedAgo(rng, 30, 300), rng, generation: rng.Between(1, 5)),
        Webhooks =
        [
            new V1ValidatingWebhook
            {
                Name = $"v{name}.{serviceNamespace}.svc",
                AdmissionReviewVersions = ["v1", "v1beta1"],
                ClientConfig = new Admissionregistrationv1WebhookClientConfig { Service = new Admissionregistrationv1ServiceReference { Name = service, NamespaceProperty = serviceNamespace, Path = "/validate", Port = 443 }, CaBundle = new byte[64] },
                FailurePolicy = failurePolicy,
                MatchPolicy = "Equivalent",
                SideEffects = "None",
                TimeoutSeconds = 10,
                NamespaceSelector = new V1LabelSelector(),
                ObjectSelector = new V1LabelSelector(),
                Rules = [WebhookRule(groups, resources, ["CREATE", "UPDATE"])],
            },
        ],
    };

    public V1MutatingWebhookConfiguration MutatingWebhook(string name, string serviceNamespace, string service, string[] groups, string[] resources, string failurePolicy, SyntheticRandom rng) => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "MutatingWebhookConfiguration",
        Metadata = Meta("MutatingWebhookConfiguration", name, null, CreatedAgo(rng, 30, 300), rng, generation: rng.Between(1, 5)),
        Webhooks =
        [
            new V1MutatingWebhook
            {
                Name = $"m{name}.{serviceNamespace}.svc",
                AdmissionReviewVersions = ["v1", "v1beta1"],
                ClientConfig = new Admissionregistrationv1WebhookClientConfig { Service = new Admissionregistrationv1ServiceReference { Name = service, NamespaceProperty = serviceNamespace, Path = "/mutate", Port = 443 }, CaBundle = new byte[64] },
                FailurePolicy = failurePolicy,
                MatchPolicy = "Equivalent",
                SideEffects = "None",
                ReinvocationPolicy = "IfNeeded",
                TimeoutSeconds = 10,
                NamespaceSelector = new V1LabelSelector(),
                ObjectSelector = new V1LabelSelector(),
                Rules = [WebhookRule(groups, resources, ["CREATE"])],
            },
        ],
    };

    public V1PriorityClass PriorityClass(string name, int value, bool global, string description, SyntheticRandom rng) => new()
    {
        ApiVersion = "scheduling.k8s.io/v1",
        Kind = "PriorityClass",
        Metadata = Meta("PriorityClass", name, null, ClusterCreated, rng),
        Value = value,
        GlobalDefault = global ? true : null,
        Description = description,
        PreemptionPolicy = "PreemptLowerPriority",
    };

    public V1APIService ApiService(string group, string version, (string Namespace, string Name)? service, SyntheticRandom rng) => new()
    {
        ApiVersion = "apiregistration.k8s.io/v1",
        Kind = "APIService",
        Metadata = Meta("APIService", group.Length == 0 ? version : $"{version}.{group}", null, ClusterCreated, rng,
            service is null ? Labels(("kube-aggregator.kubernetes.io/automanaged", "onstart")) : null),
        Spec = new V1APIServiceSpec
        {
            Group = group,
            Version = version,
            GroupPriorityMinimum = service is null ? 17800 : 100,
            VersionPriority = 15,
            Service = service is { } s ? new Apiregistrationv1ServiceReference { NamespaceProperty = s.Namespace, Name = s.Name, Port = 443 } : null,
            InsecureSkipTLSVerify = service is null ? null : true,
        },
        Status = new V1APIServiceStatus
        {
            Conditions = [new V1APIServiceCondition { Type = "Available", Status = "True", Reason = service is null ? "Local" : "Passed", Message = service is null ? "Local APIServices are always available" : "all checks passed", LastTransitionTime = ClusterCreated }],
        },
    };

    public SecurityGroupPolicy SecurityGroupPolicy(string name, string ns, string app, IReadOnlyList<string> groupIds, SyntheticRandom rng) => new()
    {
        ApiVersion = "vpcresources.k8s.aws/v1beta1",
        Kind = "SecurityGroupPolicy",
        Metadata = Meta("SecurityGroupPolicy", name, ns, CreatedAgo(rng, 5, 200), rng, generation: 1),
        Spec = new SecurityGroupPolicySpec
        {
            PodSelector = new V1LabelSelector { MatchLabels = Labels(("app.kubernetes.io/name", app)) },
            SecurityGroups = new SecurityGroupPolicyGroups { GroupIds = groupIds.ToList() },
        },
    };
}
