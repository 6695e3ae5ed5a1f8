using System.Text.Json.Nodes;
using EksSecurity.AwsTestServer.Protocols;
using static EksSecurity.AwsTestServer.Services.JsonHelpers;

namespace EksSecurity.AwsTestServer.Services;

/// <summary>
/// EKS (rest-json). Clusters are DescribeCluster "cluster" objects; each cluster's node
/// groups, add-ons, access entries, Pod Identity associations, Fargate profiles and identity
/// provider configs are lists nested in the cluster object (or flat lists under eks with a
/// clusterName member), each in its Describe* shape. The published versions of clusters and
/// add-ons (DescribeClusterVersions, DescribeAddonVersions) sit under the top-level eks object.
/// </summary>
internal static class EksService
{
    public static readonly IReadOnlyDictionary<string, Func<CallContext, JsonObject>> Handlers =
        new Dictionary<string, Func<CallContext, JsonObject>>
        {
            ["ListClusters"] = ListClusters,
            ["DescribeCluster"] = c => Obj(("cluster", Cluster(c, c.Required("name")))),
            ["DescribeClusterVersions"] = DescribeClusterVersions,
            ["DescribeAddonVersions"] = DescribeAddonVersions,
            ["ListNodegroups"] = c => ListNames(c, "nodegroups", "nodegroupName", "nodegroups"),
            ["DescribeNodegroup"] = c => Obj(("nodegroup", Child(c, "nodegroups", "nodegroupName", c.Required("nodegroupName"),
                n => NotFound(c, $"No node group found for name: {n}.", ("nodegroupName", n))))),
            ["ListAddons"] = c => ListNames(c, "addons", "addonName", "addons"),
            ["DescribeAddon"] = c => Obj(("addon", Child(c, "addons", "addonName", c.Required("addonName"),
                n => NotFound(c, $"No addon: {n} found in cluster: {c.Str("clusterName")}", ("addonName", n))))),
            ["ListAccessEntries"] = ListAccessEntries,
            ["DescribeAccessEntry"] = c => Obj(("accessEntry", AccessEntry(c))),
            ["ListAssociatedAccessPolicies"] = ListAssociatedAccessPolicies,
            ["ListPodIdentityAssociations"] = ListPodIdentityAssociations,
            ["DescribePodIdentityAssociation"] = c => Obj(("association", Child(c, "podIdentityAssociations", "associationId", c.Required("associationId"),
                n => NotFound(c, $"No Pod Identity Association found for association ID {n}.")))),
            ["ListFargateProfiles"] = c => ListNames(c, "fargateProfiles", "fargateProfileName", "fargateProfileNames"),
            ["DescribeFargateProfile"] = c => Obj(("fargateProfile", Child(c, "fargateProfiles", "fargateProfileName", c.Required("fargateProfileName"),
                n => NotFound(c, $"No Fargate Profile found with name: {n}.", ("fargateProfileName", n))))),
            ["ListIdentityProviderConfigs"] = ListIdentityProviderConfigs,
            ["DescribeIdentityProviderConfig"] = DescribeIdentityProviderConfig,
        };

    /// <summary>The resource an EKS action is authorized on (for AccessDenied messages).</summary>
    public static string? Resource(CallContext c)
    {
        var name = c.Str("name") ?? c.Str("clusterName");
        return name is null ? $"arn:aws:eks:{c.Region}:{c.Account}:cluster/*" : ClusterArn(c, name);
    }

    private static string ClusterArn(CallContext c, string name) => $"arn:aws:eks:{c.Region}:{c.Account}:cluster/{name}";

    private static IEnumerable<JsonObject> Clusters(CallContext c) => c.Collection("clusters").Objects();

    private static AwsErrorException NotFound(CallContext c, string message, params (string, string)[] extra)
    {
        var body = new JsonObject();
        var cluster = c.Str("name") ?? c.Str("clusterName");
        if (cluster is not null) body["clusterName"] = cluster;
        foreach (var (k, v) in extra) body[k] = v;
        return new AwsErrorException("ResourceNotFoundException", 404, message, body);
    }

    private static JsonObject FindCluster(CallContext c, string name) =>
        Clusters(c).FirstOrDefault(o => o.S("name") == name)
        ?? throw NotFound(c, $"No cluster found for name: {name}.");

