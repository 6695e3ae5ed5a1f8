namespace EksSecurity.Engine.Rules.Data;

/// <summary>EKS-DATA-001: Kubernetes Secrets are envelope-encrypted under a KMS key the customer controls.</summary>
public sealed class SecretsEncryptedWithCustomerKey : Rule
{
    /// <summary>From this Kubernetes version on, EKS envelope-encrypts all API data with an AWS-owned key by default.</summary>
    private static readonly Version DefaultEncryptionSince = new(1, 28);

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-DATA-001",
        Title = "Secrets envelope-encrypted with a customer-managed KMS key",
        Severity = Severity.High,
        Area = RuleArea.Data,
        Rationale = "Secrets are stored in etcd; envelope encryption with a KMS key the account owns means reading them needs kms:Decrypt on that key, " +
                    "which the key policy controls and CloudTrail records. Clusters on Kubernetes 1.28 or later get default envelope encryption " +
                    "under an AWS-owned key, but that key cannot be audited, restricted or revoked by the customer.",
        Remediation = "Create a symmetric customer managed key in the cluster's Region and associate it (this cannot be undone): " +
                      "aws eks associate-encryption-config --cluster-name <cluster> " +
                      "--encryption-config '[{\"resources\":[\"secrets\"],\"provider\":{\"keyArn\":\"arn:aws:kms:<region>:<account>:key/<key-id>\"}}]'. " +
                      "Then rewrite existing Secrets so they are re-encrypted: kubectl get secrets --all-namespaces -o json | kubectl replace -f -",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/data-encryption-and-secrets-management.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html",
            "https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/",
        ],
        Frameworks = ["CIS EKS 1.8.0 5.3.1", "Kubescape C-0066", "Prowler eks_cluster_kms_cmk_encryption_in_secrets_enabled", "Security Hub EKS.3"],
        Reads = [SnapshotSection.Cluster],
        OptionallyReads = [SnapshotSection.KmsKey],
        Tags = ["aws", "cis", "encryption", "kms", "secrets"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var cluster = context.Aws.Cluster!.Value;
        if (cluster is null)
        {
            yield return context.Error(context.Cluster, "The cluster description is empty; secrets encryption cannot be judged.");
            yield break;
        }

        var configs = cluster.EncryptionConfig ?? [];
        var evidence = new List<string> { $"version = {cluster.Version ?? "(absent)"}" };
        if (configs.Count == 0) evidence.Add("encryptionConfig = (none)");
        for (var i = 0; i < configs.Count; i++)
            evidence.Add($"encryptionConfig[{i}].resources = [{string.Join(", ", configs[i].Resources ?? [])}], " +
                         $"provider.keyArn = {(string.IsNullOrWhiteSpace(configs[i].Provider?.KeyArn) ? "(absent)" : configs[i].Provider!.KeyArn)}");

        var forSecrets = ClusterSecretsKey.ForSecrets(cluster);
        var keyArn = ClusterSecretsKey.KeyArn(cluster);

        if (keyArn is not null)
        {
            yield return JudgeKey(context, keyArn, evidence);
            yield break;
        }

        if (forSecrets is not null)
            evidence.Add("an encryptionConfig covers secrets but names no provider.keyArn, so no customer key protects them");

        var version = ParseMinor(cluster.Version);
        if (version is null)
        {
            evidence.Add("the Kubernetes version is missing or unreadable, so EKS default encryption cannot be assumed");
            yield return context.Fail(context.Cluster, "Secrets are not envelope-encrypted with a customer managed KMS key.", evidence);
        }
        else if (version >= DefaultEncryptionSince)
        {
            evidence.Add($"Kubernetes {version.Major}.{version.Minor} >= 1.28: EKS default envelope encryption with an AWS-owned key applies");
            yield return context.Fail(context.Cluster,
                "Secrets rely on EKS default envelope encryption with an AWS-owned key; no customer managed key encrypts them, so access to them cannot be controlled or audited in KMS.",
                evidence, Severity.Medium);
        }
        else
        {
            evidence.Add($"Kubernetes {version.Major}.{version.Minor} < 1.28: EKS default envelope encryption does not apply");
            yield return context.Fail(context.Cluster,
                "Secrets are not envelope-encrypted with a KMS key: in etcd they are protected only by disk encryption.", evidence);
        }
    }

    /// <summary>Secrets name a KMS key: judge who manages it from the KmsKey section (kms:DescribeKey), when that describes this key.</summary>
    private static EksSecurityFinding JudgeKey(RuleContext context, string keyArn, List<string> evidence)
    {
        var keyAccount = ClusterSecretsKey.Account(keyArn);
        if (keyAccount is not null && context.Snapshot.AccountId is { } account && keyAccount != account)
            evidence.Add($"the key belongs to account {keyAccount}, not the cluster's account {account}");

        var key = ClusterSecretsKey.Collected(context, keyArn, out var why)?.KeyMetadata;
        if (key is null)
        {
            evidence.Add($"who manages the key was not verified: {why}");
            return context.Pass(context.Cluster,
                $"Secrets are envelope-encrypted with KMS key {keyArn} (not verified as customer managed: kms:DescribeKey was not available).", evidence);
        }
        evidence.Add($"kms key {key.Arn ?? key.KeyId ?? keyArn}: KeyManager = {key.KeyManager ?? "(absent)"}, KeyState = {key.KeyState ?? "(absent)"}, Origin = {key.Origin ?? "(absent)"}");
        if (string.Equals(key.KeyManager, "AWS", StringComparison.OrdinalIgnoreCase))
            return context.Fail(context.Cluster,
                $"Secrets are envelope-encrypted, but with an AWS managed key ({keyArn}) whose policy the account cannot change; use a customer managed key.",
                evidence, Severity.Medium);
        if (string.Equals(key.KeyManager, "CUSTOMER", StringComparison.OrdinalIgnoreCase))
            return context.Pass(context.Cluster, $"Secrets are envelope-encrypted with KMS key {keyArn} (KMS confirms it is customer managed).", evidence);
        return context.Pass(context.Cluster,
            $"Secrets are envelope-encrypted with KMS key {keyArn} (not verified as customer managed: KMS reported KeyManager '{key.KeyManager ?? "(absent)"}').", evidence);
    }

    /// <summary>"1.29" or "1.29.3" to 1.29; null when unreadable.</summary>
    internal static Version? ParseMinor(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Trim().TrimStart('v', 'V').Split('.');
        if (parts.Length < 2) return null;
        return int.TryParse(parts[0], System.Globalization.NumberStyles.None, null, out var major)
               && int.TryParse(parts[1], System.Globalization.NumberStyles.None, null, out var minor)
            ? new Version(major, minor)
            : null;
    }
}
