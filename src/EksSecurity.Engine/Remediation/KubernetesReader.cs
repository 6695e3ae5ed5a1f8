using System.Net;
using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Snapshot;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace EksSecurity.Engine.Remediation;

/// <summary>
/// The little a remediation needs from a live cluster, as a snapshot: the namespaces (all, or the named ones), their pods
/// when asked, the <c>default/kubernetes</c> Service (its IP family) and, with a cluster name, eks:DescribeCluster. A read
/// that is refused or fails leaves its section Denied or Failed with the reason, as the collector does.
/// </summary>
internal static class KubernetesReader
{
    public static async Task<ClusterSnapshot> ReadAsync(KubernetesTarget target, KubernetesReadRequest request, CancellationToken ct)
    {
        var snapshot = new ClusterSnapshot
        {
            ClusterName = target.ClusterName,
            Origin = SnapshotOrigin.Live,
            CollectedAt = DateTimeOffset.UtcNow,
            Generator = $"EksSecurity {typeof(SecurityEngine).Assembly.GetName().Version?.ToString(3)}",
        };
        if (target.Cluster is { } cluster)
        {
            snapshot.Aws.Cluster = ObjectSection<EksCluster>.Collected(cluster);
            snapshot.ClusterArn = cluster.Arn;
        }
        var client = target.Client;
        var k = snapshot.Kubernetes;
        var pageSize = Math.Clamp(request.PageSize, 1, 5000);

        if (request.Namespaces is null)
        {
            k.Namespaces = await ReadSection("list namespaces", async () =>
                await ListAll<V1Namespace>(async (token, x) => await client.CoreV1.ListNamespaceAsync(continueParameter: token, limit: pageSize, cancellationToken: x).ConfigureAwait(false), ct).ConfigureAwait(false)).ConfigureAwait(false);
        }
        else
        {
            k.Namespaces = await ReadSection("get namespaces", async () =>
            {
                var found = new List<V1Namespace>();
                foreach (var name in request.Namespaces.Distinct(StringComparer.Ordinal))
                {
                    try
                    {
                        found.Add(await client.CoreV1.ReadNamespaceAsync(name, cancellationToken: ct).ConfigureAwait(false));
                    }
                    catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
                    {
                        // Left out: the caller reports the names it asked for and did not get.
                    }
                }
                return found;
            }).ConfigureAwait(false);
        }

        if (request.Pods)
        {
            if (request.Namespaces is null)
                k.Pods = await ReadSection("list pods", async () =>
                    await ListAll<V1Pod>(async (token, x) => await client.CoreV1.ListPodForAllNamespacesAsync(continueParameter: token, limit: pageSize, cancellationToken: x).ConfigureAwait(false), ct).ConfigureAwait(false)).ConfigureAwait(false);
            else
                k.Pods = await ReadSection("list pods", async () =>
                {
                    var pods = new List<V1Pod>();
                    foreach (var ns in k.Namespaces.All.Select(n => n.Metadata?.Name).OfType<string>())
                        pods.AddRange(await ListAll<V1Pod>(async (token, x) => await client.CoreV1.ListNamespacedPodAsync(ns, continueParameter: token, limit: pageSize, cancellationToken: x).ConfigureAwait(false), ct).ConfigureAwait(false));
                    return pods;
                }).ConfigureAwait(false);
        }

        if (request.NetworkPolicies)
        {
            if (request.Namespaces is null)
                k.NetworkPolicies = await ReadSection("list networkpolicies.networking.k8s.io", async () =>
                    await ListAll<V1NetworkPolicy>(async (token, x) => await client.NetworkingV1.ListNetworkPolicyForAllNamespacesAsync(continueParameter: token, limit: pageSize, cancellationToken: x).ConfigureAwait(false), ct).ConfigureAwait(false)).ConfigureAwait(false);
            else
                k.NetworkPolicies = await ReadSection("list networkpolicies.networking.k8s.io", async () =>
                {
                    var policies = new List<V1NetworkPolicy>();
                    foreach (var ns in k.Namespaces.All.Select(n => n.Metadata?.Name).OfType<string>())
                        policies.AddRange(await ListAll<V1NetworkPolicy>(async (token, x) => await client.NetworkingV1.ListNamespacedNetworkPolicyAsync(ns, continueParameter: token, limit: pageSize, cancellationToken: x).ConfigureAwait(false), ct).ConfigureAwait(false));
                    return policies;
                }).ConfigureAwait(false);
        }

        // The IP family when there is no cluster description (a kubeconfig alone): the family of the API's own Service.
        if (target.Cluster?.KubernetesNetworkConfig?.IpFamily is null)
            k.Services = await ReadSection("get services", async () =>
            {
                try
                {
                    return [await client.CoreV1.ReadNamespacedServiceAsync("kubernetes", "default", cancellationToken: ct).ConfigureAwait(false)];
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    return new List<V1Service>();
                }
            }).ConfigureAwait(false);

        snapshot.Normalize();
        return snapshot;
    }

    private static async Task<List<T>> ListAll<T>(Func<string?, CancellationToken, Task<IItems<T>>> page, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var items = new List<T>();
            string? token = null;
            try
            {
                do
                {
                    var list = await page(token, ct).ConfigureAwait(false);
                    items.AddRange(list.Items ?? []);
                    token = (list as IMetadata<V1ListMeta>)?.Metadata?.ContinueProperty;
                }
                while (!string.IsNullOrEmpty(token));
                return items;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Gone && attempt < 3)
            {
                // The continue token expired while paging: list again.
            }
        }
    }

    private static async Task<Section<T>> ReadSection<T>(string what, Func<Task<List<T>>> read)
    {
        try
        {
            return Snapshot.Section<T>.Collected(await read().ConfigureAwait(false));
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Forbidden)
        {
            return Snapshot.Section<T>.Denied(what, KubernetesWriter.StatusMessage(ex));
        }
        catch (HttpOperationException ex)
        {
            return Snapshot.Section<T>.Failed($"{what}: HTTP {(int)ex.Response.StatusCode}: {KubernetesWriter.StatusMessage(ex)}");
        }
        catch (HttpRequestException ex)
        {
            return Snapshot.Section<T>.Failed($"{what}: {ex.Message}");
        }
    }
}
