using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

// Shape of eks:DescribePodIdentityAssociation (aws-models/eks, shape PodIdentityAssociation), with
// the wire's member names. ListPodIdentityAssociations returns summaries without roleArn, so
// collectors describe each association.

public sealed class EksPodIdentityAssociation
{
    public string? ClusterName { get; set; }
    public string? Namespace { get; set; }
    public string? ServiceAccount { get; set; }
    public string? RoleArn { get; set; }
    public string? AssociationArn { get; set; }
    public string? AssociationId { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? CreatedAt { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? ModifiedAt { get; set; }
    /// <summary>Set when an EKS add-on owns the association.</summary>
    public string? OwnerArn { get; set; }
    public bool? DisableSessionTags { get; set; }
    /// <summary>Role assumed from <see cref="RoleArn"/> (role chaining, often cross-account); its credentials are what the pod gets.</summary>
    public string? TargetRoleArn { get; set; }
    /// <summary>The sts:ExternalId the target role's trust policy should require.</summary>
    public string? ExternalId { get; set; }
    /// <summary>Optional session policy (JSON text) that narrows the role's permissions for this association.</summary>
    public string? Policy { get; set; }
}
