using EksSecurity.Engine.Kubernetes.Rbac;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-012: non-system subjects cannot get, list or watch Secrets (cluster-wide Medium, namespaced Low).</summary>
public sealed class MinimizeSecretReadAccess : RbacPermissionRule
{
    internal static readonly RbacPermission[] SecretRead = [.. RbacPermission.Verbs("", "secrets", null, RbacGraph.AnyNamespace, "get", "list", "watch")];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-012",
        Title = "Minimize read access to Secrets",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "Secrets carry the cluster's credentials: database passwords, TLS private keys, registry pull secrets, webhook and API tokens, " +
                    "and on older clusters long-lived ServiceAccount tokens. list and watch return every Secret with its data, not just names, " +
                    "so a read right on secrets is a right to impersonate whatever those credentials unlock. Granted cluster-wide it spans " +
                    "kube-system and every tenant; granted in one namespace it still exposes that namespace's applications.",
        Remediation = "Give the subject only the Secrets it needs, by name and in its own namespace, and drop list/watch:\n" +
                      "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: app-secrets\n  namespace: shop\n" +
                      "rules:\n- apiGroups: [\"\"]\n  resources: [\"secrets\"]\n  resourceNames: [\"orders-db\"]\n  verbs: [\"get\"]\n" +
                      "Then remove the broad grant (kubectl edit clusterrole <role> / kubectl delete clusterrolebinding <binding>). " +
                      "Applications that only mount a Secret as a volume or env var need no RBAC on secrets at all.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
            "https://docs.aws.amazon.com/eks/latest/best-practices/data-encryption-and-secrets-management.html",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.1.2", "Prowler rbac_minimize_secret_access", "Kubescape C-0186", "Kubescape C-0015"],
        Reads = RbacHoldings.Sections,
        Tags = ["cis", "rbac", "secrets", "least-privilege", "manifest"],
    };

    private protected override IEnumerable<RbacPermission> Permissions(RuleContext context) => SecretRead;

    private protected override string Capability => "get, list or watch Secrets";

    private protected override EksSecurityFinding Judge(RuleContext context, RbacHolding holding) =>
        context.Fail(holding.Ref, $"{holding.Subject} can {holding.Rights} {holding.Scope}.", holding.Evidence(),
            holding.IsClusterWide ? null : Severity.Low);
}