    private static JsonObject Cluster(CallContext c, string name)
    {
        var cluster = FindCluster(c, name).CloneObj();
        cluster["arn"] ??= ClusterArn(c, name);
        return cluster;
    }

    private static JsonObject ListClusters(CallContext c)
    {
        var include = c.StrList("include");
        var names = Clusters(c)
            .Where(o => o["connectorConfig"] is null || include.Contains("all", StringComparer.OrdinalIgnoreCase))
            .Select(o => o.S("name")!).ToList();
        var (page, next) = c.Page(names, c.Str("nextToken"), c.Limit("maxResults"), 100);
        return Obj(("clusters", StrArr(page)), ("nextToken", next));
    }

    /// <summary>A cluster's children of one kind: nested in the cluster object and/or flat under eks with clusterName.</summary>
    private static List<JsonObject> Children(CallContext c, string kind)
    {
        var clusterName = c.Required("clusterName");
        var cluster = FindCluster(c, clusterName);
        var result = new List<JsonObject>();
        foreach (var o in (cluster[kind] as JsonArray).Objects())
        {
            var copy = o.CloneObj();
            copy["clusterName"] ??= clusterName;
            result.Add(copy);
        }
        result.AddRange(c.Collection(kind).Objects().Where(o => o.S("clusterName") == clusterName).Select(o => o.CloneObj()));
        return result;
    }

    private static JsonObject Child(CallContext c, string kind, string key, string value, Func<string, AwsErrorException> notFound) =>
        Children(c, kind).FirstOrDefault(o => o.S(key) == value) ?? throw notFound(value);

    private static JsonObject ListNames(CallContext c, string kind, string key, string outputMember)
    {
        var names = Children(c, kind).Select(o => o.S(key)!).ToList();
        var (page, next) = c.Page(names, c.Str("nextToken"), c.Limit("maxResults"), 100);
        return Obj((outputMember, StrArr(page)), ("nextToken", next));
    }

    private static JsonObject ListAccessEntries(CallContext c)
    {
        var policy = c.Str("associatedPolicyArn");
        var entries = Children(c, "accessEntries")
            .Where(o => policy is null || (o["associatedAccessPolicies"] as JsonArray).Objects().Any(p => p.S("policyArn") == policy))
            .Select(o => o.S("principalArn")!).ToList();
        var (page, next) = c.Page(entries, c.Str("nextToken"), c.Limit("maxResults"), 100);
        return Obj(("accessEntries", StrArr(page)), ("nextToken", next));
    }

    private static JsonObject AccessEntry(CallContext c)
    {
        var principal = c.Required("principalArn");
        return Children(c, "accessEntries").FirstOrDefault(o => o.S("principalArn") == principal)
            ?? throw NotFound(c, "The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.");
    }

    private static JsonObject ListAssociatedAccessPolicies(CallContext c)
    {
        var entry = AccessEntry(c);
        var policies = (entry["associatedAccessPolicies"] as JsonArray).Objects().ToList();
        var (page, next) = c.Page(policies, c.Str("nextToken"), c.Limit("maxResults"), 100);
        return Obj(("clusterName", c.Str("clusterName")), ("principalArn", c.Str("principalArn")),
            ("nextToken", next), ("associatedAccessPolicies", Arr(page)));
    }

    private static JsonObject ListPodIdentityAssociations(CallContext c)
    {
        var ns = c.Str("namespace");
        var sa = c.Str("serviceAccount");
        var items = Children(c, "podIdentityAssociations")
            .Where(o => (ns is null || o.S("namespace") == ns) && (sa is null || o.S("serviceAccount") == sa))
            .ToList();
        var (page, next) = c.Page(items, c.Str("nextToken"), c.Limit("maxResults"), 100);
        return Obj(("associations", Arr(page)), ("nextToken", next));
    }

    private static JsonObject ListIdentityProviderConfigs(CallContext c)
    {
        var items = Children(c, "identityProviderConfigs")
            .Select(o => Obj(("type", o.S("type") ?? "oidc"), ("name", o.S("identityProviderConfigName"))))
            .ToList();
        var (page, next) = c.Page(items, c.Str("nextToken"), c.Limit("maxResults"), 100);
        return Obj(("identityProviderConfigs", Arr(page)), ("nextToken", next));
    }

