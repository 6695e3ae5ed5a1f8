using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

/// <summary>
/// An IAM OIDC identity provider: iam:GetOpenIDConnectProvider (aws CLI names), plus the Arn from
/// ListOpenIDConnectProviders, which the Get response does not repeat.
/// </summary>
public sealed class IamOidcProvider
{
    [JsonPropertyName("Arn")] public string? Arn { get; set; }
    /// <summary>Host and path without the scheme (oidc.eks.region.amazonaws.com/id/...), unlike the cluster's issuer.</summary>
    [JsonPropertyName("Url")] public string? Url { get; set; }
    /// <summary>Audiences; IRSA needs sts.amazonaws.com.</summary>
    [JsonPropertyName("ClientIDList")] public List<string>? ClientIdList { get; set; }
    [JsonPropertyName("ThumbprintList")] public List<string>? ThumbprintList { get; set; }
    [JsonPropertyName("CreateDate"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? CreateDate { get; set; }
    [JsonPropertyName("Tags")] public List<IamTag>? Tags { get; set; }
}
