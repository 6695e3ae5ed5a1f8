namespace EksSecurity;

/// <summary>
/// The named parts of a cluster snapshot. Each rule declares the sections it reads; when one
/// of them was not collected the rule reports Error instead of judging.
/// </summary>
public enum SnapshotSection
{
    // AWS side
    Cluster,
    ClusterVersions,
    NodeGroups,
    Addons,
    AccessEntries,
    PodIdentityAssociations,
    FargateProfiles,
    IdentityProviderConfigs,
    IamRoles,
    IamUsers,
    OidcProviders,
    AccountSettings,
    Instances,
    LaunchTemplates,
    SecurityGroups,
    Subnets,
    AmiReleases,
    AddonVersions,
    EbsEncryptionByDefault,
    EbsVolumes,
    /// <summary>ec2:DescribeRouteTables in the cluster's VPC: which gateway each node subnet's default route leads to.</summary>
    RouteTables,
    /// <summary>ec2:DescribeFlowLogs for the cluster's VPC and its node subnets.</summary>
    FlowLogs,
    /// <summary>ec2:DescribeVpcEndpoints in the cluster's VPC.</summary>
    VpcEndpoints,
    /// <summary>ec2:GetInstanceMetadataDefaults: the account's IMDS defaults in the cluster's Region.</summary>
    InstanceMetadataDefaults,
    /// <summary>The account's clusters in the scan's region (eks:ListClusters, eks:DescribeCluster): whose OIDC issuers still exist.</summary>
    AccountClusters,
    /// <summary>Every IAM role of the account with its trust policy (iam:ListRoles): which roles trust which OIDC providers.</summary>
    AccountRoles,
    KmsKey,

    // Kubernetes side
    ServerVersion,
    Namespaces,
    Pods,
    Deployments,
    ReplicaSets,
    StatefulSets,
    DaemonSets,
    Jobs,
    CronJobs,
    ReplicationControllers,
    PodTemplates,
    ServiceAccounts,
    Roles,
    ClusterRoles,
    RoleBindings,
    ClusterRoleBindings,
    NetworkPolicies,
    ConfigMaps,
    Secrets,
    Nodes,
    Services,
    Ingresses,
    StorageClasses,
    PersistentVolumes,
    PersistentVolumeClaims,
    ValidatingWebhookConfigurations,
    MutatingWebhookConfigurations,
    SecurityGroupPolicies,
    ResourceQuotas,
    LimitRanges,
    PriorityClasses,
    RuntimeClasses,
    PodSecurityPolicies,
    ApiServices,
    /// <summary>The kubelet's effective configuration (GET /api/v1/nodes/{node}/proxy/configz), one node per node group or launch template.</summary>
    KubeletConfigs,
    /// <summary>metrics.k8s.io/v1beta1 NodeMetrics: live CPU and memory usage per node.</summary>
    NodeMetrics,
}
