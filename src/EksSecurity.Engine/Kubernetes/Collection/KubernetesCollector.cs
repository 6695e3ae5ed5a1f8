using System.Net;
using System.Text.Json;
using EksSecurity.Engine.Snapshot;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace EksSecurity.Engine.Kubernetes.Collection;

/// <summary>
/// Collects the Kubernetes half of a snapshot: every kind the rules read, each list paged
/// (limit 500, continue; an expired continue token restarts that list), kinds fetched
/// concurrently with a bound, and what is kept made compact. A 403 on one kind marks that
/// section denied with the verb and resource; the rest goes on. Secret data is never requested.
/// </summary>
public sealed class KubernetesCollector(IKubernetes client, int pageSize = 500, int concurrency = 4)
{
    private const string MetadataOnly = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

    public Action<string>? Progress { get; init; }

    /// <summary>A list call: (continue token, limit, extra headers, ct) → (items, next continue token).</summary>
    private delegate Task<(IList<T>? Items, string? Continue)> Lister<T>(string? token, int limit, IReadOnlyDictionary<string, IReadOnlyList<string>>? headers, CancellationToken ct);

    public async Task CollectAsync(ClusterSnapshot snapshot, CancellationToken ct)
    {
        var k = snapshot.Kubernetes;
        using var gate = new SemaphoreSlim(concurrency);
        var c = client;
        var tasks = new List<Task>
        {
            Version(k, ct),
            List(gate, "namespaces", s => k.Namespaces = s, async (t, l, h, x) => Page((await c.CoreV1.ListNamespaceWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "pods", s => k.Pods = s, async (t, l, h, x) => Page((await c.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "deployments.apps", s => k.Deployments = s, async (t, l, h, x) => Page((await c.AppsV1.ListDeploymentForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "replicasets.apps", s => k.ReplicaSets = s, async (t, l, h, x) => Page((await c.AppsV1.ListReplicaSetForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "statefulsets.apps", s => k.StatefulSets = s, async (t, l, h, x) => Page((await c.AppsV1.ListStatefulSetForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "daemonsets.apps", s => k.DaemonSets = s, async (t, l, h, x) => Page((await c.AppsV1.ListDaemonSetForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "jobs.batch", s => k.Jobs = s, async (t, l, h, x) => Page((await c.BatchV1.ListJobForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "cronjobs.batch", s => k.CronJobs = s, async (t, l, h, x) => Page((await c.BatchV1.ListCronJobForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "replicationcontrollers", s => k.ReplicationControllers = s, async (t, l, h, x) => Page((await c.CoreV1.ListReplicationControllerForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "podtemplates", s => k.PodTemplates = s, async (t, l, h, x) => Page((await c.CoreV1.ListPodTemplateForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "serviceaccounts", s => k.ServiceAccounts = s, async (t, l, h, x) => Page((await c.CoreV1.ListServiceAccountForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "roles.rbac.authorization.k8s.io", s => k.Roles = s, async (t, l, h, x) => Page((await c.RbacAuthorizationV1.ListRoleForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "clusterroles.rbac.authorization.k8s.io", s => k.ClusterRoles = s, async (t, l, h, x) => Page((await c.RbacAuthorizationV1.ListClusterRoleWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "rolebindings.rbac.authorization.k8s.io", s => k.RoleBindings = s, async (t, l, h, x) => Page((await c.RbacAuthorizationV1.ListRoleBindingForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "clusterrolebindings.rbac.authorization.k8s.io", s => k.ClusterRoleBindings = s, async (t, l, h, x) => Page((await c.RbacAuthorizationV1.ListClusterRoleBindingWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "networkpolicies.networking.k8s.io", s => k.NetworkPolicies = s, async (t, l, h, x) => Page((await c.NetworkingV1.ListNetworkPolicyForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "configmaps", s => k.ConfigMaps = s, async (t, l, h, x) => Page((await c.CoreV1.ListConfigMapForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            Secrets(gate, k, ct),
            List(gate, "nodes", s => k.Nodes = s, async (t, l, h, x) => Page((await c.CoreV1.ListNodeWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "services", s => k.Services = s, async (t, l, h, x) => Page((await c.CoreV1.ListServiceForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "ingresses.networking.k8s.io", s => k.Ingresses = s, async (t, l, h, x) => Page((await c.NetworkingV1.ListIngressForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "storageclasses.storage.k8s.io", s => k.StorageClasses = s, async (t, l, h, x) => Page((await c.StorageV1.ListStorageClassWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "persistentvolumes", s => k.PersistentVolumes = s, async (t, l, h, x) => Page((await c.CoreV1.ListPersistentVolumeWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "persistentvolumeclaims", s => k.PersistentVolumeClaims = s, async (t, l, h, x) => Page((await c.CoreV1.ListPersistentVolumeClaimForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "validatingwebhookconfigurations.admissionregistration.k8s.io", s => k.ValidatingWebhookConfigurations = s, async (t, l, h, x) => Page((await c.AdmissionregistrationV1.ListValidatingWebhookConfigurationWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "mutatingwebhookconfigurations.admissionregistration.k8s.io", s => k.MutatingWebhookConfigurations = s, async (t, l, h, x) => Page((await c.AdmissionregistrationV1.ListMutatingWebhookConfigurationWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "resourcequotas", s => k.ResourceQuotas = s, async (t, l, h, x) => Page((await c.CoreV1.ListResourceQuotaForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "limitranges", s => k.LimitRanges = s, async (t, l, h, x) => Page((await c.CoreV1.ListLimitRangeForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "priorityclasses.scheduling.k8s.io", s => k.PriorityClasses = s, async (t, l, h, x) => Page((await c.SchedulingV1.ListPriorityClassWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "runtimeclasses.node.k8s.io", s => k.RuntimeClasses = s, async (t, l, h, x) => Page((await c.NodeV1.ListRuntimeClassWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            List(gate, "apiservices.apiregistration.k8s.io", s => k.ApiServices = s, async (t, l, h, x) => Page((await c.ApiregistrationV1.ListAPIServiceWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), ct),
            SecurityGroupPolicies(gate, k, ct),
            NodeMetrics(gate, k, ct),
        };
        await Task.WhenAll(tasks).ConfigureAwait(false);
        // PodSecurityPolicy was removed in Kubernetes 1.25; the section stays not collected (the rule knows why).
        if (k.Nodes is { IsCollected: true } nodes) k.KubeletConfigs = await KubeletConfigs(nodes.All, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The kubelet's effective configuration (configz through the API server's node proxy), from one
    /// Ready node per node group or launch template: what the node really runs, not a guessed file path.
    /// Fargate and Auto Mode nodes are AWS's and are not sampled. A 403 marks the section denied.
    /// </summary>
    private async Task<Section<KubeletConfigSample>> KubeletConfigs(IReadOnlyList<V1Node> nodes, CancellationToken ct)
    {
        static bool Ready(V1Node n) => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        var chosen = nodes
            .Where(n => n.Metadata?.Name is not null && KubeletConfigSample.AwsManagedComputeType(n) is null)
            .GroupBy(KubeletConfigSample.GroupKeyOf)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(Ready).ThenBy(n => n.Metadata!.Name, StringComparer.Ordinal).First())
            .ToList();
        var samples = new List<KubeletConfigSample>();
        foreach (var node in chosen)
        {
            var (group, template) = KubeletConfigSample.GroupOf(node);
            var sample = new KubeletConfigSample { NodeName = node.Metadata!.Name!, NodeGroup = group, LaunchTemplate = template };
            try
            {
                using var response = await client.CoreV1.ConnectGetNodeProxyWithPathWithHttpMessagesAsync(sample.NodeName, "configz", cancellationToken: ct).ConfigureAwait(false);
                using var doc = await JsonDocument.ParseAsync(response.Body, cancellationToken: ct).ConfigureAwait(false);
                sample.KubeletConfig = doc.RootElement.TryGetProperty("kubeletconfig", out var config)
                    ? config.Deserialize<KubeletConfiguration>(SnapshotJson.Options)
                    : null;
                if (sample.KubeletConfig is null) sample.Error = "the configz answer has no kubeletconfig object";
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            {
                return Fail<Section<KubeletConfigSample>>(ex, "get", "nodes/proxy");
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or JsonException)
            {
                sample.Error = ex is HttpOperationException http ? $"HTTP {(int)http.Response.StatusCode}: {Message(http)}" : ex.Message;
            }
            samples.Add(sample);
        }
        Progress?.Invoke($"kubelet configz: {samples.Count} node(s)");
        return Section<KubeletConfigSample>.Collected(samples);
    }

    private async Task Version(KubernetesSections k, CancellationToken ct)
    {
        try { k.ServerVersion = ObjectSection<VersionInfo>.Collected(await client.Version.GetCodeAsync(ct).ConfigureAwait(false)); }
        catch (HttpOperationException ex) { k.ServerVersion = Fail<ObjectSection<VersionInfo>>(ex, "get", "/version"); }
    }

    /// <summary>Secrets: names, namespaces and types only. Metadata-only lists never carry data; the type comes from a second, field-selected list.</summary>
    private async Task Secrets(SemaphoreSlim gate, KubernetesSections k, CancellationToken ct)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>> { ["Accept"] = [MetadataOnly] };
        var all = await Collect<V1Secret>(gate, "secrets", async (t, l, h, x) => Page((await client.CoreV1.ListSecretForAllNamespacesWithHttpMessagesAsync(continueParameter: t, limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), headers, ct).ConfigureAwait(false);
        if (!all.IsCollected) { k.Secrets = all; return; }
        var tokens = await Collect<V1Secret>(gate, "secrets", async (t, l, h, x) => Page((await client.CoreV1.ListSecretForAllNamespacesWithHttpMessagesAsync(
            continueParameter: t, fieldSelector: "type=kubernetes.io/service-account-token", limit: l, customHeaders: h, cancellationToken: x).ConfigureAwait(false)).Body), headers, ct).ConfigureAwait(false);
        var tokenKeys = tokens.All.Select(s => (s.Metadata?.NamespaceProperty, s.Metadata?.Name)).ToHashSet();
        foreach (var secret in all.All)
        {
            secret.Data = null;
            secret.StringData = null;
            secret.Type = tokenKeys.Contains((secret.Metadata?.NamespaceProperty, secret.Metadata?.Name)) ? "kubernetes.io/service-account-token" : null;
        }
        k.Secrets = all;
    }

    /// <summary>SecurityGroupPolicy is a CRD: an absent CRD (404) is an empty section, not an error.</summary>
    private async Task SecurityGroupPolicies(SemaphoreSlim gate, KubernetesSections k, CancellationToken ct) =>
        k.SecurityGroupPolicies = await CustomObjects<SecurityGroupPolicy>(gate, "vpcresources.k8s.aws", "v1beta1", "securitygrouppolicies",
            () => Section<SecurityGroupPolicy>.Collected([]), ct).ConfigureAwait(false);

    /// <summary>
    /// The resource metrics API (metrics-server) when the cluster serves it. Absent (404) or registered but
    /// unavailable (503) leaves the section not collected with the reason: EKS-HEALTH-006 judges the APIService itself.
    /// </summary>
    private async Task NodeMetrics(SemaphoreSlim gate, KubernetesSections k, CancellationToken ct) =>
        k.NodeMetrics = await CustomObjects<k8s.Models.NodeMetrics>(gate, "metrics.k8s.io", "v1beta1", "nodes",
            () => new Section<k8s.Models.NodeMetrics> { Status = SectionStatus.NotCollected, Reason = "the metrics API (metrics.k8s.io/v1beta1) is not served by this cluster" }, ct,
            unavailable: HttpStatusCode.ServiceUnavailable).ConfigureAwait(false);

    /// <summary>A cluster-scoped list of an API the cluster may not serve; <paramref name="whenAbsent"/> stands for a 404 (or <paramref name="unavailable"/>).</summary>
    private async Task<Section<T>> CustomObjects<T>(SemaphoreSlim gate, string group, string version, string plural, Func<Section<T>> whenAbsent,
        CancellationToken ct, HttpStatusCode unavailable = HttpStatusCode.NotFound)
    {
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var items = new List<T>();
            string? token = null;
            do
            {
                var response = await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(group, version, plural,
                    continueParameter: token, limit: pageSize, cancellationToken: ct).ConfigureAwait(false);
                var element = JsonSerializer.SerializeToElement(response.Body);
                foreach (var item in element.TryGetProperty("items", out var list) ? list.EnumerateArray() : default)
                    items.Add(item.Deserialize<T>(SnapshotJson.Options)!);
                token = element.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("continue", out var c) ? c.GetString() : null;
            }
            while (!string.IsNullOrEmpty(token));
            Progress?.Invoke($"{plural}.{group}: {items.Count}");
            return Section<T>.Collected(items);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound || ex.Response.StatusCode == unavailable)
        {
            var absent = whenAbsent();
            if (!absent.IsCollected) absent.Reason += $" (HTTP {(int)ex.Response.StatusCode})";
            return absent;
        }
        catch (HttpOperationException ex)
        {
            return Fail<Section<T>>(ex, "list", $"{plural}.{group}");
        }
        catch (HttpRequestException ex)
        {
            return Section<T>.Failed($"list {plural}.{group}: {ex.Message}");
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task List<T>(SemaphoreSlim gate, string resource, Action<Section<T>> set, Lister<T> lister, CancellationToken ct) where T : IMetadata<V1ObjectMeta> =>
        set(await Collect(gate, resource, lister, null, ct).ConfigureAwait(false));

    private async Task<Section<T>> Collect<T>(SemaphoreSlim gate, string resource, Lister<T> lister,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? headers, CancellationToken ct) where T : IMetadata<V1ObjectMeta>
    {
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var items = new List<T>();
                string? token = null;
                try
                {
                    do
                    {
                        var (page, next) = await lister(token, pageSize, headers, ct).ConfigureAwait(false);
                        foreach (var item in page ?? []) items.Add(Compact(item));
                        token = next;
                    }
                    while (!string.IsNullOrEmpty(token));
                    Progress?.Invoke($"{resource}: {items.Count}");
                    return Section<T>.Collected(items);
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Gone && attempt < 3)
                {
                    // The continue token expired while we paged: start this list again.
                }
            }
        }
        catch (HttpOperationException ex)
        {
            return Fail<Section<T>>(ex, "list", resource);
        }
        catch (HttpRequestException ex)
        {
            return new Section<T> { Status = SectionStatus.Failed, Reason = $"list {resource}: {ex.Message}" };
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>What no rule reads is dropped as it arrives, so memory follows the compact snapshot, not the raw responses.</summary>
    internal static T Compact<T>(T item) where T : IMetadata<V1ObjectMeta>
    {
        if (item.Metadata is { } meta)
        {
            meta.ManagedFields = null;
            meta.Annotations?.Remove("kubectl.kubernetes.io/last-applied-configuration");
        }
        if (item is V1Pod { Status: { } status }) CompactPodStatus(status);
        // A node lists every image it holds and every volume attached: often larger than the rest of the node, read by no rule.
        if (item is V1Node { Status: { } node })
        {
            node.Images = null;
            node.VolumesAttached = null;
            node.VolumesInUse = null;
        }
        return item;
    }

    /// <summary>
    /// Pods are most of a snapshot. Rules read their phase, reason, IPs, conditions and the containers' names, states and
    /// restarts; host addresses, QoS class, runtime ids and resource echoes go (a fifth of a pod's memory at scale).
    /// </summary>
    private static void CompactPodStatus(V1PodStatus status)
    {
        status.HostIP = null;
        status.HostIPs = null;
        status.QosClass = null;
        status.NominatedNodeName = null;
        status.ResourceClaimStatuses = null;
        status.EphemeralContainerStatuses = null;
        foreach (var container in (status.ContainerStatuses ?? []).Concat(status.InitContainerStatuses ?? []))
        {
            container.ImageID = null;
            container.ContainerID = null;
            container.AllocatedResources = null;
            container.AllocatedResourcesStatus = null;
            container.Resources = null;
            container.VolumeMounts = null;
            container.User = null;
        }
    }

    private static (IList<T>? Items, string? Continue) Page<T>(IItems<T> list) =>
        (list.Items, (list as IMetadata<V1ListMeta>)?.Metadata?.ContinueProperty);

    private static TSection Fail<TSection>(HttpOperationException ex, string verb, string resource) where TSection : SectionBase, new() =>
        ex.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
            ? new TSection { Status = SectionStatus.Denied, Permission = $"{verb} {resource}", Reason = Message(ex) }
            : new TSection { Status = SectionStatus.Failed, Reason = $"{verb} {resource}: HTTP {(int)ex.Response.StatusCode}: {Message(ex)}" };

    private static string Message(HttpOperationException ex)
    {
        var content = ex.Response.Content;
        if (string.IsNullOrEmpty(content)) return ex.Message;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(content);
            return doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? ex.Message : ex.Message;
        }
        catch (System.Text.Json.JsonException)
        {
            return ex.Message;
        }
    }
}
