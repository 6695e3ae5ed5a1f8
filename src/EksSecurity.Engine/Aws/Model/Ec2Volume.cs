using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

// One volume of ec2:DescribeVolumes, with the PascalCase names `aws ec2 describe-volumes` prints; only the
// fields rules read. Collected for the EBS volumes behind the cluster's PersistentVolumes (volume ids from
// spec.csi.volumeHandle and spec.awsElasticBlockStore.volumeID).

public sealed class Ec2Volume
{
    [JsonPropertyName("VolumeId")] public string? VolumeId { get; set; }
    /// <summary>Whether the volume is encrypted at rest; null when the response did not say.</summary>
    [JsonPropertyName("Encrypted")] public bool? Encrypted { get; set; }
    /// <summary>The ARN of the KMS key protecting the volume, when encrypted.</summary>
    [JsonPropertyName("KmsKeyId")] public string? KmsKeyId { get; set; }
    /// <summary>creating, available, in-use, deleting, deleted or error.</summary>
    [JsonPropertyName("State")] public string? State { get; set; }
    [JsonPropertyName("VolumeType")] public string? VolumeType { get; set; }
    /// <summary>Size in GiB.</summary>
    [JsonPropertyName("Size")] public int? Size { get; set; }
    [JsonPropertyName("AvailabilityZone")] public string? AvailabilityZone { get; set; }
    [JsonPropertyName("SnapshotId")] public string? SnapshotId { get; set; }
    [JsonPropertyName("CreateTime"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? CreateTime { get; set; }
    [JsonPropertyName("Tags")] public List<Ec2Tag>? Tags { get; set; }
}
