using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Data;

/// <summary>The KMS key that envelope-encrypts the cluster's Secrets, and the KmsKey section's description of it.</summary>
internal static class ClusterSecretsKey
{
    /// <summary>The encryptionConfig element that covers secrets, or null.</summary>
    public static EksEncryptionConfig? ForSecrets(EksCluster cluster) =>
        (cluster.EncryptionConfig ?? []).FirstOrDefault(c => c.Resources?.Any(r => string.Equals(r?.Trim(), "secrets", StringComparison.OrdinalIgnoreCase)) == true);

    /// <summary>provider.keyArn of the element that covers secrets; null when there is none.</summary>
    public static string? KeyArn(EksCluster cluster) =>
        ForSecrets(cluster)?.Provider?.KeyArn is { } arn && !string.IsNullOrWhiteSpace(arn) ? arn.Trim() : null;

    /// <summary>
    /// Whether the described key is the one <paramref name="keyArn"/> names. EKS accepts a key ARN or an alias;
    /// an alias cannot be compared here, so the collector's resolution of it is trusted.
    /// </summary>
    public static bool Describes(KmsKeyMetadata metadata, string keyArn)
    {
        if (keyArn.Contains(":alias/", StringComparison.Ordinal) || keyArn.StartsWith("alias/", StringComparison.Ordinal)) return true;
        if (string.Equals(metadata.Arn?.Trim(), keyArn, StringComparison.OrdinalIgnoreCase)) return true;
        var id = keyArn[(keyArn.LastIndexOf('/') + 1)..];
        return !string.IsNullOrEmpty(metadata.KeyId) && string.Equals(metadata.KeyId, id, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The collected key information for <paramref name="keyArn"/>; null with a sentence saying why when the
    /// KmsKey section is not collected, empty, or describes another key.
    /// </summary>
    public static KmsKeyInfo? Collected(RuleContext context, string keyArn, out string? why)
    {
        why = null;
        if (!context.Has(SnapshotSection.KmsKey))
        {
            var info = context.Snapshot.DescribeSection(SnapshotSection.KmsKey);
            why = $"section KmsKey: {info.Status}" + (info.Permission is null ? "" : $" (needs {info.Permission})") + (info.Reason is null ? "" : $", {info.Reason}");
            return null;
        }
        var key = context.Aws.KmsKey!.Value;
        if (key?.KeyMetadata is null)
        {
            why = "section KmsKey holds no KeyMetadata";
            return null;
        }
        if (!Describes(key.KeyMetadata, keyArn))
        {
            why = $"section KmsKey describes {key.KeyMetadata.Arn ?? key.KeyMetadata.KeyId ?? "(unnamed key)"}, not {keyArn}";
            return null;
        }
        return key;
    }

    public static ResourceRef Resource(string keyArn) => new("KmsKey", null, keyArn);

    /// <summary>The account in a KMS key ARN (arn:partition:kms:region:account:key/id); null for aliases and bare ids.</summary>
    public static string? Account(string? arn)
    {
        var parts = arn?.Trim().Split(':', 6);
        return parts is { Length: 6 } && parts[0] == "arn" && parts[2] == "kms" && parts[4].Length > 0 ? parts[4] : null;
    }
}
