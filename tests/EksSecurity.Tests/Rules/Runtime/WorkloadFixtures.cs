using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Runtime;

/// <summary>Builders for pods, workloads and containers that the pod-spec rule tests (runtime, data, image, IAM) put into snapshots.</summary>
internal static class WorkloadFixtures
{
    public const string Image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.0.0";

    public static V1Container Container(string name, string image = Image, V1SecurityContext? securityContext = null, params V1EnvVar[] env) =>
        new() { Name = name, Image = image, SecurityContext = securityContext, Env = env.Length == 0 ? null : env.ToList() };

    public static V1EphemeralContainer Ephemeral(string name, string image = Image, V1SecurityContext? securityContext = null) =>
        new() { Name = name, Image = image, SecurityContext = securityContext };

    public static V1SecurityContext Caps(string[]? add = null, string[]? drop = null) =>
        new() { Capabilities = new V1Capabilities { Add = add?.ToList(), Drop = drop?.ToList() } };

    /// <summary>A container security context that passes every runtime rule.</summary>
    public static V1SecurityContext Hardened() => new()
    {
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static V1PodSpec Spec(params V1Container[] containers) => new() { Containers = containers.ToList() };

    public static V1PodSpec WithInit(this V1PodSpec spec, params V1Container[] init)
    {
        spec.InitContainers = init.ToList();
        return spec;
    }

    public static V1PodSpec WithEphemeral(this V1PodSpec spec, params V1EphemeralContainer[] ephemeral)
    {
        spec.EphemeralContainers = ephemeral.ToList();
        return spec;
    }

    public static V1Pod BarePod(string name, string? ns, V1PodSpec spec, IDictionary<string, string>? annotations = null, V1OwnerReference? owner = null)
    {
        var meta = TestSnapshots.Meta(name, ns, annotations: annotations);
        if (owner is not null) meta.OwnerReferences = [owner];
        return new V1Pod { Metadata = meta, Spec = spec };
    }

    public static V1Deployment Deployment(string name, string ns, V1PodSpec spec, IDictionary<string, string>? templateAnnotations = null) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns),
        Spec = new V1DeploymentSpec { Template = new V1PodTemplateSpec { Metadata = TestSnapshots.Meta(null!, annotations: templateAnnotations), Spec = spec } },
    };

    public static V1StatefulSet StatefulSet(string name, string ns, V1PodSpec spec) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns),
        Spec = new V1StatefulSetSpec { Template = new V1PodTemplateSpec { Spec = spec } },
    };

    public static V1DaemonSet DaemonSet(string name, string ns, V1PodSpec spec) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns),
        Spec = new V1DaemonSetSpec { Template = new V1PodTemplateSpec { Spec = spec } },
    };

    public static V1Job Job(string name, string ns, V1PodSpec spec, V1OwnerReference? owner = null)
    {
        var meta = TestSnapshots.Meta(name, ns);
        if (owner is not null) meta.OwnerReferences = [owner];
        return new V1Job { Metadata = meta, Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = spec } } };
    }

    public static V1CronJob CronJob(string name, string ns, V1PodSpec spec) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns),
        Spec = new V1CronJobSpec { Schedule = "0 * * * *", JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = spec } } } },
    };

    public static V1OwnerReference Owner(string kind, string name) =>
        new() { ApiVersion = kind is "CronJob" or "Job" ? "batch/v1" : "apps/v1", Kind = kind, Name = name, Uid = Guid.NewGuid().ToString(), Controller = true };

    public static V1ConfigMap ConfigMap(string name, string ns, params (string Key, string Value)[] data) =>
        new() { Metadata = TestSnapshots.Meta(name, ns), Data = data.ToDictionary(d => d.Key, d => d.Value) };

    /// <summary>An empty, fully collected snapshot holding these objects.</summary>
    public static ClusterSnapshot Snapshot(params object[] objects) => TestSnapshots.Empty().WithObjects(objects);

    public static ClusterSnapshot WithObjects(this ClusterSnapshot snapshot, params object[] objects) => snapshot.With(s =>
    {
        var k = s.Kubernetes;
        foreach (var o in objects)
        {
            switch (o)
            {
                case V1Pod p: k.Pods!.Items!.Add(p); break;
                case V1Deployment d: k.Deployments!.Items!.Add(d); break;
                case V1ReplicaSet r: k.ReplicaSets!.Items!.Add(r); break;
                case V1StatefulSet st: k.StatefulSets!.Items!.Add(st); break;
                case V1DaemonSet ds: k.DaemonSets!.Items!.Add(ds); break;
                case V1Job j: k.Jobs!.Items!.Add(j); break;
                case V1CronJob c: k.CronJobs!.Items!.Add(c); break;
                case V1ConfigMap cm: k.ConfigMaps!.Items!.Add(cm); break;
                default: throw new ArgumentException($"Unexpected object {o.GetType().Name}");
            }
        }
    });

    public static string All(EksSecurityFinding finding) =>
        string.Join("\n", [finding.ToString(), finding.Message, .. finding.Evidence, finding.Resource]);
}
