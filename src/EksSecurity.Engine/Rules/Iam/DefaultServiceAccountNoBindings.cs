using EksSecurity.Engine.Kubernetes.Rbac;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-024: no RoleBinding or ClusterRoleBinding names a namespace's default ServiceAccount, except Kubernetes' own defaults.</summary>
public sealed class DefaultServiceAccountNoBindings : Rule
{
    private const int MaxRulesPerBinding = 5;

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-024",
        Title = "Default ServiceAccount has no role bindings",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "Every pod that names no ServiceAccount runs as its namespace's default one. A right bound to default is therefore a " +
                    "right of every such pod, present and future, whoever deploys it, and audit logs cannot tell them apart. Rights " +
                    "belong to a dedicated ServiceAccount named by the workloads that need them.",
        Remediation = "Create a ServiceAccount for the application, move the binding to it, and name it in the pod template:\n" +
                      "kubectl create serviceaccount orders-api -n shop\n" +
                      "kubectl create rolebinding orders-api --role=<role> --serviceaccount=shop:orders-api -n shop\n" +
                      "kubectl delete rolebinding <binding-naming-default> -n shop\n" +
                      "spec:\n  template:\n    spec:\n      serviceAccountName: orders-api",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_use_dedicated_service_accounts_for_each_application",
            "https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        ],
        Frameworks = ["Kubescape C-0225"],
        Reads = [SnapshotSection.ClusterRoleBindings, SnapshotSection.RoleBindings],
        OptionallyReads = [SnapshotSection.ServiceAccounts, SnapshotSection.ClusterRoles, SnapshotSection.Roles],
        Tags = ["rbac", "serviceaccount", "least-privilege", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var graph = context.Index.Rbac;
        var offending = new SortedDictionary<RbacSubject, List<RbacBinding>>(RbacGraph.SubjectOrder.Instance);
        var defaults = new SortedDictionary<RbacSubject, List<RbacBinding>>(RbacGraph.SubjectOrder.Instance);
        foreach (var binding in graph.Bindings)
            foreach (var subject in binding.Subjects)
            {
                if (!subject.IsServiceAccount || subject.Name != "default") continue;
                var target = binding.IsKubernetesDefault ? defaults : offending;
                if (!target.TryGetValue(subject, out var list)) target[subject] = list = [];
                list.Add(binding);
            }

        foreach (var (account, bindings) in offending)
        {
            var evidence = new List<string>();
            foreach (var binding in bindings)
            {
                evidence.Add(ServiceAccountRbac.Describe(account, account, binding));
                var rules = binding.Role?.Rules ?? [];
                evidence.AddRange(rules.Take(MaxRulesPerBinding).Select(r => $"  {r.Describe()}"));
                if (rules.Count > MaxRulesPerBinding) evidence.Add($"  ... and {rules.Count - MaxRulesPerBinding} more rule(s)");
            }
            if (defaults.TryGetValue(account, out var exempt))
                evidence.AddRange(exempt.Select(b => $"{b.Ref}: Kubernetes default (kubernetes.io/bootstrapping=rbac-defaults), not counted"));
            var roles = string.Join(", ", bindings.Select(b => b.RoleRefDescription).Distinct());
            yield return context.Fail(RbacHoldings.Ref(account),
                $"The default ServiceAccount of namespace {account.Namespace} is bound by {bindings.Count} binding(s) ({roles}): every pod there that names no ServiceAccount gets these rights.",
                evidence);
        }

        var compliant = new SortedSet<RbacSubject>(RbacGraph.SubjectOrder.Instance);
        if (context.Has(SnapshotSection.ServiceAccounts))
            foreach (var sa in context.Kubernetes.ServiceAccounts!.All)
                if (sa.Metadata is { Name: "default" }) compliant.Add(RbacSubject.ServiceAccount(RbacGraph.NamespaceOf(sa.Metadata), "default"));
        foreach (var account in defaults.Keys) compliant.Add(account);
        foreach (var account in compliant)
        {
            if (offending.ContainsKey(account)) continue;
            var exempt = defaults.GetValueOrDefault(account);
            yield return context.Pass(RbacHoldings.Ref(account),
                exempt is null
                    ? $"No binding names the default ServiceAccount of namespace {account.Namespace}."
                    : $"Only Kubernetes default bindings name the default ServiceAccount of namespace {account.Namespace}.",
                exempt?.Select(b => $"{b.Ref}: Kubernetes default (kubernetes.io/bootstrapping=rbac-defaults), not counted"));
        }
    }
}
