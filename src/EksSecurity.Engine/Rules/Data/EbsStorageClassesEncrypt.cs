using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Data;

/// <summary>
/// EKS-DATA-004: StorageClasses of the EBS provisioners create encrypted volumes: parameters.encrypted is exactly "true", or the
/// account encrypts every new EBS volume in the Region by default (ec2:GetEbsEncryptionByDefault). Without the account setting a
/// class that does not ask for encryption is an Error on a cluster and a Warning on manifest files, never a Pass.
/// </summary>
public sealed class EbsStorageClassesEncrypt : Rule
{
    /// <summary>The EBS CSI driver, its EKS Auto Mode build, and the in-tree plugin (migrated to the CSI driver on EKS).</summary>
    internal static readonly string[] EbsProvisioners = ["ebs.csi.aws.com", "ebs.csi.eks.amazonaws.com", "kubernetes.io/aws-ebs"];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-DATA-004",
        Title = "EBS StorageClasses encrypt",
        Severity = Severity.Medium,
        Area = RuleArea.Data,
        Rationale = "Persistent volumes hold databases, queues and uploaded files. An unencrypted EBS volume, and every snapshot taken from it, " +
                    "can be read by anyone who gets access to the snapshot or the volume outside the cluster (a shared or leaked snapshot, a " +
                    "mis-scoped IAM policy). A StorageClass decides how every volume it provisions is created, so it must ask for encryption, " +
                    "unless the account already encrypts every new EBS volume in the Region.",
        Remediation = "Ask for encryption in the StorageClass (parameters cannot be changed in place: create a new class and move claims to it):\n" +
                      "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: gp3-encrypted\nprovisioner: ebs.csi.aws.com\n" +
                      "parameters:\n  type: gp3\n  encrypted: \"true\"\n  kmsKeyId: arn:aws:kms:<region>:<account>:key/<key-id>   # optional\n" +
                      "volumeBindingMode: WaitForFirstConsumer\n" +
                      "And turn on EBS encryption by default for the account in every Region you use: aws ec2 enable-ebs-encryption-by-default --region <region>.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/data-encryption-and-secrets-management.html#_encryption_at_rest",
            "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
            "https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/parameters.md",
            "https://kubernetes.io/docs/concepts/storage/storage-classes/",
        ],
        Frameworks = ["HardenEKS use_encryption_with_ebs", "Kubescape C-0264"],
        Reads = [SnapshotSection.StorageClasses],
        OptionallyReads = [SnapshotSection.EbsEncryptionByDefault],
        Tags = ["encryption", "storage", "ebs", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var accountDefault = AccountDefault(context, out var defaultEvidence);
        foreach (var sc in context.Kubernetes.StorageClasses!.All)
        {
            if (!EbsProvisioners.Contains(sc.Provisioner ?? "", StringComparer.Ordinal)) continue;
            var name = sc.Metadata?.Name ?? "(unnamed)";
            var resource = ResourceRef.Of("StorageClass", sc.Metadata);
            var encrypted = Parameter(sc, "encrypted");
            var kmsKey = Parameter(sc, "kmsKeyId");
            var evidence = new List<string>
            {
                $"provisioner = {sc.Provisioner}",
                $"parameters.encrypted = {(encrypted is null ? "(unset)" : $"\"{encrypted}\"")}",
                $"parameters.kmsKeyId = {kmsKey ?? "(unset)"}",
            };
            if (encrypted == "true")
            {
                yield return context.Pass(resource,
                    $"StorageClass {name} creates encrypted EBS volumes ({(kmsKey is null ? "with the account's default EBS key" : $"with KMS key {kmsKey}")}).", evidence);
                continue;
            }

            if (encrypted is not null && StorageVolumes.ParseBool(encrypted) == true)
                evidence.Add($"the EBS CSI driver compares encrypted with the exact string \"true\"; \"{encrypted}\" creates unencrypted volumes");
            if (kmsKey is not null)
                evidence.Add("kmsKeyId is used only when encrypted is \"true\"; on its own it does not encrypt");
            evidence.AddRange(defaultEvidence);

            if (accountDefault == true)
                yield return context.Pass(resource,
                    $"StorageClass {name} does not ask for encryption, but the account encrypts every new EBS volume in {context.Snapshot.Region ?? "the Region"} by default.", evidence);
            else if (accountDefault == false)
                yield return context.Fail(resource,
                    $"StorageClass {name} creates unencrypted EBS volumes: it does not set encrypted: \"true\" and EBS encryption by default is off.", evidence);
            else if (context.Snapshot.Origin == SnapshotOrigin.Manifests)
                yield return context.Warn(resource,
                    $"StorageClass {name} does not set encrypted: \"true\"; its volumes are encrypted only if the target account has EBS encryption by default on, which manifest files cannot show.",
                    evidence);
            else
                yield return context.Error(resource,
                    $"StorageClass {name} does not set encrypted: \"true\", and whether the account encrypts new EBS volumes by default is unknown.", evidence);
        }
    }

    /// <summary>The account's encryption-by-default setting: true, false, or null when it was not collected.</summary>
    private static bool? AccountDefault(RuleContext context, out List<string> evidence)
    {
        var info = context.Snapshot.DescribeSection(SnapshotSection.EbsEncryptionByDefault);
        var value = context.Has(SnapshotSection.EbsEncryptionByDefault) ? context.Aws.EbsEncryptionByDefault!.Value?.EbsEncryptionByDefault : null;
        evidence = value switch
        {
            true => ["ec2:GetEbsEncryptionByDefault: EbsEncryptionByDefault = true"],
            false => ["ec2:GetEbsEncryptionByDefault: EbsEncryptionByDefault = false"],
            _ => [info.Status == SectionStatus.Collected
                ? "ec2:GetEbsEncryptionByDefault: the snapshot holds no value"
                : $"EBS encryption by default not known: {info.Describe()}" + (info.Permission is null ? "" : $" (needs {info.Permission})")],
        };
        return value;
    }

    /// <summary>A StorageClass parameter by key, compared case-insensitively as the EBS CSI driver does.</summary>
    internal static string? Parameter(V1StorageClass sc, string key) =>
        sc.Parameters?.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
}
