using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

/// <summary>
/// The account's instance metadata defaults in the cluster's Region: the AccountLevel of ec2:GetInstanceMetadataDefaults,
/// with the PascalCase names `aws ec2 get-instance-metadata-defaults` prints. A launch that sets an option itself (in its
/// launch template or request) keeps its own value; an option it leaves unset takes the account default, then the AMI's
/// (ImdsSupport v2.0), then EC2's (tokens optional, hop limit 1). A null member means "no preference".
/// </summary>
public sealed class Ec2InstanceMetadataDefaults
{
    /// <summary>optional or required; null (no preference) when unset.</summary>
    [JsonPropertyName("HttpTokens")] public string? HttpTokens { get; set; }
    /// <summary>1 to 64; null (no preference) when unset.</summary>
    [JsonPropertyName("HttpPutResponseHopLimit")] public int? HttpPutResponseHopLimit { get; set; }
    /// <summary>enabled or disabled; null (no preference) when unset.</summary>
    [JsonPropertyName("HttpEndpoint")] public string? HttpEndpoint { get; set; }
    [JsonPropertyName("InstanceMetadataTags")] public string? InstanceMetadataTags { get; set; }
    /// <summary>account, or declarative-policy when an AWS Organizations declarative policy sets these values.</summary>
    [JsonPropertyName("ManagedBy")] public string? ManagedBy { get; set; }
    [JsonPropertyName("ManagedExceptionMessage")] public string? ManagedExceptionMessage { get; set; }
    /// <summary>enabled: EC2 refuses to launch an instance (or change one) to HttpTokens optional, whatever the launch asks.</summary>
    [JsonPropertyName("HttpTokensEnforced")] public string? HttpTokensEnforced { get; set; }
}
