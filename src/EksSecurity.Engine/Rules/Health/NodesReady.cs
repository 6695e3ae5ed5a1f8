using EksSecurity.Engine.Rules.Infra;

namespace EksSecurity.Engine.Rules.Health;

/// <summary>EKS-HEALTH-001: every node's Ready condition is True.</summary>
public sealed class NodesReady : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-HEALTH-001",
        Title = "Nodes are Ready",
        Severity = Severity.High,
        Area = RuleArea.Health,
        Rationale = "A node that is not Ready gets no new pods, and after a few minutes its pods are evicted and rescheduled elsewhere, squeezing " +
                    "the remaining capacity. A node whose status is Unknown has stopped reporting: its kubelet, runtime or network is broken, or " +
                    "the instance is gone, and whatever runs on it is unobserved. Either state left for long points to a failure nobody is handling.",
        Remediation = "Find the cause: kubectl describe node <node> (conditions and events), the kubelet and containerd logs through Session Manager " +
                      "(journalctl -u kubelet -u containerd), and the instance status in EC2. Replace a node that does not recover: kubectl drain " +
                      "<node> --ignore-daemonsets --delete-emptydir-data, then terminate the instance (its node group or Karpenter launches a new one). " +
                      "Consider node auto repair on managed node groups (--node-repair-config enabled=true).",
        References =
        [
            "https://kubernetes.io/docs/reference/node/node-status/#condition",
            "https://docs.aws.amazon.com/eks/latest/userguide/troubleshooting.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/node-health.html",
            "https://docs.aws.amazon.com/eks/latest/best-practices/auditing-and-logging.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Nodes],
        ClusterWide = true,
        Tags = ["health", "nodes", "monitoring"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var now = context.Snapshot.CollectedAt;
        foreach (var node in context.Kubernetes.Nodes!.All)
        {
            var name = NodeFacts.Name(node);
            var resource = NodeFacts.Ref(node);
            var ready = NodeFacts.Condition(node, "Ready");
            if (ready is null)
            {
                yield return context.Error(resource, $"Node {name} reports no Ready condition; its readiness cannot be judged.",
                    [$"status.conditions = [{string.Join(", ", (node.Status?.Conditions ?? []).Select(c => $"{c.Type}={c.Status}"))}]"]);
                continue;
            }
            var evidence = new List<string> { $"Ready = {ready.Status ?? "(absent)"}" + (ready.Reason is null ? "" : $", reason {ready.Reason}") + (ready.Message is null ? "" : $": {ready.Message}") };
            var since = "";
            if (ready.LastTransitionTime is { } t)
            {
                var changed = new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc));
                evidence.Add($"lastTransitionTime = {NodeFacts.Day(changed)}");
                if (now is { } n) since = $" for {NodeFacts.Span(n - changed)}";
            }
            if (node.Spec?.Unschedulable == true) evidence.Add("spec.unschedulable = true (cordoned)");
            if (string.Equals(ready.Status, "True", StringComparison.Ordinal))
                yield return context.Pass(resource, $"Node {name} is Ready{since}.", evidence);
            else if (string.Equals(ready.Status, "Unknown", StringComparison.Ordinal))
                yield return context.Fail(resource, $"Node {name} has stopped reporting its status{since} (Ready is Unknown).", evidence);
            else
                yield return context.Fail(resource, $"Node {name} is not Ready{since}" + (ready.Reason is null ? "." : $" ({ready.Reason})."), evidence);
        }
    }
}
