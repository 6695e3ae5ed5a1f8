namespace EksSecurity.Engine.Rules;

/// <summary>
/// The thresholds and allow-lists rules use, with EKS-aware defaults. Every default is
/// documented on the rule's page, and can be overridden.
/// </summary>
public sealed class RuleSettings
{
    public static RuleSettings Default { get; } = new();

    /// <summary>Namespaces that hold the platform, not tenants' workloads.</summary>
    public IReadOnlySet<string> SystemNamespaces { get; init; } =
        new HashSet<string>(StringComparer.Ordinal) { "kube-system", "kube-public", "kube-node-lease" };

    /// <summary>EKS-IAM-004: role ARNs allowed in system:masters (break-glass).</summary>
    public IReadOnlySet<string> BreakGlassRoleArns { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// EKS-IAM-010: subjects (Kind:name, wildcards allowed; ServiceAccount:namespace/name) that may hold
    /// cluster-admin. User eks:addon-manager is EKS's own add-on manager (binding eks:addon-cluster-admin).
    /// </summary>
    public IReadOnlyList<string> ClusterAdminAllowedSubjects { get; init; } = ["Group:system:masters", "User:eks:addon-manager"];

    /// <summary>
    /// EKS-IAM-011: role names (wildcards allowed) whose wildcards are the platform's own. A pattern with a
    /// slash ("ns/name") matches only namespaced Roles. admin, edit and view are the aggregated built-ins:
    /// their rules are copies of the roles they aggregate, which are judged themselves.
    /// </summary>
    public IReadOnlyList<string> WildcardRoleExclusions { get; init; } =
        ["system:*", "eks:*", "aws-node", "cluster-admin", "vpc-resource-controller-role", "amazon-vpc-cni*", "admin", "edit", "view"];

    /// <summary>EKS-NET-001: pass a public endpoint when its CIDRs are restricted (no 0.0.0.0/0).</summary>
    public bool AllowPublicEndpointWithRestrictedCidrs { get; init; }

    /// <summary>EKS-NET-002: a public CIDR with a prefix shorter than this is "too wide" (IPv4).</summary>
    public int MinimumPublicCidrPrefixLength { get; init; } = 8;

    /// <summary>EKS-NET-002: the same for IPv6 public CIDRs (a /32 is a whole provider allocation).</summary>
    public int MinimumPublicIpv6CidrPrefixLength { get; init; } = 32;

    /// <summary>EKS-LOG-002: the control-plane log types that must be on.</summary>
    public IReadOnlyList<string> RequiredLogTypes { get; init; } = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

    public bool IsSystemNamespace(string? ns) => ns is not null && SystemNamespaces.Contains(ns);
}
