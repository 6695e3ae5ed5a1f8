using System.Text.Json;
using System.Text.Json.Nodes;
using EksSecurity.KubeTestServer.Api;
using EksSecurity.TestData;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Scenario;

/// <summary>The JSON scenario format (README.md, "Scenario file").</summary>
internal static class ScenarioFile
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly HashSet<string> Known =
    [
        "snapshot", "synthetic", "serverVersion", "users", "defaultAdmin", "denyAll", "securityGroupPolicyCrd", "metrics", "aggregatedDiscovery",
        "fillSecretData", "kubelet", "paging", "faults", "seed", "objects", "$schema", "description",
    ];

    public static KubeScenario Parse(string json, string baseDirectory)
    {
        var root = JsonNode.Parse(json, documentOptions: DocumentOptions) as JsonObject
                   ?? throw new FormatException("A scenario file holds a JSON object.");
        foreach (var (key, _) in root)
            if (!Known.Contains(key)) throw new FormatException($"Scenario: unknown member '{key}' (known: {string.Join(", ", Known.Order())}).");

        KubeScenario s;
        if ((string?)root["snapshot"] is { } snapshotPath)
            s = KubeScenario.FromSnapshotFile(Path.GetFullPath(Path.Combine(baseDirectory, snapshotPath)));
        else if (root["synthetic"] is JsonObject synthetic)
            s = KubeScenario.FromSynthetic(SyntheticOptions(synthetic), (bool?)synthetic["materialize"] ?? false);
        else
            s = new KubeScenario();

        switch (root["serverVersion"])
        {
            case JsonValue v when v.TryGetValue<string>(out var minor): s.ServerVersion = KubeScenario.DefaultVersion(minor); break;
            case JsonObject o: s.ServerVersion = o.Deserialize<VersionInfo>(KubeJson.Options)!; break;
        }
        if (root["defaultAdmin"] is JsonValue admin && !admin.GetValue<bool>()) s.Users.Clear();
        foreach (var u in root["users"] as JsonArray ?? [])
        {
            var user = (JsonObject)u!;
            s.Users.Add(new ScenarioUser
            {
                Token = (string?)user["token"],
                Name = (string?)user["user"] ?? (string?)user["name"] ?? throw new FormatException("Scenario: each user needs a 'user' name."),
                Groups = Strings(user["groups"]),
                Deny = Strings(user["deny"]).Select(AccessRule.Parse).ToList(),
                Allow = user["allow"] is JsonArray ? Strings(user["allow"]).Select(AccessRule.Parse).ToList() : null,
            });
        }
        s.DenyAll.AddRange(Strings(root["denyAll"]).Select(AccessRule.Parse));
        if (root["securityGroupPolicyCrd"] is JsonValue sgp)
        {
            if (!sgp.GetValue<bool>()) s.Remove(ResourceCatalog.SecurityGroupPolicies);
            else if (s.Store(ResourceCatalog.SecurityGroupPolicies) is null) s.Set(ResourceCatalog.SecurityGroupPolicies, []);
        }
        if ((bool?)root["metrics"] is { } metrics) s.MetricsApi = metrics;
        if ((bool?)root["aggregatedDiscovery"] is { } aggregated) s.AggregatedDiscovery = aggregated;
        if ((bool?)root["fillSecretData"] is { } fill) s.FillSecretData = fill;
        if ((int?)root["seed"] is { } seed) s.Seed = seed;
        if (root["kubelet"] is JsonObject kubelet)
        {
            if (kubelet["defaults"] is JsonObject defaults) s.KubeletDefaults = (JsonObject)defaults.DeepClone();
            if (kubelet["patches"] is JsonObject patches)
                foreach (var (node, patch) in patches) s.KubeletPatches[node] = (JsonObject)patch!.DeepClone();
        }
        if (root["paging"] is JsonObject paging)
        {
            s.Paging = new PagingOptions
            {
                ExpireContinueAfterPages = (int?)paging["expireContinueAfterPages"],
                ExpireTimes = paging.ContainsKey("expireTimes") ? (int?)paging["expireTimes"] : 1,
                ExpireResources = paging["expireResources"] is JsonArray ? Strings(paging["expireResources"]) : null,
                MaxLimit = (int?)paging["maxLimit"] ?? 0,
            };
        }
        foreach (var f in root["faults"] as JsonArray ?? [])
            s.Faults.Add(f.Deserialize<FaultRule>(FaultOptions) ?? throw new FormatException("Scenario: a fault is null."));
        foreach (var o in root["objects"] as JsonArray ?? [])
            AddObject(s, o as JsonObject ?? throw new FormatException("Scenario: each of 'objects' is a Kubernetes object."));
        return s;
    }

    private static readonly JsonSerializerOptions FaultOptions = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

    /// <summary>Adds a Kubernetes object (or a List of them) by its apiVersion and kind.</summary>
    internal static void AddObject(KubeScenario s, JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? "";
        var kind = (string?)obj["kind"] ?? throw new FormatException("Scenario: an object has no kind.");
        if (kind == "List" || (kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray))
        {
            foreach (var item in obj["items"] as JsonArray ?? [])
            {
                var child = (JsonObject)item!.DeepClone();
                if (kind != "List")
                {
                    child["apiVersion"] ??= apiVersion;
                    child["kind"] ??= kind[..^4];
                }
                AddObject(s, child);
            }
            return;
        }
        var type = ResourceCatalog.Stored.FirstOrDefault(t => t.Kind == kind && t.GroupVersion == apiVersion)
                   ?? ResourceCatalog.Stored.FirstOrDefault(t => t.Kind == kind)
                   ?? throw new FormatException($"Scenario: no resource serves kind {kind} ({apiVersion}).");
        object typed;
        try
        {
            typed = obj.Deserialize(type.ClrType, KubeJson.Options)!;
        }
        catch (JsonException e)
        {
            throw new FormatException($"Scenario: {kind} {(string?)obj["metadata"]?["name"]}: {e.Message}", e);
        }
        s.Add(typed);
    }

    private static SyntheticClusterOptions SyntheticOptions(JsonObject o)
    {
        var options = (string?)o["scale"] is { } scale ? SyntheticClusterOptions.ForScale(scale) : SyntheticClusterOptions.Tiny;
        if ((int?)o["pods"] is { } pods) options = options with { Pods = pods };
        if ((int?)o["nodes"] is { } nodes) options = options with { Nodes = nodes };
        if ((int?)o["namespaces"] is { } namespaces) options = options with { Namespaces = namespaces };
        if ((int?)o["rbacBindings"] is { } rbac) options = options with { RbacBindings = rbac };
        if ((int?)o["iamRoles"] is { } roles) options = options with { IamRoles = roles };
        if ((int?)o["seed"] is { } seed) options = options with { Seed = seed };
        if ((string?)o["clusterName"] is { } name) options = options with { ClusterName = name };
        if ((string?)o["kubernetesVersion"] is { } version) options = options with { KubernetesVersion = version };
        return options;
    }

    private static List<string> Strings(JsonNode? node) =>
        node switch
        {
            null => [],
            JsonArray a => a.Select(x => (string?)x ?? throw new FormatException("Scenario: expected a list of strings.")).ToList(),
            JsonValue v when v.TryGetValue<string>(out var one) => [one],
            _ => throw new FormatException("Scenario: expected a list of strings."),
        };
}
