using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Pod;

/// <summary>Pods, workloads and containers for the pod-spec rule tests (EKS-POD-004 to 019).</summary>
internal static class PodFixtures
{
    public static V1Container C(string name = "app", V1SecurityContext? sc = null, IList<V1VolumeMount>? mounts = null,
        IList<V1ContainerPort>? ports = null, V1ResourceRequirements? resources = null) =>
        new() { Name = name, Image = "public.ecr.aws/docker/library/nginx:1.27", SecurityContext = sc, VolumeMounts = mounts, Ports = ports, Resources = resources };

    public static V1EphemeralContainer E(string name = "debug", V1SecurityContext? sc = null, IList<V1VolumeMount>? mounts = null) =>
        new() { Name = name, Image = "public.ecr.aws/docker/library/busybox:1.37", SecurityContext = sc, VolumeMounts = mounts };

    public static V1PodSpec Spec(params V1Container[] containers) => new() { Containers = containers.ToList() };

    public static V1PodSpec With(this V1PodSpec spec, Action<V1PodSpec> change)
    {
        change(spec);
        return spec;
    }

    public static V1Volume HostPath(string name, string path) => new() { Name = name, HostPath = new V1HostPathVolumeSource { Path = path } };

    public static V1VolumeMount Mount(string volume, string path, bool? readOnly = null) => new() { Name = volume, MountPath = path, ReadOnlyProperty = readOnly };

    public static V1Pod BarePod(string name, V1PodSpec spec, string ns = "app", string? ownerKind = null, string? ownerName = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            OwnerReferences = ownerKind is null ? null :
                [new V1OwnerReference { ApiVersion = "apps/v1", Kind = ownerKind, Name = ownerName, Uid = "u-" + ownerName, Controller = true }],
        },
        Spec = spec,
    };

    public static V1Deployment Deployment(string name, V1PodSpec spec, string ns = "app") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1DeploymentSpec { Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta(), Spec = spec } },
    };

    public static V1ReplicaSet ReplicaSet(string name, V1PodSpec spec, string deployment, string ns = "app") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = deployment, Uid = "u-" + deployment, Controller = true }],
        },
        Spec = new V1ReplicaSetSpec { Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta(), Spec = spec } },
    };

    public static V1DaemonSet DaemonSet(string name, V1PodSpec spec, string ns = "kube-system") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1DaemonSetSpec { Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta(), Spec = spec } },
    };

    public static V1CronJob CronJob(string name, V1PodSpec spec, string ns = "app") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1CronJobSpec
        {
            Schedule = "0 * * * *",
            JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta(), Spec = spec } } },
        },
    };

    /// <summary>An empty, fully collected snapshot holding the given objects in their sections.</summary>
    public static ClusterSnapshot Cluster(params object[] objects)
    {
        var snapshot = TestSnapshots.Empty();
        var k = snapshot.Kubernetes;
        foreach (var o in objects)
        {
            switch (o)
            {
                case V1Pod p: k.Pods!.Items!.Add(p); break;
                case V1Deployment d: k.Deployments!.Items!.Add(d); break;
                case V1ReplicaSet r: k.ReplicaSets!.Items!.Add(r); break;
                case V1DaemonSet d: k.DaemonSets!.Items!.Add(d); break;
                case V1CronJob c: k.CronJobs!.Items!.Add(c); break;
                case V1Namespace n: k.Namespaces!.Items!.Add(n); break;
                case V1LimitRange l: k.LimitRanges!.Items!.Add(l); break;
                case V1ValidatingWebhookConfiguration v: k.ValidatingWebhookConfigurations!.Items!.Add(v); break;
                case V1MutatingWebhookConfiguration m: k.MutatingWebhookConfigurations!.Items!.Add(m); break;
                case EksSecurity.Engine.Kubernetes.PodSecurityPolicy psp: k.PodSecurityPolicies!.Items!.Add(psp); break;
                default: throw new ArgumentException($"PodFixtures.Cluster does not place {o.GetType().Name}.");
            }
        }
        return snapshot;
    }

    /// <summary>Runs the rule and returns its only finding.</summary>
    public static EksSecurityFinding One<TRule>(ClusterSnapshot snapshot, RuleSettings? settings = null) where TRule : Rule, new() =>
        Assert.Single(TestSnapshots.Run<TRule>(snapshot, settings));

    /// <summary>Runs the rule over one bare pod with this spec and returns its finding.</summary>
    public static EksSecurityFinding OnPod<TRule>(V1PodSpec spec, RuleSettings? settings = null) where TRule : Rule, new() =>
        One<TRule>(Cluster(BarePod("web", spec)), settings);

    public static string Evidence(EksSecurityFinding finding) => string.Join("\n", finding.Evidence);
}
