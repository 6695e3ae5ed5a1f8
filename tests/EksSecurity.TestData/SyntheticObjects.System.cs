using k8s.Models;

namespace EksSecurity.TestData;

/// <summary>A container of a platform component's template.</summary>
public sealed record SystemContainer(string Name, string Image)
{
    public bool Privileged { get; init; }
    public string[]? AddCapabilities { get; init; }
    public int? Port { get; init; }
    public bool HostPort { get; init; }
    public string[]? Args { get; init; }
    public (string Name, string Value)[]? Env { get; init; }
    public (string Volume, string MountPath, bool ReadOnly)[]? Mounts { get; init; }
    public bool RunAsNonRoot { get; init; }
    public string Cpu { get; init; } = "25m";
    public string Memory { get; init; } = "64Mi";
}

/// <summary>A platform component (EKS add-on, controller, agent): its fixed template, as the add-on installs it.</summary>
public sealed record SystemWorkload(string Kind, string Namespace, string Name, string ServiceAccount)
{
    public required SystemContainer[] Containers { get; init; }
    public SystemContainer[]? InitContainers { get; init; }
    public bool HostNetwork { get; init; }
    public bool HostPid { get; init; }
    public (string Name, string Path, string Type)[]? HostPaths { get; init; }
    public string? PriorityClassName { get; init; }
    public bool TolerateEverything { get; init; }
    /// <summary>Replicas for Deployments and StatefulSets; ignored for DaemonSets (one per node).</summary>
    public int Replicas { get; init; } = 1;
    public string AppLabelKey { get; init; } = "app.kubernetes.io/name";
}

