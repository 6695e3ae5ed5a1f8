using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

// Shape User of iam:GetUser (aws-models/iam) with the aws CLI's PascalCase names, plus the
// user's MFA devices, console login and access keys (metadata only).

public sealed class IamUser
{
    [JsonPropertyName("Path")] public string? Path { get; set; }
    [JsonPropertyName("UserName")] public string? UserName { get; set; }
    [JsonPropertyName("UserId")] public string? UserId { get; set; }
    [JsonPropertyName("Arn")] public string? Arn { get; set; }
    [JsonPropertyName("CreateDate"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? CreateDate { get; set; }
    /// <summary>Null when the password was never used to sign in (or there is no password).</summary>
    [JsonPropertyName("PasswordLastUsed"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? PasswordLastUsed { get; set; }
    [JsonPropertyName("PermissionsBoundary")] public IamPermissionsBoundary? PermissionsBoundary { get; set; }
    [JsonPropertyName("Tags")] public List<IamTag>? Tags { get; set; }

    /// <summary>Not in the User shape: ListMFADevices (its CLI/wire member name). Null = not listed.</summary>
    [JsonPropertyName("MFADevices")] public List<IamMfaDevice>? MfaDevices { get; set; }
    /// <summary>Not in the User shape: whether GetLoginProfile found a console password. Null = not checked.</summary>
    [JsonPropertyName("HasLoginProfile")] public bool? HasLoginProfile { get; set; }
    /// <summary>Not in the User shape: ListAccessKeys with GetAccessKeyLastUsed folded in. Null = not listed.</summary>
    [JsonPropertyName("AccessKeys")] public List<IamAccessKey>? AccessKeys { get; set; }
    /// <summary>True when the user was looked up and IAM answered NoSuchEntity: a principal that points at nothing.</summary>
    [JsonPropertyName("NoSuchEntity")] public bool? NoSuchEntity { get; set; }
}

public sealed class IamMfaDevice
{
    [JsonPropertyName("SerialNumber")] public string? SerialNumber { get; set; }
    [JsonPropertyName("EnableDate"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? EnableDate { get; set; }
}

/// <summary>Access key metadata (shape AccessKeyMetadata plus AccessKeyLastUsed). There is deliberately no secret here.</summary>
public sealed class IamAccessKey
{
    [JsonPropertyName("AccessKeyId")] public string? AccessKeyId { get; set; }
    /// <summary>Active, Inactive or Expired.</summary>
    [JsonPropertyName("Status")] public string? Status { get; set; }
    [JsonPropertyName("CreateDate"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? CreateDate { get; set; }
    /// <summary>From GetAccessKeyLastUsed; null when never used.</summary>
    [JsonPropertyName("LastUsedDate"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? LastUsedDate { get; set; }
    /// <summary>From GetAccessKeyLastUsed (its ServiceName); "N/A" when never used.</summary>
    [JsonPropertyName("LastUsedServiceName")] public string? LastUsedServiceName { get; set; }
}
