using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

// One route table of ec2:DescribeRouteTables, with the PascalCase names `aws ec2 describe-route-tables` prints;
// only the fields rules read. Collected for the cluster's VPC.

public sealed class Ec2RouteTable
{
    [JsonPropertyName("RouteTableId")] public string? RouteTableId { get; set; }
    [JsonPropertyName("VpcId")] public string? VpcId { get; set; }
    [JsonPropertyName("OwnerId")] public string? OwnerId { get; set; }
    /// <summary>Explicit subnet (and gateway) associations, and the VPC's main-table marker (Main = true, no SubnetId).</summary>
    [JsonPropertyName("Associations")] public List<Ec2RouteTableAssociation>? Associations { get; set; }
    [JsonPropertyName("Routes")] public List<Ec2Route>? Routes { get; set; }
    [JsonPropertyName("Tags")] public List<Ec2Tag>? Tags { get; set; }
}

public sealed class Ec2RouteTableAssociation
{
    /// <summary>True on the association that makes this the VPC's main route table: subnets without an explicit association use it.</summary>
    [JsonPropertyName("Main")] public bool? Main { get; set; }
    [JsonPropertyName("RouteTableAssociationId")] public string? RouteTableAssociationId { get; set; }
    [JsonPropertyName("RouteTableId")] public string? RouteTableId { get; set; }
    [JsonPropertyName("SubnetId")] public string? SubnetId { get; set; }
    /// <summary>Set for an edge association (an internet or virtual private gateway), not a subnet.</summary>
    [JsonPropertyName("GatewayId")] public string? GatewayId { get; set; }
    [JsonPropertyName("AssociationState")] public Ec2RouteTableAssociationState? AssociationState { get; set; }
}

public sealed class Ec2RouteTableAssociationState
{
    /// <summary>associating, associated, disassociating, disassociated or failed.</summary>
    [JsonPropertyName("State")] public string? State { get; set; }
}

/// <summary>One route: a destination (IPv4 or IPv6 CIDR, or prefix list) and the one target it leads to.</summary>
public sealed class Ec2Route
{
    [JsonPropertyName("DestinationCidrBlock")] public string? DestinationCidrBlock { get; set; }
    [JsonPropertyName("DestinationIpv6CidrBlock")] public string? DestinationIpv6CidrBlock { get; set; }
    [JsonPropertyName("DestinationPrefixListId")] public string? DestinationPrefixListId { get; set; }
    /// <summary>igw-… (internet gateway), vgw-… (virtual private gateway), "local" or a gateway VPC endpoint (vpce-…).</summary>
    [JsonPropertyName("GatewayId")] public string? GatewayId { get; set; }
    [JsonPropertyName("NatGatewayId")] public string? NatGatewayId { get; set; }
    /// <summary>eigw-…: outbound-only IPv6 internet access.</summary>
    [JsonPropertyName("EgressOnlyInternetGatewayId")] public string? EgressOnlyInternetGatewayId { get; set; }
    [JsonPropertyName("TransitGatewayId")] public string? TransitGatewayId { get; set; }
    [JsonPropertyName("NetworkInterfaceId")] public string? NetworkInterfaceId { get; set; }
    [JsonPropertyName("InstanceId")] public string? InstanceId { get; set; }
    [JsonPropertyName("VpcPeeringConnectionId")] public string? VpcPeeringConnectionId { get; set; }
    [JsonPropertyName("CarrierGatewayId")] public string? CarrierGatewayId { get; set; }
    [JsonPropertyName("LocalGatewayId")] public string? LocalGatewayId { get; set; }
    [JsonPropertyName("CoreNetworkArn")] public string? CoreNetworkArn { get; set; }
    /// <summary>CreateRouteTable, CreateRoute or EnableVgwRoutePropagation.</summary>
    [JsonPropertyName("Origin")] public string? Origin { get; set; }
    /// <summary>active or blackhole (the target is gone).</summary>
    [JsonPropertyName("State")] public string? State { get; set; }
}
