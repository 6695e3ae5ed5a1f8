using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

/// <summary>
/// The cluster's secrets-encryption key: kms:DescribeKey, kms:GetKeyRotationStatus and
/// kms:GetKeyPolicy results together, each under its response member name (PascalCase, as the
/// KMS JSON wire and the aws CLI spell them).
/// </summary>
public sealed class KmsKeyInfo
{
    [JsonPropertyName("KeyMetadata")] public KmsKeyMetadata? KeyMetadata { get; set; }
    /// <summary>Null when unknown: denied, or unsupported for the key (asymmetric, HMAC, imported material, custom key store).</summary>
    [JsonPropertyName("KeyRotationEnabled")] public bool? KeyRotationEnabled { get; set; }
    /// <summary>The key policy as decoded JSON text.</summary>
    [JsonPropertyName("Policy"), JsonConverter(typeof(AwsPolicyDocumentConverter))] public string? Policy { get; set; }
}

public sealed class KmsKeyMetadata
{
    [JsonPropertyName("KeyId")] public string? KeyId { get; set; }
    [JsonPropertyName("Arn")] public string? Arn { get; set; }
    /// <summary>AWS or CUSTOMER.</summary>
    [JsonPropertyName("KeyManager")] public string? KeyManager { get; set; }
    /// <summary>Enabled, Disabled, PendingDeletion, PendingImport, Unavailable, ...</summary>
    [JsonPropertyName("KeyState")] public string? KeyState { get; set; }
    [JsonPropertyName("Enabled")] public bool Enabled { get; set; }
    [JsonPropertyName("KeySpec")] public string? KeySpec { get; set; }
    [JsonPropertyName("KeyUsage")] public string? KeyUsage { get; set; }
    /// <summary>AWS_KMS, EXTERNAL (imported material), AWS_CLOUDHSM or EXTERNAL_KEY_STORE.</summary>
    [JsonPropertyName("Origin")] public string? Origin { get; set; }
    [JsonPropertyName("CreationDate"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? CreationDate { get; set; }
    /// <summary>Set only while the key is PendingDeletion.</summary>
    [JsonPropertyName("DeletionDate"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? DeletionDate { get; set; }
    [JsonPropertyName("MultiRegion")] public bool? MultiRegion { get; set; }
}
