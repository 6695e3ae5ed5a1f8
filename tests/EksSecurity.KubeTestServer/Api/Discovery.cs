using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace EksSecurity.KubeTestServer.Api;

/// <summary>
/// Discovery documents, both forms: the legacy ones (/api, /api/v1, /apis, /apis/g, /apis/g/v)
/// and aggregated discovery (apidiscovery.k8s.io/v2 APIGroupDiscoveryList on /api and /apis),
/// which kubectl 1.26+ asks for first.
/// </summary>
public static class Discovery
{
    public const string AggregatedV2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    public const string AggregatedV2Beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    public static IEnumerable<IGrouping<string, ResourceType>> Groups(IEnumerable<ResourceType> types) =>
        types.GroupBy(t => t.Group)
            .OrderBy(g => Array.IndexOf(ResourceCatalog.GroupOrder, g.Key) is var i && i < 0 ? int.MaxValue : i)
            .ThenBy(g => g.Key, StringComparer.Ordinal);

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList(IEnumerable<ResourceType> types)
    {
        var groups = new JsonArray();
        foreach (var g in Groups(types).Where(g => g.Key.Length > 0)) groups.Add(Group(g.Key, g));
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject Group(string name, IEnumerable<ResourceType> types)
    {
        var versions = types.Select(t => t.Version).Distinct().ToList();
        JsonObject Version(string v) => new() { ["groupVersion"] = $"{name}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = name,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Version(v)).ToArray()),
            ["preferredVersion"] = Version(versions[0]),
        };
    }

    public static JsonObject ResourceList(string groupVersion, IEnumerable<ResourceType> types)
    {
        var resources = new JsonArray();
        foreach (var t in types.OrderBy(t => t.Plural, StringComparer.Ordinal))
        {
            var r = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = Strings(t.Verbs),
            };
            if (t.ShortNames.Length > 0) r["shortNames"] = Strings(t.ShortNames);
            if (t.Categories.Length > 0) r["categories"] = Strings(t.Categories);
            if (!t.Aggregated) r["storageVersionHash"] = StorageVersionHash(t);
            resources.Add(r);
            foreach (var (sub, kind, verbs) in t.Subresources)
                resources.Add(new JsonObject
                {
                    ["name"] = $"{t.Plural}/{sub}",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                    ["kind"] = kind,
                    ["verbs"] = Strings(verbs),
                });
        }
        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = groupVersion, ["resources"] = resources };
    }

    /// <summary>The aggregated document for /api (core) or /apis (every named group).</summary>
    public static JsonObject Aggregated(IEnumerable<ResourceType> types, bool core, string apiVersion)
    {
        var items = new JsonArray();
        foreach (var g in Groups(types).Where(g => (g.Key.Length == 0) == core))
        {
            var versions = new JsonArray();
            foreach (var v in g.GroupBy(t => t.Version))
            {
                var resources = new JsonArray();
                foreach (var t in v.OrderBy(t => t.Plural, StringComparer.Ordinal))
                {
                    var r = new JsonObject
                    {
                        ["resource"] = t.Plural,
                        ["responseKind"] = Kind(t.Group, t.Version, t.Kind),
                        ["scope"] = t.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = t.Singular,
                        ["verbs"] = Strings(t.Verbs),
                    };
                    if (t.ShortNames.Length > 0) r["shortNames"] = Strings(t.ShortNames);
                    if (t.Categories.Length > 0) r["categories"] = Strings(t.Categories);
                    if (t.Subresources.Length > 0)
                    {
                        var subs = new JsonArray();
                        foreach (var (sub, kind, verbs) in t.Subresources)
                            subs.Add(new JsonObject { ["subresource"] = sub, ["responseKind"] = Kind(SubresourceGroup(kind, t), "v1", kind), ["verbs"] = Strings(verbs) });
                        r["subresources"] = subs;
                    }
                    resources.Add(r);
                }
                versions.Add(new JsonObject { ["version"] = v.Key, ["resources"] = resources, ["freshness"] = "Current" });
            }
            var metadata = new JsonObject { ["creationTimestamp"] = null };
            if (!core) metadata = new JsonObject { ["name"] = g.Key, ["creationTimestamp"] = null };
            items.Add(new JsonObject { ["metadata"] = metadata, ["versions"] = versions });
        }
        return new JsonObject { ["kind"] = "APIGroupDiscoveryList", ["apiVersion"] = apiVersion, ["metadata"] = new JsonObject(), ["items"] = items };
    }

    private static string SubresourceGroup(string kind, ResourceType parent) => kind switch
    {
        "Scale" => "autoscaling",
        "Eviction" => "policy",
        "TokenRequest" => "authentication.k8s.io",
        "Binding" or "PodAttachOptions" or "PodExecOptions" or "PodPortForwardOptions" or "PodProxyOptions" or "NodeProxyOptions" or "ServiceProxyOptions" => "",
        _ => parent.Group,
    };

    private static JsonObject Kind(string group, string version, string kind) => new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());

    /// <summary>base64 of the first 8 bytes of sha256(group/version/resource), the API server's storage version hash.</summary>
    private static string StorageVersionHash(ResourceType t) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"{t.Group}/{t.Version}/{t.Kind}"))[..8]);
}
