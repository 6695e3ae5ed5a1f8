using k8s.Models;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-011: Roles and ClusterRoles name their verbs, resources and API groups instead of using `*`.</summary>
public sealed class NoWildcardsInRoles : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-011",
        Title = "No wildcards in Roles/ClusterRoles",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "A `*` in verbs, resources or apiGroups grants more than anyone reviewed: it covers verbs such as escalate, bind and impersonate, " +
                    "subresources such as pods/exec, and every resource type added later by a new Kubernetes version or CRD. " +
                    "Roles that list what they need stay least-privilege as the cluster evolves.",
        Remediation = "Replace each `*` with the explicit list the subject needs (kubectl edit clusterrole <name>, or kubectl edit role <name> -n <namespace>); " +
                      "audit2rbac or the audit log shows what is actually used. Example rule: " +
                      "{apiGroups: [\"apps\"], resources: [\"deployments\"], verbs: [\"get\", \"list\", \"watch\", \"update\"]}. " +
                      "If a platform component's role must keep its wildcards, add its name to WildcardRoleExclusions.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege",
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources",
        ],
        Frameworks =
        [
            "CIS EKS 1.8.0 4.1.3", "HardenEKS restrict_wildcard_for_cluster_roles", "HardenEKS restrict_wildcard_for_roles",
            "Prowler rbac_minimize_wildcard_use_roles", "Kubescape C-0187",
        ],
        Reads = [SnapshotSection.ClusterRoles, SnapshotSection.Roles],
        Tags = ["cis", "rbac", "least-privilege", "wildcard"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var role in context.Kubernetes.ClusterRoles!.All)
            yield return Judge(context, ResourceRef.Of("ClusterRole", role.Metadata), role.Rules, ExclusionFor(context.Settings, role.Metadata, namespaced: false));
        foreach (var role in context.Kubernetes.Roles!.All)
            yield return Judge(context, ResourceRef.Of("Role", role.Metadata), role.Rules, ExclusionFor(context.Settings, role.Metadata, namespaced: true));
    }

    private static EksSecurityFinding Judge(RuleContext context, ResourceRef resource, IList<V1PolicyRule>? rules, string? exclusion)
    {
        var evidence = new List<string>();
        var all = rules ?? [];
        for (var i = 0; i < all.Count; i++)
        {
            var fields = WildcardFields(all[i]);
            if (fields.Count > 0)
                evidence.Add($"rules[{i}]: {string.Join(", ", fields)} ({Rbac.Describe(all[i])})");
        }
        if (evidence.Count == 0)
        {
            var note = exclusion is null ? "" : $" (it also matches WildcardRoleExclusions pattern '{exclusion}', which was not needed)";
            return context.Pass(resource, $"No rule uses a wildcard in verbs, resources or apiGroups{note}.", [$"{all.Count} rule(s) checked"]);
        }
        if (exclusion is not null)
        {
            evidence.Add($"excluded by WildcardRoleExclusions pattern '{exclusion}'");
            return context.Finding(FindingStatus.Suppressed, resource,
                $"{evidence.Count - 1} rule(s) use wildcards; suppressed because the name matches WildcardRoleExclusions pattern '{exclusion}'.", evidence);
        }
        return context.Fail(resource, $"{evidence.Count} rule(s) use a wildcard in verbs, resources or apiGroups.", evidence);
    }

    /// <summary>"verbs=[*]", "resources=[pods/*]", ... for each field of the rule holding a wildcard.</summary>
    internal static List<string> WildcardFields(V1PolicyRule rule)
    {
        var fields = new List<string>();
        void Check(string name, IList<string>? values)
        {
            var wild = (values ?? []).Where(v => v.Contains('*')).ToList();
            if (wild.Count > 0) fields.Add($"{name} contains {string.Join(", ", wild)}");
        }
        Check("verbs", rule.Verbs);
        Check("resources", rule.Resources);
        Check("apiGroups", rule.ApiGroups);
        return fields;
    }

    /// <summary>The exclusion pattern matching a role: its name, or for a Role also "namespace/name".</summary>
    internal static string? ExclusionFor(RuleSettings settings, V1ObjectMeta? metadata, bool namespaced)
    {
        var name = metadata?.Name;
        if (string.IsNullOrEmpty(name)) return null;
        var plain = settings.WildcardRoleExclusions.Where(p => !p.Contains('/'));
        if (WildcardMatch.FirstMatch(name, plain) is { } match) return match;
        if (!namespaced) return null;
        var qualified = settings.WildcardRoleExclusions.Where(p => p.Contains('/'));
        return WildcardMatch.FirstMatch($"{metadata!.NamespaceProperty}/{name}", qualified);
    }
}
