using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

/// <summary>
/// One public AWS parameter read with ssm:GetParameter (the response's "Parameter", PascalCase as
/// the SSM JSON wire and the aws CLI spell it). Snapshots hold only AWS-published parameters, such
/// as /aws/service/eks/optimized-ami/&lt;k8s&gt;/&lt;family&gt;/recommended/release_version: never a
/// customer's own parameter, which may be a secret.
/// </summary>
public sealed class SsmParameter
{
    [JsonPropertyName("Name")] public string? Name { get; set; }
    /// <summary>String, StringList or SecureString (AWS public parameters are String).</summary>
    [JsonPropertyName("Type")] public string? Type { get; set; }
    [JsonPropertyName("Value")] public string? Value { get; set; }
    [JsonPropertyName("Version")] public long? Version { get; set; }
    /// <summary>When AWS last published a value: for a recommended-release parameter, when that release became the recommended one.</summary>
    [JsonPropertyName("LastModifiedDate"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? LastModifiedDate { get; set; }
    [JsonPropertyName("ARN")] public string? Arn { get; set; }
    [JsonPropertyName("DataType")] public string? DataType { get; set; }
}
