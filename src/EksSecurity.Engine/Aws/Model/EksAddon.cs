using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

// Shapes of eks:DescribeAddon (aws-models/eks, shape Addon), with the wire's member names.

public sealed class EksAddon
{
    public string? AddonName { get; set; }
    public string? ClusterName { get; set; }
    public string? Status { get; set; }
    public string? AddonVersion { get; set; }
    /// <summary>Same wire form as the cluster's health (issues with code, message, resourceIds).</summary>
    public EksHealth? Health { get; set; }
    public string? AddonArn { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? CreatedAt { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? ModifiedAt { get; set; }
    /// <summary>The IRSA role of the add-on's service account, when set through EKS.</summary>
    public string? ServiceAccountRoleArn { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    public string? Publisher { get; set; }
    public string? Owner { get; set; }
    public EksMarketplaceInformation? MarketplaceInformation { get; set; }
    /// <summary>The user's configuration as the JSON or YAML text they supplied, not parsed.</summary>
    public string? ConfigurationValues { get; set; }
    /// <summary>ARNs of the pod identity associations the add-on owns (strings, not association objects).</summary>
    public List<string>? PodIdentityAssociations { get; set; }
    public EksAddonNamespaceConfig? NamespaceConfig { get; set; }
}

public sealed class EksMarketplaceInformation
{
    public string? ProductId { get; set; }
    public string? ProductUrl { get; set; }
}

public sealed class EksAddonNamespaceConfig
{
    public string? Namespace { get; set; }
}
