namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-017: non-system subjects cannot write validating or mutating webhook configurations.</summary>
public sealed class MinimizeWebhookConfigurationAccess : RbacPermissionRule
{
    private const string AdmissionGroup = "admissionregistration.k8s.io";
    private static readonly string[] Verbs = ["create", "update", "patch", "delete"];

    /// <summary>Webhook configurations are cluster-scoped: only ClusterRoleBindings grant them.</summary>
    internal static readonly RbacPermission[] WriteWebhooks =
    [
        .. RbacPermission.Verbs(AdmissionGroup, "validatingwebhookconfigurations", null, null, Verbs),
        .. RbacPermission.Verbs(AdmissionGroup, "mutatingwebhookconfigurations", null, null, Verbs),
    ];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-017",
        Title = "Minimize webhook configuration access",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "Admission webhooks see, and mutating ones rewrite, every object the API server accepts, Secrets included. Whoever " +
                    "can create or change a webhook configuration can send those objects to a server of their choice, inject containers " +
                    "or privileges into every new pod, or delete or weaken the policy engine's webhooks so that nothing is enforced.",
        Remediation = "Leave webhook configurations to the controllers that own them (policy engines, cert-manager, the AWS Load Balancer " +
                      "Controller) and to cluster administrators; remove the verbs from other roles:\n" +
                      "kubectl edit clusterrole <role>   # drop create/update/patch/delete on validatingwebhookconfigurations and mutatingwebhookconfigurations\n" +
                      "A controller that only patches its own webhook's CA bundle can be limited with resourceNames: [\"<its-webhook>\"].",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
            "https://docs.aws.amazon.com/eks/latest/best-practices/auditing-and-logging.html",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.1.11", "Prowler rbac_minimize_webhook_config_access", "Kubescape C-0281"],
        Reads = RbacHoldings.Sections,
        Tags = ["cis", "rbac", "admission", "least-privilege", "manifest"],
    };

    private protected override IEnumerable<RbacPermission> Permissions(RuleContext context) => WriteWebhooks;

    private protected override string Capability => "create, update, patch or delete admission webhook configurations";
}
