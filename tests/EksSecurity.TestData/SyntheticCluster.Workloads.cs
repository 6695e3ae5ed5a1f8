using System.Globalization;
using k8s.Models;

namespace EksSecurity.TestData;

public sealed partial class SyntheticCluster
{
    /// <summary>The pod template of a planned workload (a fresh object each call).</summary>
    public V1PodTemplateSpec Template(WorkloadPlan w) =>
        w.Profile is not null ? Objects.PodTemplate(w.Profile) : Objects.SystemTemplate(w.System!);

    private IEnumerable<WorkloadPlan> AllWorkloads(WorkloadKind kind)
    {
        foreach (var ns in _namespaces)
            foreach (var w in ns.Workloads)
                if (w.Kind == kind) yield return w;
    }

    /// <summary>One run of a CronJob: the Job it created and how it ended.</summary>
    public sealed record CronJobRun(string JobName, DateTime Scheduled, bool Active, bool Failed);

    /// <summary>The retained runs of a planned CronJob, newest first.</summary>
    public IReadOnlyList<CronJobRun> CronJobRuns(WorkloadPlan w)
    {
        var rng = Objects.Random($"cron-runs/{w.Namespace}/{w.Name}");
        var interval = w.Schedule switch
        {
            "*/5 * * * *" => 5,
            "*/15 * * * *" => 15,
            "0 * * * *" => 60,
            "30 4 * * 0" => 7 * 24 * 60,
            _ => 24 * 60,
        };
        var last = Objects.Now.AddMinutes(-rng.Between(0, interval - 1));
        last = last.AddSeconds(-last.Second).AddMilliseconds(-last.Millisecond);
        var runs = new List<CronJobRun>();
        for (var j = 0; j < w.Pods; j++)
        {
            var scheduled = last.AddMinutes(-interval * j);
            var minutes = (long)(scheduled - DateTime.UnixEpoch).TotalMinutes;
            runs.Add(new CronJobRun($"{w.Name}-{minutes.ToString(CultureInfo.InvariantCulture)}", scheduled, Active: j == 0 && rng.Chance(0.2), Failed: rng.Chance(0.03)));
        }
        return runs;
    }

