using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

// One instance of ec2:DescribeInstances, with the PascalCase names `aws ec2 describe-instances`
// prints (the EC2 wire itself is XML with camelCase names); only the fields rules read.

public sealed class Ec2Instance
{
    [JsonPropertyName("InstanceId")] public string? InstanceId { get; set; }
    [JsonPropertyName("InstanceType")] public string? InstanceType { get; set; }
    [JsonPropertyName("ImageId")] public string? ImageId { get; set; }
    [JsonPropertyName("LaunchTime"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? LaunchTime { get; set; }
    [JsonPropertyName("State")] public Ec2InstanceState? State { get; set; }
    [JsonPropertyName("PrivateIpAddress")] public string? PrivateIpAddress { get; set; }
    [JsonPropertyName("PublicIpAddress")] public string? PublicIpAddress { get; set; }
    [JsonPropertyName("PublicDnsName")] public string? PublicDnsName { get; set; }
    [JsonPropertyName("SubnetId")] public string? SubnetId { get; set; }
    [JsonPropertyName("VpcId")] public string? VpcId { get; set; }
    [JsonPropertyName("IamInstanceProfile")] public Ec2IamInstanceProfile? IamInstanceProfile { get; set; }
    [JsonPropertyName("SecurityGroups")] public List<Ec2GroupIdentifier>? SecurityGroups { get; set; }
    [JsonPropertyName("MetadataOptions")] public Ec2InstanceMetadataOptions? MetadataOptions { get; set; }
    [JsonPropertyName("Tags")] public List<Ec2Tag>? Tags { get; set; }
    [JsonPropertyName("BlockDeviceMappings")] public List<Ec2InstanceBlockDeviceMapping>? BlockDeviceMappings { get; set; }
    [JsonPropertyName("Placement")] public Ec2Placement? Placement { get; set; }
}

public sealed class Ec2InstanceState
{
    /// <summary>pending, running, shutting-down, terminated, stopping or stopped.</summary>
    [JsonPropertyName("Name")] public string? Name { get; set; }
}

public sealed class Ec2IamInstanceProfile
{
    [JsonPropertyName("Arn")] public string? Arn { get; set; }
    /// <summary>The instance profile's id (AIPA...), not the role's.</summary>
    [JsonPropertyName("Id")] public string? Id { get; set; }
}

public sealed class Ec2GroupIdentifier
{
    [JsonPropertyName("GroupId")] public string? GroupId { get; set; }
    [JsonPropertyName("GroupName")] public string? GroupName { get; set; }
}

public sealed class Ec2InstanceMetadataOptions
{
    /// <summary>required = IMDSv2 only; optional = IMDSv1 still answers.</summary>
    [JsonPropertyName("HttpTokens")] public string? HttpTokens { get; set; }
    /// <summary>1 keeps containers not on the host network from reaching IMDS through the node.</summary>
    [JsonPropertyName("HttpPutResponseHopLimit")] public int? HttpPutResponseHopLimit { get; set; }
    /// <summary>enabled or disabled.</summary>
    [JsonPropertyName("HttpEndpoint")] public string? HttpEndpoint { get; set; }
    [JsonPropertyName("HttpProtocolIpv6")] public string? HttpProtocolIpv6 { get; set; }
    [JsonPropertyName("InstanceMetadataTags")] public string? InstanceMetadataTags { get; set; }
    /// <summary>pending or applied: a change may not have taken effect yet.</summary>
    [JsonPropertyName("State")] public string? State { get; set; }
}

public sealed class Ec2Tag
{
    [JsonPropertyName("Key")] public string? Key { get; set; }
    [JsonPropertyName("Value")] public string? Value { get; set; }
}

public sealed class Ec2InstanceBlockDeviceMapping
{
    [JsonPropertyName("DeviceName")] public string? DeviceName { get; set; }
    [JsonPropertyName("Ebs")] public Ec2EbsInstanceBlockDevice? Ebs { get; set; }
}

public sealed class Ec2EbsInstanceBlockDevice
{
    [JsonPropertyName("VolumeId")] public string? VolumeId { get; set; }
    [JsonPropertyName("Status")] public string? Status { get; set; }
}

public sealed class Ec2Placement
{
    [JsonPropertyName("AvailabilityZone")] public string? AvailabilityZone { get; set; }
}
