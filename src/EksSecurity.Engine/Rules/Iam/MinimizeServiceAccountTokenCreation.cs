namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-018: non-system subjects cannot create serviceaccounts/token.</summary>
public sealed class MinimizeServiceAccountTokenCreation : RbacPermissionRule
{
    internal static readonly RbacPermission[] CreateTokens = [new("create", "", "serviceaccounts", "token")];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-018",
        Title = "Minimize ServiceAccount token creation",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "create on serviceaccounts/token mints a token for any ServiceAccount in reach (the TokenRequest API behind kubectl create " +
                    "token), with a lifetime the caller picks up to the server's maximum. The caller then holds every RBAC right of that " +
                    "account and, for accounts annotated for IRSA, can exchange the token for the account's IAM role credentials.",
        Remediation = "Remove the right from the role (kubectl edit clusterrole <role>). Where a component must mint tokens for one account, " +
                      "name it:\n" +
                      "rules:\n- apiGroups: [\"\"]\n  resources: [\"serviceaccounts/token\"]\n  resourceNames: [\"<account>\"]\n  verbs: [\"create\"]\n" +
                      "and bind it with a RoleBinding in that account's namespace only.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_dont_use_a_service_account_token_for_authentication",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request",
            "https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.1.12", "Prowler rbac_minimize_service_account_token_creation", "Kubescape C-0282"],
        Reads = RbacHoldings.Sections,
        Tags = ["cis", "rbac", "serviceaccount", "token", "least-privilege", "manifest"],
    };

    private protected override IEnumerable<RbacPermission> Permissions(RuleContext context) => CreateTokens;

    private protected override string Capability => "create ServiceAccount tokens";
}