    private static JsonObject DescribeIdentityProviderConfig(CallContext c)
    {
        var requested = c.Input["identityProviderConfig"] as JsonObject
            ?? throw AwsErrors.Validation("eks", "identityProviderConfig is required");
        var type = requested.S("type");
        var name = requested.S("name");
        if (type != "oidc") throw AwsErrors.Validation("eks", $"Unsupported identity provider config type: {type}");
        var config = Children(c, "identityProviderConfigs").FirstOrDefault(o => o.S("identityProviderConfigName") == name)
            ?? throw NotFound(c, $"No identity provider config found with name: {name}.");
        return Obj(("identityProviderConfig", Obj(("oidc", config))));
    }

    private static JsonObject DescribeClusterVersions(CallContext c)
    {
        var wanted = c.StrList("clusterVersions");
        var defaultOnly = c.Bool("defaultOnly") == true;
        var includeAll = c.Bool("includeAll") == true;
        var status = c.Str("status");
        var versionStatus = c.Str("versionStatus");
        var clusterType = c.Str("clusterType");
        var versions = ((c.Scenario.Root["eks"]?["clusterVersions"] as JsonArray) ?? c.Collection("clusterVersions")).Objects()
            .Where(v => wanted.Count == 0 || wanted.Contains(v.S("clusterVersion")!))
            .Where(v => !defaultOnly || v["defaultVersion"] is JsonValue d && (bool)d)
            .Where(v => includeAll || wanted.Count > 0 || v.S("versionStatus") != "UNSUPPORTED")
            .Where(v => status is null || v.S("status") == status)
            .Where(v => versionStatus is null || v.S("versionStatus") == versionStatus)
            .Where(v => clusterType is null || v.S("clusterType") is null || v.S("clusterType") == clusterType)
            .ToList();
        var (page, next) = c.Page(versions, c.Str("nextToken"), c.Limit("maxResults"), 100);
        return Obj(("nextToken", next), ("clusterVersions", Arr(page)));
    }

    /// <summary>
    /// AddonInfo objects from the top-level eks.addonVersions, filtered as EKS does: by addonName,
    /// types, publishers and owners; with kubernetesVersion only the add-on versions compatible with
    /// it, each with that one compatibility (and add-ons left with none dropped).
    /// </summary>
    private static JsonObject DescribeAddonVersions(CallContext c)
    {
        var addonName = c.Str("addonName");
        var kubernetesVersion = c.Str("kubernetesVersion");
        var types = c.StrList("types");
        var publishers = c.StrList("publishers");
        var owners = c.StrList("owners");
        var addons = new List<JsonObject>();
        foreach (var addon in ((c.Scenario.Root["eks"]?["addonVersions"] as JsonArray) ?? c.Collection("addonVersions")).Objects())
        {
            if (addonName is not null && addon.S("addonName") != addonName) continue;
            if (types.Count > 0 && !types.Contains(addon.S("type") ?? "")) continue;
            if (publishers.Count > 0 && !publishers.Contains(addon.S("publisher") ?? "")) continue;
            if (owners.Count > 0 && !owners.Contains(addon.S("owner") ?? "")) continue;
            var copy = addon.CloneObj();
            if (kubernetesVersion is not null)
            {
                // Each version keeps only its compatibility with that Kubernetes version, as EKS answers.
                var versions = new List<JsonNode>();
                foreach (var v in (copy["addonVersions"] as JsonArray).Objects())
                {
                    var compatible = (v["compatibilities"] as JsonArray).Objects().Where(x => x.S("clusterVersion") == kubernetesVersion).ToList();
                    if (compatible.Count == 0) continue;
                    var version = v.CloneObj();
                    version["compatibilities"] = Arr(compatible);
                    versions.Add(version);
                }
                if (versions.Count == 0) continue;
                copy["addonVersions"] = new JsonArray(versions.ToArray());
            }
            addons.Add(copy);
        }
        var (page, next) = c.Page(addons, c.Str("nextToken"), c.Limit("maxResults"), 100);
        return Obj(("addons", Arr(page)), ("nextToken", next));
    }
}
