using System.Globalization;
using k8s.Models;

namespace EksSecurity.TestData;

/// <summary>
/// Builders for realistic Kubernetes and AWS objects of one synthetic cluster, in the shapes the
/// API servers return them (as `kubectl get -o json` and the aws CLI print them, server-side
/// defaults filled in). Every builder is deterministic: identities (uids, instance ids, IPs) come
/// from the cluster's seed and the object's kind, namespace and name, so an owner reference
/// built here matches the owner built elsewhere. <see cref="SyntheticCluster"/> uses these to
/// fill a whole snapshot; tests and the test servers can use them one object at a time.
/// </summary>
public sealed partial class SyntheticObjects
{
    public SyntheticObjects(SyntheticClusterOptions options)
    {
        Options = options;
        var rng = Random("cluster-identity");
        OidcId = rng.UpperAlphaNumeric(32).Replace('2', 'A').Replace('3', 'B');
        ClusterUid = rng.Uuid();
        VpcId = "vpc-0" + rng.Hex(16);
        ClusterSecurityGroupId = "sg-0" + rng.Hex(16);
        NodeSecurityGroupId = "sg-0" + rng.Hex(16);
        KmsKeyId = rng.Uuid();
        Zones = [$"{options.Region}a", $"{options.Region}b", $"{options.Region}c"];
        PrivateSubnets = Zones.Select(_ => "subnet-0" + rng.Hex(16)).ToArray();
        PublicSubnets = Zones.Select(_ => "subnet-0" + rng.Hex(16)).ToArray();
        Now = options.CollectedAt.UtcDateTime;
        ClusterCreated = Now.AddDays(-412).AddHours(-5).AddMinutes(-17);
    }

    public SyntheticClusterOptions Options { get; }
    public int Seed => Options.Seed;
    public string ClusterName => Options.ClusterName;
    public string Region => Options.Region;
    public string AccountId => Options.AccountId;
    public string ClusterArn => $"arn:aws:eks:{Region}:{AccountId}:cluster/{ClusterName}";
    public string OidcId { get; }
    public string OidcIssuerHost => $"oidc.eks.{Region}.amazonaws.com/id/{OidcId}";
    public string OidcIssuer => "https://" + OidcIssuerHost;
    public string OidcProviderArn => $"arn:aws:iam::{AccountId}:oidc-provider/{OidcIssuerHost}";
    public string ClusterUid { get; }
    public string VpcId { get; }
    public string ClusterSecurityGroupId { get; }
    public string NodeSecurityGroupId { get; }
    public string KmsKeyId { get; }
    public string KmsKeyArn => $"arn:aws:kms:{Region}:{AccountId}:key/{KmsKeyId}";
    public IReadOnlyList<string> Zones { get; }
    public IReadOnlyList<string> PrivateSubnets { get; }
    public IReadOnlyList<string> PublicSubnets { get; }
    /// <summary>Collection time, as a UTC <see cref="DateTime"/> (what Kubernetes models use).</summary>
    public DateTime Now { get; }
    public DateTime ClusterCreated { get; }
    /// <summary>The kubelet/API server version string, such as v1.31.4-eks-2d5f260.</summary>
    public string KubeletVersion => $"v{Options.KubernetesVersion}.{PatchVersion}-eks-2d5f260";
    public string EcrRegistry => $"{AccountId}.dkr.ecr.{Region}.amazonaws.com";
    /// <summary>Where EKS pulls its add-on images from in us-west-2 (and most regions).</summary>
    public string EksRegistry => $"602401143452.dkr.ecr.{Region}.amazonaws.com";
    private const int PatchVersion = 4;

    /// <summary>The random stream of one object; same name, same stream.</summary>
    public SyntheticRandom Random(string stream, long index = 0) => SyntheticRandom.For(Seed, stream, index);

    /// <summary>The metadata.uid of an object: stable, so owner references can be built without the owner.</summary>
    public string Uid(string kind, string? ns, string name) => Random($"uid/{kind}/{ns}/{name}").Uuid();

    /// <summary>A creation time between <paramref name="minDaysAgo"/> and <paramref name="maxDaysAgo"/> before collection, never before the cluster.</summary>
    public DateTime CreatedAgo(SyntheticRandom rng, double minDaysAgo, double maxDaysAgo)
    {
        var seconds = (long)((minDaysAgo + rng.NextDouble() * Math.Max(0, maxDaysAgo - minDaysAgo)) * 86400);
        var t = Now.AddSeconds(-seconds);
        return t < ClusterCreated ? ClusterCreated.AddSeconds(rng.Next(86400)) : t;
    }

    public V1ObjectMeta Meta(string kind, string name, string? ns, DateTime created, SyntheticRandom rng,
        IDictionary<string, string>? labels = null, IDictionary<string, string>? annotations = null,
        IList<V1OwnerReference>? owners = null, string? generateName = null, long? generation = null) => new()
    {
        Name = name,
        NamespaceProperty = ns,
        GenerateName = generateName,
        Uid = Uid(kind, ns, name),
        ResourceVersion = rng.Between(1_000_000, 2_000_000_000).ToString(CultureInfo.InvariantCulture),
        Generation = generation,
        CreationTimestamp = created,
        Labels = labels,
        Annotations = annotations,
        OwnerReferences = owners,
    };

    public V1OwnerReference OwnerReference(string apiVersion, string kind, string? ns, string name) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = name,
        Uid = Uid(kind, ns, name),
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>A private IPv4 address in the VPC (10.0.0.0/8), stable for a key.</summary>
    public string PrivateIp(string key)
    {
        var r = Random("ip/" + key);
        return $"10.{r.Between(0, 127)}.{r.Between(0, 255)}.{r.Between(1, 254)}";
    }

    internal static Dictionary<string, string> Labels(params (string Key, string? Value)[] pairs)
    {
        var d = new Dictionary<string, string>(pairs.Length, StringComparer.Ordinal);
        foreach (var (k, v) in pairs)
            if (v is not null) d[k] = v;
        return d;
    }

    internal static Dictionary<string, ResourceQuantity> Quantities(params (string Key, string Value)[] pairs)
    {
        var d = new Dictionary<string, ResourceQuantity>(pairs.Length, StringComparer.Ordinal);
        foreach (var (k, v) in pairs) d[k] = new ResourceQuantity(v);
        return d;
    }

    // Word lists: names that look like a real company's cluster.
    internal static readonly string[] Teams =
    [
        "payments", "checkout", "catalog", "search", "identity", "billing", "orders", "shipping", "inventory", "ledger",
        "fraud", "growth", "ads", "media", "notifications", "analytics", "platform", "data", "ml", "support",
        "pricing", "loyalty", "partners", "reporting", "risk", "compliance", "mobile", "web", "edge", "core",
    ];

    internal static readonly string[] Apps =
    [
        "api", "worker", "gateway", "frontend", "backend", "scheduler", "indexer", "consumer", "producer", "sync",
        "exporter", "importer", "cache", "router", "auth", "proxy", "processor", "aggregator", "collector", "notifier",
        "renderer", "resolver", "validator", "webhook", "streamer", "batch", "reconciler", "ingestor", "publisher", "tracker",
    ];

    internal static readonly string[] Environments = ["prod", "staging", "dev", "qa", "perf", "sandbox"];

    internal static readonly string[] Users =
    [
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj", "olivia",
        "peggy", "rupert", "sybil", "trent", "victor", "walter", "yolanda",
    ];
}
