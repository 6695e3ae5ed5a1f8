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

    /// <summary>EKS-IAM-031: AWS managed policy names a node role may have attached.</summary>
    public IReadOnlyList<string> NodeRoleAllowedPolicies { get; init; } =
    [
        "AmazonEKSWorkerNodePolicy", "AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryReadOnly", "AmazonEC2ContainerRegistryPullOnly",
        "AmazonEKS_CNI_Policy", "AmazonSSMManagedInstanceCore",
    ];

    /// <summary>EKS-IAM-038: warn when a workload role has no permissions boundary.</summary>
    public bool RequireWorkloadRoleBoundary { get; init; } = true;

    /// <summary>EKS-IAM-039: AWS managed policy names the cluster IAM role may have attached.</summary>
    public IReadOnlyList<string> ClusterRoleAllowedPolicies { get; init; } = ["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"];

    /// <summary>EKS-IAM-039: further AWS managed policy names allowed when the cluster runs EKS Auto Mode.</summary>
    public IReadOnlyList<string> ClusterRoleAutoModePolicies { get; init; } =
        ["AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy"];

    /// <summary>
    /// EKS-IAM-030: names of the policies that hold the VPC CNI's permissions (* and ? wildcards, case-insensitive), matched against
    /// attached and inline policy names on node roles. AmazonEKS_CNI_Policy is the AWS managed one (IPv4); AmazonEKS_CNI_IPv6_Policy is
    /// the name the EKS user guide gives the customer managed policy for IPv6 clusters.
    /// </summary>
    public IReadOnlyList<string> CniPolicyNames { get; init; } = ["AmazonEKS_CNI_Policy", "AmazonEKS_CNI_IPv6_Policy"];

    /// <summary>
    /// EKS-IAM-037: IAM role ARNs (* and ? wildcards, case-insensitive) shared by ServiceAccounts of several namespaces on purpose;
    /// their findings are Suppressed. Roles shared through Pod Identity with session tags, whose policies use aws:PrincipalTag/kubernetes-*,
    /// pass without being listed.
    /// </summary>
    public IReadOnlyList<string> SharedWorkloadRoleArns { get; init; } = [];

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

    /// <summary>
    /// EKS-INFRA-003: how many minor versions a kubelet may lag behind the control plane; null = the Kubernetes version skew
    /// policy itself (3 from control plane 1.28, 2 before). A kubelet newer than the control plane always fails.
    /// </summary>
    public int? KubeletMaxMinorVersionSkew { get; init; }

    /// <summary>EKS-INFRA-005: a node older than this many days warns (Karpenter's default expireAfter is 30 days; Auto Mode replaces nodes within 21).</summary>
    public int NodeMaxAgeDays { get; init; } = 30;

    /// <summary>EKS-INFRA-006: node osImage patterns (* and ? wildcards, case-insensitive) that count as container-optimized.</summary>
    public IReadOnlyList<string> ContainerOptimizedOsImages { get; init; } = ["Bottlerocket*", "Amazon Linux 2023*"];

    /// <summary>EKS-INFRA-008: managed policies that let the SSM agent on a node register with Systems Manager (Session Manager access).</summary>
    public IReadOnlyList<string> SsmNodeRolePolicies { get; init; } = ["AmazonSSMManagedInstanceCore", "AmazonSSMManagedEC2InstanceDefaultPolicy"];

    /// <summary>EKS-INFRA-015: the lowest acceptable kubelet eventRecordQPS other than 0 (0 means no limit, which passes).</summary>
    public int KubeletMinEventRecordQps { get; init; } = 5;

    /// <summary>
    /// EKS-INFRA-018: kubelet TLS cipher suites (Go names) that count as strong: the CIS Kubernetes benchmark's list, which the EKS
    /// AL2023 AMI uses, with Go's alternative CHACHA20 names and the TLS 1.3 suites.
    /// </summary>
    public IReadOnlyList<string> KubeletStrongCipherSuites { get; init; } =
    [
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
    ];

    /// <summary>EKS-INFRA-018: the lowest acceptable kubelet tlsMinVersion (VersionTLS12 or VersionTLS13).</summary>
    public string KubeletMinTlsVersion { get; init; } = "VersionTLS12";

    /// <summary>EKS-HEALTH-003: a pod Pending for longer than this many minutes fails.</summary>
    public int PendingPodMaxMinutes { get; init; } = 10;

    /// <summary>EKS-HEALTH-005: warn when the memory limits of a node's pods add up to more than this percentage of its allocatable memory.</summary>
    public int NodeMemoryLimitsMaxPercent { get; init; } = 150;

    /// <summary>EKS-HEALTH-005: warn when the CPU or memory requests of a node's pods add up to more than this percentage of its allocatable.</summary>
    public int NodeRequestsMaxPercent { get; init; } = 90;

    /// <summary>EKS-TENANT-004 and 006: namespace labels that name the team or tenant owning a namespace, in order of preference.</summary>
    public IReadOnlyList<string> TenantLabelKeys { get; init; } = ["tenant", "team", "owner", "app.kubernetes.io/part-of"];

    /// <summary>EKS-TENANT-005: namespaces besides <see cref="SystemNamespaces"/> whose pods may use system-node-critical and system-cluster-critical (AWS agents).</summary>
    public IReadOnlyList<string> SystemPriorityNamespaces { get; init; } = ["amazon-guardduty", "amazon-cloudwatch", "aws-observability"];

    /// <summary>EKS-TENANT-005: a globalDefault PriorityClass at or above this value warns (every pod without a class would get it).</summary>
    public int HighPriorityValue { get; init; } = 1_000_000;

    /// <summary>
    /// EKS-IMG-010: further image signature verifiers, as wildcard patterns matched against webhook configuration names, webhook names
    /// and their services ("namespace/name"). Sigstore policy-controller, Kyverno image validating policies, Ratify, Connaisseur and
    /// Portieris are recognised built in.
    /// </summary>
    public IReadOnlyList<string> ImageVerificationWebhooks { get; init; } = [];

    /// <summary>
    /// EKS-IMG-011: cluster components with known exploited vulnerabilities or past end of life, by image repository and version.
    /// Compiled 2026-11-27 from the projects' advisories; extend it with your own entries, or replace it to follow your scanner's feed.
    /// </summary>
    public IReadOnlyList<Img.KnownVulnerableComponent> KnownVulnerableComponents { get; init; } =
    [
        new("ingress-nginx controller", ["ingress-nginx/controller*", "*/ingress-nginx/controller*", "bitnami/nginx-ingress-controller", "*/bitnami/nginx-ingress-controller"],
            "<1.11.5 || >=1.12.0 <1.12.1", "CVE-2025-1974 (IngressNightmare): unauthenticated code execution through the admission webhook, exposing every Secret", "1.11.5, 1.12.1 or later"),
        new("ingress-nginx controller", ["ingress-nginx/controller*", "*/ingress-nginx/controller*", "bitnami/nginx-ingress-controller", "*/bitnami/nginx-ingress-controller"],
            "*", "end of life: the Kubernetes project retired ingress-nginx in March 2026; no further releases or security fixes", "another Ingress or Gateway API controller",
            new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)),
        new("Argo CD", ["argoproj/argocd", "*/argoproj/argocd"],
            "<2.1.9 || >=2.2.0 <2.2.4", "CVE-2022-24348: path traversal in Helm value files lets a user with app rights read other applications' secrets", "2.1.9, 2.2.4, 2.3.0 or later"),
        new("Grafana", ["grafana/grafana", "*/grafana/grafana", "grafana/grafana-oss", "*/grafana/grafana-oss", "grafana/grafana-enterprise", "*/grafana/grafana-enterprise"],
            ">=8.0.0 <8.0.7 || >=8.1.0 <8.1.8 || >=8.2.0 <8.2.7 || >=8.3.0 <8.3.1", "CVE-2021-43798: unauthenticated path traversal reads any file of the container", "8.0.7, 8.1.8, 8.2.7, 8.3.1 or later"),
        new("Grafana", ["grafana/grafana", "*/grafana/grafana", "grafana/grafana-oss", "*/grafana/grafana-oss", "grafana/grafana-enterprise", "*/grafana/grafana-enterprise"],
            ">=9.2.0 <9.2.4", "CVE-2022-39328: a race condition lets unauthenticated requests reach authenticated endpoints", "9.2.4 or later"),
        new("Kyverno", ["kyverno/kyverno", "*/kyverno/kyverno"],
            ">=1.8.3 <1.8.5", "CVE-2022-47633: a malicious registry can bypass image signature verification", "1.8.5 or later"),
    ];

    /// <summary>EKS-RUNTIME-006: RuntimeClass handlers (wildcards, case-insensitive) that run pods in a sandbox (a VM or user-space kernel).</summary>
    public IReadOnlyList<string> SandboxRuntimeHandlers { get; init; } = ["kata*", "runsc*", "gvisor*", "firecracker*", "fc", "*kata*"];

    /// <summary>EKS-RUNTIME-007: container ports that suggest an SSH server.</summary>
    public IReadOnlyList<int> SshPorts { get; init; } = [22, 2222];

    /// <summary>
    /// EKS-NET-006: further DaemonSets, as "namespace/name" patterns (* and ? wildcards), whose presence means NetworkPolicy is
    /// enforced (Antrea, kube-router, ...). The VPC CNI network policy agent, Calico, Cilium and EKS Auto Mode are recognised built in.
    /// </summary>
    public IReadOnlyList<string> NetworkPolicyEnforcerDaemonSets { get; init; } = [];

    /// <summary>EKS-NET-012: Service ports treated as HTTP(S) besides those whose name or appProtocol says http, https, h2c, grpc or ws.</summary>
    public IReadOnlyList<int> HttpLikePorts { get; init; } = [80, 443, 8000, 8008, 8080, 8443, 8888];

    /// <summary>
    /// EKS-NET-013: ingress class names whose controller sits behind a load balancer that terminates TLS itself (an NLB with an
    /// ACM certificate in front of ingress-nginx, for example), so their Ingresses need no spec.tls.
    /// </summary>
    public IReadOnlyList<string> TlsTerminatingIngressClasses { get; init; } = [];

    /// <summary>EKS-NET-014: Services and Ingresses ("namespace/name", * and ? wildcards) meant to be reachable from the whole internet.</summary>
    public IReadOnlyList<string> PublicLoadBalancerAllowlist { get; init; } = [];

    /// <summary>
    /// EKS-NET-015: admission webhooks (configuration or webhook names, * and ? wildcards) that restrict Service externalIPs
    /// (CVE-2020-8554), such as the upstream externalip-webhook.
    /// </summary>
    public IReadOnlyList<string> ExternalIpGuardWebhooks { get; init; } = ["*externalip*", "*external-ip*"];

    /// <summary>
    /// EKS-NET-018: the AWS services (the part after com.amazonaws.&lt;region&gt;.) a private cluster's nodes reach through VPC endpoints
    /// when their subnets have no route out of the VPC. eks-auth (EKS Pod Identity) counts only when Pod Identity is in use.
    /// </summary>
    public IReadOnlyList<string> PrivateClusterVpcEndpoints { get; init; } = ["ec2", "ecr.api", "ecr.dkr", "s3", "sts", "logs", "elasticloadbalancing", "eks-auth"];

    /// <summary>
    /// EKS-IAM-032 and 033: node groups (managed node group, eksctl node group or Auto Scaling group names; * and ? wildcards) whose pods
    /// need the instance metadata service. Their nodes may use a hop limit of 2, still with IMDSv2 required.
    /// </summary>
    public IReadOnlyList<string> ImdsHopLimitTwoNodeGroups { get; init; } = [];

    public bool IsSystemNamespace(string? ns) => ns is not null && SystemNamespaces.Contains(ns);

    /// <summary>
    /// RBAC rules (EKS-IAM-012 to 021, 027): subjects that are the platform's own and are not judged, as "Kind:name" patterns
    /// ("ServiceAccount:namespace/name"; * and ? wildcards). Defaults: system:* and eks:* users and groups, and the ServiceAccounts
    /// of the control-plane controllers and EKS add-ons (see Kubernetes/Rbac/RbacSystemSubjects.cs).
    /// </summary>
    public IReadOnlyList<string> SystemSubjects { get; init; } = EksSecurity.Engine.Kubernetes.Rbac.RbacSystemSubjects.Defaults;

    /// <summary>Subjects that are judged even when <see cref="SystemSubjects"/> matches them: by default the anonymous, unauthenticated, authenticated and ServiceAccount groups.</summary>
    public IReadOnlyList<string> NonSystemSubjects { get; init; } = EksSecurity.Engine.Kubernetes.Rbac.RbacSystemSubjects.NeverSystem;

    /// <summary>EKS-IAM-021: kube-system ConfigMaps whose write access counts even when a rule names them in resourceNames.</summary>
    public IReadOnlyList<string> ProtectedKubeSystemConfigMaps { get; init; } = ["aws-auth", "coredns"];

    /// <summary>EKS-IAM-028: legacy ServiceAccount token Secrets that are accepted, as "namespace/name" patterns (* and ? wildcards).</summary>
    public IReadOnlyList<string> LegacyTokenSecretAllowlist { get; init; } = [];

    /// <summary>True for the platform's own RBAC subjects (<see cref="SystemSubjects"/> and not <see cref="NonSystemSubjects"/>).</summary>
    public bool IsSystemSubject(EksSecurity.Engine.Kubernetes.Rbac.RbacSubject subject) =>
        EksSecurity.Engine.Kubernetes.Rbac.RbacSystemSubjects.IsSystem(subject, SystemSubjects, NonSystemSubjects);
}
