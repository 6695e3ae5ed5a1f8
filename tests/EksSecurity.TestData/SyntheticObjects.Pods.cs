using System.Globalization;
using k8s.Models;

namespace EksSecurity.TestData;

/// <summary>The status a built pod reports.</summary>
public enum PodState
{
    Running,
    /// <summary>Running, but one container in CrashLoopBackOff.</summary>
    CrashLooping,
    /// <summary>Not scheduled yet (no node).</summary>
    Pending,
    /// <summary>A finished job pod.</summary>
    Succeeded,
    Failed,
}

public sealed partial class SyntheticObjects
{
    private static readonly string[] SidecarNames = ["log-shipper", "metrics-exporter", "oauth2-proxy", "envoy", "cloudsql-proxy"];
    private static readonly string[] PublicImages =
    [
        "nginx:1.27.3", "redis:7.4.1-alpine", "busybox:1.36", "python:3.12-slim", "node:20-alpine", "postgres:16.4",
        "public.ecr.aws/docker/library/httpd:2.4", "ghcr.io/example/tool:latest", "quay.io/prometheus/node-exporter:v1.8.2",
    ];

    /// <summary>
    /// A random but plausible profile for an application workload: most are unremarkable, some
    /// carry the misconfigurations audits look for, at rates seen in real clusters.
    /// </summary>
    public PodProfile RandomProfile(string ns, string app, string team, string serviceAccount, SyntheticRandom rng, bool job = false, bool statefulSet = false)
    {
        ReadOnlySpan<double> securityWeights =
        [
            30, // Restricted
            25, // NonRoot
            28, // Unset
            3,  // RunAsRoot
            1.2, // Privileged
            1.0, // HostNetwork
            0.3, // HostPid
            0.2, // HostIpc
            1.5, // HostPathReadOnly
            0.8, // HostPathWritable
            0.2, // RuntimeSocket
            0.8, // HostPort
            1.5, // AddedCapabilities
            1.0, // PrivilegeEscalation
            0.3, // UnsafeSysctl
        ];
        var security = (PodSecurityVariant)rng.PickWeighted(securityWeights);
        var resources = (ResourcesVariant)rng.PickWeighted([62, 25, 13]);
        var image = rng.Chance(0.85)
            ? $"{EcrRegistry}/{team}/{app}:{rng.Between(1, 4)}.{rng.Between(0, 30)}.{rng.Between(0, 15)}"
            : rng.Pick(PublicImages);
        if (rng.Chance(0.2)) image = image.Split(':')[0] + "@sha256:" + rng.Hex(64);
        return new PodProfile
        {
            Namespace = ns,
            App = app,
            Team = team,
            ServiceAccountName = serviceAccount,
            Image = image,
            Seed = rng.NextUInt64(),
            Containers = rng.PickWeighted([70, 24, 6]) + 1,
            InitContainer = rng.Chance(0.22),
            Security = security,
            Resources = resources,
            AutomountServiceAccountToken = rng.Chance(0.18) ? false : null,
            SecretEnv = rng.Chance(0.32),
            SecretEnvFrom = rng.Chance(0.08),
            SecretVolume = rng.Chance(0.15),
            ConfigMapEnv = rng.Chance(0.35),
            ConfigMapVolume = rng.Chance(0.3),
            HardcodedCredential = rng.Chance(0.01),
            Probes = !job && rng.Chance(0.75),
            ReadOnlyRootFilesystem = security == PodSecurityVariant.Restricted || rng.Chance(0.1),
            ClaimTemplate = statefulSet && rng.Chance(0.7) ? "data" : null,
            RestartPolicy = job ? (rng.Chance(0.7) ? "OnFailure" : "Never") : "Always",
            Port = job ? 0 : rng.Pick(new[] { 8080, 8080, 8080, 3000, 5000, 9000, 80 }),
            PriorityClassName = rng.Chance(0.05) ? "business-critical" : null,
        };
    }

