using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EksSecurity.Engine.Snapshot;
using EksSecurity.KubeTestServer.Api;
using EksSecurity.TestData;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Scenario;

/// <summary>Continue-token behaviour: page caps and expiry, to test a client's restart logic.</summary>
public sealed class PagingOptions
{
    /// <summary>A continue token presented for page N+1 or later expires (410 Expired) — e.g. 2: the third page's request fails. Null: never.</summary>
    public int? ExpireContinueAfterPages { get; set; }
    /// <summary>How many times the rule above fires before tokens work again (null: every time).</summary>
    public int? ExpireTimes { get; set; } = 1;
    /// <summary>Resources the expiry applies to (plural names); null: all.</summary>
    public IReadOnlyList<string>? ExpireResources { get; set; }
    /// <summary>The server returns at most this many items per page even when asked for more (0: as asked). The API server may return fewer than limit; clients must follow continue.</summary>
    public int MaxLimit { get; set; }

    private int _expired;
    internal bool TryExpire(string resource, int page)
    {
        if (ExpireContinueAfterPages is not { } after || page < after) return false;
        if (ExpireResources is not null && !ExpireResources.Contains(resource)) return false;
        if (ExpireTimes is { } times && Interlocked.Increment(ref _expired) > times) return false;
        return true;
    }
}

/// <summary>
/// What the test server serves: the objects of each resource, the server version, the users
/// (bearer tokens, groups, deny and allow rules), faults, paging behaviour, kubelet configs and
/// the metrics API. Build it from a snapshot (<see cref="FromSnapshot"/>), a synthetic cluster
/// (<see cref="FromSynthetic"/>), a JSON file (<see cref="Load"/>), or by hand.
/// </summary>
public sealed class KubeScenario
{
    /// <summary>The token every scenario accepts unless its users are replaced: user kubernetes-admin in system:masters.</summary>
    public const string AdminToken = "admin-token";
    public const string AdminUser = "kubernetes-admin";

    private readonly Dictionary<ResourceType, ResourceStore> _stores = new();
    private readonly object _lock = new();
    private long _resourceVersion = 1000;

    /// <summary>An empty cluster: every built-in resource served with no objects (no CRDs, no metrics API), and the admin token.</summary>
    public KubeScenario()
    {
        Users.Add(new ScenarioUser { Token = AdminToken, Name = AdminUser, Groups = ["system:masters"] });
        foreach (var type in ResourceCatalog.Stored)
            if (!type.Custom && !type.Aggregated && type != ResourceCatalog.PodSecurityPolicies && type != ResourceCatalog.CustomResourceDefinitions)
                _stores[type] = new ResourceStore(type, []);
    }

    public VersionInfo ServerVersion { get; set; } = DefaultVersion("1.31");

    public List<ScenarioUser> Users { get; } = [];
    /// <summary>Refused for every user (a snapshot's Denied sections become these).</summary>
    public List<AccessRule> DenyAll { get; } = [];
    public List<FaultRule> Faults { get; } = [];
    public PagingOptions Paging { get; set; } = new();
    /// <summary>Seeds the random source of probabilistic faults and of metrics usage.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Serve metrics.k8s.io/v1beta1 (nodes and pods), as metrics-server does.</summary>
    public bool MetricsApi { get; set; }
    /// <summary>Serve the legacy discovery documents only (no aggregated discovery), like servers before 1.26.</summary>
    public bool AggregatedDiscovery { get; set; } = true;
    /// <summary>Secrets served in full (application/json) carry a placeholder data entry when they have none, as real ones do.</summary>
    public bool FillSecretData { get; set; } = true;

    /// <summary>The kubelet configuration every node's configz starts from.</summary>
    public JsonObject KubeletDefaults { get; set; } = KubeletConfig.EksDefault();
    /// <summary>Merge patches onto a node's configz, by node name; "*" applies to every node first.</summary>
    public Dictionary<string, JsonObject> KubeletPatches { get; } = new(StringComparer.Ordinal);

    /// <summary>The resources served, with their stores.</summary>
    public IReadOnlyCollection<ResourceType> Resources { get { lock (_lock) return _stores.Keys.ToList(); } }

