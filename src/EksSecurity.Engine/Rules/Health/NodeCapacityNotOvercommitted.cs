using System.Globalization;
using EksSecurity.Engine.Rules.Infra;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Health;

/// <summary>EKS-HEALTH-005: per node, the running pods' memory limits and CPU/memory requests stay within set shares of the node's allocatable.</summary>
public sealed class NodeCapacityNotOvercommitted : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-HEALTH-005",
        Title = "Node capacity is not overcommitted",
        Severity = Severity.Low,
        Area = RuleArea.Health,
        Rationale = "The scheduler places pods by their requests, but the kernel kills by actual use. When the memory limits on a node add up to far " +
                    "more than it has, pods that use what they are allowed trigger OOM kills and evictions of their neighbours; when requests fill " +
                    "the node, nothing more fits and new or rescheduled pods wait. Both hide until a busy moment, and on a shared node one tenant's " +
                    "burst becomes every tenant's outage.",
        Remediation = "Right-size requests and limits from observed usage (kubectl top pods, Container Insights, or the VPA recommender); keep memory " +
                      "limits close to requests for workloads that must not be killed; give the cluster headroom (a larger node group maximum, or Karpenter " +
                      "limits); and set ResourceQuotas and LimitRanges so one namespace cannot claim a node.",
        References =
        [
            "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
            "https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/",
            "https://docs.aws.amazon.com/eks/latest/best-practices/cluster-autoscaling.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Nodes, SnapshotSection.Pods],
        ClusterWide = true,
        Tags = ["health", "nodes", "capacity", "resources"],
    };

    /// <summary>Sums of one node's running pods.</summary>
    private sealed class Usage
    {
        public decimal CpuRequests, MemoryRequests, MemoryLimits;
        public int Pods, UnboundedMemory;
    }

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var limitMax = context.Settings.NodeMemoryLimitsMaxPercent;
        var requestMax = context.Settings.NodeRequestsMaxPercent;
        var byNode = new Dictionary<string, Usage>(StringComparer.Ordinal);
        foreach (var pod in context.Kubernetes.Pods!.All)
        {
            if (pod.Spec?.NodeName is not { Length: > 0 } nodeName || pod.Status?.Phase is "Succeeded" or "Failed") continue;
            if (!byNode.TryGetValue(nodeName, out var usage)) byNode[nodeName] = usage = new Usage();
            usage.Pods++;
            usage.CpuRequests += Effective(pod.Spec, r => r?.Requests, "cpu", out _);
            usage.MemoryRequests += Effective(pod.Spec, r => r?.Requests, "memory", out _);
            usage.MemoryLimits += Effective(pod.Spec, r => r?.Limits, "memory", out var unbounded);
            usage.UnboundedMemory += unbounded;
        }

        decimal totalCpu = 0, totalMemory = 0, allocCpu = 0, allocMemory = 0;
        var judged = 0;
        foreach (var node in context.Kubernetes.Nodes!.All)
        {
            var name = NodeFacts.Name(node);
            var resource = NodeFacts.Ref(node);
            var cpu = Quantity(node.Status?.Allocatable, "cpu");
            var memory = Quantity(node.Status?.Allocatable, "memory");
            if (cpu is not > 0 || memory is not > 0)
            {
                yield return context.Error(resource, $"Node {name} reports no allocatable CPU or memory; its commitment cannot be judged.",
                    [$"status.allocatable.cpu = {Show(node.Status?.Allocatable, "cpu")}", $"status.allocatable.memory = {Show(node.Status?.Allocatable, "memory")}"]);
                continue;
            }
            var usage = byNode.GetValueOrDefault(name) ?? new Usage();
            judged++;
            totalCpu += usage.CpuRequests;
            totalMemory += usage.MemoryRequests;
            allocCpu += cpu.Value;
            allocMemory += memory.Value;
            var cpuPct = Percent(usage.CpuRequests, cpu.Value);
            var memPct = Percent(usage.MemoryRequests, memory.Value);
            var limPct = Percent(usage.MemoryLimits, memory.Value);
            var evidence = new List<string>
            {
                $"running pods = {usage.Pods.ToString(CultureInfo.InvariantCulture)}",
                $"CPU requests = {Cores(usage.CpuRequests)} of {Cores(cpu.Value)} allocatable ({cpuPct}%)",
                $"memory requests = {Mib(usage.MemoryRequests)} of {Mib(memory.Value)} allocatable ({memPct}%)",
                $"memory limits = {Mib(usage.MemoryLimits)} ({limPct}% of allocatable)" +
                    (usage.UnboundedMemory > 0 ? $"; {usage.UnboundedMemory} container(s) have no memory limit and are not counted" : ""),
                $"thresholds: requests {requestMax}% (NodeRequestsMaxPercent), memory limits {limitMax}% (NodeMemoryLimitsMaxPercent)",
            };
            var problems = new List<string>();
            if (limPct > limitMax) problems.Add($"memory limits add up to {limPct}% of allocatable");
            if (cpuPct > requestMax) problems.Add($"CPU requests take {cpuPct}%");
            if (memPct > requestMax) problems.Add($"memory requests take {memPct}%");
            if (problems.Count > 0)
                yield return context.Warn(resource, $"Node {name} is overcommitted: {string.Join("; ", problems)}.", evidence);
            else
                yield return context.Pass(resource, $"Node {name}: requests take {cpuPct}% CPU and {memPct}% memory, memory limits {limPct}%.", evidence);
        }

        if (judged == 0) yield break;
        var clusterCpu = Percent(totalCpu, allocCpu);
        var clusterMemory = Percent(totalMemory, allocMemory);
        var summary = new[]
        {
            $"nodes judged = {judged.ToString(CultureInfo.InvariantCulture)}",
            $"CPU requests = {Cores(totalCpu)} of {Cores(allocCpu)} allocatable ({clusterCpu}%)",
            $"memory requests = {Mib(totalMemory)} of {Mib(allocMemory)} allocatable ({clusterMemory}%)",
        };
        var message = $"Cluster-wide, requests take {clusterCpu}% of allocatable CPU and {clusterMemory}% of memory";
        if (clusterCpu > requestMax || clusterMemory > requestMax)
            yield return context.Warn(context.Cluster, message + $", above {requestMax}%: there is little room to reschedule pods when a node fails.", summary);
        else
            yield return context.Pass(context.Cluster, message + ".", summary);
    }

    /// <summary>
    /// A pod's effective amount of <paramref name="resource"/>, as the scheduler counts it: the larger of (regular containers plus sidecar
    /// init containers) and the largest other init container, plus the pod overhead. <paramref name="unbounded"/> counts containers without the value.
    /// </summary>
    private static decimal Effective(V1PodSpec spec, Func<V1ResourceRequirements?, IDictionary<string, ResourceQuantity>?> pick, string resource, out int unbounded)
    {
        unbounded = 0;
        decimal running = 0, initMax = 0;
        foreach (var c in spec.Containers ?? [])
        {
            if (Quantity(pick(c.Resources), resource) is { } v) running += v;
            else unbounded++;
        }
        foreach (var c in spec.InitContainers ?? [])
        {
            var v = Quantity(pick(c.Resources), resource);
            if (c.RestartPolicy == "Always")
            {
                if (v is { } sidecar) running += sidecar;
                else unbounded++;
            }
            else if (v is { } init && init > initMax) initMax = init;
        }
        return Math.Max(running, initMax) + (Quantity(spec.Overhead, resource) ?? 0);
    }

    private static decimal? Quantity(IDictionary<string, ResourceQuantity>? map, string key)
    {
        if (map is null || !map.TryGetValue(key, out var q) || q is null) return null;
        try { return q.ToDecimal(); }
        catch (FormatException) { return null; }
    }

    private static string Show(IDictionary<string, ResourceQuantity>? map, string key) =>
        map is not null && map.TryGetValue(key, out var q) && q is not null ? q.ToString() : "(absent)";

    private static int Percent(decimal used, decimal total) => total <= 0 ? 0 : (int)Math.Round(used * 100m / total, MidpointRounding.AwayFromZero);
    private static string Cores(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);
    private static string Mib(decimal bytes) => (bytes / (1024m * 1024m)).ToString("0", CultureInfo.InvariantCulture) + "Mi";
}
