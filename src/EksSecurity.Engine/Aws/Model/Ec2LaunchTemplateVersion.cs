using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

// One version of ec2:DescribeLaunchTemplateVersions, with the PascalCase names the aws CLI prints;
// only the fields rules read.

public sealed class Ec2LaunchTemplateVersion
{
    [JsonPropertyName("LaunchTemplateId")] public string? LaunchTemplateId { get; set; }
    [JsonPropertyName("LaunchTemplateName")] public string? LaunchTemplateName { get; set; }
    [JsonPropertyName("VersionNumber")] public long? VersionNumber { get; set; }
    [JsonPropertyName("DefaultVersion")] public bool? DefaultVersion { get; set; }
    [JsonPropertyName("LaunchTemplateData")] public Ec2LaunchTemplateData? LaunchTemplateData { get; set; }
}

public sealed class Ec2LaunchTemplateData
{
    [JsonPropertyName("ImageId")] public string? ImageId { get; set; }
    [JsonPropertyName("InstanceType")] public string? InstanceType { get; set; }
    [JsonPropertyName("KeyName")] public string? KeyName { get; set; }
    [JsonPropertyName("MetadataOptions")] public Ec2LaunchTemplateMetadataOptions? MetadataOptions { get; set; }
    [JsonPropertyName("NetworkInterfaces")] public List<Ec2LaunchTemplateNetworkInterface>? NetworkInterfaces { get; set; }
    [JsonPropertyName("SecurityGroupIds")] public List<string>? SecurityGroupIds { get; set; }
    [JsonPropertyName("IamInstanceProfile")] public Ec2LaunchTemplateIamInstanceProfile? IamInstanceProfile { get; set; }
    [JsonPropertyName("BlockDeviceMappings")] public List<Ec2LaunchTemplateBlockDeviceMapping>? BlockDeviceMappings { get; set; }
    /// <summary>
    /// Base64 user data as the API returns it. It often carries bootstrap secrets (tokens,
    /// passwords): collectors must not store it unless they have redacted it or know it holds none.
    /// </summary>
    [JsonPropertyName("UserData")] public string? UserData { get; set; }
}

/// <summary>As on the instance (State left out). An absent member is not a setting: the account's IMDS defaults or the AMI's ImdsSupport decide, else IMDSv1 stays on.</summary>
public sealed class Ec2LaunchTemplateMetadataOptions
{
    [JsonPropertyName("HttpTokens")] public string? HttpTokens { get; set; }
    [JsonPropertyName("HttpPutResponseHopLimit")] public int? HttpPutResponseHopLimit { get; set; }
    [JsonPropertyName("HttpEndpoint")] public string? HttpEndpoint { get; set; }
    [JsonPropertyName("HttpProtocolIpv6")] public string? HttpProtocolIpv6 { get; set; }
    [JsonPropertyName("InstanceMetadataTags")] public string? InstanceMetadataTags { get; set; }
}

public sealed class Ec2LaunchTemplateNetworkInterface
{
    [JsonPropertyName("AssociatePublicIpAddress")] public bool? AssociatePublicIpAddress { get; set; }
    [JsonPropertyName("DeviceIndex")] public int? DeviceIndex { get; set; }
    /// <summary>Security group ids; when set, they replace the template's SecurityGroupIds for this interface.</summary>
    [JsonPropertyName("Groups")] public List<string>? Groups { get; set; }
    [JsonPropertyName("SubnetId")] public string? SubnetId { get; set; }
}

public sealed class Ec2LaunchTemplateIamInstanceProfile
{
    [JsonPropertyName("Arn")] public string? Arn { get; set; }
    [JsonPropertyName("Name")] public string? Name { get; set; }
}

public sealed class Ec2LaunchTemplateBlockDeviceMapping
{
    [JsonPropertyName("DeviceName")] public string? DeviceName { get; set; }
    [JsonPropertyName("Ebs")] public Ec2LaunchTemplateEbsBlockDevice? Ebs { get; set; }
}

public sealed class Ec2LaunchTemplateEbsBlockDevice
{
    /// <summary>Null means not set in the template: the account's EBS encryption-by-default decides.</summary>
    [JsonPropertyName("Encrypted")] public bool? Encrypted { get; set; }
    [JsonPropertyName("KmsKeyId")] public string? KmsKeyId { get; set; }
    [JsonPropertyName("VolumeSize")] public int? VolumeSize { get; set; }
    [JsonPropertyName("VolumeType")] public string? VolumeType { get; set; }
}