    public ResourceStore? Store(ResourceType type) { lock (_lock) return _stores.GetValueOrDefault(type); }

    public ResourceStore? Store(string plural, string? group = null)
    {
        lock (_lock)
            return _stores.FirstOrDefault(s => s.Key.Plural == plural && (group is null || s.Key.Group == group)).Value;
    }

    /// <summary>Serves <paramref name="type"/> with these items (replacing any).</summary>
    public KubeScenario Set(ResourceType type, IEnumerable<object> items)
    {
        lock (_lock) _stores[type] = new ResourceStore(type, items);
        return this;
    }

    /// <summary>Serves <paramref name="type"/> from a factory enumerated per list (for very large clusters).</summary>
    public KubeScenario SetLazy(ResourceType type, Func<IEnumerable> factory)
    {
        lock (_lock) _stores[type] = ResourceStore.Lazy(type, factory);
        return this;
    }

    /// <summary>Stops serving a resource: it vanishes from discovery (a CRD uninstalled).</summary>
    public KubeScenario Remove(ResourceType type)
    {
        lock (_lock) _stores.Remove(type);
        return this;
    }

    /// <summary>Adds objects by their model class (V1Pod → pods ...); the resource is served from then on.</summary>
    public KubeScenario Add(params object[] items)
    {
        foreach (var item in items)
        {
            var type = ResourceCatalog.Stored.FirstOrDefault(t => t.ClrType == item.GetType())
                       ?? throw new ArgumentException($"No resource stores {item.GetType().Name}.");
            ResourceStore store;
            lock (_lock)
            {
                if (!_stores.TryGetValue(type, out store!)) _stores[type] = store = new ResourceStore(type, []);
            }
            store.Put(item);
        }
        return this;
    }

    public KubeScenario AddUser(string token, string name, IEnumerable<string>? groups = null, IEnumerable<string>? deny = null, IEnumerable<string>? allow = null)
    {
        Users.Add(new ScenarioUser
        {
            Token = token,
            Name = name,
            Groups = groups?.ToList() ?? [],
            Deny = deny?.Select(AccessRule.Parse).ToList() ?? [],
            Allow = allow?.Select(AccessRule.Parse).ToList(),
        });
        return this;
    }

    public KubeScenario AddFault(FaultRule fault)
    {
        lock (Faults) Faults.Add(fault);
        return this;
    }

    internal long CurrentResourceVersion => Interlocked.Read(ref _resourceVersion);
    internal long NextResourceVersion() => Interlocked.Increment(ref _resourceVersion);

    /// <summary>Called once by the server before it serves: metrics stores, the CRD list, the resource version.</summary>
    internal void Prepare()
    {
        long max = 0;
        lock (_lock)
        {
            foreach (var store in _stores.Values.Where(s => !s.IsLazy))
            {
                store.Sort();
                foreach (var item in store.Enumerate())
                    if (long.TryParse(ObjectAccess.Meta(item)?.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) && rv > max) max = rv;
            }
            if (!_stores.ContainsKey(ResourceCatalog.CustomResourceDefinitions))
            {
                var crds = new List<object>();
                if (_stores.ContainsKey(ResourceCatalog.SecurityGroupPolicies)) crds.Add(SecurityGroupPolicyCrd());
                _stores[ResourceCatalog.CustomResourceDefinitions] = new ResourceStore(ResourceCatalog.CustomResourceDefinitions, crds);
            }
            if (MetricsApi)
            {
                var seed = Seed;
                if (!_stores.ContainsKey(ResourceCatalog.NodeMetrics) && _stores.TryGetValue(ResourceCatalog.Nodes, out var nodes))
                    _stores[ResourceCatalog.NodeMetrics] = ResourceStore.Lazy(ResourceCatalog.NodeMetrics, () => Metrics.ForNodes(nodes.Enumerate().Cast<V1Node>(), seed));
                if (!_stores.ContainsKey(ResourceCatalog.PodMetrics) && _stores.TryGetValue(ResourceCatalog.Pods, out var pods))
                    _stores[ResourceCatalog.PodMetrics] = ResourceStore.Lazy(ResourceCatalog.PodMetrics, () => Metrics.ForPods(pods.Enumerate().Cast<V1Pod>(), seed));
            }
            else
            {
                _stores.Remove(ResourceCatalog.NodeMetrics);
                _stores.Remove(ResourceCatalog.PodMetrics);
            }
        }
        if (max >= _resourceVersion) Interlocked.Exchange(ref _resourceVersion, max + 1);
    }

