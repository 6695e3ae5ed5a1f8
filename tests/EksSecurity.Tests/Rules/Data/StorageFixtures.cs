using k8s.Models;

namespace EksSecurity.Tests.Rules.Data;

/// <summary>Builders for StorageClasses and PersistentVolumes used by the storage encryption rule tests.</summary>
internal static class StorageFixtures
{
    public static V1StorageClass StorageClass(string name, string provisioner, params (string Key, string Value)[] parameters) => new()
    {
        Metadata = TestSnapshots.Meta(name),
        Provisioner = provisioner,
        Parameters = parameters.Length == 0 ? null : parameters.ToDictionary(p => p.Key, p => p.Value),
    };

    public static V1PersistentVolume CsiVolume(string name, string driver, string handle, IDictionary<string, string>? attributes = null, params string[] mountOptions) => new()
    {
        Metadata = TestSnapshots.Meta(name),
        Spec = new V1PersistentVolumeSpec
        {
            Csi = new V1CSIPersistentVolumeSource { Driver = driver, VolumeHandle = handle, VolumeAttributes = attributes },
            MountOptions = mountOptions.Length == 0 ? null : mountOptions.ToList(),
            ClaimRef = new V1ObjectReference { NamespaceProperty = "shop", Name = "data-" + name },
            StorageClassName = "standard",
        },
        Status = new V1PersistentVolumeStatus { Phase = "Bound" },
    };

    public static V1PersistentVolume NfsVolume(string name, string server) => new()
    {
        Metadata = TestSnapshots.Meta(name),
        Spec = new V1PersistentVolumeSpec { Nfs = new V1NFSVolumeSource { Server = server, Path = "/" } },
    };
}
