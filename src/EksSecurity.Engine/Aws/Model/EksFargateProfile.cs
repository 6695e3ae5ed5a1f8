using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

// Shapes of eks:DescribeFargateProfile (aws-models/eks, shape FargateProfile), with the wire's member names.

public sealed class EksFargateProfile
{
    public string? FargateProfileName { get; set; }
    public string? FargateProfileArn { get; set; }
    public string? ClusterName { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? CreatedAt { get; set; }
    public string? PodExecutionRoleArn { get; set; }
    public List<string>? Subnets { get; set; }
    public List<EksFargateProfileSelector>? Selectors { get; set; }
    public string? Status { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    /// <summary>Same wire form as the cluster's health (issues with code, message, resourceIds).</summary>
    public EksHealth? Health { get; set; }
}

public sealed class EksFargateProfileSelector
{
    public string? Namespace { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}