    // ------------------------------------------------------------------ builders

    public static VersionInfo DefaultVersion(string minorVersion)
    {
        var parts = minorVersion.Split('.');
        return new VersionInfo
        {
            Major = parts[0],
            Minor = parts.Length > 1 ? parts[1] : "0",
            GitVersion = $"v{minorVersion}.4-eks-2d5f260",
            GitCommit = "2d5f260a2b3f8e1c9d7e6f5a4b3c2d1e0f9a8b7c",
            GitTreeState = "clean",
            BuildDate = "2026-09-01T20:41:05Z",
            GoVersion = "go1.24.6",
            Compiler = "gc",
            Platform = "linux/amd64",
        };
    }

    /// <summary>Serves exactly the Kubernetes half of a snapshot: collected sections as they are, denied ones as 403 for everyone, failed ones as 500 on list.</summary>
    public static KubeScenario FromSnapshot(ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var s = new KubeScenario();
        var k = snapshot.Kubernetes;
        if (k.ServerVersion?.Value is { } version) s.ServerVersion = version;
        void Section<T>(ResourceType type, Section<T>? section, bool absentWhenMissing = false) where T : class
        {
            if (section is null || section.Status == SectionStatus.NotCollected)
            {
                if (!absentWhenMissing) s.Set(type, []);
                return;
            }
            switch (section.Status)
            {
                case SectionStatus.Collected:
                    s.Set(type, section.All.Cast<object>());
                    break;
                case SectionStatus.Denied:
                    s.Set(type, []);
                    s.DenyAll.Add(DeniedRule(type, section.Permission));
                    break;
                default:
                    if (absentWhenMissing) return;
                    s.Set(type, []);
                    s.Faults.Add(new FaultRule { Kind = FaultKind.Error, Resource = type.Plural, Verb = "list", Message = section.Reason ?? "collection failed in the snapshot" });
                    break;
            }
        }
        Section(ResourceCatalog.Namespaces, k.Namespaces);
        Section(ResourceCatalog.Pods, k.Pods);
        Section(ResourceCatalog.Deployments, k.Deployments);
        Section(ResourceCatalog.ReplicaSets, k.ReplicaSets);
        Section(ResourceCatalog.StatefulSets, k.StatefulSets);
        Section(ResourceCatalog.DaemonSets, k.DaemonSets);
        Section(ResourceCatalog.Jobs, k.Jobs);
        Section(ResourceCatalog.CronJobs, k.CronJobs);
        Section(ResourceCatalog.ReplicationControllers, k.ReplicationControllers);
        Section(ResourceCatalog.PodTemplates, k.PodTemplates);
        Section(ResourceCatalog.ServiceAccounts, k.ServiceAccounts);
        Section(ResourceCatalog.Roles, k.Roles);
        Section(ResourceCatalog.ClusterRoles, k.ClusterRoles);
        Section(ResourceCatalog.RoleBindings, k.RoleBindings);
        Section(ResourceCatalog.ClusterRoleBindings, k.ClusterRoleBindings);
        Section(ResourceCatalog.NetworkPolicies, k.NetworkPolicies);
        Section(ResourceCatalog.ConfigMaps, k.ConfigMaps);
        Section(ResourceCatalog.Secrets, k.Secrets);
        Section(ResourceCatalog.Nodes, k.Nodes);
        Section(ResourceCatalog.Services, k.Services);
        Section(ResourceCatalog.Ingresses, k.Ingresses);
        Section(ResourceCatalog.StorageClasses, k.StorageClasses);
        Section(ResourceCatalog.PersistentVolumes, k.PersistentVolumes);
        Section(ResourceCatalog.PersistentVolumeClaims, k.PersistentVolumeClaims);
        Section(ResourceCatalog.ValidatingWebhookConfigurations, k.ValidatingWebhookConfigurations);
        Section(ResourceCatalog.MutatingWebhookConfigurations, k.MutatingWebhookConfigurations);
        // The CRD is installed when the snapshot could list its objects (or was refused): absent, or failed, means not installed.
        Section(ResourceCatalog.SecurityGroupPolicies, k.SecurityGroupPolicies, absentWhenMissing: true);
        Section(ResourceCatalog.ResourceQuotas, k.ResourceQuotas);
        Section(ResourceCatalog.LimitRanges, k.LimitRanges);
        Section(ResourceCatalog.PriorityClasses, k.PriorityClasses);
        Section(ResourceCatalog.RuntimeClasses, k.RuntimeClasses);
        Section(ResourceCatalog.ApiServices, k.ApiServices);
        // PodSecurityPolicy was removed in 1.25: served only when the snapshot has some.
        if (k.PodSecurityPolicies is { Status: SectionStatus.Collected, Count: > 0 }) Section(ResourceCatalog.PodSecurityPolicies, k.PodSecurityPolicies);
        MapNodeSections(s, k);
        return s;
    }

