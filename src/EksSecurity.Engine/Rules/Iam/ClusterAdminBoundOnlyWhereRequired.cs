using k8s.Models;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-010: the cluster-admin ClusterRole is bound only to system:masters and allow-listed subjects.</summary>
public sealed class ClusterAdminBoundOnlyWhereRequired : Rule
{
    internal const string ClusterAdmin = "cluster-admin";

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-010",
        Title = "cluster-admin bound only where required",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "cluster-admin allows every verb on every resource: whoever holds it can read all Secrets, run code on any node and rewrite RBAC itself. " +
                    "Each binding of it to a user, group or ServiceAccount is a standing superuser credential, and a compromised workload whose " +
                    "ServiceAccount holds it is a compromised cluster. Bound through a RoleBinding it still gives full control of that namespace.",
        Remediation = "Replace the binding with a role that grants only what the subject needs (kubectl create clusterrole/role with explicit verbs " +
                      "and resources, or the built-in admin/edit/view), bind that, then kubectl delete clusterrolebinding <name> " +
                      "(or kubectl delete rolebinding <name> -n <namespace>). For people, prefer an EKS access entry with a scoped access policy. " +
                      "If the subject must keep cluster-admin, list it in ClusterAdminAllowedSubjects as Kind:name.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.1.1", "Prowler rbac_cluster_admin_usage", "Kubescape C-0185", "Kubescape C-0035"],
        Reads = [SnapshotSection.ClusterRoleBindings, SnapshotSection.RoleBindings],
        Tags = ["cis", "rbac", "admin", "least-privilege"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var binding in context.Kubernetes.ClusterRoleBindings!.All)
            if (IsClusterAdmin(binding.RoleRef))
                yield return Judge(context, ResourceRef.Of("ClusterRoleBinding", binding.Metadata), binding.Subjects, binding.RoleRef, namespaced: false);
        foreach (var binding in context.Kubernetes.RoleBindings!.All)
            if (IsClusterAdmin(binding.RoleRef))
                yield return Judge(context, ResourceRef.Of("RoleBinding", binding.Metadata), binding.Subjects, binding.RoleRef, namespaced: true);
    }

    private static bool IsClusterAdmin(V1RoleRef? roleRef) => roleRef is { Kind: "ClusterRole", Name: ClusterAdmin };

    private static EksSecurityFinding Judge(RuleContext context, ResourceRef resource, IList<Rbacv1Subject>? subjects, V1RoleRef? roleRef, bool namespaced)
    {
        var list = Rbac.Subjects(subjects);
        var evidence = new List<string> { $"roleRef = {Rbac.Describe(roleRef)}" };
        var offending = new List<string>();
        var allowed = new List<string>();
        for (var i = 0; i < list.Count; i++)
        {
            var subject = list[i];
            var line = $"subjects[{i}] = {Rbac.Describe(subject)}";
            if (Rbac.IsGroup(subject, "system:masters"))
            {
                evidence.Add(line + " (the Kubernetes default holder of cluster-admin)");
                continue;
            }
            var pattern = WildcardMatch.FirstMatch(Rbac.Key(subject), context.Settings.ClusterAdminAllowedSubjects);
            if (pattern is null)
            {
                evidence.Add(line);
                offending.Add(Rbac.Describe(subject));
            }
            else
            {
                evidence.Add($"{line} (allowed by ClusterAdminAllowedSubjects pattern '{pattern}')");
                allowed.Add($"{Rbac.Describe(subject)} ('{pattern}')");
            }
        }
        if (list.Count == 0) evidence.Add("subjects = (none)");
        var scope = namespaced ? $"in namespace {resource.Namespace}" : "cluster-wide";

        if (offending.Count > 0)
            return context.Fail(resource, $"cluster-admin is granted {scope} to {string.Join(", ", offending)}.", evidence,
                namespaced ? Severity.Medium : null);
        if (allowed.Count > 0)
            return context.Finding(FindingStatus.Suppressed, resource,
                $"cluster-admin is granted {scope} only to allow-listed subjects: {string.Join(", ", allowed)} (setting ClusterAdminAllowedSubjects).", evidence);
        return context.Pass(resource, list.Count == 0
            ? "The binding has no subjects and grants cluster-admin to no one."
            : "cluster-admin is bound only to group system:masters, the Kubernetes default.", evidence);
    }
}
