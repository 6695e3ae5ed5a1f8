using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Snapshot;

/// <summary>The Kubernetes half of a snapshot: each list as `kubectl get -o json` would give its items.</summary>
public sealed class KubernetesSections
{
    public ObjectSection<VersionInfo>? ServerVersion { get; set; }
    public Section<V1Namespace>? Namespaces { get; set; }
    public Section<V1Pod>? Pods { get; set; }
    public Section<V1Deployment>? Deployments { get; set; }
    public Section<V1ReplicaSet>? ReplicaSets { get; set; }
    public Section<V1StatefulSet>? StatefulSets { get; set; }
    public Section<V1DaemonSet>? DaemonSets { get; set; }
    public Section<V1Job>? Jobs { get; set; }
    public Section<V1CronJob>? CronJobs { get; set; }
    public Section<V1ReplicationController>? ReplicationControllers { get; set; }
    public Section<V1PodTemplate>? PodTemplates { get; set; }
    public Section<V1ServiceAccount>? ServiceAccounts { get; set; }
    public Section<V1Role>? Roles { get; set; }
    public Section<V1ClusterRole>? ClusterRoles { get; set; }
    public Section<V1RoleBinding>? RoleBindings { get; set; }
    public Section<V1ClusterRoleBinding>? ClusterRoleBindings { get; set; }
    public Section<V1NetworkPolicy>? NetworkPolicies { get; set; }
    public Section<V1ConfigMap>? ConfigMaps { get; set; }
    /// <summary>Name, namespace, type and annotations only: data is never requested nor kept.</summary>
    public Section<V1Secret>? Secrets { get; set; }
    public Section<V1Node>? Nodes { get; set; }
    public Section<V1Service>? Services { get; set; }
    public Section<V1Ingress>? Ingresses { get; set; }
    public Section<V1StorageClass>? StorageClasses { get; set; }
    public Section<V1PersistentVolume>? PersistentVolumes { get; set; }
    public Section<V1PersistentVolumeClaim>? PersistentVolumeClaims { get; set; }
    public Section<V1ValidatingWebhookConfiguration>? ValidatingWebhookConfigurations { get; set; }
    public Section<V1MutatingWebhookConfiguration>? MutatingWebhookConfigurations { get; set; }
    public Section<SecurityGroupPolicy>? SecurityGroupPolicies { get; set; }
    public Section<V1ResourceQuota>? ResourceQuotas { get; set; }
    public Section<V1LimitRange>? LimitRanges { get; set; }
    public Section<V1PriorityClass>? PriorityClasses { get; set; }
    public Section<V1RuntimeClass>? RuntimeClasses { get; set; }
    public Section<PodSecurityPolicy>? PodSecurityPolicies { get; set; }
    public Section<V1APIService>? ApiServices { get; set; }
    /// <summary>configz of one node per node group or launch template (needs get nodes/proxy); not a Kubernetes list, so manifests never have it.</summary>
    public Section<KubeletConfigSample>? KubeletConfigs { get; set; }
    /// <summary>metrics.k8s.io/v1beta1 NodeMetrics (metrics-server): live CPU and memory usage per node; not a kind manifests carry.</summary>
    public Section<NodeMetrics>? NodeMetrics { get; set; }
}
