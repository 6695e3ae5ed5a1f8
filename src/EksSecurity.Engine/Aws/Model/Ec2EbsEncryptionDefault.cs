using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

/// <summary>
/// The account's EBS encryption-by-default setting in the cluster's Region: ec2:GetEbsEncryptionByDefault,
/// with the PascalCase names `aws ec2 get-ebs-encryption-by-default` prints. When it is on, EC2 encrypts every
/// new volume in the Region, whatever the request (or a StorageClass) asks for.
/// </summary>
public sealed class Ec2EbsEncryptionDefault
{
    /// <summary>True when new EBS volumes in the Region are always encrypted; null when unknown.</summary>
    [JsonPropertyName("EbsEncryptionByDefault")] public bool? EbsEncryptionByDefault { get; set; }
    /// <summary>sse-ebs (KMS) or sse-kms; informational.</summary>
    [JsonPropertyName("SseType")] public string? SseType { get; set; }
}