    /// <summary>
    /// The snapshot's per-node sections, when the snapshot schema has them: KubeletConfigs (configz
    /// samples: each node's kubeletconfig becomes that node's configz; a sample with an Error makes
    /// that node's configz answer 503) and NodeMetrics (served as metrics.k8s.io nodes). Read by
    /// name and through JSON, so the server does not depend on those classes' exact shape.
    /// </summary>
    private static void MapNodeSections(KubeScenario s, KubernetesSections k)
    {
        if (typeof(KubernetesSections).GetProperty("KubeletConfigs")?.GetValue(k) is SectionBase { IsCollected: true } configs
            && JsonSerializer.SerializeToNode(configs, configs.GetType(), KubeJson.Options)?["items"] is JsonArray samples)
        {
            foreach (var sample in samples.OfType<JsonObject>())
            {
                if ((string?)sample["nodeName"] is not { Length: > 0 } node) continue;
                if (sample["kubeletconfig"] is JsonObject config) s.KubeletPatches[node] = (JsonObject)config.DeepClone();
                else if ((string?)sample["error"] is { } error)
                    s.Faults.Add(new FaultRule { Kind = FaultKind.Error, StatusCode = 503, Path = $"/api/v1/nodes/{node}/proxy/configz", Message = error });
            }
        }
        if (typeof(KubernetesSections).GetProperty("NodeMetrics")?.GetValue(k) is SectionBase { IsCollected: true } metrics
            && metrics.GetType().GetProperty("Items")?.GetValue(metrics) is IEnumerable items)
        {
            s.MetricsApi = true;
            s.Set(ResourceCatalog.NodeMetrics, items.Cast<object>());
        }
    }

    private static AccessRule DeniedRule(ResourceType type, string? permission)
    {
        // "list pods" / "list secrets": keep the verb; the resource is the section's.
        var verb = permission?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "list";
        return new AccessRule { Verbs = [verb is "get" or "list" or "watch" ? verb : "list"], Resources = [type.Plural + "." + (type.Group.Length == 0 ? "core" : type.Group)] };
    }

    /// <summary>Reads a snapshot file (JSON or gzip) and serves it.</summary>
    public static KubeScenario FromSnapshotFile(string path) => FromSnapshot(SnapshotReader.Read(path));