public sealed partial class SyntheticObjects
{
    /// <summary>
    /// The DaemonSets of a typical production EKS cluster, in the order a cluster grows them:
    /// the VPC CNI, kube-proxy, the EBS CSI node driver, the Pod Identity agent, then logging,
    /// GuardDuty and node metrics.
    /// </summary>
    public IReadOnlyList<SystemWorkload> SystemDaemonSets() =>
    [
        new("DaemonSet", "kube-system", "aws-node", "aws-node")
        {
            AppLabelKey = "k8s-app",
            HostNetwork = true,
            PriorityClassName = "system-node-critical",
            TolerateEverything = true,
            HostPaths = [("cni-bin-dir", "/opt/cni/bin", ""), ("cni-net-dir", "/etc/cni/net.d", ""), ("log-dir", "/var/log/aws-routed-eni", "DirectoryOrCreate"),
                ("run-dir", "/var/run/aws-node", "DirectoryOrCreate"), ("xtables-lock", "/run/xtables.lock", "FileOrCreate"), ("bpf-pin-path", "/sys/fs/bpf", ""),
                ("networkpolicy-dir", "/var/run/aws-node/networkpolicy", "DirectoryOrCreate")],
            InitContainers = [new("aws-vpc-cni-init", $"{EksRegistry}/amazon-k8s-cni-init:v1.19.2-eksbuild.1") { Privileged = true, Env = [("DISABLE_TCP_EARLY_DEMUX", "false"), ("ENABLE_IPv6", "false")], Mounts = [("cni-bin-dir", "/host/opt/cni/bin", false)] }],
            Containers =
            [
                new("aws-node", $"{EksRegistry}/amazon-k8s-cni:v1.19.2-eksbuild.1")
                {
                    AddCapabilities = ["NET_ADMIN", "NET_RAW"], Port = 61678, Cpu = "25m", Memory = "",
                    Env = [("ADDITIONAL_ENI_TAGS", "{}"), ("AWS_VPC_CNI_NODE_PORT_SUPPORT", "true"), ("AWS_VPC_ENI_MTU", "9001"), ("AWS_VPC_K8S_CNI_EXTERNALSNAT", "false"),
                        ("AWS_VPC_K8S_CNI_LOGLEVEL", "DEBUG"), ("ENABLE_POD_ENI", "false"), ("ENABLE_PREFIX_DELEGATION", "false"), ("POD_SECURITY_GROUP_ENFORCING_MODE", "standard"),
                        ("VPC_CNI_VERSION", "v1.19.2"), ("WARM_ENI_TARGET", "1"), ("NETWORK_POLICY_ENFORCING_MODE", "standard")],
                    Mounts = [("cni-bin-dir", "/host/opt/cni/bin", false), ("cni-net-dir", "/host/etc/cni/net.d", false), ("log-dir", "/host/var/log/aws-routed-eni", false),
                        ("run-dir", "/var/run/aws-node", false), ("xtables-lock", "/run/xtables.lock", false)],
                },
                new("aws-eks-nodeagent", $"{EksRegistry}/amazon/aws-network-policy-agent:v1.1.6-eksbuild.1")
                {
                    Privileged = true, Cpu = "25m", Memory = "",
                    Args = ["--enable-ipv6=false", "--enable-network-policy=true", "--enable-cloudwatch-logs=false", "--enable-policy-event-logs=false", "--metrics-bind-addr=:8162", "--health-probe-bind-addr=:8163", "--conntrack-cache-cleanup-period=300"],
                    Mounts = [("bpf-pin-path", "/sys/fs/bpf", false), ("log-dir", "/var/log/aws-routed-eni", false), ("run-dir", "/var/run/aws-node", false)],
                },
            ],
        },
        new("DaemonSet", "kube-system", "kube-proxy", "kube-proxy")
        {
            AppLabelKey = "k8s-app",
            HostNetwork = true,
            PriorityClassName = "system-node-critical",
            TolerateEverything = true,
            HostPaths = [("varlog", "/var/log", ""), ("xtables-lock", "/run/xtables.lock", "FileOrCreate"), ("lib-modules", "/lib/modules", "")],
            Containers =
            [
                new("kube-proxy", $"{EksRegistry}/eks/kube-proxy:v{Options.KubernetesVersion}.{PatchVersion}-minimal-eksbuild.2")
                {
                    Privileged = true, Cpu = "100m", Memory = "",
                    Args = ["kube-proxy", "--v=2", "--config=/var/lib/kube-proxy-config/config", "--hostname-override=$(NODE_NAME)"],
                    Mounts = [("varlog", "/var/log", false), ("xtables-lock", "/run/xtables.lock", false), ("lib-modules", "/lib/modules", true)],
                },
            ],
        },
        new("DaemonSet", "kube-system", "ebs-csi-node", "ebs-csi-node-sa")
        {
            PriorityClassName = "system-node-critical",
            TolerateEverything = true,
            HostPaths = [("kubelet-dir", "/var/lib/kubelet", "Directory"), ("plugin-dir", "/var/lib/kubelet/plugins/ebs.csi.aws.com/", "DirectoryOrCreate"),
                ("registration-dir", "/var/lib/kubelet/plugins_registry/", "Directory"), ("device-dir", "/dev", "Directory")],
            Containers =
            [
                new("ebs-plugin", "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.38.1")
                {
                    Privileged = true, Args = ["node", "--endpoint=$(CSI_ENDPOINT)", "--csi-mount-point-prefix=/var/lib/kubelet/plugins/kubernetes.io/csi/ebs.csi.aws.com/", "--logging-format=text", "--v=2"],
                    Env = [("CSI_ENDPOINT", "unix:/csi/csi.sock")], Port = 9808, Cpu = "10m", Memory = "40Mi",
                    Mounts = [("kubelet-dir", "/var/lib/kubelet", false), ("plugin-dir", "/csi", false), ("device-dir", "/dev", false)],
                },
                new("node-driver-registrar", "public.ecr.aws/eks-distro/kubernetes-csi/node-driver-registrar:v2.12.0-eks-1-31-9")
                {
                    RunAsNonRoot = false, Cpu = "10m", Memory = "40Mi",
                    Args = ["--csi-address=$(ADDRESS)", "--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)", "--v=2"],
                    Mounts = [("plugin-dir", "/csi", false), ("registration-dir", "/registration", false)],
                },
                new("liveness-probe", "public.ecr.aws/eks-distro/kubernetes-csi/livenessprobe:v2.14.0-eks-1-31-9") { Cpu = "10m", Memory = "40Mi", Mounts = [("plugin-dir", "/csi", false)] },
            ],
        },
        new("DaemonSet", "kube-system", "eks-pod-identity-agent", "default")
        {
            HostNetwork = true,
            PriorityClassName = "system-node-critical",
            TolerateEverything = true,
            InitContainers = [new("eks-pod-identity-agent-init", $"{EksRegistry}/eks/eks-pod-identity-agent:v0.1.21") { Privileged = true, Args = ["initialize"] }],
            Containers =
            [
                new("eks-pod-identity-agent", $"{EksRegistry}/eks/eks-pod-identity-agent:v0.1.21")
                {
                    AddCapabilities = ["CAP_NET_BIND_SERVICE"], Port = 80, Cpu = "25m", Memory = "",
                    Args = ["--port", "80", "--cluster-name", ClusterName, "--probe-port", "2703"],
                    Env = [("AWS_REGION", Region)],
                },
            ],
        },
        new("DaemonSet", "amazon-cloudwatch", "fluent-bit", "cloudwatch-agent")
        {
            AppLabelKey = "k8s-app",
            HostPaths = [("fluentbitstate", "/var/fluent-bit/state", ""), ("varlog", "/var/log", ""), ("varlibdockercontainers", "/var/lib/docker/containers", ""),
                ("runlogjournal", "/run/log/journal", ""), ("dmesg", "/var/log/dmesg", "")],
            TolerateEverything = true,
            Containers =
            [
                new("fluent-bit", "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4")
                {
                    Cpu = "50m", Memory = "25Mi",
                    Env = [("AWS_REGION", Region), ("CLUSTER_NAME", ClusterName), ("HTTP_SERVER", "On"), ("HTTP_PORT", "2020"), ("READ_FROM_HEAD", "Off"), ("READ_FROM_TAIL", "On"), ("CI_VERSION", "k8s/1.3.17")],
                    Mounts = [("fluentbitstate", "/var/fluent-bit/state", false), ("varlog", "/var/log", true), ("varlibdockercontainers", "/var/lib/docker/containers", true),
                        ("runlogjournal", "/run/log/journal", true), ("dmesg", "/var/log/dmesg", true)],
                },
            ],
        },
        new("DaemonSet", "amazon-guardduty", "aws-guardduty-agent", "aws-guardduty-agent")
        {
            HostPid = true,
            HostNetwork = true,
            PriorityClassName = "aws-guardduty-agent.priorityclass",
            TolerateEverything = true,
            HostPaths = [("host-proc", "/proc", ""), ("host-sys-kernel-debug", "/sys/kernel/debug", "")],
            Containers =
            [
                new("aws-guardduty-agent", $"{EksRegistry}/aws-guardduty-agent:v1.8.1")
                {
                    AddCapabilities = ["SYS_ADMIN", "SYS_RESOURCE", "SYS_PTRACE", "NET_ADMIN", "BPF", "PERFMON"], Cpu = "200m", Memory = "256Mi",
                    Env = [("CLUSTER_NAME", ClusterName), ("AWS_REGION", Region), ("AGENT_LOG_LEVEL", "info")],
                    Mounts = [("host-proc", "/host_proc", true), ("host-sys-kernel-debug", "/sys/kernel/debug", false)],
                },
            ],
        },
        new("DaemonSet", "monitoring", "prometheus-node-exporter", "prometheus-node-exporter")
        {
            HostNetwork = true,
            HostPid = true,
            TolerateEverything = true,
            HostPaths = [("proc", "/proc", ""), ("sys", "/sys", ""), ("root", "/", "")],
            Containers =
            [
                new("node-exporter", "quay.io/prometheus/node-exporter:v1.8.2")
                {
                    RunAsNonRoot = true, Port = 9100, HostPort = true, Cpu = "10m", Memory = "32Mi",
                    Args = ["--path.procfs=/host/proc", "--path.sysfs=/host/sys", "--path.rootfs=/host/root", "--web.listen-address=[$(HOST_IP)]:9100"],
                    Mounts = [("proc", "/host/proc", true), ("sys", "/host/sys", true), ("root", "/host/root", true)],
                },
            ],
        },
    ];

