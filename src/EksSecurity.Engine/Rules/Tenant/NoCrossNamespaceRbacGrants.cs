using EksSecurity.Engine.Kubernetes.Rbac;

namespace EksSecurity.Engine.Rules.Tenant;

/// <summary>EKS-TENANT-007: RoleBindings grant a namespace's rights only to ServiceAccounts of that namespace.</summary>
public sealed class NoCrossNamespaceRbacGrants : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-TENANT-007",
        Title = "No cross-namespace RBAC grants",
        Severity = Severity.Medium,
        Area = RuleArea.Tenant,
        Rationale = "A RoleBinding that names a ServiceAccount of another namespace (or the group of all ServiceAccounts of another namespace, or " +
                    "of the whole cluster) lets workloads of one tenant act inside another's namespace. Whoever can run pods as that ServiceAccount, " +
                    "or steal its token, crosses the tenant boundary the namespaces were meant to draw.",
        Remediation = "Remove the foreign subject from the RoleBinding (kubectl edit rolebinding -n <ns> <name>), and if the access is really needed, " +
                      "run the component that needs it in the namespace it works on, or document the exception with an exclusion. Subjects that are the " +
                      "platform's own (SystemSubjects setting) are not reported.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/tenant-isolation.html",
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects",
            "https://kubernetes.io/docs/concepts/security/multi-tenancy/#access-controls",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.RoleBindings],
        Tags = ["multi-tenancy", "rbac", "namespace"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var judged = 0;
        var offending = 0;
        var platform = new List<string>();
        foreach (var binding in context.Kubernetes.RoleBindings!.All)
        {
            var ns = binding.Metadata?.NamespaceProperty;
            if (string.IsNullOrEmpty(ns)) continue;
            judged++;
            var name = binding.Metadata?.Name ?? "(unnamed)";
            var resource = ResourceRef.Of("RoleBinding", binding.Metadata);
            var role = $"{binding.RoleRef?.Kind ?? "(no kind)"} {binding.RoleRef?.Name ?? "(no name)"}";
            var foreign = new List<string>();
            foreach (var raw in binding.Subjects ?? [])
            {
                if (RbacSubject.FromBinding(raw, ns) is not { } subject) continue;
                var crossing = subject.Kind switch
                {
                    RbacSubjectKind.ServiceAccount when subject.Namespace != ns => $"{subject} (namespace {subject.Namespace})",
                    RbacSubjectKind.Group when subject.Name == RbacSubject.AllServiceAccountsGroup => $"{subject} (every ServiceAccount of every namespace)",
                    RbacSubjectKind.Group when subject.Name.StartsWith(RbacSubject.ServiceAccountGroupPrefix, StringComparison.Ordinal) &&
                                               subject.Name[RbacSubject.ServiceAccountGroupPrefix.Length..] != ns =>
                        $"{subject} (every ServiceAccount of namespace {subject.Name[RbacSubject.ServiceAccountGroupPrefix.Length..]})",
                    _ => null,
                };
                if (crossing is null) continue;
                if (context.Settings.IsSystemSubject(subject)) platform.Add($"RoleBinding {ns}/{name} → {subject}");
                else foreign.Add(crossing);
            }
            if (foreign.Count == 0) continue;
            offending++;
            yield return context.Warn(resource, $"RoleBinding {ns}/{name} grants {role} in {ns} to workloads of other namespaces: {string.Join("; ", foreign)}.",
                [$"roleRef = {role}", .. foreign.Select(f => $"subject {f}")]);
        }
        if (judged == 0 || offending > 0) yield break;
        var evidence = new List<string> { $"RoleBindings checked = {judged}" };
        if (platform.Count > 0) evidence.Add($"cross-namespace grants to platform subjects (SystemSubjects, not judged): {Pod.PodRuleSupport.JoinCapped(platform, 10)}");
        yield return context.Pass(context.Cluster, $"None of the {judged} RoleBinding(s) grants rights to another namespace's workloads.", evidence);
    }
}
