using EksSecurity.Engine.Kubernetes;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Infra;

/// <summary>Nodes and kubelet configuration samples for the node rule tests (INFRA, HEALTH, TENANT).</summary>
internal static class NodeFixtures
{
    /// <summary>The snapshot's collectedAt in <see cref="TestSnapshots.Empty"/>.</summary>
    public static readonly DateTime Now = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    public static V1Node Node(string name, string? nodeGroup = "general", string? computeType = null, string kubelet = "v1.33.4-eks-1234567",
        string os = "Amazon Linux 2023.7.20250101", DateTime? created = null, string ready = "True", string? launchTemplate = null,
        IDictionary<string, string>? labels = null, IEnumerable<(string Type, string Status)>? conditions = null, string? instanceId = null)
    {
        var l = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) { ["kubernetes.io/os"] = "linux" };
        if (nodeGroup is not null) l[KubeletConfigSample.NodeGroupLabel] = nodeGroup;
        if (computeType is not null) l[KubeletConfigSample.ComputeTypeLabel] = computeType;
        if (launchTemplate is not null)
        {
            var parts = launchTemplate.Split(':');
            l[KubeletConfigSample.LaunchTemplateIdLabel] = parts[0];
            if (parts.Length > 1) l[KubeletConfigSample.LaunchTemplateVersionLabel] = parts[1];
        }
        var conds = new List<V1NodeCondition> { new() { Type = "Ready", Status = ready, LastTransitionTime = Now.AddHours(-3) } };
        foreach (var (type, status) in conditions ?? []) conds.Add(new V1NodeCondition { Type = type, Status = status });
        return new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = l, CreationTimestamp = created ?? Now.AddDays(-3) },
            Spec = new V1NodeSpec { ProviderID = $"aws:///eu-west-1a/{instanceId ?? "i-0" + Math.Abs(name.GetHashCode()).ToString("x")}" },
            Status = new V1NodeStatus
            {
                Conditions = conds,
                NodeInfo = new V1NodeSystemInfo
                {
                    KubeletVersion = kubelet, OsImage = os, OperatingSystem = "linux", Architecture = "amd64", ContainerRuntimeVersion = "containerd://1.7.27",
                    BootID = "b", KernelVersion = "6.1", KubeProxyVersion = kubelet, MachineID = "m", SystemUUID = "s",
                },
                Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2"), ["memory"] = new("4Gi"), ["pods"] = new("29") },
            },
        };
    }

    /// <summary>What an EKS AL2023 node reports (nodeadm's defaults), plus the settings it leaves at kubelet defaults made explicit and hardened.</summary>
    public static KubeletConfiguration Hardened() => new()
    {
        Authentication = new KubeletAuthentication
        {
            Anonymous = new KubeletAnonymousAuthentication { Enabled = false },
            Webhook = new KubeletWebhookAuthentication { Enabled = true },
            X509 = new KubeletX509Authentication { ClientCaFile = "/etc/kubernetes/pki/ca.crt" },
        },
        Authorization = new KubeletAuthorization { Mode = "Webhook" },
        StreamingConnectionIdleTimeout = "4h0m0s",
        MakeIPTablesUtilChains = true,
        EventRecordQps = 50,
        RotateCertificates = true,
        ServerTlsBootstrap = true,
        FeatureGates = new Dictionary<string, bool> { ["RotateKubeletServerCertificate"] = true },
        ProtectKernelDefaults = true,
        PodPidsLimit = 4096,
        TlsCipherSuites = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384"],
        TlsMinVersion = "VersionTLS12",
    };

    public static KubeletConfigSample Sample(V1Node node, KubeletConfiguration? config, string? error = null)
    {
        var (group, template) = KubeletConfigSample.GroupOf(node);
        return new KubeletConfigSample { NodeName = node.Metadata.Name, NodeGroup = group, LaunchTemplate = template, KubeletConfig = config, Error = error };
    }

    /// <summary>An empty snapshot with these nodes and samples.</summary>
    public static ClusterSnapshot With(IEnumerable<V1Node> nodes, params KubeletConfigSample[] samples) => TestSnapshots.Empty().With(s =>
    {
        s.Kubernetes.Nodes!.Items!.AddRange(nodes);
        s.Kubernetes.KubeletConfigs!.Items!.AddRange(samples);
    });

    /// <summary>One node of group "general", sampled with <paramref name="config"/>.</summary>
    public static ClusterSnapshot One(KubeletConfiguration config)
    {
        var node = Node("ip-10-0-1-10.eu-west-1.compute.internal");
        return With([node], Sample(node, config));
    }
}
