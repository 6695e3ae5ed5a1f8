using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// The cluster's VPC as EKS-NET-005, 011 and 018 see it: which subnets its nodes use (managed node groups, running nodes,
/// Fargate profiles, EKS Auto Mode), the route table each subnet follows and where its routes lead. Not a rule.
/// </summary>
internal static class VpcNetwork
{
    /// <summary>The subnets nodes run in, each with what puts nodes there, and the node sources that could not be read.</summary>
    public sealed class NodeSubnets
    {
        public SortedDictionary<string, List<string>> UsedBy { get; } = new(StringComparer.Ordinal);
        /// <summary>"NodeGroups: Denied (needs eks:ListNodegroups)" for each source section not collected.</summary>
        public List<string> NotRead { get; } = [];

        public IEnumerable<string> Ids => UsedBy.Keys;

        internal void Add(string? subnetId, string user)
        {
            if (string.IsNullOrEmpty(subnetId)) return;
            if (!UsedBy.TryGetValue(subnetId, out var users)) UsedBy[subnetId] = users = [];
            if (!users.Contains(user, StringComparer.Ordinal)) users.Add(user);
        }

        /// <summary>"node group ng-a, nodes i-1, i-2": who uses a subnet, instances folded together.</summary>
        public string Describe(string subnetId)
        {
            var users = UsedBy.TryGetValue(subnetId, out var u) ? u : [];
            var nodes = users.Where(x => x.StartsWith("node i-", StringComparison.Ordinal)).Select(x => x[5..]).ToList();
            var others = users.Where(x => !x.StartsWith("node i-", StringComparison.Ordinal));
            var parts = others.Concat(nodes.Count == 0 ? [] : [$"node{(nodes.Count == 1 ? "" : "s")} {string.Join(", ", nodes.Take(5))}{(nodes.Count > 5 ? $" and {nodes.Count - 5} more" : "")}"]);
            return string.Join("; ", parts);
        }
    }

    public static bool AutoMode(RuleContext context) => context.Has(SnapshotSection.Cluster) && context.Aws.Cluster?.Value?.ComputeConfig?.Enabled == true;

    public static IReadOnlyList<string> ClusterSubnets(RuleContext context) =>
        context.Has(SnapshotSection.Cluster) ? context.Aws.Cluster?.Value?.ResourcesVpcConfig?.SubnetIds ?? [] : [];

    public static string? ClusterVpc(RuleContext context) =>
        context.Has(SnapshotSection.Cluster) ? context.Aws.Cluster?.Value?.ResourcesVpcConfig?.VpcId : null;

    public static NodeSubnets NodeSubnetsOf(RuleContext context)
    {
        var result = new NodeSubnets();
        if (context.Has(SnapshotSection.NodeGroups))
        {
            foreach (var group in context.Aws.NodeGroups!.All)
                foreach (var subnet in group.Subnets ?? []) result.Add(subnet, $"node group {group.NodegroupName}");
        }
        else result.NotRead.Add(Missing(context, SnapshotSection.NodeGroups));
        if (context.Has(SnapshotSection.FargateProfiles))
        {
            foreach (var profile in context.Aws.FargateProfiles!.All)
                foreach (var subnet in profile.Subnets ?? []) result.Add(subnet, $"Fargate profile {profile.FargateProfileName}");
        }
        else result.NotRead.Add(Missing(context, SnapshotSection.FargateProfiles));
        if (context.Has(SnapshotSection.Instances))
        {
            foreach (var instance in RunningNodes(context)) result.Add(instance.SubnetId, $"node {instance.InstanceId}");
        }
        else result.NotRead.Add(Missing(context, SnapshotSection.Instances));
        if (AutoMode(context))
            foreach (var subnet in ClusterSubnets(context)) result.Add(subnet, "EKS Auto Mode nodes (the cluster's subnets, unless a NodeClass selects others)");
        return result;
    }

    /// <summary>The cluster's instances that are, or may become, nodes: not terminated, and not tagged for another cluster.</summary>
    public static IEnumerable<Ec2Instance> RunningNodes(RuleContext context) =>
        context.Aws.Instances!.All.Where(i => i.State?.Name is not ("terminated" or "shutting-down") && !OtherCluster(i, context.Snapshot.ClusterName));

