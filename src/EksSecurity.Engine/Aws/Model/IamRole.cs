using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

// Shapes of iam:GetRole (aws-models/iam, shape Role) with the PascalCase names the query protocol
// and the aws CLI use, plus the role's policies gathered from the list/get policy calls.

public sealed class IamRole
{
    [JsonPropertyName("Path")] public string? Path { get; set; }
    [JsonPropertyName("RoleName")] public string? RoleName { get; set; }
    [JsonPropertyName("RoleId")] public string? RoleId { get; set; }
    [JsonPropertyName("Arn")] public string? Arn { get; set; }
    [JsonPropertyName("CreateDate"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? CreateDate { get; set; }
    /// <summary>The trust policy as decoded JSON text (the wire sends it URL-encoded).</summary>
    [JsonPropertyName("AssumeRolePolicyDocument"), JsonConverter(typeof(AwsPolicyDocumentConverter))] public string? AssumeRolePolicyDocument { get; set; }
    [JsonPropertyName("Description")] public string? Description { get; set; }
    [JsonPropertyName("MaxSessionDuration")] public int? MaxSessionDuration { get; set; }
    [JsonPropertyName("PermissionsBoundary")] public IamPermissionsBoundary? PermissionsBoundary { get; set; }
    /// <summary>Only GetRole returns Tags, PermissionsBoundary and RoleLastUsed; ListRoles leaves them out.</summary>
    [JsonPropertyName("Tags")] public List<IamTag>? Tags { get; set; }
    [JsonPropertyName("RoleLastUsed")] public IamRoleLastUsed? RoleLastUsed { get; set; }

    /// <summary>Not in the Role shape: ListAttachedRolePolicies, each with its default version's document. Null = not listed.</summary>
    [JsonPropertyName("AttachedPolicies")] public List<IamAttachedPolicy>? AttachedPolicies { get; set; }
    /// <summary>Not in the Role shape: ListRolePolicies + GetRolePolicy. Null = not listed.</summary>
    [JsonPropertyName("InlinePolicies")] public List<IamInlinePolicy>? InlinePolicies { get; set; }
    /// <summary>True when the role was looked up and IAM answered NoSuchEntity: a principal that points at nothing.</summary>
    [JsonPropertyName("NoSuchEntity")] public bool? NoSuchEntity { get; set; }
}

public sealed class IamPermissionsBoundary
{
    /// <summary>Always PermissionsBoundaryPolicy.</summary>
    [JsonPropertyName("PermissionsBoundaryType")] public string? PermissionsBoundaryType { get; set; }
    [JsonPropertyName("PermissionsBoundaryArn")] public string? PermissionsBoundaryArn { get; set; }
}

public sealed class IamTag
{
    [JsonPropertyName("Key")] public string? Key { get; set; }
    [JsonPropertyName("Value")] public string? Value { get; set; }
}

public sealed class IamRoleLastUsed
{
    /// <summary>Null when not used within IAM's tracking window (400 days), not necessarily never.</summary>
    [JsonPropertyName("LastUsedDate"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? LastUsedDate { get; set; }
    [JsonPropertyName("Region")] public string? Region { get; set; }
}

/// <summary>A managed policy attached to a role (shape AttachedPolicy, with the default version from GetPolicy/GetPolicyVersion).</summary>
public sealed class IamAttachedPolicy
{
    [JsonPropertyName("PolicyName")] public string? PolicyName { get; set; }
    [JsonPropertyName("PolicyArn")] public string? PolicyArn { get; set; }
    [JsonPropertyName("DefaultVersionId")] public string? DefaultVersionId { get; set; }
    /// <summary>The default version's document as decoded JSON text.</summary>
    [JsonPropertyName("Document"), JsonConverter(typeof(AwsPolicyDocumentConverter))] public string? Document { get; set; }
}

/// <summary>An inline role policy (GetRolePolicy).</summary>
public sealed class IamInlinePolicy
{
    [JsonPropertyName("PolicyName")] public string? PolicyName { get; set; }
    /// <summary>Decoded JSON text.</summary>
    [JsonPropertyName("PolicyDocument"), JsonConverter(typeof(AwsPolicyDocumentConverter))] public string? PolicyDocument { get; set; }
}
