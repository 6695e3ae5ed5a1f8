using EksSecurity.Engine.Kubernetes.Rbac;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-021: non-system subjects cannot update or patch ConfigMaps in kube-system (aws-auth, coredns).</summary>
public sealed class ProtectKubeSystemConfigMaps : RbacPermissionRule
{
    internal const string KubeSystem = "kube-system";
    private static readonly string[] Verbs = ["update", "patch"];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-021",
        Title = "Protect kube-system ConfigMaps (aws-auth, coredns)",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "Two ConfigMaps in kube-system control the cluster. aws-auth maps IAM roles and users to Kubernetes groups: in the " +
                    "CONFIG_MAP and API_AND_CONFIG_MAP authentication modes, whoever can edit it can map their own IAM role to " +
                    "system:masters and take the cluster over. coredns holds the cluster DNS configuration: editing it redirects service " +
                    "names to addresses of the editor's choice. update and patch on configmaps in kube-system reach both unless the " +
                    "rule lists other names only.",
        Remediation = "Move cluster access to EKS access entries (authentication mode API) and remove write access to kube-system ConfigMaps " +
                      "from other roles. A component that must write its own ConfigMap there should be limited to it:\n" +
                      "rules:\n- apiGroups: [\"\"]\n  resources: [\"configmaps\"]\n  resourceNames: [\"my-controller-leader\"]\n  verbs: [\"get\", \"update\", \"patch\"]\n" +
                      "bound with a RoleBinding in kube-system, never a ClusterRoleBinding.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_the_aws_auth_configmap_deprecated",
            "https://docs.aws.amazon.com/eks/latest/best-practices/auditing-and-logging.html",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        ],
        Frameworks = ["Kubescape C-0037"],
        Reads = RbacHoldings.Sections,
        OptionallyReads = [SnapshotSection.Cluster],
        Tags = ["rbac", "aws-auth", "dns", "least-privilege", "manifest"],
    };

    /// <summary>Unrestricted grants (no name), plus grants that name a protected ConfigMap.</summary>
    private protected override IEnumerable<RbacPermission> Permissions(RuleContext context)
    {
        foreach (var verb in Verbs)
        {
            yield return new RbacPermission(verb, "", "configmaps") { Namespace = KubeSystem };
            foreach (var name in context.Settings.ProtectedKubeSystemConfigMaps)
                yield return new RbacPermission(verb, "", "configmaps") { Namespace = KubeSystem, ResourceName = name };
        }
    }

    private protected override string Capability => "update or patch ConfigMaps in kube-system";

    private protected override EksSecurityFinding Judge(RuleContext context, RbacHolding holding)
    {
        var protectedNames = context.Settings.ProtectedKubeSystemConfigMaps;
        var all = holding.Grants.Any(g => !g.Grant.Rule.IsNameRestricted);
        var reached = all
            ? protectedNames.ToList()
            : holding.Grants.SelectMany(g => g.Grant.Rule.ResourceNames).Where(protectedNames.Contains).Distinct().Order(StringComparer.Ordinal).ToList();
        var verbs = string.Join(", ", Verbs.Where(v => holding.Grants.Any(g => g.Permission.Verb == v)));
        var via = holding.IsClusterWide ? "through a ClusterRoleBinding" : "through a RoleBinding in kube-system";
        var what = (all, reached.Count) switch
        {
            (true, 0) => "every ConfigMap in kube-system",
            (true, _) => $"every ConfigMap in kube-system, including {string.Join(" and ", reached)}",
            _ => $"the kube-system ConfigMap(s) {string.Join(", ", reached)}",
        };

        var evidence = new List<string> { "reaches: " + (reached.Count == 0 ? "every ConfigMap in kube-system" : string.Join(", ", reached.Select(Describe))) };
        if (context.Has(SnapshotSection.Cluster) && context.Aws.Cluster?.Value?.AccessConfig?.AuthenticationMode is { } mode)
            evidence.Add($"authentication mode {mode}: " + (mode == "API"
                ? "aws-auth is not read, but the other ConfigMaps still matter"
                : "the API server maps IAM principals from aws-auth"));
        evidence.AddRange(holding.Evidence());
        return context.Fail(holding.Ref, $"{holding.Subject} can {verbs} {what} ({via}).", evidence);
    }

    private static string Describe(string name) => name switch
    {
        "aws-auth" => "aws-auth (IAM principal to Kubernetes group mappings)",
        "coredns" => "coredns (cluster DNS configuration)",
        _ => name,
    };
}