    /// <summary>Instances tagged (eks:cluster-name, aws:eks:cluster-name) for another cluster do not belong to this one.</summary>
    public static bool OtherCluster(Ec2Instance instance, string clusterName) =>
        !string.IsNullOrEmpty(clusterName) && Tag(instance, "eks:cluster-name", "aws:eks:cluster-name") is { Length: > 0 } name && name != clusterName;

    /// <summary>The value of the first of <paramref name="keys"/> the instance is tagged with.</summary>
    public static string? Tag(Ec2Instance instance, params string[] keys) =>
        keys.Select(k => instance.Tags?.FirstOrDefault(t => t.Key == k)?.Value).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    /// <summary>"NodeGroups: Denied (needs eks:ListNodegroups)".</summary>
    public static string Missing(RuleContext context, SnapshotSection section)
    {
        var info = context.Snapshot.DescribeSection(section);
        return $"{section}: {info.Status}" + (info.Permission is null ? "" : $" (needs {info.Permission})");
    }

    public static string? VpcOf(RuleContext context, string subnetId) =>
        (context.Has(SnapshotSection.Subnets) ? context.Aws.Subnets!.All.FirstOrDefault(s => s.SubnetId == subnetId)?.VpcId : null) ?? ClusterVpc(context);

    /// <summary>The route table a subnet follows: its explicit association, else its VPC's main table. Null when neither is in the section.</summary>
    public static Ec2RouteTable? RouteTableOf(RuleContext context, string subnetId, out bool main)
    {
        var tables = context.Aws.RouteTables!.All;
        main = false;
        var associated = tables.FirstOrDefault(t => t.Associations?.Any(a => a.SubnetId == subnetId && a.AssociationState?.State is null or "associated") == true);
        if (associated is not null) return associated;
        main = true;
        var vpc = VpcOf(context, subnetId);
        var mains = tables.Where(t => (vpc is null || t.VpcId == vpc) && t.Associations?.Any(a => a.Main == true) == true).ToList();
        return mains.Count == 1 ? mains[0] : null;
    }

    public static bool Active(Ec2Route route) => !string.Equals(route.State, "blackhole", StringComparison.OrdinalIgnoreCase);

    public static bool IsDefault(Ec2Route route) => route.DestinationCidrBlock == "0.0.0.0/0" || route.DestinationIpv6CidrBlock == "::/0";

    public static bool ToInternetGateway(Ec2Route route) => route.GatewayId?.StartsWith("igw-", StringComparison.Ordinal) == true;

    /// <summary>Active routes to an internet gateway: what makes a subnet public in the VPC's own terms.</summary>
    public static List<Ec2Route> InternetGatewayRoutes(Ec2RouteTable table) => (table.Routes ?? []).Where(r => Active(r) && ToInternetGateway(r)).ToList();

    /// <summary>Active default routes (0.0.0.0/0, ::/0) that leave the VPC: to an internet, NAT, transit or other gateway, an appliance or a peer.</summary>
    public static List<Ec2Route> EgressRoutes(Ec2RouteTable table) =>
        (table.Routes ?? []).Where(r => Active(r) && IsDefault(r) && Target(r) is var t && t != "local" && !t.StartsWith("vpce-", StringComparison.Ordinal)).ToList();

    public static string Destination(Ec2Route route) =>
        route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock ?? route.DestinationPrefixListId ?? "(no destination)";

    public static string Target(Ec2Route route) =>
        route.GatewayId ?? route.NatGatewayId ?? route.EgressOnlyInternetGatewayId ?? route.TransitGatewayId ?? route.NetworkInterfaceId ??
        route.InstanceId ?? route.VpcPeeringConnectionId ?? route.CarrierGatewayId ?? route.LocalGatewayId ?? route.CoreNetworkArn ?? "(no target)";

    public static string Describe(Ec2Route route) => $"{Destination(route)} -> {Target(route)}" + (Active(route) ? "" : " (blackhole)");

    /// <summary>"subnet-1 follows rtb-2 (the VPC's main table): 10.0.0.0/16 -> local, 0.0.0.0/0 -> nat-3".</summary>
    public static string Describe(string subnetId, Ec2RouteTable table, bool main) =>
        $"subnet {subnetId} follows {table.RouteTableId}{(main ? " (the VPC's main table)" : "")}: " +
        (table.Routes is { Count: > 0 } routes ? string.Join(", ", routes.Select(Describe)) : "no routes");
}
