namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-007: no ClusterRoleBinding grants rights to system:anonymous or system:unauthenticated.</summary>
public sealed class NoAnonymousClusterRoleBindings : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-007",
        Title = "No ClusterRoleBinding for anonymous/unauthenticated",
        Severity = Severity.Critical,
        Area = RuleArea.Iam,
        Rationale = "Requests without credentials are served as user system:anonymous in group system:unauthenticated. " +
                    "A ClusterRoleBinding for either hands its rights, across every namespace, to anyone who can reach the API endpoint, " +
                    "which on a public endpoint means the whole internet. Only the built-in system:public-info-viewer (health and version) is expected.",
        Remediation = "Remove the anonymous subjects, or the binding: kubectl edit clusterrolebinding <name> and delete the entries " +
                      "{kind: User, name: system:anonymous} and {kind: Group, name: system:unauthenticated} from subjects " +
                      "(or kubectl delete clusterrolebinding <name>). For the built-in system:discovery and system:basic-user bindings " +
                      "also set the annotation rbac.authorization.kubernetes.io/autoupdate: \"false\" so the API server does not restore them.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_review_and_revoke_unnecessary_anonymous_access_to_your_eks_cluster",
            "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests",
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles",
        ],
        Frameworks = ["HardenEKS disable_anonymous_access_for_cluster_roles", "Kubescape C-0262"],
        Reads = [SnapshotSection.ClusterRoleBindings],
        Tags = ["rbac", "anonymous", "authentication"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var binding in context.Kubernetes.ClusterRoleBindings!.All)
            yield return AnonymousBindingCheck.Judge(context, ResourceRef.Of("ClusterRoleBinding", binding.Metadata), binding.Subjects, binding.RoleRef);
    }
}
