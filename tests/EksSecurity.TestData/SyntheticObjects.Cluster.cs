using System.Globalization;
using System.Text;
using k8s.Models;

namespace EksSecurity.TestData;

/// <summary>Pod Security Admission labels of a namespace; null levels are left out.</summary>
public sealed record PsaLabels(string? Enforce, string? Audit = null, string? Warn = null, string? EnforceVersion = null)
{
    public static PsaLabels None { get; } = new((string?)null);
}

/// <summary>One worker node: its EC2 identity and where it came from (a managed node group or Karpenter).</summary>
public sealed record NodeSpecification
{
    public required string Name { get; init; }
    public required string InstanceId { get; init; }
    public required string Zone { get; init; }
    public required string InstanceType { get; init; }
    /// <summary>The managed node group; null for Karpenter or self-managed nodes.</summary>
    public string? NodeGroup { get; init; }
    public string? KarpenterNodePool { get; init; }
    /// <summary>ON_DEMAND or SPOT.</summary>
    public string CapacityType { get; init; } = "ON_DEMAND";
    public string Architecture { get; init; } = "amd64";
    public string AmiType { get; init; } = "AL2023_x86_64_STANDARD";
    public string ImageId { get; init; } = "ami-0abcdef1234567890";
    public string? LaunchTemplateId { get; init; }
    public string? LaunchTemplateVersion { get; init; }
    public bool Ready { get; init; } = true;
    public int Cpu { get; init; } = 8;
    public int MemoryGi { get; init; } = 32;
    public int MaxPods { get; init; } = 58;
    public string? GpuTaint { get; init; }
    public required string PrivateIp { get; init; }
    public string? PublicIp { get; init; }
    public DateTime Created { get; init; }
}

