using System.Text.Json.Serialization;
using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Snapshot;

public enum SnapshotOrigin
{
    /// <summary>A snapshot file.</summary>
    File,
    /// <summary>Collected from a live cluster and AWS account.</summary>
    Live,
    /// <summary>Manifest files: Kubernetes objects only, before they are deployed.</summary>
    Manifests,
}

/// <summary>A file and 1-based line.</summary>
public readonly record struct SourceLocation(string Path, int Line);

/// <summary>
/// Everything the rules read, gathered once. Rules never call an API: they read this.
/// Immutable once read or collected (rules run in parallel over it).
/// </summary>
public sealed class ClusterSnapshot : IClusterSnapshot
{
    /// <summary>The schema this build reads and writes. Raise it when a change would be misread by an older reader.</summary>
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;
    /// <summary>What wrote the file, such as "EksSecurity 0.1.0".</summary>
    public string? Generator { get; set; }
    public DateTimeOffset? CollectedAt { get; set; }

    public string ClusterName { get; set; } = "";
    public string? Region { get; set; }
    public string? AccountId { get; set; }
    public string? ClusterArn { get; set; }

    public AwsSections Aws { get; set; } = new();
    public KubernetesSections Kubernetes { get; set; } = new();

    [JsonIgnore] public string? SourcePath { get; internal set; }

    /// <summary>Where the data came from; manifests hold only Kubernetes objects.</summary>
    [JsonIgnore] public SnapshotOrigin Origin { get; set; } = SnapshotOrigin.File;

    /// <summary>For snapshots read from manifests: the file and line of each object, by kind, namespace and name.</summary>
    [JsonIgnore] public Dictionary<(string Kind, string Namespace, string Name), SourceLocation> SourceLocations { get; } = new();

    /// <summary>True for sections only AWS can answer (they cannot come from manifest files).</summary>
    public static bool IsAwsSection(SnapshotSection section) => section <= SnapshotSection.KmsKey;

    private SnapshotIndex? _index;
    /// <summary>Look-ups shared by many rules, built once on first use.</summary>
    [JsonIgnore] public SnapshotIndex Index => LazyInitializer.EnsureInitialized(ref _index, () => new SnapshotIndex(this));

