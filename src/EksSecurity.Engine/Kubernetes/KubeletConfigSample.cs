using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace EksSecurity.Engine.Kubernetes;

/// <summary>
/// The kubelet's effective configuration as one node reports it through the API server
/// (<c>GET /api/v1/nodes/{node}/proxy/configz</c>, which needs RBAC <c>get</c> on <c>nodes/proxy</c>),
/// standing for every node of its node group or launch template. Reading the kubelet's own answer
/// replaces guessing where a node image keeps its config file (the kube-bench false positives).
/// </summary>
/// <remarks>
/// Collectors sample one Ready node per <see cref="GroupKeyOf(V1Node)"/> and record either
/// <see cref="KubeletConfig"/> or, when the node could not be asked, <see cref="Error"/>: a node that
/// could not be read is reported as Error by the rules, never as a failing or passing kubelet.
/// Fields absent from <see cref="KubeletConfig"/> stay null here; the rules apply the kubelet's
/// documented defaults.
/// </remarks>
public sealed class KubeletConfigSample
{
    /// <summary>Label of managed node groups.</summary>
    public const string NodeGroupLabel = "eks.amazonaws.com/nodegroup";
    /// <summary>Labels EKS puts on nodes of a managed node group launched from a custom launch template.</summary>
    public const string LaunchTemplateIdLabel = "eks.amazonaws.com/sourceLaunchTemplateId";
    public const string LaunchTemplateVersionLabel = "eks.amazonaws.com/sourceLaunchTemplateVersion";
    /// <summary>Karpenter's NodePool and EC2NodeClass labels.</summary>
    public const string KarpenterNodePoolLabel = "karpenter.sh/nodepool";
    public const string KarpenterNodeClassLabel = "karpenter.k8s.aws/ec2nodeclass";
    /// <summary>eksctl's label on the nodes of its (self-managed or managed) node groups.</summary>
    public const string EksctlNodeGroupLabel = "alpha.eksctl.io/nodegroup-name";
    /// <summary>fargate or auto on Fargate and EKS Auto Mode nodes, whose kubelet AWS configures.</summary>
    public const string ComputeTypeLabel = "eks.amazonaws.com/compute-type";

    /// <summary>The node that was asked.</summary>
    public string NodeName { get; set; } = "";

    /// <summary>
    /// The group the node stands for: the managed node group name, "karpenter:&lt;NodePool&gt;", or
    /// "eksctl:&lt;node group&gt;"; null for a node that belongs to no recognisable group.
    /// </summary>
    public string? NodeGroup { get; set; }

    /// <summary>"&lt;launch template id&gt;:&lt;version&gt;" for managed node groups on a custom template, "ec2nodeclass:&lt;name&gt;" for Karpenter; null otherwise.</summary>
    public string? LaunchTemplate { get; set; }

    /// <summary>Why configz could not be read for this node (403, timeout, node not Ready, kubelet error); null when it was.</summary>
    public string? Error { get; set; }

    /// <summary>The <c>kubeletconfig</c> object of the configz answer (kubelet.config.k8s.io/v1beta1 KubeletConfiguration).</summary>
    [JsonPropertyName("kubeletconfig")]
    public KubeletConfiguration? KubeletConfig { get; set; }

    /// <summary>The group this sample stands for, in the form <see cref="GroupKeyOf(V1Node)"/> gives.</summary>
    [JsonIgnore]
    public string GroupKey => KeyOf(NodeGroup, LaunchTemplate) ?? "node:" + NodeName;

    /// <summary>(NodeGroup, LaunchTemplate) of a node, from its labels, as collectors should fill them in.</summary>
    public static (string? NodeGroup, string? LaunchTemplate) GroupOf(V1Node node)
    {
        var labels = node.Metadata?.Labels;
        string? Label(string key) => labels?.TryGetValue(key, out var v) == true && !string.IsNullOrEmpty(v) ? v : null;

        if (Label(NodeGroupLabel) is { } group)
        {
            var id = Label(LaunchTemplateIdLabel);
            var version = Label(LaunchTemplateVersionLabel);
            return (group, id is null ? null : version is null ? id : $"{id}:{version}");
        }
        if (Label(KarpenterNodePoolLabel) is { } pool)
            return ("karpenter:" + pool, Label(KarpenterNodeClassLabel) is { } nodeClass ? "ec2nodeclass:" + nodeClass : null);
        if (Label(EksctlNodeGroupLabel) is { } eksctl)
            return ("eksctl:" + eksctl, null);
        return (null, null);
    }

    /// <summary>
    /// The key nodes are sampled by: node group and launch template; a node with neither is its own group
    /// ("node:&lt;name&gt;"), since nothing says its kubelet is configured like any other's.
    /// </summary>
    public static string GroupKeyOf(V1Node node)
    {
        var (group, template) = GroupOf(node);
        return KeyOf(group, template) ?? "node:" + (node.Metadata?.Name ?? "");
    }

    private static string? KeyOf(string? group, string? template) =>
        group is null && template is null ? null : $"{group ?? "(no group)"}|{template ?? "(no launch template)"}";