    public IEnumerable<V1Pod> Pods()
    {
        var o = Objects;
        foreach (var ns in _namespaces)
        {
            foreach (var w in ns.Workloads)
            {
                switch (w.Kind)
                {
                    case WorkloadKind.DaemonSet:
                    {
                        var revision = o.Random($"ds-revision/{w.Namespace}/{w.Name}").KubeSuffix(10);
                        var owner = o.OwnerReference("apps/v1", "DaemonSet", w.Namespace, w.Name);
                        for (var i = 0; i < w.Pods && i < _nodes.Count; i++)
                        {
                            var rng = o.Random($"pod/{w.Namespace}/{w.Name}", i);
                            var node = _nodes[i];
                            var template = Template(w);
                            // The DaemonSet controller pins each pod to its node.
                            template.Spec.Affinity = new V1Affinity
                            {
                                NodeAffinity = new V1NodeAffinity
                                {
                                    RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                                    {
                                        NodeSelectorTerms = [new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [node.Name] }] }],
                                    },
                                },
                            };
                            template.Spec.Tolerations ??= [];
                            foreach (var key in new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" })
                                template.Spec.Tolerations.Add(new V1Toleration { Key = key, OperatorProperty = "Exists", Effect = "NoExecute" });
                            foreach (var key in new[] { "node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure", "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable", "node.kubernetes.io/network-unavailable" })
                                template.Spec.Tolerations.Add(new V1Toleration { Key = key, OperatorProperty = "Exists", Effect = "NoSchedule" });
                            yield return o.Pod(template, $"{w.Name}-{rng.KubeSuffix(5)}", w.Namespace, owner, node.Name, o.CreatedAgo(rng, 0.1, 40), rng,
                                node.Ready ? PodState.Running : PodState.CrashLooping, w.IrsaRoleArn, w.Name + "-",
                                SyntheticObjects.Labels(("controller-revision-hash", revision), ("pod-template-generation", "1")));
                        }
                        break;
                    }
                    case WorkloadKind.Deployment:
                    {
                        var rs = $"{w.Name}-{w.Hash}";
                        var owner = o.OwnerReference("apps/v1", "ReplicaSet", w.Namespace, rs);
                        for (var i = 0; i < w.Pods; i++)
                        {
                            var rng = o.Random($"pod/{w.Namespace}/{rs}", i);
                            var state = (PodState)rng.PickWeighted([98.7, 1.0, 0.3]);
                            yield return o.Pod(Template(w), $"{rs}-{rng.KubeSuffix(5)}", w.Namespace, owner, PickNode(rng), o.CreatedAgo(rng, 0.01, 30), rng,
                                state, w.IrsaRoleArn, rs + "-", SyntheticObjects.Labels(("pod-template-hash", w.Hash)));
                        }
                        break;
                    }
                    case WorkloadKind.StatefulSet:
                    {
                        var revision = $"{w.Name}-{o.Random($"sts-revision/{w.Namespace}/{w.Name}").KubeSuffix(10)}";
                        var owner = o.OwnerReference("apps/v1", "StatefulSet", w.Namespace, w.Name);
                        for (var i = 0; i < w.Pods; i++)
                        {
                            var rng = o.Random($"pod/{w.Namespace}/{w.Name}", i);
                            var name = $"{w.Name}-{i}";
                            var template = Template(w);
                            template.Spec.Hostname = name;
                            template.Spec.Subdomain = w.Name + "-headless";
                            yield return o.Pod(template, name, w.Namespace, owner, PickNode(rng), o.CreatedAgo(rng, 0.5, 60), rng,
                                rng.Chance(0.01) ? PodState.CrashLooping : PodState.Running, w.IrsaRoleArn, w.Name + "-",
                                SyntheticObjects.Labels(("controller-revision-hash", revision), ("statefulset.kubernetes.io/pod-name", name), ("apps.kubernetes.io/pod-index", i.ToString(CultureInfo.InvariantCulture))));
                        }
                        break;
                    }
                    case WorkloadKind.CronJob:
                        foreach (var run in CronJobRuns(w))
                        {
                            var rng = o.Random($"pod/{w.Namespace}/{run.JobName}");
                            yield return JobPod(w, run.JobName, run.Active ? PodState.Running : run.Failed ? PodState.Failed : PodState.Succeeded, run.Scheduled, rng);
                        }
                        break;
                    case WorkloadKind.Job:
                    {
                        var rng = o.Random($"pod/{w.Namespace}/{w.Name}");
                        yield return JobPod(w, w.Name, JobSucceeded(w) ? PodState.Succeeded : PodState.Running, w.Created, rng);
                        break;
                    }
                    case WorkloadKind.BarePod:
                    {
                        var rng = o.Random($"pod/{w.Namespace}/{w.Name}");
                        yield return o.Pod(Template(w), w.Name, w.Namespace, null, PickNode(rng), o.CreatedAgo(rng, 0.5, 120), rng, PodState.Running, w.IrsaRoleArn,
                            extraLabels: SyntheticObjects.Labels(("run", w.Name)));
                        break;
                    }
                }
            }
        }
    }

    private bool JobSucceeded(WorkloadPlan w) => Objects.Random($"job-state/{w.Namespace}/{w.Name}").Chance(0.8);

    private V1Pod JobPod(WorkloadPlan w, string job, PodState state, DateTime created, SyntheticRandom rng)
    {
        var uid = Objects.Uid("Job", w.Namespace, job);
        return Objects.Pod(Template(w), $"{job}-{rng.KubeSuffix(5)}", w.Namespace, Objects.OwnerReference("batch/v1", "Job", w.Namespace, job), PickNode(rng),
            created.AddSeconds(rng.Between(0, 5)), rng, state, w.IrsaRoleArn, job + "-",
            SyntheticObjects.Labels(("batch.kubernetes.io/controller-uid", uid), ("batch.kubernetes.io/job-name", job), ("controller-uid", uid), ("job-name", job)));
    }

    private string PickNode(SyntheticRandom rng)
    {
        // Application pods avoid tainted GPU nodes.
        for (var attempt = 0; ; attempt++)
        {
            var node = _nodes[rng.Next(_nodes.Count)];
            if (node.GpuTaint is null || attempt > 3) return node.Name;
        }
    }

    public IEnumerable<V1Deployment> Deployments()
    {
        foreach (var w in AllWorkloads(WorkloadKind.Deployment))
            yield return Objects.Deployment(w.Name, w.Namespace, w.Pods, Template(w), w.Created, Objects.Random($"deployment/{w.Namespace}/{w.Name}"));
    }

    public IEnumerable<V1ReplicaSet> ReplicaSets()
    {
        foreach (var w in AllWorkloads(WorkloadKind.Deployment))
        {
            var rng = Objects.Random($"replicaset/{w.Namespace}/{w.Name}");
            if (w.OldReplicaSet)
                yield return Objects.ReplicaSet(w.Name, rng.KubeSuffix(10), w.Namespace, 0, Template(w), w.Created, rng);
            yield return Objects.ReplicaSet(w.Name, w.Hash!, w.Namespace, w.Pods, Template(w), Objects.CreatedAgo(rng, 0.5, 30), rng);
        }
    }

    public IEnumerable<V1StatefulSet> StatefulSets()
    {
        foreach (var w in AllWorkloads(WorkloadKind.StatefulSet))
            yield return Objects.StatefulSet(w.Name, w.Namespace, w.Pods, Template(w), w.Profile, w.Created, Objects.Random($"statefulset/{w.Namespace}/{w.Name}"));
    }

    public IEnumerable<V1DaemonSet> DaemonSets()
    {
        foreach (var w in AllWorkloads(WorkloadKind.DaemonSet))
            yield return Objects.DaemonSet(w.Name, w.Namespace, w.Pods, Template(w), w.Created, Objects.Random($"daemonset/{w.Namespace}/{w.Name}"));
    }

    public IEnumerable<V1Job> Jobs()
    {
        foreach (var ns in _namespaces)
        {
            foreach (var w in ns.Workloads)
            {
                if (w.Kind == WorkloadKind.CronJob)
                {
                    var owner = Objects.OwnerReference("batch/v1", "CronJob", w.Namespace, w.Name);
                    foreach (var run in CronJobRuns(w))
                        yield return Objects.Job(run.JobName, w.Namespace, Template(w), owner, !run.Active, run.Scheduled, Objects.Random($"job/{w.Namespace}/{run.JobName}"));
                }
                else if (w.Kind == WorkloadKind.Job)
                {
                    yield return Objects.Job(w.Name, w.Namespace, Template(w), null, JobSucceeded(w), w.Created, Objects.Random($"job/{w.Namespace}/{w.Name}"));
                }
            }
        }
    }

    public IEnumerable<V1CronJob> CronJobs()
    {
        foreach (var w in AllWorkloads(WorkloadKind.CronJob))
        {
            var runs = CronJobRuns(w);
            var lastSchedule = runs.Count > 0 ? runs[0].Scheduled : w.Created;
            yield return Objects.CronJob(w.Name, w.Namespace, Template(w), w.Schedule!, runs.Where(r => r.Active).Select(r => r.JobName), w.Created, lastSchedule,
                Objects.Random($"cronjob/{w.Namespace}/{w.Name}"));
        }
    }

    public IEnumerable<V1PersistentVolumeClaim> PersistentVolumeClaims()
    {
        foreach (var (w, claim, i) in Claims())
        {
            var rng = Objects.Random($"pvc/{w.Namespace}/{claim}");
            var volume = "pvc-" + Objects.Random($"pv/{w.Namespace}/{claim}").Uuid();
            yield return Objects.PersistentVolumeClaim(claim, w.Namespace, volume, "gp3", "20Gi", w.Created.AddMinutes(i), rng,
                SyntheticObjects.Labels(("app.kubernetes.io/name", w.Profile!.App)));
        }
    }

    public IEnumerable<V1PersistentVolume> PersistentVolumes()
    {
        foreach (var (w, claim, i) in Claims())
        {
            var volume = "pvc-" + Objects.Random($"pv/{w.Namespace}/{claim}").Uuid();
            var rng = Objects.Random($"pv/{volume}");
            yield return Objects.PersistentVolume(volume, claim, w.Namespace, "gp3", "20Gi", Objects.Zones[i % Objects.Zones.Count], w.Created.AddMinutes(i), rng);
        }
    }

    private IEnumerable<(WorkloadPlan Workload, string Claim, int Ordinal)> Claims()
    {
        foreach (var w in AllWorkloads(WorkloadKind.StatefulSet))
            if (w.Profile?.ClaimTemplate is { } template)
                for (var i = 0; i < w.Pods; i++)
                    yield return (w, $"{template}-{w.Name}-{i}", i);
    }
}