    /// <summary>The pod template of an application workload, as the API server stores it (defaults applied).</summary>
    public V1PodTemplateSpec PodTemplate(PodProfile p, IDictionary<string, string>? extraLabels = null)
    {
        var rng = new SyntheticRandom(p.Seed);
        var labels = Labels(("app.kubernetes.io/name", p.App), ("app.kubernetes.io/instance", p.App), ("app.kubernetes.io/part-of", p.Team));
        if (rng.Chance(0.5)) labels["app.kubernetes.io/version"] = p.Image.Contains(':') ? p.Image[(p.Image.LastIndexOf(':') + 1)..] : "latest";
        if (extraLabels is not null)
            foreach (var (k, v) in extraLabels) labels[k] = v;
        var annotations = rng.Chance(0.4)
            ? Labels(("prometheus.io/scrape", "true"), ("prometheus.io/port", "9090"))
            : null;
        if (rng.Chance(0.3)) (annotations ??= [])["kubectl.kubernetes.io/restartedAt"] = CreatedAgo(rng, 1, 90).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        var volumes = new List<V1Volume>();
        var containers = new List<V1Container>();
        var main = AppContainer(p, rng, p.App, p.Image, isMain: true, volumes);
        containers.Add(main);
        for (var i = 1; i < p.Containers; i++)
        {
            var name = SidecarNames[(i - 1 + rng.Next(SidecarNames.Length)) % SidecarNames.Length];
            if (containers.Any(c => c.Name == name)) name += "-" + i;
            containers.Add(AppContainer(p, rng, name, $"{EcrRegistry}/platform/{name}:{rng.Between(1, 3)}.{rng.Between(0, 9)}", isMain: false, volumes));
        }
        List<V1Container>? init = null;
        if (p.InitContainer)
        {
            var ic = AppContainer(p, rng, rng.Chance(0.5) ? "db-migrate" : "wait-for-deps", p.Image, isMain: false, volumes);
            ic.Command = ["/bin/sh", "-c"];
            ic.Args = [rng.Chance(0.5) ? "/app/migrate up" : "until nc -z db 5432; do sleep 2; done"];
            ic.LivenessProbe = ic.ReadinessProbe = null;
            ic.Ports = null;
            init = [ic];
            // Init containers are where privileged setup usually sits.
            if (rng.Chance(0.05)) ic.SecurityContext = new V1SecurityContext { Privileged = true, RunAsUser = 0 };
        }

        if (p.ConfigMapVolume)
            volumes.Add(new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = p.ConfigMapName, DefaultMode = 420 } });
        if (p.SecretVolume)
            volumes.Add(new V1Volume { Name = "secrets", Secret = new V1SecretVolumeSource { SecretName = p.SecretName, DefaultMode = 420 } });
        if (rng.Chance(0.35))
            volumes.Add(new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = rng.Chance(0.5) ? new ResourceQuantity("1Gi") : null } });
        if (p.ClaimTemplate is not null)
            volumes.Add(new V1Volume { Name = p.ClaimTemplate, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = p.ClaimTemplate } });

        var spec = new V1PodSpec
        {
            Containers = containers,
            InitContainers = init,
            Volumes = volumes.Count > 0 ? volumes : null,
            ServiceAccountName = p.ServiceAccountName,
            ServiceAccount = p.ServiceAccountName,
            AutomountServiceAccountToken = p.AutomountServiceAccountToken,
            RestartPolicy = p.RestartPolicy,
            DnsPolicy = "ClusterFirst",
            SchedulerName = "default-scheduler",
            TerminationGracePeriodSeconds = rng.Chance(0.8) ? 30 : 60,
            SecurityContext = new V1PodSecurityContext(),
            PriorityClassName = p.PriorityClassName,
            NodeSelector = rng.Chance(0.15) ? Labels(("kubernetes.io/arch", "amd64")) : null,
        };
        if (rng.Chance(0.1)) spec.EnableServiceLinks = false;
        if (rng.Chance(0.25))
        {
            spec.TopologySpreadConstraints =
            [
                new V1TopologySpreadConstraint
                {
                    MaxSkew = 1, TopologyKey = "topology.kubernetes.io/zone", WhenUnsatisfiable = "ScheduleAnyway",
                    LabelSelector = new V1LabelSelector { MatchLabels = Labels(("app.kubernetes.io/name", p.App)) },
                },
            ];
        }
        if (rng.Chance(0.1))
            spec.ImagePullSecrets = [new V1LocalObjectReference { Name = "regcred" }];
        ApplySecurity(p, spec, main, rng);
        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = labels, Annotations = annotations, CreationTimestamp = null },
            Spec = spec,
        };
    }

    private V1Container AppContainer(PodProfile p, SyntheticRandom rng, string name, string image, bool isMain, List<V1Volume> volumes)
    {
        var env = new List<V1EnvVar>
        {
            new() { Name = "LOG_LEVEL", Value = rng.Pick(new[] { "info", "info", "debug", "warn" }) },
            new() { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.name" } } },
            new() { Name = "POD_NAMESPACE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.namespace" } } },
        };
        if (isMain)
        {
            env.Add(new V1EnvVar { Name = "PORT", Value = p.Port.ToString(CultureInfo.InvariantCulture) });
            env.Add(new V1EnvVar { Name = "SERVICE_NAME", Value = p.App });
            if (rng.Chance(0.5)) env.Add(new V1EnvVar { Name = "DB_HOST", Value = $"{p.Team}-db.{p.Namespace}.svc.cluster.local" });
            if (rng.Chance(0.4)) env.Add(new V1EnvVar { Name = "FEATURE_FLAGS", Value = "new-checkout,fast-search,beta-ui" });
            if (rng.Chance(0.3)) env.Add(new V1EnvVar { Name = "JAVA_OPTS", Value = "-XX:MaxRAMPercentage=75 -XX:+UseG1GC" });
            if (p.SecretEnv)
            {
                env.Add(new V1EnvVar { Name = "DB_PASSWORD", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = p.SecretName, Key = "db-password" } } });
                if (rng.Chance(0.5))
                    env.Add(new V1EnvVar { Name = "API_KEY", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = p.SecretName, Key = "api-key", Optional = false } } });
            }
            if (p.ConfigMapEnv)
                env.Add(new V1EnvVar { Name = "APP_MODE", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = p.ConfigMapName, Key = "mode" } } });
            if (p.HardcodedCredential)
            {
                env.Add(new V1EnvVar { Name = "AWS_ACCESS_KEY_ID", Value = "AKIA" + rng.UpperAlphaNumeric(16) });
                env.Add(new V1EnvVar { Name = "DATABASE_URL", Value = $"postgres://app:password={rng.Hex(12)}@db:5432/app" });
            }
        }
        List<V1EnvFromSource>? envFrom = null;
        if (isMain && p.SecretEnvFrom) (envFrom ??= []).Add(new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = p.SecretName } });
        if (isMain && p.ConfigMapEnv && rng.Chance(0.3)) (envFrom ??= []).Add(new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = p.ConfigMapName } });

        var mounts = new List<V1VolumeMount>();
        if (isMain && p.ConfigMapVolume) mounts.Add(new V1VolumeMount { Name = "config", MountPath = "/etc/app", ReadOnlyProperty = true });
        if (isMain && p.SecretVolume) mounts.Add(new V1VolumeMount { Name = "secrets", MountPath = "/var/run/secrets/app", ReadOnlyProperty = true });
        if (isMain && p.ClaimTemplate is not null) mounts.Add(new V1VolumeMount { Name = p.ClaimTemplate, MountPath = "/var/lib/data" });

        var container = new V1Container
        {
            Name = name,
            Image = image,
            ImagePullPolicy = image.EndsWith(":latest", StringComparison.Ordinal) ? "Always" : "IfNotPresent",
            Env = env,
            EnvFrom = envFrom,
            VolumeMounts = mounts.Count > 0 ? mounts : null,
            TerminationMessagePath = "/dev/termination-log",
            TerminationMessagePolicy = "File",
            Resources = Resources(p.Resources, rng, isMain),
        };
        if (isMain && p.Port > 0)
        {
            container.Ports = [new V1ContainerPort { Name = "http", ContainerPort = p.Port, Protocol = "TCP" }];
            if (rng.Chance(0.4)) container.Ports.Add(new V1ContainerPort { Name = "metrics", ContainerPort = 9090, Protocol = "TCP" });
        }
        if (isMain && p.Probes)
        {
            container.LivenessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = p.Port, Scheme = "HTTP" },
                InitialDelaySeconds = 10, PeriodSeconds = 10, TimeoutSeconds = 1, SuccessThreshold = 1, FailureThreshold = 3,
            };
            container.ReadinessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = "/ready", Port = "http", Scheme = "HTTP" },
                PeriodSeconds = 5, TimeoutSeconds = 1, SuccessThreshold = 1, FailureThreshold = 3,
            };
        }
        if (p.Security == PodSecurityVariant.Restricted)
        {
            container.SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = p.ReadOnlyRootFilesystem,
                RunAsNonRoot = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            };
        }
        else if (p.ReadOnlyRootFilesystem)
        {
            container.SecurityContext = new V1SecurityContext { ReadOnlyRootFilesystem = true };
        }
        return container;
    }

    private static V1ResourceRequirements Resources(ResourcesVariant variant, SyntheticRandom rng, bool isMain)
    {
        var cpu = isMain ? rng.Pick(new[] { "100m", "250m", "500m", "1", "2" }) : rng.Pick(new[] { "10m", "50m", "100m" });
        var memory = isMain ? rng.Pick(new[] { "128Mi", "256Mi", "512Mi", "1Gi", "2Gi", "4Gi" }) : rng.Pick(new[] { "32Mi", "64Mi", "128Mi" });
        return variant switch
        {
            ResourcesVariant.Full => new V1ResourceRequirements
            {
                Requests = Quantities(("cpu", cpu), ("memory", memory)),
                Limits = rng.Chance(0.4) ? Quantities(("cpu", cpu), ("memory", memory)) : Quantities(("memory", memory)),
            },
            ResourcesVariant.RequestsOnly => new V1ResourceRequirements { Requests = Quantities(("cpu", cpu), ("memory", memory)) },
            _ => new V1ResourceRequirements(),
        };
    }

    private void ApplySecurity(PodProfile p, V1PodSpec spec, V1Container main, SyntheticRandom rng)
    {
        void AddHostPath(string name, string path, string mountPath, bool readOnly, string? type = null)
        {
            (spec.Volumes ??= []).Add(new V1Volume { Name = name, HostPath = new V1HostPathVolumeSource { Path = path, Type = type ?? "" } });
            (main.VolumeMounts ??= []).Add(new V1VolumeMount { Name = name, MountPath = mountPath, ReadOnlyProperty = readOnly ? true : null });
        }
        switch (p.Security)
        {
            case PodSecurityVariant.Restricted:
                spec.SecurityContext = new V1PodSecurityContext
                {
                    RunAsNonRoot = true, RunAsUser = 10001, RunAsGroup = 10001, FsGroup = 10001,
                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                };
                break;
            case PodSecurityVariant.NonRoot:
                spec.SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = rng.Chance(0.5) ? 1000 : null };
                break;
            case PodSecurityVariant.RunAsRoot:
                spec.SecurityContext = new V1PodSecurityContext { RunAsUser = 0 };
                break;
            case PodSecurityVariant.Privileged:
                main.SecurityContext = new V1SecurityContext { Privileged = true };
                break;
            case PodSecurityVariant.HostNetwork:
                spec.HostNetwork = true;
                spec.DnsPolicy = "ClusterFirstWithHostNet";
                break;
            case PodSecurityVariant.HostPid:
                spec.HostPID = true;
                break;
            case PodSecurityVariant.HostIpc:
                spec.HostIPC = true;
                break;
            case PodSecurityVariant.HostPathReadOnly:
                AddHostPath("varlog", "/var/log", "/host/var/log", readOnly: true, "Directory");
                break;
            case PodSecurityVariant.HostPathWritable:
                AddHostPath("appdata", rng.Chance(0.7) ? "/var/lib/" + p.App : "/etc/kubernetes", "/data", readOnly: false, "DirectoryOrCreate");
                break;
            case PodSecurityVariant.RuntimeSocket:
                AddHostPath("containerd-sock", "/run/containerd/containerd.sock", "/run/containerd/containerd.sock", readOnly: false, "Socket");
                break;
            case PodSecurityVariant.HostPort:
                if (main.Ports is { Count: > 0 } ports) ports[0].HostPort = ports[0].ContainerPort;
                else main.Ports = [new V1ContainerPort { ContainerPort = 9100, HostPort = 9100, Protocol = "TCP" }];
                break;
            case PodSecurityVariant.AddedCapabilities:
                main.SecurityContext ??= new V1SecurityContext();
                main.SecurityContext.Capabilities = new V1Capabilities { Add = rng.Chance(0.5) ? ["NET_ADMIN"] : ["NET_ADMIN", "SYS_ADMIN"] };
                break;
            case PodSecurityVariant.PrivilegeEscalation:
                main.SecurityContext ??= new V1SecurityContext();
                main.SecurityContext.AllowPrivilegeEscalation = true;
                break;
            case PodSecurityVariant.UnsafeSysctl:
                spec.SecurityContext = new V1PodSecurityContext { Sysctls = [new V1Sysctl { Name = "kernel.msgmax", Value = "65536" }] };
                main.SecurityContext ??= new V1SecurityContext();
                main.SecurityContext.ProcMount = "Unmasked";
                break;
        }
    }

    /// <summary>
    /// A pod as the API server returns it: the template's spec plus what admission and the
    /// scheduler add (service account token volume, IRSA env and token, tolerations, node), and
    /// a status with conditions and container statuses.
    /// </summary>
    public V1Pod Pod(V1PodTemplateSpec template, string name, string ns, V1OwnerReference? owner, string? nodeName, DateTime created,
        SyntheticRandom rng, PodState state = PodState.Running, string? irsaRoleArn = null, string? generateName = null,
        IDictionary<string, string>? extraLabels = null)
    {
        var spec = template.Spec;
        var labels = template.Metadata?.Labels is { } l ? new Dictionary<string, string>(l, StringComparer.Ordinal) : [];
        if (extraLabels is not null)
            foreach (var (k, v) in extraLabels) labels[k] = v;
        var annotations = template.Metadata?.Annotations is { } a ? new Dictionary<string, string>(a, StringComparer.Ordinal) : null;
        if (state == PodState.Pending) nodeName = null;

        spec.NodeName = nodeName;
        spec.Priority ??= spec.PriorityClassName switch
        {
            "system-node-critical" => 2000001000,
            "system-cluster-critical" => 2000000000,
            "business-critical" => 1000000,
            _ => 0,
        };
        spec.EnableServiceLinks ??= true;
        spec.PreemptionPolicy ??= "PreemptLowerPriority";
        spec.Tolerations ??= [];
        if (!spec.Tolerations.Any(t => t.OperatorProperty == "Exists" && t.Key is null))
        {
            spec.Tolerations.Add(new V1Toleration { Key = "node.kubernetes.io/not-ready", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 });
            spec.Tolerations.Add(new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 });
        }

        var allContainers = (spec.InitContainers ?? []).Concat(spec.Containers).ToList();
        if (irsaRoleArn is not null)
        {
            spec.Volumes ??= [];
            spec.Volumes.Insert(0, new V1Volume
            {
                Name = "aws-iam-token",
                Projected = new V1ProjectedVolumeSource
                {
                    DefaultMode = 420,
                    Sources = [new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Audience = "sts.amazonaws.com", ExpirationSeconds = 86400, Path = "token" } }],
                },
            });
            foreach (var c in allContainers)
            {
                c.Env ??= [];
                c.Env.Add(new V1EnvVar { Name = "AWS_STS_REGIONAL_ENDPOINTS", Value = "regional" });
                c.Env.Add(new V1EnvVar { Name = "AWS_DEFAULT_REGION", Value = Region });
                c.Env.Add(new V1EnvVar { Name = "AWS_REGION", Value = Region });
                c.Env.Add(new V1EnvVar { Name = "AWS_ROLE_ARN", Value = irsaRoleArn });
                c.Env.Add(new V1EnvVar { Name = "AWS_WEB_IDENTITY_TOKEN_FILE", Value = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token" });
                c.VolumeMounts ??= [];
                c.VolumeMounts.Add(new V1VolumeMount { Name = "aws-iam-token", MountPath = "/var/run/secrets/eks.amazonaws.com/serviceaccount", ReadOnlyProperty = true });
            }
        }
        if (spec.AutomountServiceAccountToken != false)
        {
            var tokenVolume = "kube-api-access-" + rng.KubeSuffix(5);
            spec.Volumes ??= [];
            spec.Volumes.Add(new V1Volume
            {
                Name = tokenVolume,
                Projected = new V1ProjectedVolumeSource
                {
                    DefaultMode = 420,
                    Sources =
                    [
                        new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { ExpirationSeconds = 3607, Path = "token" } },
                        new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "kube-root-ca.crt", Items = [new V1KeyToPath { Key = "ca.crt", Path = "ca.crt" }] } },
                        new V1VolumeProjection
                        {
                            DownwardAPI = new V1DownwardAPIProjection
                            {
                                Items = [new V1DownwardAPIVolumeFile { Path = "namespace", FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.namespace" } }],
                            },
                        },
                    ],
                },
            });
            foreach (var c in allContainers)
            {
                c.VolumeMounts ??= [];
                c.VolumeMounts.Add(new V1VolumeMount { Name = tokenVolume, MountPath = "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnlyProperty = true });
            }
        }
        // A StatefulSet pod's claim is named after the template and the pod.
        foreach (var v in spec.Volumes ?? [])
            if (v.PersistentVolumeClaim is { } claim && owner?.Kind == "StatefulSet" && !claim.ClaimName.EndsWith(name, StringComparison.Ordinal))
                claim.ClaimName = $"{claim.ClaimName}-{name}";

        var hostIp = nodeName is null ? null : PrivateIp("node/" + nodeName);
        var podIp = nodeName is null ? null : spec.HostNetwork == true ? hostIp : PrivateIp($"pod/{ns}/{name}");
        var started = created.AddSeconds(rng.Between(1, 20));
        var status = new V1PodStatus
        {
            Phase = state switch
            {
                PodState.Pending => "Pending",
                PodState.Succeeded => "Succeeded",
                PodState.Failed => "Failed",
                _ => "Running",
            },
            HostIP = hostIp,
            HostIPs = hostIp is null ? null : [new V1HostIP { Ip = hostIp }],
            PodIP = podIp,
            PodIPs = podIp is null ? null : [new V1PodIP { Ip = podIp }],
            StartTime = nodeName is null ? null : started,
            QosClass = QosClass(spec.Containers),
            Conditions = PodConditions(state, created, started),
        };
        if (state == PodState.Pending)
        {
            status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", LastTransitionTime = created,
                Message = "0/5000 nodes are available: 5000 Insufficient cpu. preemption: 0/5000 nodes are available: 5000 No preemption victims found for incoming pod." }];
        }
        else
        {
            var finished = state is PodState.Succeeded or PodState.Failed;
            status.InitContainerStatuses = spec.InitContainers?.Select(c => ContainerStatus(c, rng, started, terminated: true, exitCode: 0)).ToList();
            var crashing = state == PodState.CrashLooping ? spec.Containers[0].Name : null;
            status.ContainerStatuses = spec.Containers
                .Select(c => c.Name == crashing
                    ? CrashLoopStatus(c, rng, started)
                    : ContainerStatus(c, rng, started, terminated: finished, exitCode: state == PodState.Failed ? 1 : 0))
                .ToList();
        }
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = Meta("Pod", name, ns, created, rng, labels, annotations, owner is null ? null : [owner], generateName),
            Spec = spec,
            Status = status,
        };
    }

    private static string QosClass(IList<V1Container> containers)
    {
        var anyRequest = containers.Any(c => c.Resources?.Requests is { Count: > 0 } || c.Resources?.Limits is { Count: > 0 });
        if (!anyRequest) return "BestEffort";
        var guaranteed = containers.All(c =>
            c.Resources?.Limits is { } lim && lim.ContainsKey("cpu") && lim.ContainsKey("memory") &&
            (c.Resources.Requests is null || c.Resources.Requests.All(r => lim.TryGetValue(r.Key, out var v) && v.ToString() == r.Value.ToString())));
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static List<V1PodCondition> PodConditions(PodState state, DateTime created, DateTime started)
    {
        var ready = state is PodState.Running ? "True" : "False";
        var reason = state switch
        {
            PodState.CrashLooping => "ContainersNotReady",
            PodState.Succeeded or PodState.Failed => "PodCompleted",
            _ => null,
        };
        return
        [
            new() { Type = "PodReadyToStartContainers", Status = state is PodState.Succeeded or PodState.Failed ? "False" : "True", LastTransitionTime = started },
            new() { Type = "Initialized", Status = "True", LastTransitionTime = started, Reason = state is PodState.Succeeded or PodState.Failed ? "PodCompleted" : null },
            new() { Type = "Ready", Status = ready, LastTransitionTime = started.AddSeconds(8), Reason = reason,
                Message = state == PodState.CrashLooping ? "containers with unready status: [app]" : null },
            new() { Type = "ContainersReady", Status = ready, LastTransitionTime = started.AddSeconds(8), Reason = reason },
            new() { Type = "PodScheduled", Status = "True", LastTransitionTime = created },
        ];
    }

    private static V1ContainerStatus ContainerStatus(V1Container c, SyntheticRandom rng, DateTime started, bool terminated, int exitCode) => new()
    {
        Name = c.Name,
        Image = c.Image,
        ImageID = ImageId(c.Image, rng),
        ContainerID = "containerd://" + rng.Hex(64),
        Ready = !terminated,
        RestartCount = rng.Chance(0.9) ? 0 : rng.Between(1, 4),
        Started = !terminated,
        State = terminated
            ? new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Reason = exitCode == 0 ? "Completed" : "Error", StartedAt = started, FinishedAt = started.AddSeconds(rng.Between(5, 900)), ContainerID = null } }
            : new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = started.AddSeconds(2) } },
        LastState = new V1ContainerState(),
    };

    private static V1ContainerStatus CrashLoopStatus(V1Container c, SyntheticRandom rng, DateTime started) => new()
    {
        Name = c.Name,
        Image = c.Image,
        ImageID = ImageId(c.Image, rng),
        ContainerID = "containerd://" + rng.Hex(64),
        Ready = false,
        Started = false,
        RestartCount = rng.Between(5, 400),
        State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff", Message = $"back-off 5m0s restarting failed container={c.Name}" } },
        LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1, Reason = "Error", StartedAt = started, FinishedAt = started.AddSeconds(3) } },
    };

    private static string ImageId(string image, SyntheticRandom rng)
    {
        var at = image.IndexOf('@');
        if (at > 0) return image;
        var colon = image.LastIndexOf(':');
        var repo = colon > image.LastIndexOf('/') ? image[..colon] : image;
        if (!repo.Contains('/')) repo = "docker.io/library/" + repo;
        return repo + "@sha256:" + rng.Hex(64);
    }

    // ---- workloads ----

    public V1Deployment Deployment(string name, string ns, int replicas, V1PodTemplateSpec template, DateTime created, SyntheticRandom rng)
    {
        var selector = SelectorOf(template);
        var unavailable = replicas > 0 && rng.Chance(0.03) ? 1 : 0;
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Meta("Deployment", name, ns, created, rng, template.Metadata?.Labels is { } l ? new Dictionary<string, string>(l) : null,
                Labels(("deployment.kubernetes.io/revision", rng.Between(1, 40).ToString(CultureInfo.InvariantCulture))), generation: rng.Between(1, 60)),
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = selector,
                Template = template,
                Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "25%", MaxUnavailable = "25%" } },
                RevisionHistoryLimit = 10,
                ProgressDeadlineSeconds = 600,
            },
            Status = new V1DeploymentStatus
            {
                ObservedGeneration = 1,
                Replicas = replicas,
                UpdatedReplicas = replicas,
                ReadyReplicas = replicas == 0 ? null : replicas - unavailable,
                AvailableReplicas = replicas == 0 ? null : replicas - unavailable,
                UnavailableReplicas = unavailable == 0 ? null : unavailable,
                Conditions =
                [
                    new V1DeploymentCondition { Type = "Available", Status = unavailable == 0 ? "True" : "False", Reason = unavailable == 0 ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                        Message = unavailable == 0 ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", LastUpdateTime = created, LastTransitionTime = created },
                    new V1DeploymentCondition { Type = "Progressing", Status = "True", Reason = "NewReplicaSetAvailable",
                        Message = $"ReplicaSet \"{name}\" has successfully progressed.", LastUpdateTime = created, LastTransitionTime = created },
                ],
            },
        };
    }

    public V1ReplicaSet ReplicaSet(string deployment, string hash, string ns, int replicas, V1PodTemplateSpec template, DateTime created, SyntheticRandom rng)
    {
        var name = $"{deployment}-{hash}";
        template.Metadata.Labels ??= new Dictionary<string, string>();
        template.Metadata.Labels["pod-template-hash"] = hash;
        var selector = SelectorOf(template);
        selector.MatchLabels["pod-template-hash"] = hash;
        return new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = Meta("ReplicaSet", name, ns, created, rng, new Dictionary<string, string>(template.Metadata.Labels),
                Labels(("deployment.kubernetes.io/desired-replicas", replicas.ToString(CultureInfo.InvariantCulture)), ("deployment.kubernetes.io/max-replicas", (replicas + Math.Max(1, replicas / 4)).ToString(CultureInfo.InvariantCulture)), ("deployment.kubernetes.io/revision", "1")),
                [OwnerReference("apps/v1", "Deployment", ns, deployment)], generation: 1),
            Spec = new V1ReplicaSetSpec { Replicas = replicas, Selector = selector, Template = template },
            Status = new V1ReplicaSetStatus { Replicas = replicas, FullyLabeledReplicas = replicas, ReadyReplicas = replicas == 0 ? null : replicas, AvailableReplicas = replicas == 0 ? null : replicas, ObservedGeneration = 1 },
        };
    }

    public V1StatefulSet StatefulSet(string name, string ns, int replicas, V1PodTemplateSpec template, PodProfile? profile, DateTime created, SyntheticRandom rng)
    {
        var revision = $"{name}-{rng.KubeSuffix(10)}";
        return new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = Meta("StatefulSet", name, ns, created, rng, template.Metadata?.Labels is { } l ? new Dictionary<string, string>(l) : null, generation: rng.Between(1, 12)),
            Spec = new V1StatefulSetSpec
            {
                Replicas = replicas,
                ServiceName = name + "-headless",
                Selector = SelectorOf(template),
                Template = template,
                PodManagementPolicy = "OrderedReady",
                RevisionHistoryLimit = 10,
                UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = 0 } },
                PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = "Retain", WhenScaled = "Retain" },
                VolumeClaimTemplates = profile?.ClaimTemplate is { } claim
                    ?
                    [
                        new V1PersistentVolumeClaim
                        {
                            ApiVersion = "v1", Kind = "PersistentVolumeClaim",
                            Metadata = new V1ObjectMeta { Name = claim },
                            Spec = new V1PersistentVolumeClaimSpec
                            {
                                AccessModes = ["ReadWriteOnce"], StorageClassName = "gp3", VolumeMode = "Filesystem",
                                Resources = new V1VolumeResourceRequirements { Requests = Quantities(("storage", "20Gi")) },
                            },
                            Status = new V1PersistentVolumeClaimStatus { Phase = "Pending" },
                        },
                    ]
                    : null,
            },
            Status = new V1StatefulSetStatus
            {
                Replicas = replicas, ReadyReplicas = replicas, CurrentReplicas = replicas, UpdatedReplicas = replicas, AvailableReplicas = replicas,
                CurrentRevision = revision, UpdateRevision = revision, ObservedGeneration = 1, CollisionCount = 0,
            },
        };
    }

    public V1DaemonSet DaemonSet(string name, string ns, int nodes, V1PodTemplateSpec template, DateTime created, SyntheticRandom rng, IDictionary<string, string>? labels = null)
    {
        var notReady = nodes > 50 ? rng.Between(0, nodes / 500 + 1) : 0;
        return new V1DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = Meta("DaemonSet", name, ns, created, rng, labels ?? (template.Metadata?.Labels is { } l ? new Dictionary<string, string>(l) : null),
                Labels(("deprecated.daemonset.template.generation", rng.Between(1, 9).ToString(CultureInfo.InvariantCulture))), generation: rng.Between(1, 9)),
            Spec = new V1DaemonSetSpec
            {
                Selector = SelectorOf(template),
                Template = template,
                RevisionHistoryLimit = 10,
                UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDaemonSet { MaxSurge = 0, MaxUnavailable = "10%" } },
            },
            Status = new V1DaemonSetStatus
            {
                DesiredNumberScheduled = nodes, CurrentNumberScheduled = nodes, NumberReady = nodes - notReady, UpdatedNumberScheduled = nodes,
                NumberAvailable = nodes - notReady, NumberUnavailable = notReady == 0 ? null : notReady, NumberMisscheduled = 0, ObservedGeneration = 1,
            },
        };
    }

    public V1Job Job(string name, string ns, V1PodTemplateSpec template, V1OwnerReference? owner, bool succeeded, DateTime created, SyntheticRandom rng)
    {
        var uid = Uid("Job", ns, name);
        template.Metadata.Labels ??= new Dictionary<string, string>();
        template.Metadata.Labels["batch.kubernetes.io/controller-uid"] = uid;
        template.Metadata.Labels["batch.kubernetes.io/job-name"] = name;
        template.Metadata.Labels["controller-uid"] = uid;
        template.Metadata.Labels["job-name"] = name;
        var finished = created.AddSeconds(rng.Between(20, 1800));
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = Meta("Job", name, ns, created, rng, new Dictionary<string, string>(template.Metadata.Labels), owners: owner is null ? null : [owner], generation: 1),
            Spec = new V1JobSpec
            {
                Parallelism = 1, Completions = 1, BackoffLimit = 6, CompletionMode = "NonIndexed", Suspend = false, PodReplacementPolicy = "TerminatingOrFailed",
                TtlSecondsAfterFinished = rng.Chance(0.5) ? 86400 : null,
                Selector = new V1LabelSelector { MatchLabels = Labels(("batch.kubernetes.io/controller-uid", uid)) },
                ManualSelector = null,
                Template = template,
            },
            Status = succeeded
                ? new V1JobStatus
                {
                    Succeeded = 1, Ready = 0, Terminating = 0, StartTime = created, CompletionTime = finished,
                    UncountedTerminatedPods = new V1UncountedTerminatedPods(),
                    Conditions =
                    [
                        new V1JobCondition { Type = "SuccessCriteriaMet", Status = "True", LastProbeTime = finished, LastTransitionTime = finished },
                        new V1JobCondition { Type = "Complete", Status = "True", LastProbeTime = finished, LastTransitionTime = finished },
                    ],
                }
                : new V1JobStatus { Active = 1, Ready = 1, Terminating = 0, StartTime = created, UncountedTerminatedPods = new V1UncountedTerminatedPods() },
        };
    }

    public V1CronJob CronJob(string name, string ns, V1PodTemplateSpec template, string schedule, IEnumerable<string> activeJobs, DateTime created, DateTime lastSchedule, SyntheticRandom rng)
    {
        var labels = template.Metadata?.Labels is { } l ? new Dictionary<string, string>(l) : null;
        return new V1CronJob
        {
            ApiVersion = "batch/v1",
            Kind = "CronJob",
            Metadata = Meta("CronJob", name, ns, created, rng, labels, generation: rng.Between(1, 5)),
            Spec = new V1CronJobSpec
            {
                Schedule = schedule,
                ConcurrencyPolicy = rng.Chance(0.6) ? "Forbid" : "Allow",
                Suspend = rng.Chance(0.05),
                SuccessfulJobsHistoryLimit = 3,
                FailedJobsHistoryLimit = 1,
                JobTemplate = new V1JobTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels is null ? null : new Dictionary<string, string>(labels) },
                    Spec = new V1JobSpec { BackoffLimit = 2, Template = template },
                },
            },
            Status = new V1CronJobStatus
            {
                LastScheduleTime = lastSchedule,
                LastSuccessfulTime = lastSchedule.AddMinutes(-rng.Between(0, 60)),
                Active = activeJobs.Select(j => new V1ObjectReference { ApiVersion = "batch/v1", Kind = "Job", Name = j, NamespaceProperty = ns, Uid = Uid("Job", ns, j) }).ToList() is { Count: > 0 } a ? a : null,
            },
        };
    }

    private static V1LabelSelector SelectorOf(V1PodTemplateSpec template)
    {
        var labels = template.Metadata?.Labels ?? new Dictionary<string, string>();
        var match = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in new[] { "app.kubernetes.io/name", "app.kubernetes.io/instance", "k8s-app", "app" })
            if (labels.TryGetValue(key, out var v)) match[key] = v;
        if (match.Count == 0 && labels.Count > 0) match[labels.First().Key] = labels.First().Value;
        return new V1LabelSelector { MatchLabels = match };
    }
}
