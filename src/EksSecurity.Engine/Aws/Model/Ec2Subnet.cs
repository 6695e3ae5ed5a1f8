using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

// One subnet of ec2:DescribeSubnets, with the PascalCase names `aws ec2 describe-subnets` prints;
// only the fields rules read. Collected for the subnets of the cluster and of its node groups.

public sealed class Ec2Subnet
{
    [JsonPropertyName("SubnetId")] public string? SubnetId { get; set; }
    [JsonPropertyName("SubnetArn")] public string? SubnetArn { get; set; }
    [JsonPropertyName("VpcId")] public string? VpcId { get; set; }
    [JsonPropertyName("OwnerId")] public string? OwnerId { get; set; }
    [JsonPropertyName("AvailabilityZone")] public string? AvailabilityZone { get; set; }
    [JsonPropertyName("AvailabilityZoneId")] public string? AvailabilityZoneId { get; set; }
    [JsonPropertyName("CidrBlock")] public string? CidrBlock { get; set; }
    /// <summary>pending, available or unavailable.</summary>
    [JsonPropertyName("State")] public string? State { get; set; }
    /// <summary>True when instances launched here get a public IPv4 address unless their network interface says otherwise.</summary>
    [JsonPropertyName("MapPublicIpOnLaunch")] public bool? MapPublicIpOnLaunch { get; set; }
    /// <summary>True when network interfaces created here get an IPv6 address.</summary>
    [JsonPropertyName("AssignIpv6AddressOnCreation")] public bool? AssignIpv6AddressOnCreation { get; set; }
    [JsonPropertyName("DefaultForAz")] public bool? DefaultForAz { get; set; }
    [JsonPropertyName("Tags")] public List<Ec2Tag>? Tags { get; set; }
}
