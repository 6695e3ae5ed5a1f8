using System.Globalization;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-005: no node has been running for longer than the configured number of days.</summary>
public sealed class NodesReplacedRegularly : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-005",
        Title = "Nodes replaced regularly",
        Severity = Severity.Low,
        Area = RuleArea.Infra,
        Rationale = "Nodes are patched by replacing them with new ones built from a current AMI. A node that has been up for months still runs the " +
                    "kernel, container runtime and kubelet it booted with, misses every fix published since, and keeps whatever an intruder " +
                    "may have left on its disk. Regular replacement bounds both, and proves that workloads survive losing a node.",
        Remediation = "Replace old nodes on a schedule: for managed node groups, aws eks update-nodegroup-version --cluster-name <cluster> --nodegroup-name " +
                      "<name> (it also moves to the latest AMI); with Karpenter, set spec.template.spec.expireAfter on the NodePool (for example 720h) " +
                      "and let disruption budgets pace it; for self-managed groups, an Auto Scaling instance refresh or maximum instance lifetime. " +
                      "EKS Auto Mode replaces its nodes within 21 days by itself.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/automode.html",
            "https://karpenter.sh/docs/concepts/disruption/#expiration",
            "https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-max-instance-lifetime.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Nodes],
        OptionallyReads = [SnapshotSection.Instances],
        ClusterWide = true,
        Tags = ["nodes", "patching", "immutable-infrastructure", "lifecycle"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var nodes = context.Kubernetes.Nodes!.All;
        if (nodes.Count == 0) yield break;
        if (context.Snapshot.CollectedAt is not { } now)
        {
            yield return context.Error(context.Cluster, "The snapshot has no collectedAt time, so node ages cannot be measured.", ["collectedAt = (absent)"]);
            yield break;
        }
        var maxDays = context.Settings.NodeMaxAgeDays;
        var launches = context.Has(SnapshotSection.Instances)
            ? context.Aws.Instances!.All.Where(i => i.InstanceId is not null && i.LaunchTime is not null)
                .GroupBy(i => i.InstanceId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().LaunchTime!.Value, StringComparer.Ordinal)
            : null;

        foreach (var node in nodes)
        {
            var name = NodeFacts.Name(node);
            var resource = NodeFacts.Ref(node);
            var created = node.Metadata?.CreationTimestamp is { } c ? new DateTimeOffset(DateTime.SpecifyKind(c, DateTimeKind.Utc)) : (DateTimeOffset?)null;
            var evidence = new List<string> { $"metadata.creationTimestamp = {(created is { } cv ? NodeFacts.Day(cv) : "(absent)")}" };
            var since = created;
            var instanceId = NodeFacts.InstanceId(node);
            if (launches is not null && instanceId is not null && launches.TryGetValue(instanceId, out var launched))
            {
                evidence.Add($"instance {instanceId} LaunchTime = {NodeFacts.Day(launched)}");
                if (since is null || launched < since) since = launched;
            }
            if (since is null)
            {
                yield return context.Error(resource, $"Node {name} has no creation time; its age cannot be measured.", evidence);
                continue;
            }
            var age = now - since.Value;
            var days = (int)Math.Floor(age.TotalDays);
            evidence.Add($"age = {days.ToString(CultureInfo.InvariantCulture)} day(s) at {NodeFacts.Day(now)} (collectedAt); allowed {maxDays} (NodeMaxAgeDays)");
            if (age.TotalDays > maxDays)
                yield return context.Warn(resource,
                    $"Node {name} has been running for {days} days, longer than {maxDays}: it still runs the software it booted with." +
                    (NodeFacts.IsFargate(node) ? " Restart its pod to get a patched Fargate node." : ""), evidence);
            else
                yield return context.Pass(resource, $"Node {name} is {days} day(s) old, within {maxDays} days.", evidence);
        }
    }
}
