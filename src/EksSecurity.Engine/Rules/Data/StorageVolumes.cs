using System.Text.RegularExpressions;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Data;

/// <summary>
/// How PersistentVolumes name their AWS storage (EKS-DATA-005, 007, 009): the EBS volume behind a PV, and the EFS file system,
/// sub-path and access point behind a PV of the EFS CSI driver, read the way the drivers read them.
/// </summary>
internal static partial class StorageVolumes
{
    public const string EfsDriver = "efs.csi.aws.com";
    public static readonly string[] EbsDrivers = ["ebs.csi.aws.com", "ebs.csi.eks.amazonaws.com"];

    /// <summary>The EBS volume id (vol-...) behind a PV: spec.csi.volumeHandle of an EBS CSI PV, or spec.awsElasticBlockStore.volumeID (aws://zone/vol-...).</summary>
    public static string? EbsVolumeId(V1PersistentVolume pv, out string field)
    {
        if (pv.Spec?.Csi is { } csi && EbsDrivers.Contains(csi.Driver ?? "", StringComparer.Ordinal))
        {
            field = $"spec.csi.volumeHandle (driver {csi.Driver})";
            return csi.VolumeHandle?.Trim();
        }
        if (pv.Spec?.AwsElasticBlockStore is { } ebs)
        {
            field = "spec.awsElasticBlockStore.volumeID";
            var id = ebs.VolumeID?.Trim() ?? "";
            var slash = id.LastIndexOf('/');
            return slash >= 0 ? id[(slash + 1)..] : id;
        }
        field = "";
        return null;
    }

    public static bool IsEfsCsi(V1PersistentVolume pv) => pv.Spec?.Csi?.Driver == EfsDriver;

    /// <summary>
    /// The EFS CSI driver's volumeHandle, "fs-id[:sub-path[:access-point-id]]" (fs-1234::fsap-5678 has no sub-path). Empty parts are null.
    /// </summary>
    public static (string FileSystem, string? Path, string? AccessPoint) ParseEfsHandle(string? handle)
    {
        var parts = (handle ?? "").Trim().Split(':');
        static string? Part(string[] p, int i) => i < p.Length && p[i].Length > 0 ? p[i] : null;
        return (parts[0], Part(parts, 1), Part(parts, 2));
    }

    /// <summary>The deprecated "accesspoint=fsap-..." mount option, which the driver still honours.</summary>
    public static string? AccessPointOption(IEnumerable<string>? mountOptions) =>
        (mountOptions ?? [])
            .Select(o => o.Trim().ToLowerInvariant())
            .Where(o => o.StartsWith("accesspoint=", StringComparison.Ordinal))
            .Select(o => o["accesspoint=".Length..])
            .FirstOrDefault(o => o.Length > 0);

    /// <summary>A plain NFS PV whose server is an EFS file system's DNS name (fs-xxxx.efs.region.amazonaws.com): mounted without the EFS client, so without TLS.</summary>
    public static bool IsEfsOverNfs(V1PersistentVolume pv, out string server)
    {
        server = pv.Spec?.Nfs?.Server?.Trim() ?? "";
        return server.Length > 0 && EfsDnsName().IsMatch(server);
    }

    /// <summary>What an EFS-over-NFS finding shows: the server, the path and the claim.</summary>
    public static string[] NfsEvidence(V1PersistentVolume pv, string server) =>
        [$"spec.nfs.server = {server}", $"spec.nfs.path = {pv.Spec?.Nfs?.Path ?? "(unset)"}", $"claim {Claim(pv)}"];

    [GeneratedRegex(@"^(?:[a-z0-9-]+\.)?fs-[0-9a-f]+\.efs\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\.?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EfsDnsName();

    /// <summary>A volumeAttributes value by key, compared case-insensitively as the EFS CSI driver does.</summary>
    public static string? Attribute(V1PersistentVolume pv, string key) =>
        pv.Spec?.Csi?.VolumeAttributes?.FirstOrDefault(a => string.Equals(a.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Go's strconv.ParseBool, which the EFS CSI driver uses: 1, t, T, TRUE, true, True and their false forms; null otherwise.</summary>
    public static bool? ParseBool(string text) => text.Trim() switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    /// <summary>The PV's claim, for evidence.</summary>
    public static string Claim(V1PersistentVolume pv) =>
        pv.Spec?.ClaimRef is { } c ? $"{c.NamespaceProperty}/{c.Name}" : "(unbound)";
}
