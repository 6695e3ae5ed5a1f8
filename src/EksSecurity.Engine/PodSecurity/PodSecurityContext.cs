using k8s.Models;

namespace EksSecurity.Engine.PodSecurity;

/// <summary>
/// One container of any kind, with the fields the checks read. Upstream casts an
/// EphemeralContainer to a Container, so ephemeral containers' ports and probes are read too.
/// </summary>
internal readonly struct PodContainer
{
    public PodContainer(V1Container c)
    {
        Name = c.Name ?? "";
        SecurityContext = c.SecurityContext;
        Ports = c.Ports;
        LivenessProbe = c.LivenessProbe;
        ReadinessProbe = c.ReadinessProbe;
        StartupProbe = c.StartupProbe;
        Lifecycle = c.Lifecycle;
        IsEphemeral = false;
    }

    public PodContainer(V1EphemeralContainer c)
    {
        Name = c.Name ?? "";
        SecurityContext = c.SecurityContext;
        Ports = c.Ports;
        LivenessProbe = c.LivenessProbe;
        ReadinessProbe = c.ReadinessProbe;
        StartupProbe = c.StartupProbe;
        Lifecycle = c.Lifecycle;
        IsEphemeral = true;
    }

    public string Name { get; }
    public V1SecurityContext? SecurityContext { get; }
    public IList<V1ContainerPort>? Ports { get; }
    public V1Probe? LivenessProbe { get; }
    public V1Probe? ReadinessProbe { get; }
    public V1Probe? StartupProbe { get; }
    public V1Lifecycle? Lifecycle { get; }
    public bool IsEphemeral { get; }
}

/// <summary>
/// The pod as the checks see it: metadata, spec, and every container in the admission
/// controller's visiting order (init, regular, ephemeral). The API server's defaulting that
/// the checks depend on (CHECKS.md 2.5) is applied when reading, never by mutating the input:
/// see <see cref="IsDefaultedEmptyDir"/> and <see cref="EffectiveHostPort"/>.
/// </summary>
internal sealed class PodSecurityContext
{
    private static readonly IDictionary<string, string> NoAnnotations = new Dictionary<string, string>(0);

    public PodSecurityContext(V1ObjectMeta? metadata, V1PodSpec spec)
    {
        Spec = spec;
        Annotations = metadata?.Annotations ?? NoAnnotations;
        PodSecurity = spec.SecurityContext;
        HostNetwork = spec.HostNetwork == true;
        // relaxPolicyForUserNamespacePod: hostUsers explicitly false.
        UserNamespaced = spec.HostUsers == false;
        IsWindows = spec.Os?.Name == "windows";

        var init = spec.InitContainers;
        var regular = spec.Containers;
        var ephemeral = spec.EphemeralContainers;
        var count = (init?.Count ?? 0) + (regular?.Count ?? 0) + (ephemeral?.Count ?? 0);
        if (count == 0)
        {
            Containers = [];
            return;
        }
        var all = new PodContainer[count];
        var i = 0;
        if (init is not null) for (var j = 0; j < init.Count; j++) if (init[j] is { } c) all[i++] = new PodContainer(c);
        if (regular is not null) for (var j = 0; j < regular.Count; j++) if (regular[j] is { } c) all[i++] = new PodContainer(c);
        if (ephemeral is not null) for (var j = 0; j < ephemeral.Count; j++) if (ephemeral[j] is { } c) all[i++] = new PodContainer(c);
        if (i != count) Array.Resize(ref all, i);
        Containers = all;
    }

    public V1PodSpec Spec { get; }
    public IDictionary<string, string> Annotations { get; }
    public V1PodSecurityContext? PodSecurity { get; }
    public bool HostNetwork { get; }
    /// <summary><c>spec.hostUsers == false</c>: the relaxations for user-namespaced pods apply (v1.35+ variants).</summary>
    public bool UserNamespaced { get; }
    /// <summary><c>spec.os.name == "windows"</c>.</summary>
    public bool IsWindows { get; }
    /// <summary>Init, then regular, then ephemeral containers.</summary>
    public PodContainer[] Containers { get; }

    /// <summary>
    /// The hostPort after the API server's defaulting: with <c>hostNetwork: true</c>, a port
    /// of an init or regular container whose hostPort is unset or 0 gets hostPort = containerPort
    /// (<c>SetDefaults_PodSpec</c>; ephemeral containers are not defaulted).
    /// </summary>
    public int EffectiveHostPort(in PodContainer container, V1ContainerPort port)
    {
        var hostPort = port.HostPort ?? 0;
        if (hostPort == 0 && HostNetwork && !container.IsEphemeral) hostPort = port.ContainerPort;
        return hostPort;
    }

    /// <summary>
    /// True when the volume names no source, which the API server defaults to
    /// <c>emptyDir: {}</c> (<c>SetDefaults_Volume</c>).
    /// </summary>
    public static bool IsDefaultedEmptyDir(V1Volume v) =>
        v.EmptyDir is null && v.HostPath is null && v.Secret is null && v.ConfigMap is null &&
        v.PersistentVolumeClaim is null && v.Projected is null && v.DownwardAPI is null && v.Csi is null &&
        v.Ephemeral is null && v.Image is null && v.GcePersistentDisk is null && v.AwsElasticBlockStore is null &&
        v.GitRepo is null && v.Nfs is null && v.Iscsi is null && v.Glusterfs is null && v.Rbd is null &&
        v.FlexVolume is null && v.Cinder is null && v.Cephfs is null && v.Flocker is null && v.Fc is null &&
        v.AzureFile is null && v.VsphereVolume is null && v.Quobyte is null && v.AzureDisk is null &&
        v.PhotonPersistentDisk is null && v.PortworxVolume is null && v.ScaleIO is null && v.Storageos is null;
}