    /// <summary>"fargate" or "auto" when AWS runs the node's kubelet (Fargate, EKS Auto Mode); null otherwise.</summary>
    public static string? AwsManagedComputeType(V1Node node)
    {
        if (node.Metadata?.Labels?.TryGetValue(ComputeTypeLabel, out var type) == true &&
            (string.Equals(type, "fargate", StringComparison.OrdinalIgnoreCase) || string.Equals(type, "auto", StringComparison.OrdinalIgnoreCase)))
            return type.ToLowerInvariant();
        return null;
    }
}

/// <summary>
/// kubelet.config.k8s.io/v1beta1 KubeletConfiguration, as configz serialises it: typed for the fields the
/// rules read, the rest kept in <see cref="Other"/>. Every typed field is nullable: null means configz left
/// it out (Go's omitempty drops false, 0 and empty values), and the rules then apply the kubelet's
/// documented default.
/// </summary>
public sealed class KubeletConfiguration
{
    [JsonPropertyName("authentication")] public KubeletAuthentication? Authentication { get; set; }
    [JsonPropertyName("authorization")] public KubeletAuthorization? Authorization { get; set; }
    /// <summary>0 disables the unauthenticated read-only port (v1beta1 default 0).</summary>
    [JsonPropertyName("readOnlyPort")] public int? ReadOnlyPort { get; set; }
    /// <summary>A Go duration ("4h0m0s"); "0s" means streaming connections never time out (default 4h).</summary>
    [JsonPropertyName("streamingConnectionIdleTimeout")] public string? StreamingConnectionIdleTimeout { get; set; }
    /// <summary>Default true.</summary>
    [JsonPropertyName("makeIPTablesUtilChains")] public bool? MakeIPTablesUtilChains { get; set; }
    /// <summary>Events per second the kubelet may create; 0 = no limit (default 50).</summary>
    [JsonPropertyName("eventRecordQPS")] public int? EventRecordQps { get; set; }
    /// <summary>Client certificate rotation (default false).</summary>
    [JsonPropertyName("rotateCertificates")] public bool? RotateCertificates { get; set; }
    /// <summary>Request the serving certificate from the API server (default false).</summary>
    [JsonPropertyName("serverTLSBootstrap")] public bool? ServerTlsBootstrap { get; set; }
    [JsonPropertyName("featureGates")] public Dictionary<string, bool>? FeatureGates { get; set; }
    /// <summary>Fail instead of changing kernel tunables (default false).</summary>
    [JsonPropertyName("protectKernelDefaults")] public bool? ProtectKernelDefaults { get; set; }
    /// <summary>Most PIDs per pod; -1 = no limit (default -1).</summary>
    [JsonPropertyName("podPidsLimit")] public long? PodPidsLimit { get; set; }
    /// <summary>Go cipher suite names; absent = Go's defaults.</summary>
    [JsonPropertyName("tlsCipherSuites")] public List<string>? TlsCipherSuites { get; set; }
    /// <summary>VersionTLS10 to VersionTLS13; absent = Go's default.</summary>
    [JsonPropertyName("tlsMinVersion")] public string? TlsMinVersion { get; set; }
    /// <summary>Every other field of the answer, kept as it came so later rules can read a snapshot taken today.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Other { get; set; }
}

public sealed class KubeletAuthentication
{
    [JsonPropertyName("x509")] public KubeletX509Authentication? X509 { get; set; }
    [JsonPropertyName("webhook")] public KubeletWebhookAuthentication? Webhook { get; set; }
    [JsonPropertyName("anonymous")] public KubeletAnonymousAuthentication? Anonymous { get; set; }
    /// <summary>Every other field of the answer, kept as it came so later rules can read a snapshot taken today.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Other { get; set; }
}

public sealed class KubeletX509Authentication
{
    /// <summary>CA bundle that client certificates must chain to (default empty: no client certificate authentication).</summary>
    [JsonPropertyName("clientCAFile")] public string? ClientCaFile { get; set; }
    /// <summary>Every other field of the answer, kept as it came so later rules can read a snapshot taken today.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Other { get; set; }
}

public sealed class KubeletWebhookAuthentication
{
    /// <summary>Bearer tokens checked with TokenReview (default true).</summary>
    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }
    /// <summary>Every other field of the answer, kept as it came so later rules can read a snapshot taken today.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Other { get; set; }
}

public sealed class KubeletAnonymousAuthentication
{
    /// <summary>Requests without credentials are served as system:anonymous (v1beta1 default false).</summary>
    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }
    /// <summary>Every other field of the answer, kept as it came so later rules can read a snapshot taken today.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Other { get; set; }
}

public sealed class KubeletAuthorization
{
    /// <summary>AlwaysAllow or Webhook (v1beta1 default Webhook).</summary>
    [JsonPropertyName("mode")] public string? Mode { get; set; }
    /// <summary>Every other field of the answer, kept as it came so later rules can read a snapshot taken today.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Other { get; set; }
}
