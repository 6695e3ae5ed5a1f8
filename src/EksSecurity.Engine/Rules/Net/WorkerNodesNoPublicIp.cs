using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>EKS-NET-004: no node has a public IP, and no managed node group is set up to give its nodes one.</summary>
public sealed class WorkerNodesNoPublicIp : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-004",
        Title = "Worker nodes have no public IPs",
        Severity = Severity.High,
        Area = RuleArea.Net,
        Rationale = "A node with a public address can be reached from the internet wherever a security group rule allows it: the kubelet, SSH, " +
                    "NodePorts and anything a pod binds on the host network. Nodes in private subnets reach the internet through NAT and stay " +
                    "unreachable from it, so a mistaken rule does not become an exposure.",
        Remediation = "Move node groups to private subnets (create a new node group with --subnets <private-subnet-ids>, drain and delete the old one), " +
                      "or stop the subnets assigning public addresses: aws ec2 modify-subnet-attribute --subnet-id <subnet> --no-map-public-ip-on-launch. " +
                      "In a launch template, set NetworkInterfaces[0].AssociatePublicIpAddress=false (aws ec2 create-launch-template-version) and roll the node group.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html#_deploy_workers_onto_private_subnets",
            "https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html",
            "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html",
        ],
        Frameworks = ["HardenEKS deploy_workers_onto_private_subnets", "CIS EKS 1.8.0 5.4.3", "Prowler ec2_instance_public_ip", "Prowler ec2_launch_template_no_public_ip"],
        Reads = [SnapshotSection.Instances, SnapshotSection.NodeGroups],
        OptionallyReads = [SnapshotSection.Subnets, SnapshotSection.LaunchTemplates],
        Tags = ["aws", "cis", "network", "nodes"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var instance in context.Aws.Instances!.All)
        {
            if (instance.State?.Name is "terminated" or "shutting-down" || OtherCluster(instance, context.Snapshot.ClusterName)) continue;
            var resource = new ResourceRef("Ec2Instance", null, instance.InstanceId ?? "(no id)");
            var evidence = new List<string>
            {
                $"{instance.InstanceId}: PublicIpAddress = {(string.IsNullOrEmpty(instance.PublicIpAddress) ? "(none)" : instance.PublicIpAddress)}, " +
                $"PrivateIpAddress = {instance.PrivateIpAddress ?? "(none)"}, SubnetId = {instance.SubnetId ?? "(none)"}",
            };
            if (NodeGroupOf(instance) is { Length: > 0 } group) evidence.Add($"node group = {group}");
            if (!string.IsNullOrEmpty(instance.PublicIpAddress))
                yield return context.Fail(resource, $"Node {instance.InstanceId} has the public IP address {instance.PublicIpAddress}.", evidence);
            else
                yield return context.Pass(resource, $"Node {instance.InstanceId} has no public IP address.", evidence);
        }

        foreach (var nodeGroup in context.Aws.NodeGroups!.All)
            yield return JudgeNodeGroup(context, nodeGroup);
    }

    private static EksSecurityFinding JudgeNodeGroup(RuleContext context, EksNodegroup nodeGroup)
    {
        var resource = NodeGroupLaunchTemplates.Resource(nodeGroup);
        var evidence = new List<string>();
        var template = NodeGroupLaunchTemplates.Resolve(context, nodeGroup, out var templateMissing);
        bool? templateAssigns = null;
        if (template is not null)
        {
            var primary = template.LaunchTemplateData?.NetworkInterfaces?.FirstOrDefault(n => n.DeviceIndex is null or 0);
            templateAssigns = primary?.AssociatePublicIpAddress;
            evidence.Add($"launch template {template.LaunchTemplateId} version {template.VersionNumber}: NetworkInterfaces[0].AssociatePublicIpAddress = " +
                         (templateAssigns is null ? "(not set: the subnet decides)" : templateAssigns.Value ? "true" : "false"));
        }
        else if (templateMissing is not null)
        {
            evidence.Add(templateMissing);
        }

        if (templateAssigns == true)
            return context.Fail(resource, $"Node group {nodeGroup.NodegroupName}'s launch template gives its nodes public IP addresses.", evidence);
        if (templateAssigns == false)
            return context.Pass(resource, $"Node group {nodeGroup.NodegroupName}'s launch template turns public IP addresses off.", evidence);

        var subnets = nodeGroup.Subnets ?? [];
        var publicSubnets = new List<string>();
        var unknown = new List<string>();
        if (!context.Has(SnapshotSection.Subnets))
        {
            var info = context.Snapshot.DescribeSection(SnapshotSection.Subnets);
            unknown.Add($"subnets [{string.Join(", ", subnets)}] were not described (section Subnets: {info.Status}" + (info.Permission is null ? ")" : $", needs {info.Permission})"));
        }
        else
        {
            foreach (var id in subnets)
            {
                var subnet = context.Aws.Subnets!.All.FirstOrDefault(s => s.SubnetId == id);
                if (subnet?.MapPublicIpOnLaunch is not { } map)
                {
                    unknown.Add($"subnet {id} {(subnet is null ? "is not in the Subnets section" : "does not report MapPublicIpOnLaunch")}");
                    continue;
                }
                evidence.Add($"subnet {id}: MapPublicIpOnLaunch = {(map ? "true" : "false")}");
                if (map) publicSubnets.Add(id);
            }
        }
        evidence.AddRange(unknown);

        if (publicSubnets.Count > 0)
            return context.Fail(resource,
                $"Node group {nodeGroup.NodegroupName} launches nodes into subnet(s) that assign public IP addresses: {string.Join(", ", publicSubnets)}.", evidence);
        if (subnets.Count == 0)
            unknown.Add("the node group lists no subnets");
        if (unknown.Count > 0 || templateMissing is not null)
            return context.Error(resource,
                $"Whether node group {nodeGroup.NodegroupName} assigns public IP addresses could not be judged: {string.Join("; ", unknown.Concat(templateMissing is null ? [] : [templateMissing]))}.",
                evidence);
        return context.Pass(resource, $"Node group {nodeGroup.NodegroupName} launches nodes into subnets that do not assign public IP addresses.", evidence);
    }

    private static string? NodeGroupOf(Ec2Instance instance) => instance.Tags?.FirstOrDefault(t => t.Key == "eks:nodegroup-name")?.Value;

    /// <summary>Instances tagged for another cluster do not belong to this one.</summary>
    private static bool OtherCluster(Ec2Instance instance, string clusterName)
    {
        if (string.IsNullOrEmpty(clusterName)) return false;
        var tag = instance.Tags?.FirstOrDefault(t => t.Key is "eks:cluster-name" or "aws:eks:cluster-name");
        return tag?.Value is { Length: > 0 } name && name != clusterName;
    }
}