    /// <summary>Controllers and add-ons that run as Deployments and StatefulSets in the platform namespaces.</summary>
    public IReadOnlyList<SystemWorkload> SystemControllers() =>
    [
        new("Deployment", "kube-system", "coredns", "coredns")
        {
            AppLabelKey = "k8s-app", Replicas = 2, PriorityClassName = "system-cluster-critical",
            Containers = [new("coredns", $"{EksRegistry}/eks/coredns:v1.11.4-eksbuild.2") { AddCapabilities = ["NET_BIND_SERVICE"], Port = 53, Cpu = "100m", Memory = "70Mi", Args = ["-conf", "/etc/coredns/Corefile"] }],
        },
        new("Deployment", "kube-system", "ebs-csi-controller", "ebs-csi-controller-sa")
        {
            Replicas = 2, PriorityClassName = "system-cluster-critical",
            Containers =
            [
                new("ebs-plugin", "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.38.1") { RunAsNonRoot = true, Args = ["controller", "--endpoint=$(CSI_ENDPOINT)", "--batching=true", "--logging-format=text", "--v=2"], Cpu = "10m", Memory = "40Mi" },
                new("csi-provisioner", "public.ecr.aws/eks-distro/kubernetes-csi/external-provisioner:v5.1.0-eks-1-31-9") { RunAsNonRoot = true, Cpu = "10m", Memory = "40Mi" },
                new("csi-attacher", "public.ecr.aws/eks-distro/kubernetes-csi/external-attacher:v4.7.0-eks-1-31-9") { RunAsNonRoot = true, Cpu = "10m", Memory = "40Mi" },
            ],
        },
        new("Deployment", "kube-system", "aws-load-balancer-controller", "aws-load-balancer-controller")
        {
            Replicas = 2, PriorityClassName = "system-cluster-critical",
            Containers = [new("aws-load-balancer-controller", "public.ecr.aws/eks/aws-load-balancer-controller:v2.11.0") { RunAsNonRoot = true, Port = 9443, Args = ["--cluster-name=" + ClusterName, "--ingress-class=alb"], Cpu = "100m", Memory = "128Mi" }],
        },
        new("Deployment", "kube-system", "metrics-server", "metrics-server")
        {
            AppLabelKey = "k8s-app", Replicas = 2, PriorityClassName = "system-cluster-critical",
            Containers = [new("metrics-server", "registry.k8s.io/metrics-server/metrics-server:v0.7.2") { RunAsNonRoot = true, Port = 10250, Args = ["--secure-port=10250", "--kubelet-preferred-address-types=InternalIP"], Cpu = "100m", Memory = "200Mi" }],
        },
        new("Deployment", "kube-system", "cluster-autoscaler", "cluster-autoscaler")
        {
            Replicas = 1, PriorityClassName = "system-cluster-critical",
            Containers = [new("cluster-autoscaler", "registry.k8s.io/autoscaling/cluster-autoscaler:v1.31.0") { RunAsNonRoot = true, Port = 8085, Args = ["--cloud-provider=aws", "--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/" + ClusterName], Cpu = "100m", Memory = "600Mi" }],
        },
        new("Deployment", "amazon-cloudwatch", "amazon-cloudwatch-observability-controller-manager", "amazon-cloudwatch-observability-controller-manager")
        {
            Containers = [new("manager", "public.ecr.aws/cloudwatch-agent/cloudwatch-agent-operator:2.0.1") { RunAsNonRoot = true, Port = 9443, Cpu = "100m", Memory = "64Mi" }],
        },
        new("Deployment", "cert-manager", "cert-manager", "cert-manager")
        {
            Replicas = 2,
            Containers = [new("cert-manager-controller", "quay.io/jetstack/cert-manager-controller:v1.16.2") { RunAsNonRoot = true, Port = 9402, Cpu = "10m", Memory = "32Mi" }],
        },
        new("Deployment", "cert-manager", "cert-manager-cainjector", "cert-manager-cainjector")
        {
            Containers = [new("cert-manager-cainjector", "quay.io/jetstack/cert-manager-cainjector:v1.16.2") { RunAsNonRoot = true, Cpu = "10m", Memory = "32Mi" }],
        },
        new("Deployment", "cert-manager", "cert-manager-webhook", "cert-manager-webhook")
        {
            Replicas = 2,
            Containers = [new("cert-manager-webhook", "quay.io/jetstack/cert-manager-webhook:v1.16.2") { RunAsNonRoot = true, Port = 10250, Cpu = "10m", Memory = "32Mi" }],
        },
        new("Deployment", "monitoring", "kube-state-metrics", "kube-state-metrics")
        {
            Containers = [new("kube-state-metrics", "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.14.0") { RunAsNonRoot = true, Port = 8080, Cpu = "100m", Memory = "2Gi" }],
        },
        new("StatefulSet", "monitoring", "prometheus", "prometheus")
        {
            Replicas = 2,
            Containers =
            [
                new("prometheus", "quay.io/prometheus/prometheus:v3.0.1") { RunAsNonRoot = true, Port = 9090, Cpu = "2", Memory = "16Gi", Args = ["--storage.tsdb.retention.time=15d", "--config.file=/etc/prometheus/prometheus.yml"] },
                new("config-reloader", "quay.io/prometheus-operator/prometheus-config-reloader:v0.79.2") { RunAsNonRoot = true, Cpu = "10m", Memory = "50Mi" },
            ],
        },
        new("Deployment", "monitoring", "grafana", "grafana")
        {
            Containers = [new("grafana", "docker.io/grafana/grafana:11.4.0") { RunAsNonRoot = true, Port = 3000, Cpu = "250m", Memory = "512Mi", Env = [("GF_SECURITY_ADMIN_USER", "admin"), ("GF_SECURITY_ADMIN_PASSWORD", "admin")] }],
        },
        new("Deployment", "ingress-nginx", "ingress-nginx-controller", "ingress-nginx")
        {
            Replicas = 3,
            Containers = [new("controller", "registry.k8s.io/ingress-nginx/controller:v1.12.0") { AddCapabilities = ["NET_BIND_SERVICE"], Port = 443, Cpu = "100m", Memory = "90Mi", Args = ["/nginx-ingress-controller", "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller", "--election-id=ingress-nginx-leader"] }],
        },
        new("Deployment", "external-secrets", "external-secrets", "external-secrets")
        {
            Containers = [new("external-secrets", "oci.external-secrets.io/external-secrets/external-secrets:v0.12.1") { RunAsNonRoot = true, Port = 8080, Cpu = "10m", Memory = "64Mi" }],
        },
    ];

