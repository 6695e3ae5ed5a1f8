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

    /// <summary>EKS-RUNTIME-001: capabilities a container may add (names without CAP_, upper case): the container runtime's default set.</summary>
    public IReadOnlyList<string> AllowedAddedCapabilities { get; init; } =
        ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];

    /// <summary>EKS-RUNTIME-001: added capabilities that make a finding Critical instead of High.</summary>
    public IReadOnlyList<string> CriticalCapabilities { get; init; } = ["SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "BPF", "ALL"];

    /// <summary>
    /// EKS-IMG-007: approved image sources, "registry-host" or "registry-host/repository-glob" (* and ? wildcards; the host is
    /// compared case-insensitively). {AccountId} and {Region} are the cluster's, from the snapshot; a pattern using one the
    /// snapshot lacks is skipped. Defaults: the cluster account's own ECR, and the registries AWS serves EKS add-ons from.
    /// </summary>
    public IReadOnlyList<string> ApprovedRegistries { get; init; } =
    [
        "{AccountId}.dkr.ecr.{Region}.amazonaws.com", "{AccountId}.dkr.ecr-fips.{Region}.amazonaws.com", "{AccountId}.dkr.ecr.{Region}.amazonaws.com.cn",
        "602401143452.dkr.ecr.*.amazonaws.com", "602401143452.dkr.ecr-fips.*.amazonaws.com",
        "877085696533.dkr.ecr.*.amazonaws.com", "800184023465.dkr.ecr.*.amazonaws.com", "533267051163.dkr.ecr.*.amazonaws.com",
        "296578399912.dkr.ecr.*.amazonaws.com", "900889452093.dkr.ecr.*.amazonaws.com", "491585149902.dkr.ecr.*.amazonaws.com",
        "151610086707.dkr.ecr.*.amazonaws.com", "333609536671.dkr.ecr.*.amazonaws.com", "121268973566.dkr.ecr.*.amazonaws.com",
        "590381155156.dkr.ecr.*.amazonaws.com", "455263428931.dkr.ecr.*.amazonaws.com", "900612956339.dkr.ecr.*.amazonaws.com",
        "066635153087.dkr.ecr.*.amazonaws.com", "730335286997.dkr.ecr.*.amazonaws.com", "558608220178.dkr.ecr.*.amazonaws.com",
        "759879836304.dkr.ecr.*.amazonaws.com", "761377655185.dkr.ecr.*.amazonaws.com", "151742754352.dkr.ecr.*.amazonaws.com",
        "013241004608.dkr.ecr.*.amazonaws.com", "918309763551.dkr.ecr.*.amazonaws.com.cn", "961992271922.dkr.ecr.*.amazonaws.com.cn",
        "877088126301.dkr.ecr.*.amazonaws.eu",
        "public.ecr.aws/eks/*", "public.ecr.aws/eks-distro/*", "public.ecr.aws/eks-distro-build-tooling/*",
    ];

    /// <summary>EKS-IMG-009: frozen or retired registries, in the same "host[/repository-glob]" form as <see cref="ApprovedRegistries"/>.</summary>
    public IReadOnlyList<string> DeprecatedRegistries { get; init; } = ["k8s.gcr.io", "gcr.io/google_containers/*", "gcr.io/google-containers/*"];

    /// <summary>
    /// EKS-DATA-011: env names and ConfigMap keys (regular expressions, case-insensitive, searched anywhere in the name) whose
    /// literal value is treated as a credential.
    /// </summary>
    public IReadOnlyList<string> SensitiveKeyNames { get; init; } =
        ["passw(or)?d", "(^|[_.-])pwd($|[_.-])", "secret", "token", "api[_.-]?key", "access[_.-]?key", "private[_.-]?key", "credential", "auth[_.-]?key", "bearer"];

    /// <summary>EKS-DATA-011: names that match <see cref="SensitiveKeyNames"/> but hold references or parameters, not credentials (case-insensitive).</summary>
    public IReadOnlyList<string> SensitiveKeyNamesAllowed { get; init; } =
        ["[_.-](name|names|file|path|dir|ref|arn|id|url|uri|endpoint|length|ttl|timeout|expiry|expiration|enabled|type|mode|header|policy|version|count|size|hint|location|audience|issuer|algorithm|format|scope|scopes|prefix)$"];

    /// <summary>
    /// EKS-DATA-011: value patterns (regular expressions, searched in every literal env value and ConfigMap value), by the name
    /// findings give them. A group named "value" marks the secret part: placeholders there (${VAR}, {{ .x }}, paths) do not count.
    /// </summary>
    public IReadOnlyDictionary<string, string> SensitiveValuePatterns { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AWS access key id"] = @"\b(AKIA|ASIA)[A-Z0-9]{16}\b",
        ["private key (PEM)"] = @"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----",
        ["password assignment"] = @"(?i)(password|passwd|pwd)[""']?[ \t]*[=:][ \t]*[""']?(?<value>[^\s""'&;,]+)",
        ["credentials in URL"] = @"(?i)\b[a-z][a-z0-9+.-]*://[^/\s:@]*:(?<value>[^/\s@]+)@",
        ["JSON web token"] = @"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",
        ["GitHub token"] = @"\bgh[pousr]_[A-Za-z0-9]{36,}\b",
    };

    /// <summary>EKS-DATA-011: values longer than this (in characters) are not scanned, and the finding says so (ConfigMaps hold at most 1 MiB).</summary>
    public int SensitiveValueMaxLength { get; init; } = 1024 * 1024;

    /// <summary>
    /// EKS-POD-003: extra policy engines, as wildcard patterns matched against the names of webhook configurations, of their
    /// webhooks and of the services they call ("namespace/name"). Kyverno, Gatekeeper, Kubewarden, jsPolicy and Polaris are built in.
    /// </summary>
    public IReadOnlyList<string> PolicyEngineWebhooks { get; init; } = [];

    /// <summary>
    /// EKS-POD-015: host paths that hold credentials or node configuration. "*" is one path segment; a leading "*/" means
    /// "at any depth". A hostPath matches when it is one of them, lies inside one, or is a directory above one.
    /// </summary>
    public IReadOnlyList<string> CredentialHostPaths { get; init; } =
        ["/root/.aws", "/home/*/.aws", "*/.aws/*", "/etc/kubernetes", "/var/lib/kubelet", "/etc/eks", "/var/lib/kubelet/pki"];

    /// <summary>EKS-POD-017: also require a CPU limit on every container (off by default: CPU limits throttle, see the EKS Best Practices Guide).</summary>
    public bool RequireCpuLimits { get; init; }

    /// <summary>EKS-IAM-002: the IAM principal ARN that created the cluster, when known (CloudTrail CreateCluster); null = recognise its entry by creation time.</summary>
    public string? ClusterCreatorPrincipalArn { get; init; }

    /// <summary>EKS-IAM-002: an admin access entry created up to this many minutes after the cluster counts as the creator's bootstrap entry.</summary>
    public int ClusterCreatorEntryWindowMinutes { get; init; } = 30;

    /// <summary>EKS-IAM-003: the most principals that may hold a cluster-scoped admin access policy.</summary>
    public int MaxClusterAdminPrincipals { get; init; } = 3;

    /// <summary>EKS-IAM-003: principal ARNs (wildcards allowed, case-insensitive) allowed to hold cluster-scoped admin; empty = no allow-list.</summary>
    public IReadOnlyList<string> ClusterAdminPrincipalAllowlist { get; init; } = [];

    /// <summary>EKS-IAM-039: AWS managed policy names the cluster IAM role may have attached.</summary>
    public IReadOnlyList<string> ClusterRoleAllowedPolicies { get; init; } = ["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"];

    /// <summary>EKS-IAM-039: further AWS managed policy names allowed when the cluster runs EKS Auto Mode.</summary>
    public IReadOnlyList<string> ClusterRoleAutoModePolicies { get; init; } =
        ["AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy"];

    /// <summary>EKS-IAM-041: the shortest acceptable minimum password length.</summary>
    public int PasswordMinimumLength { get; init; } = 14;

    /// <summary>EKS-IAM-041: how many previous passwords must be remembered at least.</summary>
    public int PasswordReusePrevention { get; init; } = 24;

    /// <summary>EKS-IAM-041: the longest acceptable password age in days; null = do not require expiry.</summary>
    public int? PasswordMaxAgeDays { get; init; } = 90;

    /// <summary>EKS-IAM-043: an active access key older than this many days fails.</summary>
    public int AccessKeyMaxAgeDays { get; init; } = 90;

    /// <summary>EKS-IAM-043: an active access key unused for longer than this many days warns.</summary>
    public int AccessKeyMaxUnusedDays { get; init; } = 90;

    /// <summary>EKS-IAM-044: the longest acceptable MaxSessionDuration, in seconds, of a role with cluster-admin access.</summary>
    public int ClusterAdminMaxSessionSeconds { get; init; } = 3600;

    /// <summary>EKS-INFRA-004: a node group whose AMI release is more than this many days older than the recommended one fails.</summary>
    public int AmiMaxDaysBehindRecommended { get; init; } = 30;

    /// <summary>EKS-INFRA-021: the add-ons every cluster needs, judged managed, current and healthy.</summary>
    public IReadOnlyList<string> CoreAddons { get; init; } = ["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent"];

    public bool IsSystemNamespace(string? ns) => ns is not null && SystemNamespaces.Contains(ns);
}
