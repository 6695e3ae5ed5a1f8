using EksSecurity.Engine.Kubernetes;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Engine.Manifests;

/// <summary>
/// A kind the reader turns into a typed object: which apiVersions it accepts and which snapshot
/// section it fills. Besides the served version, the older group versions whose shape the model
/// still reads correctly are accepted (extensions/v1beta1 Deployments from old charts are still
/// pod templates worth judging); a version whose shape differs (Ingress networking.k8s.io/v1beta1)
/// is not, and the object is skipped with a verbose message.
/// </summary>
internal abstract class ManifestKind
{
    protected ManifestKind(string kind, Type type, string[] apiVersions, string[]? dropFields)
    {
        Kind = kind;
        Type = type;
        ApiVersions = apiVersions;
        DropFields = dropFields is null ? null : new HashSet<string>(dropFields, StringComparer.Ordinal);
    }

    public string Kind { get; }
    public Type Type { get; }
    public IReadOnlyList<string> ApiVersions { get; }
    /// <summary>Top-level fields never read (a Secret's data and stringData).</summary>
    public IReadOnlySet<string>? DropFields { get; }

    public abstract IList<object> NewList();
    public abstract void SetSection(KubernetesSections sections, IList<object> items);

    /// <summary>The kinds by name. Kinds are case-sensitive, as the API server reads them.</summary>
    public static readonly IReadOnlyDictionary<string, ManifestKind> All = Create().ToDictionary(k => k.Kind, StringComparer.Ordinal);

    private static IEnumerable<ManifestKind> Create()
    {
        string[] core = ["v1"];
        string[] apps = ["apps/v1", "apps/v1beta2", "apps/v1beta1", "extensions/v1beta1"];
        string[] rbac = ["rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1"];
        string[] admission = ["admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1beta1"];

        yield return Of<V1Namespace>("Namespace", core, (k, s) => k.Namespaces = s);
        yield return Of<V1Pod>("Pod", core, (k, s) => k.Pods = s);
        yield return Of<V1Deployment>("Deployment", apps, (k, s) => k.Deployments = s);
        yield return Of<V1ReplicaSet>("ReplicaSet", apps, (k, s) => k.ReplicaSets = s);
        yield return Of<V1StatefulSet>("StatefulSet", ["apps/v1", "apps/v1beta2", "apps/v1beta1"], (k, s) => k.StatefulSets = s);
        yield return Of<V1DaemonSet>("DaemonSet", apps, (k, s) => k.DaemonSets = s);
        yield return Of<V1Job>("Job", ["batch/v1"], (k, s) => k.Jobs = s);
        yield return Of<V1CronJob>("CronJob", ["batch/v1", "batch/v1beta1"], (k, s) => k.CronJobs = s);
        yield return Of<V1ReplicationController>("ReplicationController", core, (k, s) => k.ReplicationControllers = s);
        yield return Of<V1PodTemplate>("PodTemplate", core, (k, s) => k.PodTemplates = s);
        yield return Of<V1ServiceAccount>("ServiceAccount", core, (k, s) => k.ServiceAccounts = s);
        yield return Of<V1Role>("Role", rbac, (k, s) => k.Roles = s);
        yield return Of<V1ClusterRole>("ClusterRole", rbac, (k, s) => k.ClusterRoles = s);
        yield return Of<V1RoleBinding>("RoleBinding", rbac, (k, s) => k.RoleBindings = s);
        yield return Of<V1ClusterRoleBinding>("ClusterRoleBinding", rbac, (k, s) => k.ClusterRoleBindings = s);
        yield return Of<V1NetworkPolicy>("NetworkPolicy", ["networking.k8s.io/v1", "extensions/v1beta1"], (k, s) => k.NetworkPolicies = s);
        yield return Of<V1ConfigMap>("ConfigMap", core, (k, s) => k.ConfigMaps = s);
        // Data is never read, let alone stored: rules judge a Secret by its name, type and annotations.
        yield return Of<V1Secret>("Secret", core, (k, s) => k.Secrets = s, ["data", "stringData"]);
        yield return Of<V1Node>("Node", core, (k, s) => k.Nodes = s);
        yield return Of<V1Service>("Service", core, (k, s) => k.Services = s);
        yield return Of<V1Ingress>("Ingress", ["networking.k8s.io/v1"], (k, s) => k.Ingresses = s);
        yield return Of<V1StorageClass>("StorageClass", ["storage.k8s.io/v1", "storage.k8s.io/v1beta1"], (k, s) => k.StorageClasses = s);
        yield return Of<V1PersistentVolume>("PersistentVolume", core, (k, s) => k.PersistentVolumes = s);
        yield return Of<V1PersistentVolumeClaim>("PersistentVolumeClaim", core, (k, s) => k.PersistentVolumeClaims = s);
        yield return Of<V1ValidatingWebhookConfiguration>("ValidatingWebhookConfiguration", admission, (k, s) => k.ValidatingWebhookConfigurations = s);
        yield return Of<V1MutatingWebhookConfiguration>("MutatingWebhookConfiguration", admission, (k, s) => k.MutatingWebhookConfigurations = s);
        yield return Of<SecurityGroupPolicy>("SecurityGroupPolicy", ["vpcresources.k8s.aws/v1beta1"], (k, s) => k.SecurityGroupPolicies = s);
        yield return Of<V1ResourceQuota>("ResourceQuota", core, (k, s) => k.ResourceQuotas = s);
        yield return Of<V1LimitRange>("LimitRange", core, (k, s) => k.LimitRanges = s);
        yield return Of<V1PriorityClass>("PriorityClass", ["scheduling.k8s.io/v1", "scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1alpha1"], (k, s) => k.PriorityClasses = s);
        yield return Of<V1RuntimeClass>("RuntimeClass", ["node.k8s.io/v1", "node.k8s.io/v1beta1"], (k, s) => k.RuntimeClasses = s);
        yield return Of<PodSecurityPolicy>("PodSecurityPolicy", ["policy/v1beta1", "extensions/v1beta1"], (k, s) => k.PodSecurityPolicies = s);
        yield return Of<V1APIService>("APIService", ["apiregistration.k8s.io/v1", "apiregistration.k8s.io/v1beta1"], (k, s) => k.ApiServices = s);
    }

    private static ManifestKind Of<T>(string kind, string[] apiVersions, Action<KubernetesSections, Section<T>> set, string[]? dropFields = null) =>
        new Typed<T>(kind, apiVersions, set, dropFields);

    private sealed class Typed<T>(string kind, string[] apiVersions, Action<KubernetesSections, Section<T>> set, string[]? dropFields)
        : ManifestKind(kind, typeof(T), apiVersions, dropFields)
    {
        public override IList<object> NewList() => new List<object>();
        public override void SetSection(KubernetesSections sections, IList<object> items) => set(sections, Section<T>.Collected(items.Cast<T>()));
    }
}