    /// <summary>The pod template of a platform component.</summary>
    public V1PodTemplateSpec SystemTemplate(SystemWorkload w)
    {
        var labels = Labels((w.AppLabelKey, w.Name));
        if (w.AppLabelKey != "app.kubernetes.io/name") labels["app.kubernetes.io/name"] = w.Name;
        if (w.Namespace == "kube-system") labels["app.kubernetes.io/managed-by"] = "EKS";
        V1Container Build(SystemContainer c)
        {
            var container = new V1Container
            {
                Name = c.Name,
                Image = c.Image,
                ImagePullPolicy = "IfNotPresent",
                Args = c.Args,
                Env = c.Env?.Select(e => new V1EnvVar { Name = e.Name, Value = e.Value })
                    .Append(new V1EnvVar { Name = "NODE_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = "spec.nodeName" } } })
                    .ToList(),
                VolumeMounts = c.Mounts?.Select(m => new V1VolumeMount { Name = m.Volume, MountPath = m.MountPath, ReadOnlyProperty = m.ReadOnly ? true : null }).ToList(),
                Resources = new V1ResourceRequirements
                {
                    Requests = c.Memory.Length > 0 ? Quantities(("cpu", c.Cpu), ("memory", c.Memory)) : Quantities(("cpu", c.Cpu)),
                    Limits = c.Memory.Length > 0 ? Quantities(("memory", c.Memory)) : null,
                },
                TerminationMessagePath = "/dev/termination-log",
                TerminationMessagePolicy = "File",
                Ports = c.Port is { } port ? [new V1ContainerPort { ContainerPort = port, HostPort = c.HostPort || w.HostNetwork ? port : null, Name = "metrics", Protocol = "TCP" }] : null,
            };
            if (c.Privileged || c.AddCapabilities is not null || c.RunAsNonRoot)
            {
                container.SecurityContext = new V1SecurityContext
                {
                    Privileged = c.Privileged ? true : null,
                    Capabilities = c.AddCapabilities is null ? (c.RunAsNonRoot ? new V1Capabilities { Drop = ["ALL"] } : null) : new V1Capabilities { Add = c.AddCapabilities },
                    RunAsNonRoot = c.RunAsNonRoot ? true : null,
                    AllowPrivilegeEscalation = c.RunAsNonRoot ? false : null,
                    ReadOnlyRootFilesystem = c.RunAsNonRoot ? true : null,
                };
            }
            return container;
        }
        var spec = new V1PodSpec
        {
            Containers = w.Containers.Select(Build).ToList(),
            InitContainers = w.InitContainers?.Select(Build).ToList(),
            ServiceAccountName = w.ServiceAccount,
            ServiceAccount = w.ServiceAccount,
            HostNetwork = w.HostNetwork ? true : null,
            HostPID = w.HostPid ? true : null,
            DnsPolicy = w.HostNetwork ? "ClusterFirstWithHostNet" : "ClusterFirst",
            RestartPolicy = "Always",
            SchedulerName = "default-scheduler",
            TerminationGracePeriodSeconds = 30,
            SecurityContext = new V1PodSecurityContext(),
            PriorityClassName = w.PriorityClassName,
            Volumes = w.HostPaths?.Select(h => new V1Volume { Name = h.Name, HostPath = new V1HostPathVolumeSource { Path = h.Path, Type = h.Type } }).ToList(),
            Tolerations = w.TolerateEverything ? [new V1Toleration { OperatorProperty = "Exists" }] : null,
            Affinity = w.Kind == "DaemonSet"
                ? new V1Affinity
                {
                    NodeAffinity = new V1NodeAffinity
                    {
                        RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                        {
                            NodeSelectorTerms =
                            [
                                new V1NodeSelectorTerm
                                {
                                    MatchExpressions =
                                    [
                                        new V1NodeSelectorRequirement { Key = "kubernetes.io/os", OperatorProperty = "In", Values = ["linux"] },
                                        new V1NodeSelectorRequirement { Key = "eks.amazonaws.com/compute-type", OperatorProperty = "NotIn", Values = ["fargate", "hybrid", "auto"] },
                                    ],
                                },
                            ],
                        },
                    },
                }
                : null,
        };
        return new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = spec };
    }
}
