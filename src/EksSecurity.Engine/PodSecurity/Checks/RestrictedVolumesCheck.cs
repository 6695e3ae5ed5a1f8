using k8s.Models;

namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// restrictedVolumes (restricted, v1.0+, overrides hostPathVolumes): every volume must be
/// configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected
/// or secret. A volume with no source is defaulted to emptyDir by the API server, so it passes.
/// </summary>
internal sealed class RestrictedVolumesCheck : PodSecurityCheck
{
    public const string CheckId = "restrictedVolumes";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } = [new(0, V1_0, HostPathVolumesCheck.CheckId)];

    private static bool Allowed(V1Volume v) =>
        v.ConfigMap is not null || v.Csi is not null || v.DownwardAPI is not null || v.EmptyDir is not null ||
        v.Ephemeral is not null || v.Image is not null || v.PersistentVolumeClaim is not null ||
        v.Projected is not null || v.Secret is not null;

    /// <summary>The name upstream reports, in its order; "unknown" when no source is set (unreachable after defaulting).</summary>
    internal static string TypeName(V1Volume v) =>
        v.HostPath is not null ? "hostPath" :
        v.GcePersistentDisk is not null ? "gcePersistentDisk" :
        v.AwsElasticBlockStore is not null ? "awsElasticBlockStore" :
        v.GitRepo is not null ? "gitRepo" :
        v.Nfs is not null ? "nfs" :
        v.Iscsi is not null ? "iscsi" :
        v.Glusterfs is not null ? "glusterfs" :
        v.Rbd is not null ? "rbd" :
        v.FlexVolume is not null ? "flexVolume" :
        v.Cinder is not null ? "cinder" :
        v.Cephfs is not null ? "cephfs" :
        v.Flocker is not null ? "flocker" :
        v.Fc is not null ? "fc" :
        v.AzureFile is not null ? "azureFile" :
        v.VsphereVolume is not null ? "vsphereVolume" :
        v.Quobyte is not null ? "quobyte" :
        v.AzureDisk is not null ? "azureDisk" :
        v.PhotonPersistentDisk is not null ? "photonPersistentDisk" :
        v.PortworxVolume is not null ? "portworxVolume" :
        v.ScaleIO is not null ? "scaleIO" :
        v.Storageos is not null ? "storageos" :
        "unknown";

    private static PodSecurityViolation? V1_0(PodSecurityContext pod)
    {
        var volumes = pod.Spec.Volumes;
        if (volumes is null) return null;
        List<string>? bad = null;
        List<string>? types = null;
        for (var i = 0; i < volumes.Count; i++)
        {
            var v = volumes[i];
            if (v is null || Allowed(v) || PodSecurityContext.IsDefaultedEmptyDir(v)) continue;
            (bad ??= []).Add(v.Name ?? "");
            (types ??= []).Add(TypeName(v));
        }
        if (bad is null) return null;
        PodSecurityFormat.SortedSet(types!);
        return Fail(CheckId, "restricted volume types",
            PodSecurityFormat.Pluralize("volume", "volumes", bad.Count) + " " + PodSecurityFormat.JoinQuote(bad) + " " +
            PodSecurityFormat.Pluralize("uses", "use", bad.Count) + " " +
            PodSecurityFormat.Pluralize("restricted volume type", "restricted volume types", types!.Count) + " " + PodSecurityFormat.JoinQuote(types));
    }
}