public sealed partial class SyntheticObjects
{
    public V1Namespace Namespace(string name, PsaLabels psa, DateTime created, SyntheticRandom rng, IDictionary<string, string>? extraLabels = null)
    {
        var labels = Labels(("kubernetes.io/metadata.name", name),
            ("pod-security.kubernetes.io/enforce", psa.Enforce), ("pod-security.kubernetes.io/enforce-version", psa.EnforceVersion),
            ("pod-security.kubernetes.io/audit", psa.Audit), ("pod-security.kubernetes.io/warn", psa.Warn));
        if (extraLabels is not null)
            foreach (var (k, v) in extraLabels) labels[k] = v;
        return new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = Meta("Namespace", name, null, created, rng, labels),
            Spec = new V1NamespaceSpec { Finalizers = ["kubernetes"] },
            Status = new V1NamespaceStatus { Phase = "Active" },
        };
    }

    private static readonly string[] CommonNodeImages =
    [
        "registry.k8s.io/pause:3.10", "public.ecr.aws/eks-distro/kubernetes/pause:3.10",
        "quay.io/prometheus/node-exporter:v1.8.2", "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4",
        "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.38.1",
    ];

    public V1Node Node(NodeSpecification n, SyntheticRandom rng)
    {
        var labels = Labels(
            ("beta.kubernetes.io/arch", n.Architecture), ("beta.kubernetes.io/instance-type", n.InstanceType), ("beta.kubernetes.io/os", "linux"),
            ("failure-domain.beta.kubernetes.io/region", Region), ("failure-domain.beta.kubernetes.io/zone", n.Zone),
            ("k8s.io/cloud-provider-aws", rng.Hex(32)), ("kubernetes.io/arch", n.Architecture), ("kubernetes.io/hostname", n.Name), ("kubernetes.io/os", "linux"),
            ("node.kubernetes.io/instance-type", n.InstanceType), ("topology.k8s.aws/zone-id", "usw2-az" + (n.Zone[^1] - 'a' + 1)),
            ("topology.kubernetes.io/region", Region), ("topology.kubernetes.io/zone", n.Zone));
        if (n.NodeGroup is not null)
        {
            labels["eks.amazonaws.com/capacityType"] = n.CapacityType;
            labels["eks.amazonaws.com/nodegroup"] = n.NodeGroup;
            labels["eks.amazonaws.com/nodegroup-image"] = n.ImageId;
            if (n.LaunchTemplateId is not null)
            {
                labels["eks.amazonaws.com/sourceLaunchTemplateId"] = n.LaunchTemplateId;
                labels["eks.amazonaws.com/sourceLaunchTemplateVersion"] = n.LaunchTemplateVersion ?? "1";
            }
        }
        if (n.KarpenterNodePool is not null)
        {
            labels["karpenter.sh/nodepool"] = n.KarpenterNodePool;
            labels["karpenter.sh/capacity-type"] = n.CapacityType == "SPOT" ? "spot" : "on-demand";
            labels["karpenter.sh/initialized"] = "true";
            labels["karpenter.sh/registered"] = "true";
            labels["karpenter.k8s.aws/instance-category"] = n.InstanceType[..1];
            labels["karpenter.k8s.aws/instance-generation"] = new string(n.InstanceType.Skip(1).TakeWhile(char.IsDigit).ToArray());
        }
        var memKi = n.MemoryGi * 1024L * 1024 - 500_000;
        var allocatableMemKi = memKi - 1_600_000 - n.MaxPods * 11_000L;
        var heartbeat = Now.AddSeconds(-rng.Between(1, 40));
        var images = new List<V1ContainerImage>();
        foreach (var image in CommonNodeImages.Concat(new[]
                 {
                     $"{EksRegistry}/amazon-k8s-cni:v1.19.2-eksbuild.1", $"{EksRegistry}/amazon-k8s-cni-init:v1.19.2-eksbuild.1",
                     $"{EksRegistry}/eks/kube-proxy:v{Options.KubernetesVersion}.{PatchVersion}-minimal-eksbuild.2", $"{EksRegistry}/amazon/aws-network-policy-agent:v1.1.6-eksbuild.1",
                 }))
            images.Add(new V1ContainerImage { Names = [ImageId(image, rng), image], SizeBytes = rng.Between(300_000, 150_000_000) });
        var appImages = rng.Between(3, 12);
        for (var i = 0; i < appImages; i++)
        {
            var image = $"{EcrRegistry}/{rng.Pick(Teams)}/{rng.Pick(Apps)}:{rng.Between(1, 4)}.{rng.Between(0, 30)}.{rng.Between(0, 15)}";
            images.Add(new V1ContainerImage { Names = [ImageId(image, rng), image], SizeBytes = rng.Between(20_000_000, 900_000_000) });
        }

        V1NodeCondition Condition(string type, bool problem, string okReason, string okMessage, string badReason) => new()
        {
            Type = type,
            Status = problem ? "True" : "False",
            Reason = problem ? badReason : okReason,
            Message = okMessage,
            LastHeartbeatTime = heartbeat,
            LastTransitionTime = n.Created.AddSeconds(5),
        };
        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = Meta("Node", n.Name, null, n.Created, rng, labels, Labels(
                ("alpha.kubernetes.io/provided-node-ip", n.PrivateIp),
                ("node.alpha.kubernetes.io/ttl", "0"),
                ("volumes.kubernetes.io/controller-managed-attach-detach", "true"),
                ("karpenter.k8s.aws/ec2nodeclass-hash", n.KarpenterNodePool is null ? null : rng.Digits(19)))),
            Spec = new V1NodeSpec
            {
                ProviderID = $"aws:///{n.Zone}/{n.InstanceId}",
                Taints = n.GpuTaint is null ? null : [new V1Taint { Key = n.GpuTaint, Value = "true", Effect = "NoSchedule" }],
                Unschedulable = n.Ready ? null : true,
            },
            Status = new V1NodeStatus
            {
                Capacity = Quantities(("cpu", n.Cpu.ToString(CultureInfo.InvariantCulture)), ("ephemeral-storage", "104845292Ki"), ("hugepages-1Gi", "0"), ("hugepages-2Mi", "0"),
                    ("memory", memKi.ToString(CultureInfo.InvariantCulture) + "Ki"), ("pods", n.MaxPods.ToString(CultureInfo.InvariantCulture))),
                Allocatable = Quantities(("cpu", (n.Cpu * 1000 - 70 - n.Cpu * 10).ToString(CultureInfo.InvariantCulture) + "m"), ("ephemeral-storage", "95551679124"), ("hugepages-1Gi", "0"), ("hugepages-2Mi", "0"),
                    ("memory", allocatableMemKi.ToString(CultureInfo.InvariantCulture) + "Ki"), ("pods", n.MaxPods.ToString(CultureInfo.InvariantCulture))),
                Conditions =
                [
                    Condition("MemoryPressure", false, "KubeletHasSufficientMemory", "kubelet has sufficient memory available", "KubeletHasInsufficientMemory"),
                    Condition("DiskPressure", !n.Ready && rng.Chance(0.3), "KubeletHasNoDiskPressure", "kubelet has no disk pressure", "KubeletHasDiskPressure"),
                    Condition("PIDPressure", false, "KubeletHasSufficientPID", "kubelet has sufficient PID available", "KubeletHasInsufficientPID"),
                    new V1NodeCondition
                    {
                        Type = "Ready", Status = n.Ready ? "True" : "Unknown", Reason = n.Ready ? "KubeletReady" : "NodeStatusUnknown",
                        Message = n.Ready ? "kubelet is posting ready status" : "Kubelet stopped posting node status.",
                        LastHeartbeatTime = n.Ready ? heartbeat : heartbeat.AddMinutes(-rng.Between(5, 300)), LastTransitionTime = n.Created.AddSeconds(30),
                    },
                ],
                Addresses =
                [
                    new V1NodeAddress { Type = "InternalIP", Address = n.PrivateIp },
                    .. n.PublicIp is null ? Array.Empty<V1NodeAddress>() : [new V1NodeAddress { Type = "ExternalIP", Address = n.PublicIp }],
                    new V1NodeAddress { Type = "InternalDNS", Address = n.Name },
                    new V1NodeAddress { Type = "Hostname", Address = n.Name },
                ],
                DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = 10250 } },
                NodeInfo = new V1NodeSystemInfo
                {
                    MachineID = rng.Hex(32), SystemUUID = "ec2" + rng.Hex(5) + "-" + rng.Hex(4) + "-" + rng.Hex(4) + "-" + rng.Hex(4) + "-" + rng.Hex(12), BootID = rng.Uuid(),
                    KernelVersion = n.AmiType.StartsWith("AL2023", StringComparison.Ordinal) ? "6.1.119-129.201.amzn2023." + (n.Architecture == "arm64" ? "aarch64" : "x86_64") : "5.10.230-223.885.amzn2.x86_64",
                    OsImage = n.AmiType.StartsWith("AL2023", StringComparison.Ordinal) ? "Amazon Linux 2023.6.20241212" : "Amazon Linux 2",
                    ContainerRuntimeVersion = "containerd://1.7.23", KubeletVersion = KubeletVersion, KubeProxyVersion = KubeletVersion,
                    OperatingSystem = "linux", Architecture = n.Architecture,
                },
                Images = images,
                VolumesInUse = rng.Chance(0.3) ? [$"kubernetes.io/csi/ebs.csi.aws.com^vol-0{rng.Hex(16)}"] : null,
            },
        };
    }

    // ---- identity and RBAC ----

    public V1ServiceAccount ServiceAccount(string name, string ns, DateTime created, SyntheticRandom rng, string? roleArn = null, bool? automount = null, IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = Meta("ServiceAccount", name, ns, created, rng, labels,
            roleArn is null ? null : Labels(("eks.amazonaws.com/role-arn", roleArn), ("eks.amazonaws.com/sts-regional-endpoints", rng.Chance(0.5) ? "true" : null))),
        AutomountServiceAccountToken = automount,
    };

    public static V1PolicyRule Rule(string[] apiGroups, string[] resources, string[] verbs, string[]? resourceNames = null) =>
        new() { ApiGroups = apiGroups, Resources = resources, Verbs = verbs, ResourceNames = resourceNames };

    public V1Role Role(string name, string ns, IList<V1PolicyRule> rules, DateTime created, SyntheticRandom rng, IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "Role",
        Metadata = Meta("Role", name, ns, created, rng, labels),
        Rules = rules,
    };

    public V1ClusterRole ClusterRole(string name, IList<V1PolicyRule>? rules, DateTime created, SyntheticRandom rng, IDictionary<string, string>? labels = null, V1AggregationRule? aggregation = null) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRole",
        Metadata = Meta("ClusterRole", name, null, created, rng, labels,
            labels is not null && labels.ContainsKey("kubernetes.io/bootstrapping") ? Labels(("rbac.authorization.kubernetes.io/autoupdate", "true")) : null),
        Rules = rules ?? [],
        AggregationRule = aggregation,
    };

    public static Rbacv1Subject User(string name) => new() { Kind = "User", Name = name, ApiGroup = "rbac.authorization.k8s.io" };
    public static Rbacv1Subject Group(string name) => new() { Kind = "Group", Name = name, ApiGroup = "rbac.authorization.k8s.io" };
    public static Rbacv1Subject ServiceAccountSubject(string name, string ns) => new() { Kind = "ServiceAccount", Name = name, NamespaceProperty = ns };

    public V1RoleBinding RoleBinding(string name, string ns, string roleKind, string roleName, IList<Rbacv1Subject> subjects, DateTime created, SyntheticRandom rng, IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = Meta("RoleBinding", name, ns, created, rng, labels),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = roleKind, Name = roleName },
        Subjects = subjects,
    };

    public V1ClusterRoleBinding ClusterRoleBinding(string name, string roleName, IList<Rbacv1Subject> subjects, DateTime created, SyntheticRandom rng, IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRoleBinding",
        Metadata = Meta("ClusterRoleBinding", name, null, created, rng, labels,
            labels is not null && labels.ContainsKey("kubernetes.io/bootstrapping") ? Labels(("rbac.authorization.kubernetes.io/autoupdate", "true")) : null),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = roleName },
        Subjects = subjects,
    };

    // ---- configuration ----

    public V1ConfigMap ConfigMap(string name, string ns, IDictionary<string, string> data, DateTime created, SyntheticRandom rng, IDictionary<string, string>? labels = null, IDictionary<string, string>? annotations = null) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = Meta("ConfigMap", name, ns, created, rng, labels, annotations),
        Data = data,
    };

    /// <summary>The kube-root-ca.crt ConfigMap every namespace gets, with the cluster CA.</summary>
    public V1ConfigMap KubeRootCa(string ns, DateTime created, SyntheticRandom rng) =>
        ConfigMap("kube-root-ca.crt", ns, new Dictionary<string, string> { ["ca.crt"] = ClusterCaPem }, created, rng,
            annotations: Labels(("kubernetes.io/description", "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.")));

    private string? _clusterCaPem;
    /// <summary>A PEM block the size of an EKS cluster CA (random bytes, not a real certificate).</summary>
    public string ClusterCaPem => _clusterCaPem ??= MakePem(Random("cluster-ca"), 790);

    private static string MakePem(SyntheticRandom rng, int bytes)
    {
        var raw = new byte[bytes];
        for (var i = 0; i < raw.Length; i++) raw[i] = (byte)rng.Next(256);
        var b64 = Convert.ToBase64String(raw);
        var sb = new StringBuilder("-----BEGIN CERTIFICATE-----\n");
        for (var i = 0; i < b64.Length; i += 64) sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
        return sb.Append("-----END CERTIFICATE-----\n").ToString();
    }

    /// <summary>One aws-auth mapRoles or mapUsers entry.</summary>
    public sealed record AwsAuthEntry(string Arn, string Username, params string[] Groups);

    /// <summary>kube-system/aws-auth with the YAML text eksctl and the EKS console write.</summary>
    public V1ConfigMap AwsAuth(IEnumerable<AwsAuthEntry> roles, IEnumerable<AwsAuthEntry> users, DateTime created, SyntheticRandom rng)
    {
        static string Yaml(IEnumerable<AwsAuthEntry> entries, string arnKey)
        {
            var sb = new StringBuilder();
            foreach (var e in entries)
            {
                sb.Append("- groups:\n");
                foreach (var g in e.Groups) sb.Append("  - ").Append(g).Append('\n');
                sb.Append("  ").Append(arnKey).Append(": ").Append(e.Arn).Append('\n');
                sb.Append("  username: ").Append(e.Username).Append('\n');
            }
            return sb.ToString();
        }
        var data = new Dictionary<string, string> { ["mapRoles"] = Yaml(roles, "rolearn") };
        var userList = users.ToList();
        if (userList.Count > 0) data["mapUsers"] = Yaml(userList, "userarn");
        return ConfigMap("aws-auth", "kube-system", data, created, rng);
    }

    /// <summary>A Secret as collected: name, type, labels and annotations; the data is never kept.</summary>
    public V1Secret Secret(string name, string ns, string type, DateTime created, SyntheticRandom rng, IDictionary<string, string>? labels = null, IDictionary<string, string>? annotations = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = Meta("Secret", name, ns, created, rng, labels, annotations),
        Type = type,
    };

    // ---- networking ----

    public V1Service Service(string name, string ns, string type, IDictionary<string, string>? selector, int port, int targetPort, DateTime created, SyntheticRandom rng,
        IDictionary<string, string>? annotations = null, bool headless = false, IList<string>? sourceRanges = null)
    {
        var clusterIp = headless ? "None" : $"172.20.{rng.Between(0, 255)}.{rng.Between(1, 254)}";
        var svc = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = Meta("Service", name, ns, created, rng, selector is null ? null : new Dictionary<string, string>(selector), annotations),
            Spec = new V1ServiceSpec
            {
                Type = type,
                ClusterIP = clusterIp,
                ClusterIPs = [clusterIp],
                IpFamilies = ["IPv4"],
                IpFamilyPolicy = "SingleStack",
                InternalTrafficPolicy = "Cluster",
                SessionAffinity = "None",
                Selector = selector,
                Ports = [new V1ServicePort { Name = "http", Port = port, TargetPort = targetPort, Protocol = "TCP", NodePort = type is "NodePort" or "LoadBalancer" ? rng.Between(30000, 32767) : null }],
                LoadBalancerSourceRanges = sourceRanges,
                ExternalTrafficPolicy = type is "NodePort" or "LoadBalancer" ? "Cluster" : null,
                AllocateLoadBalancerNodePorts = type == "LoadBalancer" ? true : null,
            },
            Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus() },
        };
        if (type == "LoadBalancer")
            svc.Status.LoadBalancer.Ingress = [new V1LoadBalancerIngress { Hostname = $"k8s-{ns[..Math.Min(8, ns.Length)]}-{name[..Math.Min(8, name.Length)]}-{rng.Hex(10)}.elb.{Region}.amazonaws.com" }];
        return svc;
    }

    public V1NetworkPolicy NetworkPolicy(string name, string ns, V1NetworkPolicySpec spec, DateTime created, SyntheticRandom rng) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = Meta("NetworkPolicy", name, ns, created, rng, generation: 1),
        Spec = spec,
    };

    public V1NetworkPolicy DefaultDenyAll(string ns, DateTime created, SyntheticRandom rng) => NetworkPolicy("default-deny-all", ns, new V1NetworkPolicySpec
    {
        PodSelector = new V1LabelSelector(),
        PolicyTypes = ["Ingress", "Egress"],
    }, created, rng);

    public V1NetworkPolicy AllowDns(string ns, DateTime created, SyntheticRandom rng) => NetworkPolicy("allow-dns", ns, new V1NetworkPolicySpec
    {
        PodSelector = new V1LabelSelector(),
        PolicyTypes = ["Egress"],
        Egress =
        [
            new V1NetworkPolicyEgressRule
            {
                To =
                [
                    new V1NetworkPolicyPeer
                    {
                        NamespaceSelector = new V1LabelSelector { MatchLabels = Labels(("kubernetes.io/metadata.name", "kube-system")) },
                        PodSelector = new V1LabelSelector { MatchLabels = Labels(("k8s-app", "kube-dns")) },
                    },
                ],
                Ports = [new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 }, new V1NetworkPolicyPort { Protocol = "TCP", Port = 53 }],
            },
        ],
    }, created, rng);

    /// <summary>Egress anywhere except the instance metadata service (the policy New-EksMetadataDenyPolicy writes).</summary>
    public V1NetworkPolicy DenyImds(string ns, DateTime created, SyntheticRandom rng) => NetworkPolicy("deny-instance-metadata", ns, new V1NetworkPolicySpec
    {
        PodSelector = new V1LabelSelector(),
        PolicyTypes = ["Egress"],
        Egress = [new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0", Except = ["169.254.169.254/32"] } }] }],
    }, created, rng);

    public V1NetworkPolicy AllowFromIngress(string ns, string app, int port, DateTime created, SyntheticRandom rng) => NetworkPolicy($"allow-{app}-from-ingress", ns, new V1NetworkPolicySpec
    {
        PodSelector = new V1LabelSelector { MatchLabels = Labels(("app.kubernetes.io/name", app)) },
        PolicyTypes = ["Ingress"],
        Ingress =
        [
            new V1NetworkPolicyIngressRule
            {
                FromProperty =
                [
                    new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector { MatchLabels = Labels(("kubernetes.io/metadata.name", "ingress-nginx")) } },
                    new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = Labels(("app.kubernetes.io/part-of", ns)) } },
                ],
                Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = port }],
            },
        ],
    }, created, rng);

    public V1ResourceQuota ResourceQuota(string ns, int scale, DateTime created, SyntheticRandom rng)
    {
        var hard = Quantities(("requests.cpu", (scale * 8).ToString(CultureInfo.InvariantCulture)), ("requests.memory", (scale * 32) + "Gi"),
            ("limits.memory", (scale * 64) + "Gi"), ("pods", (scale * 60).ToString(CultureInfo.InvariantCulture)), ("services.loadbalancers", "2"), ("persistentvolumeclaims", "20"));
        return new V1ResourceQuota
        {
            ApiVersion = "v1",
            Kind = "ResourceQuota",
            Metadata = Meta("ResourceQuota", "compute-quota", ns, created, rng),
            Spec = new V1ResourceQuotaSpec { Hard = hard },
            Status = new V1ResourceQuotaStatus
            {
                Hard = new Dictionary<string, ResourceQuantity>(hard),
                Used = Quantities(("requests.cpu", rng.Between(1, scale * 6) + "500m"), ("requests.memory", rng.Between(1, scale * 20) + "Gi"),
                    ("limits.memory", rng.Between(1, scale * 40) + "Gi"), ("pods", rng.Between(0, scale * 40).ToString(CultureInfo.InvariantCulture)), ("services.loadbalancers", "0"), ("persistentvolumeclaims", "0")),
            },
        };
    }

    public V1LimitRange LimitRange(string ns, DateTime created, SyntheticRandom rng) => new()
    {
        ApiVersion = "v1",
        Kind = "LimitRange",
        Metadata = Meta("LimitRange", "default-limits", ns, created, rng),
        Spec = new V1LimitRangeSpec
        {
            Limits =
            [
                new V1LimitRangeItem
                {
                    Type = "Container",
                    DefaultProperty = Quantities(("cpu", "500m"), ("memory", "512Mi")),
                    DefaultRequest = Quantities(("cpu", "100m"), ("memory", "128Mi")),
                    Max = Quantities(("cpu", "4"), ("memory", "16Gi")),
                },
            ],
        },
    };

    public V1Ingress Ingress(string name, string ns, string service, int port, bool tls, DateTime created, SyntheticRandom rng)
    {
        var host = $"{name}.{ns}.example.com";
        return new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = Meta("Ingress", name, ns, created, rng, annotations: rng.Chance(0.5)
                ? Labels(("alb.ingress.kubernetes.io/scheme", "internet-facing"), ("alb.ingress.kubernetes.io/target-type", "ip"),
                    ("alb.ingress.kubernetes.io/certificate-arn", tls ? $"arn:aws:acm:{Region}:{AccountId}:certificate/{rng.Uuid()}" : null))
                : null, generation: 1),
            Spec = new V1IngressSpec
            {
                IngressClassName = rng.Chance(0.5) ? "alb" : "nginx",
                Rules = [new V1IngressRule { Host = host, Http = new V1HTTPIngressRuleValue { Paths = [new V1HTTPIngressPath { Path = "/", PathType = "Prefix", Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = service, Port = new V1ServiceBackendPort { Number = port } } } }] } }],
                Tls = tls ? [new V1IngressTLS { Hosts = [host], SecretName = name + "-tls" }] : null,
            },
            Status = new V1IngressStatus { LoadBalancer = new V1IngressLoadBalancerStatus { Ingress = [new V1IngressLoadBalancerIngress { Hostname = $"k8s-{rng.Hex(8)}-{rng.Hex(10)}.{Region}.elb.amazonaws.com" }] } },
        };
    }

    // ---- storage ----

    public V1StorageClass StorageClass(string name, string provisioner, IDictionary<string, string> parameters, bool isDefault, DateTime created, SyntheticRandom rng) => new()
    {
        ApiVersion = "storage.k8s.io/v1",
        Kind = "StorageClass",
        Metadata = Meta("StorageClass", name, null, created, rng, annotations: isDefault ? Labels(("storageclass.kubernetes.io/is-default-class", "true")) : null),
        Provisioner = provisioner,
        Parameters = parameters,
        ReclaimPolicy = "Delete",
        VolumeBindingMode = "WaitForFirstConsumer",
        AllowVolumeExpansion = true,
    };

    public V1PersistentVolumeClaim PersistentVolumeClaim(string name, string ns, string volume, string storageClass, string size, DateTime created, SyntheticRandom rng, IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = Meta("PersistentVolumeClaim", name, ns, created, rng, labels, Labels(
            ("pv.kubernetes.io/bind-completed", "yes"), ("pv.kubernetes.io/bound-by-controller", "yes"),
            ("volume.beta.kubernetes.io/storage-provisioner", "ebs.csi.aws.com"), ("volume.kubernetes.io/storage-provisioner", "ebs.csi.aws.com"))),
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = Quantities(("storage", size)) },
            StorageClassName = storageClass,
            VolumeMode = "Filesystem",
            VolumeName = volume,
        },
        Status = new V1PersistentVolumeClaimStatus { Phase = "Bound", AccessModes = ["ReadWriteOnce"], Capacity = Quantities(("storage", size)) },
    };

    public V1PersistentVolume PersistentVolume(string name, string claim, string ns, string storageClass, string size, string zone, DateTime created, SyntheticRandom rng) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolume",
        Metadata = Meta("PersistentVolume", name, null, created, rng, annotations: Labels(("pv.kubernetes.io/provisioned-by", "ebs.csi.aws.com"), ("volume.kubernetes.io/provisioner-deletion-secret-name", ""))),
        Spec = new V1PersistentVolumeSpec
        {
            AccessModes = ["ReadWriteOnce"],
            Capacity = Quantities(("storage", size)),
            ClaimRef = new V1ObjectReference { ApiVersion = "v1", Kind = "PersistentVolumeClaim", Name = claim, NamespaceProperty = ns, Uid = Uid("PersistentVolumeClaim", ns, claim) },
            Csi = new V1CSIPersistentVolumeSource { Driver = "ebs.csi.aws.com", FsType = "ext4", VolumeHandle = "vol-0" + rng.Hex(16), VolumeAttributes = Labels(("storage.kubernetes.io/csiProvisionerIdentity", rng.Digits(13) + "-" + rng.Digits(4) + "-ebs.csi.aws.com")) },
            NodeAffinity = new V1VolumeNodeAffinity
            {
                Required = new V1NodeSelector { NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "topology.kubernetes.io/zone", OperatorProperty = "In", Values = [zone] }] }] },
            },
            PersistentVolumeReclaimPolicy = "Delete",
            StorageClassName = storageClass,
            VolumeMode = "Filesystem",
        },
        Status = new V1PersistentVolumeStatus { Phase = "Bound", LastPhaseTransitionTime = created },
    };
}
