namespace EksSecurity.Engine.Rules.Net;

/// <summary>EKS-NET-005: node subnets have no route to an internet gateway; the control plane's subnets are reported for information.</summary>
public sealed class ClusterAndNodeSubnetsPrivate : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-005",
        Title = "Cluster and node subnets are private",
        Severity = Severity.Medium,
        Area = RuleArea.Net,
        Rationale = "A subnet whose route table sends traffic to an internet gateway is public: any node, pod network interface or load balancer " +
                    "target there that gets a public address (a subnet setting, a launch template, an Elastic IP) is reachable from the internet " +
                    "wherever a security group allows it. Nodes in private subnets reach the internet only outbound, through NAT, so one wrong " +
                    "setting does not become an exposure.",
        Remediation = "Point the node subnets at a private route table (default route to a NAT gateway, or none): aws ec2 replace-route-table-association " +
                      "--association-id <rtbassoc-id> --route-table-id <private-rtb-id>, or aws ec2 associate-route-table --subnet-id <subnet-id> " +
                      "--route-table-id <private-rtb-id> for a subnet on the main table. Or move the nodes: aws eks create-nodegroup --cluster-name <cluster> " +
                      "--nodegroup-name <name>-private --subnets <private-subnet-ids> ..., drain the old nodes and aws eks delete-nodegroup; a Fargate " +
                      "profile's subnets cannot change, so create a new profile in private subnets (aws eks create-fargate-profile --subnets ...) and delete the old one.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html#_deploy_workers_onto_private_subnets",
            "https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html",
            "https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html#subnet-types",
            "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Cluster, SnapshotSection.RouteTables],
        OptionallyReads = [SnapshotSection.NodeGroups, SnapshotSection.Instances, SnapshotSection.FargateProfiles, SnapshotSection.Subnets],
        Tags = ["aws", "network", "nodes", "vpc"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var nodes = VpcNetwork.NodeSubnetsOf(context);
        var clusterSubnets = VpcNetwork.ClusterSubnets(context).ToHashSet(StringComparer.Ordinal);
        if (nodes.NotRead.Count > 0)
            yield return context.Error(context.Cluster,
                $"Not every node subnet is known, so not every one was judged: {string.Join("; ", nodes.NotRead)}.", nodes.NotRead);

        foreach (var subnet in nodes.Ids)
        {
            var users = nodes.Describe(subnet) + (clusterSubnets.Contains(subnet) ? "; the control plane's network interfaces" : "");
            if (Judge(context, subnet, users) is not { } judged)
            {
                yield return RouteTableMissing(context, subnet, users);
                continue;
            }
            var (table, evidence, igw) = judged;
            var resource = Resource(subnet);
            if (igw.Count > 0)
                yield return context.Fail(resource,
                    $"Subnet {subnet} is public: its route table {table.RouteTableId} sends {string.Join(", ", igw.Select(VpcNetwork.Destination))} to the internet " +
                    $"gateway {igw[0].GatewayId}, and nodes run there ({users}).", evidence);
            else
                yield return context.Pass(resource, $"Subnet {subnet} is private: its route table {table.RouteTableId} has no route to an internet gateway.", evidence);
        }

        // The control plane's own subnets: EKS puts only its network interfaces there, which get no public address.
        foreach (var subnet in clusterSubnets.Where(s => !nodes.UsedBy.ContainsKey(s)).Order(StringComparer.Ordinal))
        {
            const string users = "the control plane's network interfaces only";
            if (Judge(context, subnet, users) is not { } judged)
            {
                yield return RouteTableMissing(context, subnet, users);
                continue;
            }
            var (table, evidence, igw) = judged;
            var message = igw.Count > 0
                ? $"Control-plane subnet {subnet} is public (route table {table.RouteTableId} leads to internet gateway {igw[0].GatewayId}); it holds only the " +
                  "control plane's network interfaces, which get no public address. Keep nodes out of it."
                : $"Control-plane subnet {subnet} is private: its route table {table.RouteTableId} has no route to an internet gateway.";
            yield return context.Finding(FindingStatus.Pass, Resource(subnet), message, evidence, Severity.Informational);
        }
    }

    private static ResourceRef Resource(string subnetId) => new("Subnet", null, subnetId);

    /// <summary>The subnet's route table, the evidence, and its routes to internet gateways; null when the table is not in the snapshot.</summary>
    private static (Aws.Model.Ec2RouteTable Table, List<string> Evidence, List<Aws.Model.Ec2Route> Igw)? Judge(RuleContext context, string subnet, string users)
    {
        var table = VpcNetwork.RouteTableOf(context, subnet, out var main);
        if (table is null) return null;
        var evidence = new List<string> { $"subnet {subnet} is used by {users}", VpcNetwork.Describe(subnet, table, main) };
        if (context.Has(SnapshotSection.Subnets) && context.Aws.Subnets!.All.FirstOrDefault(s => s.SubnetId == subnet) is { } described)
            evidence.Add($"subnet {subnet}: MapPublicIpOnLaunch = {(described.MapPublicIpOnLaunch is { } map ? (map ? "true" : "false") : "(not reported)")}" +
                         (described.Tags?.FirstOrDefault(t => t.Key == "Name")?.Value is { } name ? $", Name = {name}" : ""));
        return (table, evidence, VpcNetwork.InternetGatewayRoutes(table));
    }

    private static EksSecurityFinding RouteTableMissing(RuleContext context, string subnet, string users) =>
        context.Error(Resource(subnet),
            $"The route table of subnet {subnet} is not in the snapshot (no explicit association, and no single main table for VPC " +
            $"{VpcNetwork.VpcOf(context, subnet) ?? "(unknown)"}); whether it is public could not be judged.",
            [$"subnet {subnet} is used by {users}", $"RouteTables holds {context.Aws.RouteTables!.Count} table(s)"]);
}
