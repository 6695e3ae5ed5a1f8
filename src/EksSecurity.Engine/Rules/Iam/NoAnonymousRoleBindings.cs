namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-008: no RoleBinding, in any namespace, grants rights to system:anonymous or system:unauthenticated.</summary>
public sealed class NoAnonymousRoleBindings : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-008",
        Title = "No RoleBinding for anonymous/unauthenticated",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "A RoleBinding whose subject is user system:anonymous or group system:unauthenticated gives its namespace's rights " +
                    "to requests that carry no credentials at all. Nothing in Kubernetes or EKS needs such a binding, so one is either a mistake " +
                    "or a backdoor, and it is easy to miss because cluster-wide reviews usually look only at ClusterRoleBindings.",
        Remediation = "Remove the anonymous subjects from the binding: kubectl edit rolebinding <name> -n <namespace> and delete " +
                      "{kind: User, name: system:anonymous} and {kind: Group, name: system:unauthenticated} from subjects, " +
                      "or kubectl delete rolebinding <name> -n <namespace>. Bind a named group or ServiceAccount instead.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_review_and_revoke_unnecessary_anonymous_access_to_your_eks_cluster",
            "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests",
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding",
        ],
        Frameworks = ["HardenEKS disable_anonymous_access_for_roles", "Kubescape C-0262"],
        Reads = [SnapshotSection.RoleBindings],
        Tags = ["rbac", "anonymous", "authentication"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var binding in context.Kubernetes.RoleBindings!.All)
            yield return AnonymousBindingCheck.Judge(context, ResourceRef.Of("RoleBinding", binding.Metadata), binding.Subjects, binding.RoleRef);
    }
}
