using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

// One group of ec2:DescribeSecurityGroups, with the PascalCase names the aws CLI prints.

public sealed class Ec2SecurityGroup
{
    [JsonPropertyName("GroupId")] public string? GroupId { get; set; }
    [JsonPropertyName("GroupName")] public string? GroupName { get; set; }
    [JsonPropertyName("Description")] public string? Description { get; set; }
    [JsonPropertyName("VpcId")] public string? VpcId { get; set; }
    [JsonPropertyName("OwnerId")] public string? OwnerId { get; set; }
    /// <summary>Inbound rules.</summary>
    [JsonPropertyName("IpPermissions")] public List<Ec2IpPermission>? IpPermissions { get; set; }
    /// <summary>Outbound rules.</summary>
    [JsonPropertyName("IpPermissionsEgress")] public List<Ec2IpPermission>? IpPermissionsEgress { get; set; }
    [JsonPropertyName("Tags")] public List<Ec2Tag>? Tags { get; set; }
}

public sealed class Ec2IpPermission
{
    /// <summary>tcp, udp, icmp, icmpv6, a protocol number, or "-1" for all protocols (ports then do not apply).</summary>
    [JsonPropertyName("IpProtocol")] public string? IpProtocol { get; set; }
    /// <summary>For ICMP, the type; -1 means all.</summary>
    [JsonPropertyName("FromPort")] public int? FromPort { get; set; }
    /// <summary>For ICMP, the code; -1 means all.</summary>
    [JsonPropertyName("ToPort")] public int? ToPort { get; set; }
    [JsonPropertyName("IpRanges")] public List<Ec2IpRange>? IpRanges { get; set; }
    [JsonPropertyName("Ipv6Ranges")] public List<Ec2Ipv6Range>? Ipv6Ranges { get; set; }
    [JsonPropertyName("UserIdGroupPairs")] public List<Ec2UserIdGroupPair>? UserIdGroupPairs { get; set; }
    [JsonPropertyName("PrefixListIds")] public List<Ec2PrefixListId>? PrefixListIds { get; set; }
}

public sealed class Ec2IpRange
{
    [JsonPropertyName("CidrIp")] public string? CidrIp { get; set; }
    [JsonPropertyName("Description")] public string? Description { get; set; }
}

public sealed class Ec2Ipv6Range
{
    [JsonPropertyName("CidrIpv6")] public string? CidrIpv6 { get; set; }
    [JsonPropertyName("Description")] public string? Description { get; set; }
}

public sealed class Ec2UserIdGroupPair
{
    [JsonPropertyName("GroupId")] public string? GroupId { get; set; }
    [JsonPropertyName("UserId")] public string? UserId { get; set; }
    [JsonPropertyName("Description")] public string? Description { get; set; }
}

public sealed class Ec2PrefixListId
{
    [JsonPropertyName("PrefixListId")] public string? PrefixListId { get; set; }
}
