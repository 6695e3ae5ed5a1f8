using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

// Shapes of eks:DescribeAccessEntry (aws-models/eks, shape AccessEntry), with the wire's member
// names, plus the entry's eks:ListAssociatedAccessPolicies result kept beside it.

public sealed class EksAccessEntry
{
    public string? ClusterName { get; set; }
    public string? PrincipalArn { get; set; }
    public List<string>? KubernetesGroups { get; set; }
    public string? AccessEntryArn { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? CreatedAt { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? ModifiedAt { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    public string? Username { get; set; }
    /// <summary>STANDARD, EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, EC2, HYBRID_LINUX, HYPERPOD_LINUX; a plain string on the wire, not an enum.</summary>
    public string? Type { get; set; }

    /// <summary>
    /// Not part of the AccessEntry shape: the associatedAccessPolicies of
    /// eks:ListAssociatedAccessPolicies for this principal. Null means they were not listed
    /// (unknown); an empty list means the entry has none.
    /// </summary>
    public List<EksAssociatedAccessPolicy>? AssociatedAccessPolicies { get; set; }
}

/// <summary>One element of eks:ListAssociatedAccessPolicies (shape AssociatedAccessPolicy).</summary>
public sealed class EksAssociatedAccessPolicy
{
    public string? PolicyArn { get; set; }
    public EksAccessScope? AccessScope { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? AssociatedAt { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? ModifiedAt { get; set; }
}

public sealed class EksAccessScope
{
    /// <summary>cluster or namespace.</summary>
    public string? Type { get; set; }
    public List<string>? Namespaces { get; set; }
}
