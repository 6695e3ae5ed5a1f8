namespace EksSecurity.Engine.Rules.Data;

/// <summary>
/// EKS-DATA-005: every EBS volume that backs a PersistentVolume is encrypted, as ec2:DescribeVolumes reports it. This catches what
/// StorageClass checks cannot: statically provisioned PVs, volumes created before a class was fixed, and classes that were changed.
/// </summary>
public sealed class EbsPersistentVolumesEncrypted : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-DATA-005",
        Title = "Provisioned PV volumes are encrypted",
        Severity = Severity.Medium,
        Area = RuleArea.Data,
        Rationale = "A StorageClass only governs volumes it creates from now on. Volumes provisioned before the class asked for encryption, " +
                    "volumes created by hand and attached as static PersistentVolumes, and volumes restored from unencrypted snapshots stay " +
                    "unencrypted for their whole life, with their data and snapshots readable outside the cluster. Only the volume itself " +
                    "tells whether it is encrypted.",
        Remediation = "EBS cannot encrypt a volume in place. Snapshot it, copy the snapshot with encryption (aws ec2 copy-snapshot " +
                      "--source-snapshot-id <snap> --source-region <region> --encrypted --kms-key-id <key>), create a volume from the copy, " +
                      "and point a new PersistentVolume at it (or restore through a VolumeSnapshot into a claim of an encrypting StorageClass), " +
                      "then delete the unencrypted volume and its snapshots. Turn on EBS encryption by default so it cannot recur.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/data-encryption-and-secrets-management.html#_encryption_at_rest",
            "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/",
        ],
        Frameworks = ["Kubescape C-0264"],
        Reads = [SnapshotSection.PersistentVolumes, SnapshotSection.EbsVolumes],
        Tags = ["aws", "encryption", "storage", "ebs"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var volumes = context.Aws.EbsVolumes!.All
            .Where(v => v.VolumeId is not null)
            .GroupBy(v => v.VolumeId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var pv in context.Kubernetes.PersistentVolumes!.All)
        {
            var id = StorageVolumes.EbsVolumeId(pv, out var field);
            if (id is null) continue;
            var name = pv.Metadata?.Name ?? "(unnamed)";
            var resource = ResourceRef.Of("PersistentVolume", pv.Metadata);
            var evidence = new List<string>
            {
                $"{field} = {id}",
                $"claim {StorageVolumes.Claim(pv)}, storageClassName {pv.Spec?.StorageClassName ?? "(none)"}, phase {pv.Status?.Phase ?? "(unknown)"}",
            };
            if (!id.StartsWith("vol-", StringComparison.Ordinal))
            {
                yield return context.Error(resource, $"PersistentVolume {name} names EBS volume '{id}', which is not an EBS volume id (vol-...); its encryption cannot be judged.", evidence);
                continue;
            }
            if (!volumes.TryGetValue(id, out var volume))
            {
                evidence.Add($"the EbsVolumes section holds {volumes.Count} volume(s), not {id}");
                yield return context.Error(resource,
                    $"PersistentVolume {name} is backed by EBS volume {id}, which ec2:DescribeVolumes did not return (deleted, or in another account or Region); its encryption cannot be judged.",
                    evidence);
                continue;
            }
            evidence.Add($"{id}: Encrypted = {(volume.Encrypted is { } e ? (e ? "true" : "false") : "(absent)")}, KmsKeyId = {volume.KmsKeyId ?? "(none)"}, " +
                         $"State = {volume.State ?? "(unknown)"}, VolumeType = {volume.VolumeType ?? "(unknown)"}");
            if (volume.Encrypted == true)
                yield return context.Pass(resource, $"PersistentVolume {name} is backed by encrypted EBS volume {id}.", evidence);
            else if (volume.Encrypted == false)
                yield return context.Fail(resource, $"PersistentVolume {name} is backed by unencrypted EBS volume {id}.", evidence);
            else
                yield return context.Error(resource, $"ec2:DescribeVolumes returned EBS volume {id} without its Encrypted flag; its encryption cannot be judged.", evidence);
        }
    }
}
