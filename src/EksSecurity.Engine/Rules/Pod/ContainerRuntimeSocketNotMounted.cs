using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>
/// EKS-POD-013: no hostPath volume reaches a container runtime socket: the socket itself or a directory
/// above it, compared after normalising the path (trailing and duplicate slashes, "." and "..").
/// </summary>
public sealed class ContainerRuntimeSocketNotMounted : Rule
{
    /// <summary>
    /// The runtime sockets, containerd (the EKS runtime) first. Each is matched under /run and under /var/run,
    /// which is a symlink to /run on the EKS AMIs (AL2, AL2023, Bottlerocket) and which kubelet resolves on the host.
    /// </summary>
    internal static readonly (string Path, string Runtime)[] Sockets =
    [
        ("/run/containerd/containerd.sock", "containerd, the EKS container runtime"),
        ("/run/host-containerd/containerd.sock", "Bottlerocket's host containerd"),
        ("/run/docker.sock", "Docker"),
        ("/run/dockershim.sock", "dockershim"),
        ("/run/crio/crio.sock", "CRI-O"),
    ];

    /// <summary>The named pipes of the runtimes on Windows nodes, lower-cased as the normaliser leaves them.</summary>
    internal static readonly (string Path, string Runtime)[] WindowsPipes =
    [
        (@"\\.\pipe\containerd-containerd", "containerd on Windows"),
        (@"\\.\pipe\docker_engine", "Docker on Windows"),
    ];

    private static readonly (string Path, string Runtime)[] Spellings =
        Sockets.SelectMany(s => new[] { s, ("/var" + s.Path, s.Runtime) }).ToArray();

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-013",
        Title = "Container runtime socket not mounted",
        Severity = Severity.Critical,
        Area = RuleArea.Pod,
        Rationale = "The container runtime socket is the API that starts containers on the node. A pod that can reach it can start a privileged " +
                    "container with the host's filesystem mounted, read any container's environment and files, or stop other pods: it owns the node, " +
                    "whatever its own securityContext says. Mounting a parent directory such as /run or /run/containerd gives the same access.",
        Remediation = "Remove the hostPath volume that points at the socket or at a directory above it (/, /run, /var/run, /run/containerd):\n" +
                      "# remove\nvolumes:\n- name: containerd\n  hostPath:\n    path: /run/containerd/containerd.sock\n" +
                      "Build images with Kaniko, BuildKit rootless or AWS CodeBuild instead of Docker-in-Docker, and read container metadata from the " +
                      "Kubernetes API or the kubelet. A node agent that truly needs the socket (a security or monitoring agent) belongs in a dedicated " +
                      "namespace, recorded as an exclusion.",
        References =
        [
            BestPracticesPodSecurity,
            "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        ],
        Frameworks = ["HardenEKS disallow_container_socket_mount", "Kubescape C-0074"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "hostpath", "container-runtime"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            var checks = new List<Check>();
            var hostPathCount = 0;
            foreach (var (volume, raw) in HostPathVolumes(source))
            {
                hostPathCount++;
                var normalized = NormalizeHostPath(raw);
                var reach = Reaches(normalized);
                var line = $"{HostPathField(source, volume)} = {ShowPath(raw, normalized)}";
                checks.Add(reach is null
                    ? new Check($"volumes[{volume.Name}]", false, $"{line}: no runtime socket")
                    : new Check($"volumes[{volume.Name}]", true, $"{line}: {reach}; {MountedByText(source, volume.Name)}"));
            }
            if (hostPathCount == 0)
                checks.Add(new Check("pod", false, $"{PodField(source, "volumes")}: no hostPath volume"));
            yield return Conclude(context, source, checks,
                bad => $"{Describe(source)} mounts a container runtime socket from the node: {string.Join(", ", bad)}.",
                $"{Describe(source)} mounts no container runtime socket.");
        }
    }

    /// <summary>How a normalised host path reaches a runtime socket, or null when it does not.</summary>
    internal static string? Reaches(string normalized)
    {
        if (normalized.StartsWith('\\'))
        {
            foreach (var (pipe, runtime) in WindowsPipes)
                if (normalized == pipe) return $"is the named pipe of {runtime}";
            return null;
        }
        foreach (var (socket, runtime) in Spellings)
            if (normalized == socket) return $"is the socket of {runtime}";
        // /var itself is not a way in: /var/run is a symlink inside it, which resolves within the container's own filesystem.
        if (normalized == "/var") return null;
        foreach (var (socket, runtime) in Spellings)
            if (normalized == "/" || socket.StartsWith(normalized + "/", StringComparison.Ordinal))
                return $"is a directory above {socket}, the socket of {runtime}";
        return null;
    }
}