    /// <summary>
    /// A synthetic cluster of any size (<see cref="SyntheticClusterOptions"/>). Lists are lazy: each
    /// object is built as it is written to the response and then dropped, so 150,000 pods cost
    /// the plan, not the objects. <paramref name="materialize"/> builds everything in memory instead
    /// (faster gets by name).
    /// </summary>
    public static KubeScenario FromSynthetic(SyntheticClusterOptions options, bool materialize = false)
    {
        var c = new SyntheticCluster(options);
        var s = new KubeScenario { ServerVersion = c.ServerVersion() };
        void L(ResourceType type, Func<IEnumerable> factory)
        {
            if (materialize) s.Set(type, factory().Cast<object>());
            else s.SetLazy(type, factory);
        }
        L(ResourceCatalog.Namespaces, c.Namespaces);
        L(ResourceCatalog.Pods, c.Pods);
        L(ResourceCatalog.Deployments, c.Deployments);
        L(ResourceCatalog.ReplicaSets, c.ReplicaSets);
        L(ResourceCatalog.StatefulSets, c.StatefulSets);
        L(ResourceCatalog.DaemonSets, c.DaemonSets);
        L(ResourceCatalog.Jobs, c.Jobs);
        L(ResourceCatalog.CronJobs, c.CronJobs);
        s.Set(ResourceCatalog.ReplicationControllers, []);
        s.Set(ResourceCatalog.PodTemplates, []);
        L(ResourceCatalog.ServiceAccounts, c.ServiceAccounts);
        L(ResourceCatalog.Roles, c.Roles);
        L(ResourceCatalog.ClusterRoles, c.ClusterRoles);
        L(ResourceCatalog.RoleBindings, c.RoleBindings);
        L(ResourceCatalog.ClusterRoleBindings, c.ClusterRoleBindings);
        L(ResourceCatalog.NetworkPolicies, c.NetworkPolicies);
        L(ResourceCatalog.ConfigMaps, c.ConfigMaps);
        L(ResourceCatalog.Secrets, c.Secrets);
        L(ResourceCatalog.Nodes, c.Nodes);
        L(ResourceCatalog.Services, c.Services);
        L(ResourceCatalog.Ingresses, c.Ingresses);
        L(ResourceCatalog.StorageClasses, c.StorageClasses);
        L(ResourceCatalog.PersistentVolumes, c.PersistentVolumes);
        L(ResourceCatalog.PersistentVolumeClaims, c.PersistentVolumeClaims);
        L(ResourceCatalog.ValidatingWebhookConfigurations, c.ValidatingWebhooks);
        L(ResourceCatalog.MutatingWebhookConfigurations, c.MutatingWebhooks);
        L(ResourceCatalog.SecurityGroupPolicies, c.SecurityGroupPolicies);
        L(ResourceCatalog.ResourceQuotas, c.ResourceQuotas);
        L(ResourceCatalog.LimitRanges, c.LimitRanges);
        L(ResourceCatalog.PriorityClasses, c.PriorityClasses);
        s.Set(ResourceCatalog.RuntimeClasses, []);
        L(ResourceCatalog.ApiServices, c.ApiServices);
        return s;
    }

    /// <summary>Reads a scenario file (format: README.md); relative paths in it are relative to the file.</summary>
    public static KubeScenario Load(string path) => ScenarioFile.Parse(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path))!);

    /// <summary>Parses scenario JSON; relative paths are resolved against <paramref name="baseDirectory"/>.</summary>
    public static KubeScenario Parse(string json, string? baseDirectory = null) => ScenarioFile.Parse(json, baseDirectory ?? Directory.GetCurrentDirectory());

    private static V1CustomResourceDefinition SecurityGroupPolicyCrd() => new()
    {
        ApiVersion = "apiextensions.k8s.io/v1",
        Kind = "CustomResourceDefinition",
        Metadata = new V1ObjectMeta
        {
            Name = "securitygrouppolicies.vpcresources.k8s.aws",
            Uid = "5f0c6c59-7a3d-4c1f-9d59-0b6c8f3e2a11",
            ResourceVersion = "1001",
            CreationTimestamp = new DateTime(2024, 1, 15, 10, 0, 0, DateTimeKind.Utc),
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "amazon-vpc-resource-controller" },
        },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = "vpcresources.k8s.aws",
            Scope = "Namespaced",
            Names = new V1CustomResourceDefinitionNames { Plural = "securitygrouppolicies", Singular = "securitygrouppolicy", Kind = "SecurityGroupPolicy", ListKind = "SecurityGroupPolicyList", ShortNames = ["sgp"] },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = "v1beta1", Served = true, Storage = true,
                    Schema = new V1CustomResourceValidation { OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true } },
                    AdditionalPrinterColumns = [new V1CustomResourceColumnDefinition { Name = "Security-Group-Ids", Type = "string", JsonPath = ".spec.securityGroups.groupIds" }],
                },
            ],
        },
    };
}
