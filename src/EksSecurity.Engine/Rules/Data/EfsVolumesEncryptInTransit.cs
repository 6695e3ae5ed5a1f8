namespace EksSecurity.Engine.Rules.Data;

/// <summary>
/// EKS-DATA-007: EFS PersistentVolumes are mounted over TLS. The EFS CSI driver encrypts in transit unless volumeAttributes
/// encryptInTransit is false, and always mounts through an access point with TLS; a plain NFS PV pointing at an EFS DNS name is
/// never encrypted in transit.
/// </summary>
public sealed class EfsVolumesEncryptInTransit : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-DATA-007",
        Title = "EFS volumes encrypt in transit",
        Severity = Severity.Medium,
        Area = RuleArea.Data,
        Rationale = "EFS is reached over NFS across the VPC. Without TLS, file contents and metadata travel in clear text between the node and " +
                    "the mount target, where anything that can capture VPC traffic (a compromised host, a traffic mirror session) can read or " +
                    "alter them. The EFS CSI driver mounts with TLS by default; turning it off, or mounting EFS as a plain NFS volume, loses that.",
        Remediation = "Remove encryptInTransit: \"false\" from the PersistentVolume's spec.csi.volumeAttributes (or set it to \"true\"); volume " +
                      "attributes cannot be changed in place, so recreate the PV with the same volumeHandle and rebind the claim. Replace nfs " +
                      "volumes that point at fs-xxxx.efs.<region>.amazonaws.com with EFS CSI volumes (driver efs.csi.aws.com, volumeHandle " +
                      "fs-xxxx::fsap-yyyy). To enforce it, add an EFS file system policy that denies access when aws:SecureTransport is false.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/data-encryption-and-secrets-management.html#_encryption_at_rest",
            "https://docs.aws.amazon.com/efs/latest/ug/encryption-in-transit.html",
            "https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/master/docs/README.md",
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/",
        ],
        Frameworks = ["HardenEKS use_encryption_with_efs"],
        Reads = [SnapshotSection.PersistentVolumes],
        Tags = ["encryption", "encryption-in-transit", "storage", "efs", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var pv in context.Kubernetes.PersistentVolumes!.All)
        {
            var name = pv.Metadata?.Name ?? "(unnamed)";
            var resource = ResourceRef.Of("PersistentVolume", pv.Metadata);
            if (StorageVolumes.IsEfsOverNfs(pv, out var server))
            {
                yield return context.Fail(resource,
                    $"PersistentVolume {name} mounts EFS ({server}) as a plain NFS volume, which is never encrypted in transit.",
                    StorageVolumes.NfsEvidence(pv, server));
                continue;
            }
            if (!StorageVolumes.IsEfsCsi(pv)) continue;

            var handle = pv.Spec!.Csi!.VolumeHandle;
            var (fileSystem, _, accessPoint) = StorageVolumes.ParseEfsHandle(handle);
            var options = pv.Spec.MountOptions ?? [];
            var optionAccessPoint = StorageVolumes.AccessPointOption(options);
            var tlsOption = options.Any(o => string.Equals(o.Trim(), "tls", StringComparison.OrdinalIgnoreCase));
            var raw = StorageVolumes.Attribute(pv, "encryptInTransit");
            var evidence = new List<string>
            {
                $"spec.csi.volumeHandle = {handle}",
                $"spec.csi.volumeAttributes.encryptInTransit = {(raw is null ? "(unset; the driver defaults to true)" : $"\"{raw}\"")}",
                $"spec.mountOptions = [{string.Join(", ", options)}]",
                $"claim {StorageVolumes.Claim(pv)}",
            };
            var setting = raw is null ? true : StorageVolumes.ParseBool(raw);
            if (setting is null)
            {
                yield return context.Warn(resource,
                    $"PersistentVolume {name}: encryptInTransit \"{raw}\" is not a boolean; the EFS CSI driver refuses to mount the volume.", evidence);
                continue;
            }
            if (setting == true)
            {
                yield return context.Pass(resource, $"PersistentVolume {name} mounts EFS file system {fileSystem} over TLS.", evidence);
                continue;
            }
            if (accessPoint is not null)
            {
                evidence.Add("the driver always mounts through an access point with the tls option, whatever encryptInTransit says");
                yield return context.Pass(resource, $"PersistentVolume {name} turns encryptInTransit off, but mounts through access point {accessPoint}, which the driver always mounts over TLS.", evidence);
                continue;
            }
            if (tlsOption || optionAccessPoint is not null)
            {
                evidence.Add(tlsOption
                    ? "the driver rejects the tls mount option together with encryptInTransit false"
                    : "the EFS mount helper requires tls for the accesspoint option");
                yield return context.Warn(resource,
                    $"PersistentVolume {name} turns encryptInTransit off while its mount options need TLS; the mount fails. Remove encryptInTransit: \"false\".", evidence);
                continue;
            }
            yield return context.Fail(resource, $"PersistentVolume {name} mounts EFS file system {fileSystem} without TLS (encryptInTransit is false).", evidence);
        }
    }
}
