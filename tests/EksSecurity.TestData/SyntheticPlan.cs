namespace EksSecurity.TestData;

/// <summary>What a synthetic workload is.</summary>
public enum WorkloadKind
{
    Deployment,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    /// <summary>A pod without an owner (kubectl run, debugging leftovers).</summary>
    BarePod,
}

/// <summary>The kind of a namespace in the plan.</summary>
public enum NamespaceKind
{
    /// <summary>default, kube-system, kube-public, kube-node-lease.</summary>
    System,
    /// <summary>Add-ons and platform tooling (monitoring, cert-manager, ...).</summary>
    Platform,
    /// <summary>A team's application namespace.</summary>
    Application,
}

/// <summary>How a namespace isolates its network.</summary>
public enum NetworkPolicyProfile
{
    None,
    /// <summary>default-deny-all plus allow-dns plus per-app ingress rules.</summary>
    DefaultDeny,
    /// <summary>default-deny-all without a DNS allowance (a common mistake).</summary>
    DefaultDenyNoDns,
    /// <summary>Only per-app ingress rules, no default deny.</summary>
    IngressOnly,
    /// <summary>Egress to anywhere but IMDS, plus allow-dns.</summary>
    DenyImds,
}

/// <summary>One workload of the plan. Small: the objects are built from it when a section is written.</summary>
public sealed class WorkloadPlan
{
    public required WorkloadKind Kind { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    /// <summary>Pods it owns: replicas, one per node for a DaemonSet, one per retained job for a CronJob.</summary>
    public int Pods { get; init; }
    /// <summary>The template of an application workload; null for platform components.</summary>
    public PodProfile? Profile { get; init; }
    public SystemWorkload? System { get; init; }
    public required string ServiceAccount { get; init; }
    public string? IrsaRoleArn { get; set; }
    public int Index { get; init; }
    public DateTime Created { get; init; }
    /// <summary>The Service in front of it: ClusterIP, LoadBalancer or NodePort; null for none.</summary>
    public string? ServiceType { get; init; }
    public bool Ingress { get; init; }
    public bool IngressTls { get; init; }
    /// <summary>A Deployment's current ReplicaSet hash.</summary>
    public string? Hash { get; init; }
    /// <summary>A Deployment keeps a scaled-down ReplicaSet from its previous rollout.</summary>
    public bool OldReplicaSet { get; init; }
    public string? Schedule { get; init; }
}

/// <summary>A service account of the plan and the IAM role it is annotated with, if any.</summary>
public sealed class ServiceAccountPlan
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public string? RoleArn { get; set; }
    public bool? Automount { get; init; }
    /// <summary>Used by exactly one workload (a candidate for its own IAM role).</summary>
    public bool Dedicated { get; init; }
    public bool PodIdentity { get; set; }
}

/// <summary>One namespace of the plan.</summary>
public sealed class NamespacePlan
{
    public required int Index { get; init; }
    public required string Name { get; init; }
    public required NamespaceKind Kind { get; init; }
    public required string Team { get; init; }
    public string Environment { get; init; } = "prod";
    public required PsaLabels Psa { get; init; }
    public bool Quota { get; init; }
    public bool LimitRange { get; init; }
    public NetworkPolicyProfile NetworkPolicies { get; init; }
    public DateTime Created { get; init; }
    public int PodBudget { get; set; }
    public int RoleBindings { get; set; }
    public int Roles { get; set; }
    public List<WorkloadPlan> Workloads { get; } = [];
    public List<ServiceAccountPlan> ServiceAccounts { get; } = [];
}

/// <summary>What an IAM role of the plan is for.</summary>
public enum IamRoleKind
{
    Cluster,
    Node,
    Human,
    AddOn,
    PodIdentity,
    Irsa,
}

public sealed class IamRolePlan
{
    public required string Name { get; init; }
    public required IamRoleKind Kind { get; init; }
    public int Index { get; init; }
    public string? Namespace { get; set; }
    public string? ServiceAccount { get; set; }
    public string? Team { get; init; }
    public IrsaTrustVariant Trust { get; init; }
    public string Path { get; init; } = "/";
}

/// <summary>A managed node group of the plan.</summary>
public sealed class NodeGroupPlan
{
    public required string Name { get; init; }
    public required string[] InstanceTypes { get; init; }
    public string CapacityType { get; init; } = "ON_DEMAND";
    public string AmiType { get; init; } = "AL2023_x86_64_STANDARD";
    public string Architecture { get; init; } = "amd64";
    public int Nodes { get; set; }
    public string? LaunchTemplateId { get; init; }
    public string HttpTokens { get; init; } = "required";
    public int HopLimit { get; init; } = 1;
    public bool PublicSubnets { get; init; }
    public string? SshKey { get; init; }
    public required string NodeRoleName { get; init; }
    public string? GpuTaint { get; init; }
    public DateTime Created { get; init; }
}
