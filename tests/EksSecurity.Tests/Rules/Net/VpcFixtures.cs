using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Net;

/// <summary>Route tables, flow logs, VPC endpoints and subnets of one VPC (vpc-1) for the EKS-NET-005, 011 and 018 tests.</summary>
internal static class VpcFixtures
{
    public const string Vpc = "vpc-1";

    public static Ec2Route Route(string destination, string target, string state = "active") => new()
    {
        DestinationCidrBlock = destination.Contains(':') ? null : destination,
        DestinationIpv6CidrBlock = destination.Contains(':') ? destination : null,
        GatewayId = target.StartsWith("nat-", StringComparison.Ordinal) || target.StartsWith("tgw-", StringComparison.Ordinal) ? null : target,
        NatGatewayId = target.StartsWith("nat-", StringComparison.Ordinal) ? target : null,
        TransitGatewayId = target.StartsWith("tgw-", StringComparison.Ordinal) ? target : null,
        State = state,
    };

    /// <summary>A route table with the VPC's local route and the given ones, associated to <paramref name="subnets"/> (or the main table).</summary>
    public static Ec2RouteTable Table(string id, bool main, string[] subnets, params Ec2Route[] routes) => new()
    {
        RouteTableId = id,
        VpcId = Vpc,
        Associations = [.. subnets.Select(s => new Ec2RouteTableAssociation { RouteTableId = id, SubnetId = s, Main = false, AssociationState = new() { State = "associated" } }),
                        .. main ? new[] { new Ec2RouteTableAssociation { RouteTableId = id, Main = true } } : []],
        Routes = [Route("10.0.0.0/16", "local"), .. routes],
    };

    public static Ec2RouteTable PublicTable(params string[] subnets) => Table("rtb-public", false, subnets, Route("0.0.0.0/0", "igw-1"));
    public static Ec2RouteTable NatMainTable() => Table("rtb-main", true, [], Route("0.0.0.0/0", "nat-1"));
    public static Ec2RouteTable IsolatedMainTable() => Table("rtb-isolated", true, []);

    public static Ec2FlowLog FlowLog(string resource, string status = "ACTIVE", string traffic = "ALL", string delivery = "SUCCESS") => new()
    {
        FlowLogId = "fl-" + resource,
        ResourceId = resource,
        FlowLogStatus = status,
        TrafficType = traffic,
        LogDestinationType = "cloud-watch-logs",
        LogGroupName = "/vpc/flow",
        DeliverLogsStatus = delivery,
        DeliverLogsErrorMessage = delivery == "FAILED" ? "Access error" : null,
    };

    public static Ec2VpcEndpoint Endpoint(string service, string type = "Interface", bool privateDns = true, string state = "available", string[]? routeTables = null,
        string region = "eu-west-1") => new()
    {
        VpcEndpointId = "vpce-" + service.Replace(".", "", StringComparison.Ordinal),
        VpcEndpointType = type,
        VpcId = Vpc,
        ServiceName = $"com.amazonaws.{region}.{service}",
        State = state,
        PrivateDnsEnabled = type == "Interface" ? privateDns : false,
        RouteTableIds = routeTables?.ToList() ?? [],
    };

    /// <summary>Every endpoint a private cluster needs by default, the S3 one a gateway on <paramref name="s3RouteTables"/>.</summary>
    public static Ec2VpcEndpoint[] AllEndpoints(params string[] s3RouteTables) =>
    [
        Endpoint("ec2"), Endpoint("ecr.api"), Endpoint("ecr.dkr"), Endpoint("s3", "Gateway", routeTables: s3RouteTables), Endpoint("sts"),
        Endpoint("logs"), Endpoint("elasticloadbalancing"), Endpoint("eks-auth"),
    ];

    /// <summary>The test cluster in vpc-1 with subnets subnet-a and subnet-b, the given node groups, route tables and extras.</summary>
    public static ClusterSnapshot Cluster(EksNodegroup[] groups, Ec2RouteTable[] tables, bool publicEndpoint = false) =>
        TestSnapshots.Empty().With(s =>
        {
            var config = s.Cluster().ResourcesVpcConfig!;
            config.VpcId = Vpc;
            config.SubnetIds = ["subnet-a", "subnet-b"];
            config.EndpointPublicAccess = publicEndpoint;
            config.EndpointPrivateAccess = true;
            s.Aws.NodeGroups!.Items!.AddRange(groups);
            s.Aws.RouteTables!.Items!.AddRange(tables);
        });

    public static EksNodegroup NodeGroup(string name, params string[] subnets) => new() { NodegroupName = name, ClusterName = "test-cluster", Status = "ACTIVE", Subnets = [.. subnets] };
}
