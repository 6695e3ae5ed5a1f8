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
}
