using EksSecurity.Engine.Kubernetes.Rbac;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-014: non-system subjects hold no bind/escalate on roles and no impersonate on identities.</summary>
public sealed class LimitBindEscalateImpersonate : RbacPermissionRule
{
    private const string RbacGroup = "rbac.authorization.k8s.io";

    /// <summary>
    /// Scopes as the API server checks them: bind on roles and clusterroles is checked in the namespace of the RoleBinding being
    /// written; escalate on clusterroles and impersonation of users, groups and uids are cluster-scoped; impersonating a
    /// ServiceAccount is checked in its namespace.
    /// </summary>
    internal static readonly RbacPermission[] Takeover =
    [
        new("bind", RbacGroup, "roles"),
        new("bind", RbacGroup, "clusterroles"),
        new("escalate", RbacGroup, "roles"),
        new("escalate", RbacGroup, "clusterroles") { Namespace = null },
        new("impersonate", "", "users") { Namespace = null },
        new("impersonate", "", "groups") { Namespace = null },
        new("impersonate", "", "serviceaccounts"),
        new("impersonate", "authentication.k8s.io", "uids") { Namespace = null },
    ];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-014",
        Title = "Limit bind / escalate / impersonate",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "Kubernetes stops a subject from granting rights it does not hold, except through three verbs. escalate lets it write " +
                    "roles with any rule, bind lets it bind any role, and impersonate lets it act as another user, group or ServiceAccount. " +
                    "Each one turns the subject's limited rights into those of the strongest role or identity within reach: " +
                    "cluster-wide, that is cluster-admin.",
        Remediation = "Remove the verbs from the role (kubectl edit clusterrole <role>). If a delegated administrator must create bindings, " +
                      "restrict bind to the roles they may hand out:\n" +
                      "rules:\n- apiGroups: [\"rbac.authorization.k8s.io\"]\n  resources: [\"clusterroles\"]\n  verbs: [\"bind\"]\n" +
                      "  resourceNames: [\"view\", \"edit\"]\n" +
                      "and restrict impersonate the same way with resourceNames. Bind such roles with RoleBindings, never cluster-wide.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalate-verb",
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping",
            "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.1.8", "Kubescape C-0191", "Kubescape C-0065"],
        Reads = RbacHoldings.Sections,
        Tags = ["cis", "rbac", "privilege-escalation", "least-privilege", "manifest"],
    };

    private protected override IEnumerable<RbacPermission> Permissions(RuleContext context) => Takeover;

    private protected override string Capability => "bind or escalate roles, or impersonate users, groups, ServiceAccounts or uids";
}
