using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Engine.Kubernetes;

/// <summary>
/// One pod spec to judge: a bare pod, or the template of a workload. A pod owned by a workload
/// in the snapshot is not listed on its own: the finding names the workload, not each replica.
/// </summary>
public sealed class PodSpecSource
{
    public required string Kind { get; init; }
    /// <summary>The object's own metadata (the Deployment's, or the bare Pod's).</summary>
    public required V1ObjectMeta Metadata { get; init; }
    /// <summary>The pod's metadata: the template's for workloads (annotations and labels of the pods it makes).</summary>
    public required V1ObjectMeta PodMetadata { get; init; }
    public required V1PodSpec Spec { get; init; }
    /// <summary>The field path of the spec inside the object, for evidence: spec, spec.template.spec, spec.jobTemplate.spec.template.spec.</summary>
    public required string SpecPath { get; init; }

    public string Namespace => Metadata.NamespaceProperty ?? "";
    public string Name => Metadata.Name ?? "(unnamed)";
    public ResourceRef Ref => new(Kind, Metadata.NamespaceProperty, Name);

    /// <summary>Every container with its kind, in the admission controller's order: init, regular, ephemeral.</summary>
    public IEnumerable<ContainerRef> Containers
    {
        get
        {
            foreach (var c in Spec.InitContainers ?? []) yield return new ContainerRef(c, "initContainers", c.Name, c.SecurityContext, c.Image, c.Ports, c.Env, c.EnvFrom, c.VolumeMounts, c.Resources, c.Command, c.Args);
            foreach (var c in Spec.Containers ?? []) yield return new ContainerRef(c, "containers", c.Name, c.SecurityContext, c.Image, c.Ports, c.Env, c.EnvFrom, c.VolumeMounts, c.Resources, c.Command, c.Args);
            foreach (var c in Spec.EphemeralContainers ?? []) yield return new ContainerRef(c, "ephemeralContainers", c.Name, c.SecurityContext, c.Image, c.Ports, c.Env, c.EnvFrom, c.VolumeMounts, c.Resources, c.Command, c.Args);
        }
    }

    /// <summary>The workload sections that make pod rules name workloads instead of replicas.</summary>
    public static readonly SnapshotSection[] WorkloadSections =
    [
        SnapshotSection.Deployments, SnapshotSection.ReplicaSets, SnapshotSection.StatefulSets, SnapshotSection.DaemonSets,
        SnapshotSection.Jobs, SnapshotSection.CronJobs, SnapshotSection.ReplicationControllers, SnapshotSection.PodTemplates,
    ];

    /// <summary>Pods first, then each workload kind; within a kind, snapshot order. Deterministic.</summary>
    internal static List<PodSpecSource> Collect(ClusterSnapshot snapshot)
    {
        var k = snapshot.Kubernetes;
        var present = new HashSet<(string Kind, string Ns, string Name)>();
        void Mark<T>(Section<T>? section, string kind, Func<T, V1ObjectMeta?> meta)
        {
            foreach (var item in section?.Items ?? [])
                if (meta(item) is { Name: { } name } m) present.Add((kind, m.NamespaceProperty ?? "", name));
        }
        Mark(k.Deployments, "Deployment", d => d.Metadata);
        Mark(k.ReplicaSets, "ReplicaSet", d => d.Metadata);
        Mark(k.StatefulSets, "StatefulSet", d => d.Metadata);
        Mark(k.DaemonSets, "DaemonSet", d => d.Metadata);
        Mark(k.Jobs, "Job", d => d.Metadata);
        Mark(k.CronJobs, "CronJob", d => d.Metadata);
        Mark(k.ReplicationControllers, "ReplicationController", d => d.Metadata);

        bool OwnedByPresent(V1ObjectMeta meta) =>
            meta.OwnerReferences?.Any(o => o.Controller == true && present.Contains((o.Kind, meta.NamespaceProperty ?? "", o.Name))) == true;

        var result = new List<PodSpecSource>();
        void Add(string kind, V1ObjectMeta? meta, V1ObjectMeta? podMeta, V1PodSpec? spec, string path)
        {
            if (meta is null || spec is null || OwnedByPresent(meta)) return;
            result.Add(new PodSpecSource { Kind = kind, Metadata = meta, PodMetadata = podMeta ?? new V1ObjectMeta(), Spec = spec, SpecPath = path });
        }
        foreach (var p in k.Pods?.Items ?? []) Add("Pod", p.Metadata, p.Metadata, p.Spec, "spec");
        foreach (var d in k.Deployments?.Items ?? []) Add("Deployment", d.Metadata, d.Spec?.Template?.Metadata, d.Spec?.Template?.Spec, "spec.template.spec");
        foreach (var d in k.ReplicaSets?.Items ?? []) Add("ReplicaSet", d.Metadata, d.Spec?.Template?.Metadata, d.Spec?.Template?.Spec, "spec.template.spec");
        foreach (var d in k.StatefulSets?.Items ?? []) Add("StatefulSet", d.Metadata, d.Spec?.Template?.Metadata, d.Spec?.Template?.Spec, "spec.template.spec");
        foreach (var d in k.DaemonSets?.Items ?? []) Add("DaemonSet", d.Metadata, d.Spec?.Template?.Metadata, d.Spec?.Template?.Spec, "spec.template.spec");
        foreach (var d in k.Jobs?.Items ?? []) Add("Job", d.Metadata, d.Spec?.Template?.Metadata, d.Spec?.Template?.Spec, "spec.template.spec");
        foreach (var d in k.CronJobs?.Items ?? []) Add("CronJob", d.Metadata, d.Spec?.JobTemplate?.Spec?.Template?.Metadata, d.Spec?.JobTemplate?.Spec?.Template?.Spec, "spec.jobTemplate.spec.template.spec");
        foreach (var d in k.ReplicationControllers?.Items ?? []) Add("ReplicationController", d.Metadata, d.Spec?.Template?.Metadata, d.Spec?.Template?.Spec, "spec.template.spec");
        foreach (var d in k.PodTemplates?.Items ?? []) Add("PodTemplate", d.Metadata, d.Template?.Metadata, d.Template?.Spec, "template.spec");
        return result;
    }
}

/// <summary>A container of any kind, with the fields the rules read.</summary>
public sealed record ContainerRef(
    object Container,
    string Field,
    string Name,
    V1SecurityContext? SecurityContext,
    string? Image,
    IList<V1ContainerPort>? Ports,
    IList<V1EnvVar>? Env,
    IList<V1EnvFromSource>? EnvFrom,
    IList<V1VolumeMount>? VolumeMounts,
    V1ResourceRequirements? Resources,
    IList<string>? Command,
    IList<string>? Args)
{
    /// <summary>"containers[app]" style, for evidence.</summary>
    public string Path => $"{Field}[{Name}]";
}
