using System.Globalization;
using EksSecurity.Engine.Kubernetes;
using EksSecurity.Engine.Rules.Infra;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Health;

/// <summary>EKS-HEALTH-008: no managed node group sits at its maximum size while pods wait for capacity.</summary>
public sealed class NodeGroupsCanScale : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-HEALTH-008",
        Title = "Node groups can scale",
        Severity = Severity.Low,
        Area = RuleArea.Health,
        Rationale = "A node group at its maximum size cannot add the nodes that Pending pods need, so scale-ups, rollouts and rescheduling after a " +
                    "node failure all stall until someone raises the limit. The limit is a cost and blast-radius control, and worth keeping; it " +
                    "should not be what silently keeps workloads down.",
        Remediation = "Raise the maximum if the demand is real: aws eks update-nodegroup-config --cluster-name <cluster> --nodegroup-name <name> " +
                      "--scaling-config minSize=<min>,maxSize=<max>,desiredSize=<desired>. Otherwise reduce what the Pending pods request, or let them " +
                      "land on other capacity (another node group, Karpenter, Fargate). Check the cluster autoscaler or Karpenter logs for why no node was added.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/cluster-autoscaling.html",
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html",
            "https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.NodeGroups, SnapshotSection.Nodes, SnapshotSection.Pods],
        Tags = ["aws", "health", "capacity", "autoscaling", "nodes"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var nodesPerGroup = context.Kubernetes.Nodes!.All
            .Select(n => NodeFacts.Label(n, KubeletConfigSample.NodeGroupLabel))
            .Where(g => g is not null)
            .GroupBy(g => g!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var waiting = context.Kubernetes.Pods!.All.Where(WaitsForCapacity).ToList();
        var waitingNames = waiting.Select(p => $"{p.Metadata?.NamespaceProperty}/{p.Metadata?.Name}").ToList();

        foreach (var group in context.Aws.NodeGroups!.All)
        {
            var name = group.NodegroupName ?? "(unnamed)";
            var resource = new ResourceRef("NodeGroup", null, name);
            var scaling = group.ScalingConfig;
            var nodes = nodesPerGroup.GetValueOrDefault(name);
            var evidence = new List<string>
            {
                $"scalingConfig: minSize = {Show(scaling?.MinSize)}, desiredSize = {Show(scaling?.DesiredSize)}, maxSize = {Show(scaling?.MaxSize)}",
                $"nodes with label {KubeletConfigSample.NodeGroupLabel}={name}: {nodes.ToString(CultureInfo.InvariantCulture)}",
                waiting.Count == 0
                    ? "pods Pending for lack of capacity: none"
                    : $"pods Pending for lack of capacity: {waiting.Count} ({Pod.PodRuleSupport.JoinCapped(waitingNames, 10)})",
            };
            if (scaling?.MaxSize is not { } max)
            {
                yield return context.Error(resource, $"Node group {name} reports no maxSize; whether it can scale cannot be judged.", evidence);
                continue;
            }
            var atMax = (scaling.DesiredSize ?? 0) >= max || nodes >= max;
            if (atMax && waiting.Count > 0)
                yield return context.Warn(resource, $"Node group {name} is at its maximum of {max} node(s) while {waiting.Count} pod(s) wait for capacity.", evidence);
            else if (atMax)
                yield return context.Pass(resource, $"Node group {name} is at its maximum of {max} node(s), but no pod is waiting for capacity.", evidence);
            else
                yield return context.Pass(resource, $"Node group {name} can still grow ({Math.Max(nodes, scaling.DesiredSize ?? 0)} of at most {max} node(s)).", evidence);
        }
    }

    /// <summary>Pending and unschedulable for resources (Insufficient cpu/memory/..., Too many pods).</summary>
    private static bool WaitsForCapacity(V1Pod pod)
    {
        if (pod.Status?.Phase != "Pending") return false;
        var scheduled = pod.Status.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (scheduled is not { Status: "False", Reason: "Unschedulable" }) return false;
        var message = scheduled.Message ?? "";
        return message.Contains("Insufficient", StringComparison.Ordinal) || message.Contains("Too many pods", StringComparison.Ordinal);
    }

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "(absent)";
}
