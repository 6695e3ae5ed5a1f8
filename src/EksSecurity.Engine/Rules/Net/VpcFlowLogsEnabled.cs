using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>EKS-NET-011: the cluster's VPC, or else every node subnet, has an active flow log that records all traffic and delivers it.</summary>
public sealed class VpcFlowLogsEnabled : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-011",
        Title = "VPC flow logs enabled",
        Severity = Severity.Medium,
        Area = RuleArea.Net,
        Rationale = "Flow logs are the record of which addresses talked to which, on which ports, accepted or rejected. Without them there is no way " +
                    "to tell afterwards whether a compromised pod or node reached the internet, another VPC or the metadata of other workloads, nor " +
                    "to see the traffic a NetworkPolicy or security group rejected. They cost nothing to the nodes and cannot be turned on after the fact.",
        Remediation = "Turn on a flow log for the cluster's VPC, recording all traffic: aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> " +
                      "--traffic-type ALL --log-destination-type cloud-watch-logs --log-group-name /aws/vpc/<cluster>-flow-logs " +
                      "--deliver-logs-permission-arn <role-arn> (or --log-destination-type s3 --log-destination arn:aws:s3:::<bucket>). " +
                      "For a flow log whose delivery fails, fix the role or bucket policy it names in DeliverLogsErrorMessage.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html#_log_network_traffic_metadata",
            "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
            "https://docs.aws.amazon.com/vpc/latest/userguide/working-with-flow-logs.html",
        ],
        Frameworks = ["HardenEKS check_vpc_flow_logs", "Prowler vpc_flow_logs_enabled"],
        Reads = [SnapshotSection.Cluster, SnapshotSection.FlowLogs],
        OptionallyReads = [SnapshotSection.NodeGroups, SnapshotSection.Instances, SnapshotSection.FargateProfiles],
        Tags = ["aws", "network", "logging", "vpc"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var vpc = VpcNetwork.ClusterVpc(context);
        if (string.IsNullOrEmpty(vpc))
        {
            yield return context.Error(context.Cluster, "The cluster description names no VPC (resourcesVpcConfig.vpcId); its flow logs cannot be judged.", ["resourcesVpcConfig.vpcId = (absent)"]);
            yield break;
        }
        var resource = new ResourceRef("Vpc", null, vpc);
        var logs = context.Aws.FlowLogs!.All;
        var evidence = logs.Where(l => l.ResourceId is not null).OrderBy(l => l.ResourceId, StringComparer.Ordinal).ThenBy(l => l.FlowLogId, StringComparer.Ordinal)
            .Select(Describe).ToList();
        if (evidence.Count == 0) evidence.Add($"no flow log on {vpc} or its node subnets");

        var (vpcActive, vpcWeakness) = Coverage(logs, vpc);
        if (vpcActive)
        {
            yield return vpcWeakness is null
                ? context.Pass(resource, $"VPC {vpc} has an active flow log recording all traffic.", evidence)
                : context.Warn(resource, $"VPC {vpc} has an active flow log, but it {vpcWeakness}.", evidence);
            yield break;
        }

        // No active VPC flow log: every node subnet needs its own.
        var nodes = VpcNetwork.NodeSubnetsOf(context);
        var uncovered = new List<string>();
        var weak = new List<string>();
        foreach (var subnet in nodes.Ids)
        {
            var (active, weakness) = Coverage(logs, subnet);
            if (!active) uncovered.Add($"{subnet} ({nodes.Describe(subnet)})");
            else if (weakness is not null) weak.Add($"{subnet}'s {weakness}");
        }
        evidence.AddRange(nodes.NotRead.Select(n => "node subnets not known from " + n));
        if (uncovered.Count > 0 || (nodes.UsedBy.Count == 0 && nodes.NotRead.Count == 0))
            yield return context.Fail(resource,
                $"VPC {vpc} has no active flow log" + (uncovered.Count > 0 ? $", nor do these node subnets: {string.Join(", ", uncovered)}." : ", and no node subnet has one instead."),
                evidence);
        else if (nodes.NotRead.Count > 0)
            yield return context.Error(resource,
                $"VPC {vpc} has no active flow log, and whether every node subnet has one could not be judged: {string.Join("; ", nodes.NotRead)}.", evidence);
        else if (weak.Count > 0)
            yield return context.Warn(resource, $"VPC {vpc} has no flow log of its own; every node subnet has an active one, but {string.Join("; ", weak)}.", evidence);
        else
            yield return context.Pass(resource, $"VPC {vpc} has no flow log of its own, but every node subnet has an active one recording all traffic.", evidence);
    }

    /// <summary>Whether an active flow log covers the resource, and what is wrong with the active ones (null when nothing).</summary>
    private static (bool Active, string? Weakness) Coverage(IReadOnlyList<Ec2FlowLog> logs, string resourceId)
    {
        var active = logs.Where(l => l.ResourceId == resourceId && string.Equals(l.FlowLogStatus, "ACTIVE", StringComparison.OrdinalIgnoreCase)).ToList();
        if (active.Count == 0) return (false, null);
        var delivering = active.Where(l => !string.Equals(l.DeliverLogsStatus, "FAILED", StringComparison.OrdinalIgnoreCase)).ToList();
        if (delivering.Count == 0)
            return (true, $"cannot deliver its records ({string.Join("; ", active.Select(l => $"{l.FlowLogId}: {l.DeliverLogsErrorMessage ?? "DeliverLogsStatus FAILED"}"))})");
        var types = delivering.Select(l => l.TrafficType?.ToUpperInvariant()).ToHashSet();
        if (!types.Contains("ALL") && !(types.Contains("ACCEPT") && types.Contains("REJECT")))
            return (true, $"records only {string.Join(" and ", types.OfType<string>().Order(StringComparer.Ordinal))} traffic (use --traffic-type ALL)");
        return (true, null);
    }

    private static string Describe(Ec2FlowLog log) =>
        $"{log.FlowLogId} on {log.ResourceId}: {log.FlowLogStatus ?? "(no status)"}, traffic {log.TrafficType ?? "(unset)"}, " +
        $"to {log.LogDestinationType ?? "(unknown)"}{(log.LogGroupName ?? log.LogDestination) switch { null or "" => "", var d => " " + d }}, " +
        $"delivery {log.DeliverLogsStatus ?? "(unknown)"}" +
        (string.IsNullOrEmpty(log.DeliverLogsErrorMessage) ? "" : $" ({log.DeliverLogsErrorMessage})");
}
