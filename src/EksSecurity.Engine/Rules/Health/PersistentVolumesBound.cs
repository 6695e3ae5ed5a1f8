using k8s.Models;

namespace EksSecurity.Engine.Rules.Health;

/// <summary>EKS-HEALTH-009: every PersistentVolumeClaim is Bound (or legitimately waits for its first consumer), and its volume is healthy.</summary>
public sealed class PersistentVolumesBound : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-HEALTH-009",
        Title = "Persistent volumes are bound",
        Severity = Severity.Low,
        Area = RuleArea.Health,
        Rationale = "A claim that stays Pending keeps its pods from starting; a Lost claim has lost the volume behind it, and with it the data the " +
                    "workload expects. On EKS the usual causes are a missing or misconfigured CSI driver (EBS, EFS), its IAM permissions, a KMS key " +
                    "the driver cannot use, or a volume in another Availability Zone than the node.",
        Remediation = "Read the claim's events: kubectl describe pvc -n <ns> <name>. Check that the StorageClass's provisioner is installed (aws eks " +
                      "describe-addon --cluster-name <cluster> --addon-name aws-ebs-csi-driver), that its controller has its IAM role and KMS access, and " +
                      "that topology allows the zone. A Lost claim needs its volume restored from a snapshot or backup, and the claim recreated.",
        References =
        [
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/",
            "https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html",
            "https://kubernetes.io/docs/concepts/storage/storage-classes/#volume-binding-mode",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.PersistentVolumeClaims],
        OptionallyReads = [SnapshotSection.PersistentVolumes, SnapshotSection.StorageClasses, SnapshotSection.Pods],
        ClusterWide = true,
        Tags = ["health", "storage", "ebs", "efs"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var volumes = context.Has(SnapshotSection.PersistentVolumes)
            ? context.Kubernetes.PersistentVolumes!.All.Where(v => v.Metadata?.Name is not null).GroupBy(v => v.Metadata!.Name!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)
            : null;
        var classes = context.Has(SnapshotSection.StorageClasses)
            ? context.Kubernetes.StorageClasses!.All.Where(c => c.Metadata?.Name is not null).GroupBy(c => c.Metadata!.Name!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)
            : null;
        var defaultClass = classes?.Values.FirstOrDefault(c => c.Metadata?.Annotations?.TryGetValue("storageclass.kubernetes.io/is-default-class", out var v) == true && v == "true");
        var consumers = context.Has(SnapshotSection.Pods)
            ? context.Kubernetes.Pods!.All
                .SelectMany(p => (p.Spec?.Volumes ?? []).Where(v => v.PersistentVolumeClaim?.ClaimName is not null)
                    .Select(v => (Key: (p.Metadata?.NamespaceProperty ?? "", v.PersistentVolumeClaim.ClaimName), Pod: p.Metadata?.Name ?? "(unnamed)")))
                .ToLookup(x => x.Key, x => x.Pod)
            : null;

        foreach (var claim in context.Kubernetes.PersistentVolumeClaims!.All)
        {
            var ns = claim.Metadata?.NamespaceProperty ?? "";
            var name = claim.Metadata?.Name ?? "(unnamed)";
            var resource = ResourceRef.Of("PersistentVolumeClaim", claim.Metadata);
            var what = $"PersistentVolumeClaim {ns}/{name}";
            var phase = claim.Status?.Phase;
            var className = claim.Spec?.StorageClassName ?? defaultClass?.Metadata?.Name;
            var evidence = new List<string>
            {
                $"status.phase = {phase ?? "(absent)"}",
                $"storageClassName = {claim.Spec?.StorageClassName ?? (defaultClass is null ? "(none)" : $"(default: {defaultClass.Metadata?.Name})")}",
                $"spec.volumeName = {claim.Spec?.VolumeName ?? "(none)"}",
            };
            switch (phase)
            {
                case "Bound":
                    if (volumes is not null && claim.Spec?.VolumeName is { } volumeName)
                    {
                        if (!volumes.TryGetValue(volumeName, out var pv))
                        {
                            yield return context.Fail(resource, $"{what} is Bound to PersistentVolume {volumeName}, which does not exist.", evidence);
                            break;
                        }
                        evidence.Add($"PersistentVolume {volumeName}: status.phase = {pv.Status?.Phase ?? "(absent)"}");
                        if (pv.Status?.Phase == "Failed")
                        {
                            yield return context.Fail(resource, $"{what} is Bound, but its PersistentVolume {volumeName} has Failed" +
                                (pv.Status?.Message is { } m ? $": {m}" : "."), evidence);
                            break;
                        }
                    }
                    yield return context.Pass(resource, $"{what} is Bound.", evidence);
                    break;
                case "Lost":
                    yield return context.Fail(resource, $"{what} is Lost: the volume behind it is gone.", evidence);
                    break;
                case "Pending":
                    var waitsForConsumer = className is not null && classes?.TryGetValue(className, out var sc) == true && sc.VolumeBindingMode == "WaitForFirstConsumer";
                    var users = consumers?[(ns, name)].ToList();
                    if (waitsForConsumer) evidence.Add($"StorageClass {className}: volumeBindingMode = WaitForFirstConsumer");
                    if (users is not null) evidence.Add(users.Count == 0 ? "used by no pod" : $"used by pod(s) {string.Join(", ", users.Take(10))}");
                    if (waitsForConsumer && users is { Count: 0 })
                        yield return context.Pass(resource, $"{what} is Pending until a pod uses it (WaitForFirstConsumer), as designed.", evidence);
                    else if (waitsForConsumer && users is null)
                        yield return context.Warn(resource, $"{what} is Pending with WaitForFirstConsumer; pods were not collected, so whether one waits for it is unknown.", evidence);
                    else
                        yield return context.Fail(resource, $"{what} is Pending: no volume has been provisioned or bound for it.", evidence);
                    break;
                default:
                    yield return context.Error(resource, $"{what} reports phase '{phase ?? "(absent)"}'; it cannot be judged.", evidence);
                    break;
            }
        }
    }
}
