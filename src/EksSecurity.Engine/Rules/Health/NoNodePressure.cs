using EksSecurity.Engine.Rules.Infra;

namespace EksSecurity.Engine.Rules.Health;

/// <summary>EKS-HEALTH-002: no node reports memory, disk or PID pressure, or an unavailable network.</summary>
public sealed class NoNodePressure : Rule
{
    private static readonly string[] PressureConditions = ["MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-HEALTH-002",
        Title = "No node pressure",
        Severity = Severity.Medium,
        Area = RuleArea.Health,
        Rationale = "Under memory, disk or PID pressure the kubelet evicts pods and refuses new ones, starting with those that exceed their requests; " +
                    "an unavailable network means the node's pods cannot be reached. These conditions precede outages, and a pod that exhausts " +
                    "a shared node (a memory leak, a log flood, a fork bomb) affects every other tenant on it.",
        Remediation = "Find what consumes the resource: kubectl describe node <node> and kubectl top pods --all-namespaces --sort-by=memory. Set requests " +
                      "and limits (and a LimitRange) so the scheduler spreads load, a podPidsLimit on the kubelet, log rotation and larger or separate " +
                      "volumes for ephemeral storage; for NetworkUnavailable, check the VPC CNI (kubectl logs -n kube-system -l k8s-app=aws-node) and " +
                      "the subnet's free IP addresses.",
        References =
        [
            "https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/",
            "https://kubernetes.io/docs/reference/node/node-status/#condition",
            "https://docs.aws.amazon.com/eks/latest/best-practices/auditing-and-logging.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Nodes],
        ClusterWide = true,
        Tags = ["health", "nodes", "monitoring", "capacity"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var node in context.Kubernetes.Nodes!.All)
        {
            var name = NodeFacts.Name(node);
            var resource = NodeFacts.Ref(node);
            if (node.Status?.Conditions is not { Count: > 0 } conditions)
            {
                yield return context.Error(resource, $"Node {name} reports no conditions; pressure cannot be judged.", ["status.conditions = (absent)"]);
                continue;
            }
            var evidence = new List<string>();
            var pressing = new List<string>();
            foreach (var type in PressureConditions)
            {
                var c = NodeFacts.Condition(node, type);
                evidence.Add($"{type} = {c?.Status ?? "(not reported)"}" + (c?.Reason is null ? "" : $", reason {c.Reason}") + (c?.Message is null ? "" : $": {c.Message}"));
                if (string.Equals(c?.Status, "True", StringComparison.Ordinal)) pressing.Add(type);
            }
            if (pressing.Count > 0)
                yield return context.Fail(resource, $"Node {name} reports {string.Join(", ", pressing)}.", evidence);
            else
                yield return context.Pass(resource, $"Node {name} reports no memory, disk or PID pressure and has its network.", evidence);
        }
    }
}
