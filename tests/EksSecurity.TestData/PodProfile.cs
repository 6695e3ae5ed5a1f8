namespace EksSecurity.TestData;

/// <summary>How a pod template treats security: the common good and bad practices an audit meets.</summary>
public enum PodSecurityVariant
{
    /// <summary>PSS restricted: non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp, read-only root.</summary>
    Restricted,
    /// <summary>runAsNonRoot on the pod, nothing else.</summary>
    NonRoot,
    /// <summary>No securityContext at all (the most common in practice).</summary>
    Unset,
    /// <summary>runAsUser: 0.</summary>
    RunAsRoot,
    Privileged,
    HostNetwork,
    HostPid,
    HostIpc,
    /// <summary>A hostPath volume mounted read-only (/var/log).</summary>
    HostPathReadOnly,
    /// <summary>A hostPath volume mounted read-write (/var/lib/app).</summary>
    HostPathWritable,
    /// <summary>The containerd socket mounted.</summary>
    RuntimeSocket,
    HostPort,
    /// <summary>capabilities.add NET_ADMIN and SYS_ADMIN.</summary>
    AddedCapabilities,
    /// <summary>allowPrivilegeEscalation: true set explicitly.</summary>
    PrivilegeEscalation,
    /// <summary>An unsafe sysctl (kernel.msgmax) and procMount Unmasked.</summary>
    UnsafeSysctl,
}

/// <summary>What a pod template asks for in requests and limits.</summary>
public enum ResourcesVariant
{
    /// <summary>CPU and memory requests, memory limit (and CPU limit on some).</summary>
    Full,
    RequestsOnly,
    None,
}

/// <summary>
/// The variable parts of an application's pod template. A profile and its seed fix the template:
/// building it twice gives equal objects, so pods are built from their workload's profile.
/// </summary>
public sealed record PodProfile
{
    public required string Namespace { get; init; }
    /// <summary>The app.kubernetes.io/name label; also the base of config and secret names.</summary>
    public required string App { get; init; }
    public required string Team { get; init; }
    public required string ServiceAccountName { get; init; }
    public required string Image { get; init; }
    public ulong Seed { get; init; }
    /// <summary>Application containers, 1 to 3 (the first is the app, the others sidecars).</summary>
    public int Containers { get; init; } = 1;
    public bool InitContainer { get; init; }
    public PodSecurityVariant Security { get; init; }
    public ResourcesVariant Resources { get; init; }
    public bool? AutomountServiceAccountToken { get; init; }
    /// <summary>env[].valueFrom.secretKeyRef to <see cref="SecretName"/>.</summary>
    public bool SecretEnv { get; init; }
    /// <summary>envFrom[].secretRef to <see cref="SecretName"/>.</summary>
    public bool SecretEnvFrom { get; init; }
    /// <summary>A secret volume of <see cref="SecretName"/>.</summary>
    public bool SecretVolume { get; init; }
    public bool ConfigMapEnv { get; init; }
    public bool ConfigMapVolume { get; init; }
    /// <summary>A credential-looking literal in env (AWS access key id, a password).</summary>
    public bool HardcodedCredential { get; init; }
    public bool Probes { get; init; } = true;
    public bool ReadOnlyRootFilesystem { get; init; }
    /// <summary>The volumeClaimTemplate name of a StatefulSet ("data"); null when none.</summary>
    public string? ClaimTemplate { get; init; }
    /// <summary>restartPolicy: Always for long-running workloads, OnFailure or Never for jobs.</summary>
    public string RestartPolicy { get; init; } = "Always";
    public int Port { get; init; } = 8080;
    public string? PriorityClassName { get; init; }

    public string SecretName => App + "-secrets";
    public string ConfigMapName => App + "-config";
    public bool UsesSecret => SecretEnv || SecretEnvFrom || SecretVolume;
    public bool UsesConfigMap => ConfigMapEnv || ConfigMapVolume;
}