    /// <summary>The section behind a <see cref="SnapshotSection"/> name; null when the file does not have it.</summary>
    public SectionBase? GetSection(SnapshotSection section) => section switch
    {
        SnapshotSection.Cluster => Aws.Cluster,
        SnapshotSection.ClusterVersions => Aws.ClusterVersions,
        SnapshotSection.NodeGroups => Aws.NodeGroups,
        SnapshotSection.Addons => Aws.Addons,
        SnapshotSection.AccessEntries => Aws.AccessEntries,
        SnapshotSection.PodIdentityAssociations => Aws.PodIdentityAssociations,
        SnapshotSection.FargateProfiles => Aws.FargateProfiles,
        SnapshotSection.IdentityProviderConfigs => Aws.IdentityProviderConfigs,
        SnapshotSection.IamRoles => Aws.IamRoles,
        SnapshotSection.IamUsers => Aws.IamUsers,
        SnapshotSection.OidcProviders => Aws.OidcProviders,
        SnapshotSection.AccountSettings => Aws.AccountSettings,
        SnapshotSection.Instances => Aws.Instances,
        SnapshotSection.LaunchTemplates => Aws.LaunchTemplates,
        SnapshotSection.SecurityGroups => Aws.SecurityGroups,
        SnapshotSection.Subnets => Aws.Subnets,
        SnapshotSection.AmiReleases => Aws.AmiReleases,
        SnapshotSection.AddonVersions => Aws.AddonVersions,
        SnapshotSection.EbsEncryptionByDefault => Aws.EbsEncryptionByDefault,
        SnapshotSection.EbsVolumes => Aws.EbsVolumes,
        SnapshotSection.RouteTables => Aws.RouteTables,
        SnapshotSection.FlowLogs => Aws.FlowLogs,
        SnapshotSection.VpcEndpoints => Aws.VpcEndpoints,
        SnapshotSection.InstanceMetadataDefaults => Aws.InstanceMetadataDefaults,
        SnapshotSection.AccountClusters => Aws.AccountClusters,
        SnapshotSection.AccountRoles => Aws.AccountRoles,
        SnapshotSection.KmsKey => Aws.KmsKey,
        SnapshotSection.ServerVersion => Kubernetes.ServerVersion,
        SnapshotSection.Namespaces => Kubernetes.Namespaces,
        SnapshotSection.Pods => Kubernetes.Pods,
        SnapshotSection.Deployments => Kubernetes.Deployments,
        SnapshotSection.ReplicaSets => Kubernetes.ReplicaSets,
        SnapshotSection.StatefulSets => Kubernetes.StatefulSets,
        SnapshotSection.DaemonSets => Kubernetes.DaemonSets,
        SnapshotSection.Jobs => Kubernetes.Jobs,
        SnapshotSection.CronJobs => Kubernetes.CronJobs,
        SnapshotSection.ReplicationControllers => Kubernetes.ReplicationControllers,
        SnapshotSection.PodTemplates => Kubernetes.PodTemplates,
        SnapshotSection.ServiceAccounts => Kubernetes.ServiceAccounts,
        SnapshotSection.Roles => Kubernetes.Roles,
        SnapshotSection.ClusterRoles => Kubernetes.ClusterRoles,
        SnapshotSection.RoleBindings => Kubernetes.RoleBindings,
        SnapshotSection.ClusterRoleBindings => Kubernetes.ClusterRoleBindings,
        SnapshotSection.NetworkPolicies => Kubernetes.NetworkPolicies,
        SnapshotSection.ConfigMaps => Kubernetes.ConfigMaps,
        SnapshotSection.Secrets => Kubernetes.Secrets,
        SnapshotSection.Nodes => Kubernetes.Nodes,
        SnapshotSection.Services => Kubernetes.Services,
        SnapshotSection.Ingresses => Kubernetes.Ingresses,
        SnapshotSection.StorageClasses => Kubernetes.StorageClasses,
        SnapshotSection.PersistentVolumes => Kubernetes.PersistentVolumes,
        SnapshotSection.PersistentVolumeClaims => Kubernetes.PersistentVolumeClaims,
        SnapshotSection.ValidatingWebhookConfigurations => Kubernetes.ValidatingWebhookConfigurations,
        SnapshotSection.MutatingWebhookConfigurations => Kubernetes.MutatingWebhookConfigurations,
        SnapshotSection.SecurityGroupPolicies => Kubernetes.SecurityGroupPolicies,
        SnapshotSection.ResourceQuotas => Kubernetes.ResourceQuotas,
        SnapshotSection.LimitRanges => Kubernetes.LimitRanges,
        SnapshotSection.PriorityClasses => Kubernetes.PriorityClasses,
        SnapshotSection.RuntimeClasses => Kubernetes.RuntimeClasses,
        SnapshotSection.PodSecurityPolicies => Kubernetes.PodSecurityPolicies,
        SnapshotSection.ApiServices => Kubernetes.ApiServices,
        SnapshotSection.KubeletConfigs => Kubernetes.KubeletConfigs,
        SnapshotSection.NodeMetrics => Kubernetes.NodeMetrics,
        _ => throw new ArgumentOutOfRangeException(nameof(section), section, null),
    };

    public SectionInfo DescribeSection(SnapshotSection section)
    {
        var s = GetSection(section);
        return s is null
            ? new SectionInfo { Section = section, Status = SectionStatus.NotCollected }
            : new SectionInfo { Section = section, Status = s.Status, Permission = s.Permission, Reason = s.Reason, ItemCount = s.Count };
    }

    [JsonIgnore]
    public IReadOnlyList<SectionInfo> Sections => Enum.GetValues<SnapshotSection>().Select(DescribeSection).ToList();

    /// <summary>After reading: give status to sections written without one, and drop anything secret a file may carry.</summary>
    internal void Normalize()
    {
        foreach (var section in Enum.GetValues<SnapshotSection>()) GetSection(section)?.Normalize();
        foreach (var secret in Kubernetes.Secrets?.Items ?? [])
        {
            secret.Data = null;
            secret.StringData = null;
            secret.Metadata?.Annotations?.Remove("kubectl.kubernetes.io/last-applied-configuration");
        }
        if (string.IsNullOrEmpty(ClusterName)) ClusterName = Aws.Cluster?.Value?.Name ?? "";
        if (ClusterArn is null && Aws.Cluster?.Value?.Arn is { } arn) ClusterArn = arn;
        if (ClusterArn is not null && (Region is null || AccountId is null))
        {
            // arn:partition:eks:region:account:cluster/name
            var parts = ClusterArn.Split(':');
            if (parts.Length >= 6)
            {
                Region ??= parts[3];
                AccountId ??= parts[4];
            }
        }
    }
}
