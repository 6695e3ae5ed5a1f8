using k8s.Models;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-009: the group every authenticated identity belongs to holds only the Kubernetes default discovery rights.</summary>
public sealed class AuthenticatedGroupNotElevated : Rule
{
    /// <summary>The ClusterRoles Kubernetes itself binds to system:authenticated.</summary>
    internal static readonly IReadOnlySet<string> DefaultRoles = new HashSet<string>(StringComparer.Ordinal)
    {
        "system:basic-user", "system:discovery", "system:public-info-viewer", "system:service-account-issuer-discovery",
    };

    /// <summary>Resources whose rights amount to reading credentials, running code or controlling nodes, by API group.</summary>
    private static readonly (string Group, string Resource)[] Sensitive =
    [
        ("", "pods"), ("", "secrets"), ("", "nodes"), ("", "replicationcontrollers"),
        ("apps", "deployments"), ("apps", "replicasets"), ("apps", "statefulsets"), ("apps", "daemonsets"),
        ("extensions", "deployments"), ("extensions", "replicasets"), ("extensions", "daemonsets"),
        ("batch", "jobs"), ("batch", "cronjobs"),
    ];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-009",
        Title = "system:authenticated holds no elevated rights",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "Every identity the API server accepts is in group system:authenticated. On EKS that includes any IAM principal that can sign a token " +
                    "for the cluster and is mapped by aws-auth or an access entry, plus every ServiceAccount of every pod. " +
                    "A binding to this group is therefore a grant to everyone; beyond the built-in discovery roles it is almost always a mistake.",
        Remediation = "Bind the rights to a named group or ServiceAccount instead, then remove the group from the binding: " +
                      "kubectl edit clusterrolebinding <name> (or kubectl edit rolebinding <name> -n <namespace>) and delete " +
                      "{kind: Group, name: system:authenticated} from subjects, or kubectl delete the binding. " +
                      "If a built-in role was changed, restore its original rules: export it from a new cluster of the same version and apply that with " +
                      "kubectl auth reconcile -f <file> --remove-extra-permissions.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_review_and_revoke_unnecessary_anonymous_access_to_your_eks_cluster",
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        ],
        Frameworks = ["Kubescape C-0265"],
        Reads = [SnapshotSection.ClusterRoleBindings, SnapshotSection.RoleBindings, SnapshotSection.ClusterRoles, SnapshotSection.Roles],
        Tags = ["rbac", "authentication", "least-privilege"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var k = context.Kubernetes;
        var roles = new Rbac.RoleIndex(k.ClusterRoles!.All, k.Roles!.All);
        foreach (var binding in k.ClusterRoleBindings!.All)
            if (Judge(context, roles, ResourceRef.Of("ClusterRoleBinding", binding.Metadata), binding.Subjects, binding.RoleRef, null) is { } finding)
                yield return finding;
        foreach (var binding in k.RoleBindings!.All)
            if (Judge(context, roles, ResourceRef.Of("RoleBinding", binding.Metadata), binding.Subjects, binding.RoleRef, binding.Metadata?.NamespaceProperty) is { } finding)
                yield return finding;
    }

    private static EksSecurityFinding? Judge(RuleContext context, Rbac.RoleIndex roles, ResourceRef resource,
        IList<Rbacv1Subject>? subjects, V1RoleRef? roleRef, string? bindingNamespace)
    {
        var list = Rbac.Subjects(subjects);
        var index = list.ToList().FindIndex(s => Rbac.IsGroup(s, Rbac.AuthenticatedGroup));
        if (index < 0) return null;

        var role = Rbac.Describe(roleRef);
        var evidence = new List<string> { $"subjects[{index}] = Group {Rbac.AuthenticatedGroup}", $"roleRef = {role}" };
        var rules = roles.Resolve(roleRef, bindingNamespace);
        if (rules is null)
        {
            var where = roleRef?.Kind == "Role" ? $" in namespace {bindingNamespace}" : "";
            evidence.Add($"{role}{where}: not found in the snapshot");
            return context.Warn(resource,
                $"Group system:authenticated is bound to {role}, which does not exist{where}: whoever creates it later grants its rights to every authenticated identity.", evidence);
        }

        var dangerous = rules.Select((r, i) => (Rule: r, Index: i)).Where(x => IsDangerous(x.Rule)).ToList();
        evidence.AddRange(dangerous.Select(x => $"{role} rules[{x.Index}]: {Rbac.Describe(x.Rule)}"));
        var isDefault = roleRef is { Kind: "ClusterRole" } && DefaultRoles.Contains(roleRef.Name);

        if (isDefault && dangerous.Count == 0)
            return context.Pass(resource, $"Group system:authenticated is bound only to the Kubernetes default {role}.", evidence);
        if (isDefault)
            return context.Fail(resource,
                $"The built-in {role}, bound to every authenticated identity, has been changed to grant rights on sensitive resources.", evidence);
        if (dangerous.Count > 0)
            return context.Fail(resource,
                $"Group system:authenticated is bound to {role}, which grants rights on wildcards, pods, secrets, nodes or workloads to every authenticated identity.", evidence);
        evidence.AddRange(rules.Select((r, i) => $"{role} rules[{i}]: {Rbac.Describe(r)}").Take(10));
        return context.Fail(resource,
            $"Group system:authenticated is bound to {role}, which is not one of the Kubernetes default roles for this group; its rights go to every authenticated identity.",
            evidence, Severity.Medium);
    }

    /// <summary>A rule on `*`, or on pods (any subresource), secrets, nodes or a workload kind.</summary>
    internal static bool IsDangerous(V1PolicyRule rule)
    {
        if (rule.Verbs is not { Count: > 0 } || rule.Resources is not { Count: > 0 }) return false;
        var groups = rule.ApiGroups ?? [];
        foreach (var resource in rule.Resources)
        {
            if (resource.Contains('*')) return true;
            var baseName = resource.Split('/')[0];
            foreach (var (group, name) in Sensitive)
                if (name == baseName && groups.Any(g => g == "*" || g == group))
                    return true;
        }
        return false;
    }
}
