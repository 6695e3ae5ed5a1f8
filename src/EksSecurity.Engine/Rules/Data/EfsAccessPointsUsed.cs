namespace EksSecurity.Engine.Rules.Data;

/// <summary>
/// EKS-DATA-009: EFS PersistentVolumes mount through an EFS access point (volumeHandle fs-id:[path]:fsap-id, or the deprecated
/// accesspoint= mount option). Dynamically provisioned EFS volumes always do; static ones and plain NFS mounts of EFS often do not.
/// </summary>
public sealed class EfsAccessPointsUsed : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-DATA-009",
        Title = "EFS access points used",
        Severity = Severity.Low,
        Area = RuleArea.Data,
        Rationale = "A pod that mounts an EFS file system directly sees all of it from the root, and its processes' own user ids decide what " +
                    "they can read and write. An access point pins the mount to one directory and forces a POSIX user and group on every " +
                    "request, so each application only reaches its own data even when many share one file system, and IAM policies can " +
                    "grant access per access point.",
        Remediation = "Create an access point for the application (aws efs create-access-point --file-system-id fs-xxxx --posix-user Uid=1000,Gid=1000 " +
                      "--root-directory 'Path=/app,CreationInfo={OwnerUid=1000,OwnerGid=1000,Permissions=750}') and reference it in the " +
                      "PersistentVolume: spec.csi.volumeHandle: fs-xxxx::fsap-yyyy (recreate the PV; the handle cannot change in place). Or use " +
                      "dynamic provisioning with a StorageClass of provisioningMode efs-ap, which creates one access point per volume.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/data-encryption-and-secrets-management.html",
            "https://docs.aws.amazon.com/efs/latest/ug/efs-access-points.html",
            "https://github.com/kubernetes-sigs/aws-efs-csi-driver/tree/master/examples/kubernetes/access_points",
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/",
        ],
        Frameworks = ["HardenEKS use_efs_access_points"],
        Reads = [SnapshotSection.PersistentVolumes],
        Tags = ["storage", "efs", "access-point", "manifest"],
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
                    $"PersistentVolume {name} mounts EFS ({server}) as a plain NFS volume, which cannot use an access point.",
                    StorageVolumes.NfsEvidence(pv, server));
                continue;
            }
            if (!StorageVolumes.IsEfsCsi(pv)) continue;

            var handle = pv.Spec!.Csi!.VolumeHandle;
            var (fileSystem, path, accessPoint) = StorageVolumes.ParseEfsHandle(handle);
            var optionAccessPoint = StorageVolumes.AccessPointOption(pv.Spec.MountOptions);
            var evidence = new List<string>
            {
                $"spec.csi.volumeHandle = {handle} (file system {fileSystem}, path {path ?? "/"}, access point {accessPoint ?? "(none)"})",
                $"claim {StorageVolumes.Claim(pv)}",
            };
            if (accessPoint is not null)
            {
                if (!accessPoint.StartsWith("fsap-", StringComparison.Ordinal))
                    evidence.Add($"'{accessPoint}' does not look like an access point id (fsap-...)");
                yield return context.Pass(resource, $"PersistentVolume {name} mounts EFS through access point {accessPoint}.", evidence);
            }
            else if (optionAccessPoint is not null)
            {
                evidence.Add($"spec.mountOptions accesspoint={optionAccessPoint} (deprecated: put it in the volumeHandle)");
                yield return context.Pass(resource, $"PersistentVolume {name} mounts EFS through access point {optionAccessPoint} (given as a mount option).", evidence);
            }
            else
                yield return context.Fail(resource,
                    $"PersistentVolume {name} mounts EFS file system {fileSystem} at {path ?? "/"} without an access point: pods see it with their own user ids and no enforced root directory.",
                    evidence);
        }
    }
}
