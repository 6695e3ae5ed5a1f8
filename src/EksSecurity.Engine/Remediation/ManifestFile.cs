using System.Text;

namespace EksSecurity.Engine.Remediation;

/// <summary>-OutFile: the manifests as one multi-document YAML file (UTF-8, no BOM, LF), ready for <c>kubectl apply -f</c>.</summary>
internal static class ManifestFile
{
    public static void Save(IReadOnlyList<KubernetesManifest> manifests, string path)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            File.WriteAllText(path, KubernetesManifest.JoinYaml(manifests), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new EksSecurityException("ManifestWriteFailed", EksErrorKind.PermissionDenied, $"Cannot write manifest file '{path}': {ex.Message}", path, ex);
        }
    }
}
