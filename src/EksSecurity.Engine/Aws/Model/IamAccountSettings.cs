using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

/// <summary>Account-wide IAM settings: iam:GetAccountPasswordPolicy and iam:GetAccountSummary, with the aws CLI's names.</summary>
public sealed class IamAccountSettings
{
    /// <summary>Null when the account has no password policy (IAM answers NoSuchEntity).</summary>
    [JsonPropertyName("PasswordPolicy")] public IamPasswordPolicy? PasswordPolicy { get; set; }
    /// <summary>Counts and quotas keyed by IAM's names (AccountMFAEnabled, AccountAccessKeysPresent, Users, ...).</summary>
    [JsonPropertyName("SummaryMap")] public Dictionary<string, int>? SummaryMap { get; set; }
}

/// <summary>Shape PasswordPolicy. The non-nullable booleans are unboxed in the model, so the wire always sends them.</summary>
public sealed class IamPasswordPolicy
{
    [JsonPropertyName("MinimumPasswordLength")] public int? MinimumPasswordLength { get; set; }
    [JsonPropertyName("RequireSymbols")] public bool RequireSymbols { get; set; }
    [JsonPropertyName("RequireNumbers")] public bool RequireNumbers { get; set; }
    [JsonPropertyName("RequireUppercaseCharacters")] public bool RequireUppercaseCharacters { get; set; }
    [JsonPropertyName("RequireLowercaseCharacters")] public bool RequireLowercaseCharacters { get; set; }
    [JsonPropertyName("AllowUsersToChangePassword")] public bool AllowUsersToChangePassword { get; set; }
    [JsonPropertyName("ExpirePasswords")] public bool ExpirePasswords { get; set; }
    /// <summary>Days; absent when passwords never expire.</summary>
    [JsonPropertyName("MaxPasswordAge")] public int? MaxPasswordAge { get; set; }
    /// <summary>How many previous passwords cannot be reused; absent when not enforced.</summary>
    [JsonPropertyName("PasswordReusePrevention")] public int? PasswordReusePrevention { get; set; }
    [JsonPropertyName("HardExpiry")] public bool? HardExpiry { get; set; }
}
