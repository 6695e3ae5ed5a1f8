using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Engine.Aws.Clients;

/// <summary>
/// The EKS operations the rules need, over rest-json (aws-models/eks). Results are the wire
/// shapes, deserialized straight into the snapshot model; every list follows nextToken.
/// </summary>
public sealed class EksClient(AwsHttpClient http)
{
    public static readonly RestJsonOperation ListClustersOp = new("ListClusters", "GET", "/clusters", "clusters", Paged: true);
    public static readonly RestJsonOperation DescribeClusterOp = new("DescribeCluster", "GET", "/clusters/{name}", "cluster");
    public static readonly RestJsonOperation DescribeClusterVersionsOp = new("DescribeClusterVersions", "GET", "/cluster-versions", "clusterVersions", Paged: true);
    public static readonly RestJsonOperation ListNodegroupsOp = new("ListNodegroups", "GET", "/clusters/{name}/node-groups", "nodegroups", Paged: true);
    public static readonly RestJsonOperation DescribeNodegroupOp = new("DescribeNodegroup", "GET", "/clusters/{name}/node-groups/{nodegroupName}", "nodegroup");
    public static readonly RestJsonOperation ListAddonsOp = new("ListAddons", "GET", "/clusters/{name}/addons", "addons", Paged: true);
    public static readonly RestJsonOperation DescribeAddonOp = new("DescribeAddon", "GET", "/clusters/{name}/addons/{addonName}", "addon");
    public static readonly RestJsonOperation DescribeAddonVersionsOp = new("DescribeAddonVersions", "GET", "/addons/supported-versions", "addons", Paged: true);
    public static readonly RestJsonOperation ListAccessEntriesOp = new("ListAccessEntries", "GET", "/clusters/{name}/access-entries", "accessEntries", Paged: true);
    public static readonly RestJsonOperation DescribeAccessEntryOp = new("DescribeAccessEntry", "GET", "/clusters/{name}/access-entries/{principalArn}", "accessEntry");
    public static readonly RestJsonOperation ListAssociatedAccessPoliciesOp = new("ListAssociatedAccessPolicies", "GET", "/clusters/{name}/access-entries/{principalArn}/access-policies", "associatedAccessPolicies", Paged: true);
    public static readonly RestJsonOperation ListPodIdentityAssociationsOp = new("ListPodIdentityAssociations", "GET", "/clusters/{name}/pod-identity-associations", "associations", Paged: true);
    public static readonly RestJsonOperation DescribePodIdentityAssociationOp = new("DescribePodIdentityAssociation", "GET", "/clusters/{name}/pod-identity-associations/{associationId}", "association");
    public static readonly RestJsonOperation ListFargateProfilesOp = new("ListFargateProfiles", "GET", "/clusters/{name}/fargate-profiles", "fargateProfileNames", Paged: true);
    public static readonly RestJsonOperation DescribeFargateProfileOp = new("DescribeFargateProfile", "GET", "/clusters/{name}/fargate-profiles/{fargateProfileName}", "fargateProfile");
    public static readonly RestJsonOperation ListIdentityProviderConfigsOp = new("ListIdentityProviderConfigs", "GET", "/clusters/{name}/identity-provider-configs", "identityProviderConfigs", Paged: true);
    public static readonly RestJsonOperation DescribeIdentityProviderConfigOp = new("DescribeIdentityProviderConfig", "POST", "/clusters/{name}/identity-provider-configs/describe", "identityProviderConfig");

    public static IReadOnlyList<RestJsonOperation> Operations { get; } =
    [
        ListClustersOp, DescribeClusterOp, DescribeClusterVersionsOp, ListNodegroupsOp, DescribeNodegroupOp, ListAddonsOp, DescribeAddonOp, DescribeAddonVersionsOp,
        ListAccessEntriesOp, DescribeAccessEntryOp, ListAssociatedAccessPoliciesOp, ListPodIdentityAssociationsOp, DescribePodIdentityAssociationOp,
        ListFargateProfilesOp, DescribeFargateProfileOp, ListIdentityProviderConfigsOp, DescribeIdentityProviderConfigOp,
    ];

    public int PageSize { get; init; } = 100;

    public Task<List<string>> ListClustersAsync(CancellationToken ct) => ListAsync<string>(ListClustersOp, Uri(), ct);

    public Task<EksCluster> DescribeClusterAsync(string name, CancellationToken ct) => GetAsync<EksCluster>(DescribeClusterOp, Uri(("name", name)), null, ct);

    public Task<List<EksClusterVersion>> DescribeClusterVersionsAsync(CancellationToken ct) =>
        ListAsync<EksClusterVersion>(DescribeClusterVersionsOp, Uri(), ct, [new("includeAll", "true")]);

    public Task<List<string>> ListNodegroupsAsync(string cluster, CancellationToken ct) => ListAsync<string>(ListNodegroupsOp, Uri(("name", cluster)), ct);

    public Task<EksNodegroup> DescribeNodegroupAsync(string cluster, string nodegroup, CancellationToken ct) =>
        GetAsync<EksNodegroup>(DescribeNodegroupOp, Uri(("name", cluster), ("nodegroupName", nodegroup)), null, ct);

    public Task<List<string>> ListAddonsAsync(string cluster, CancellationToken ct) => ListAsync<string>(ListAddonsOp, Uri(("name", cluster)), ct);

    public Task<EksAddon> DescribeAddonAsync(string cluster, string addon, CancellationToken ct) =>
        GetAsync<EksAddon>(DescribeAddonOp, Uri(("name", cluster), ("addonName", addon)), null, ct);

    /// <summary>The versions of one add-on published for a Kubernetes version (with which one is the default).</summary>
    public Task<List<EksAddonInfo>> DescribeAddonVersionsAsync(string addonName, string kubernetesVersion, CancellationToken ct) =>
        ListAsync<EksAddonInfo>(DescribeAddonVersionsOp, Uri(), ct, [new("addonName", addonName), new("kubernetesVersion", kubernetesVersion)]);

    public Task<List<string>> ListAccessEntriesAsync(string cluster, CancellationToken ct) => ListAsync<string>(ListAccessEntriesOp, Uri(("name", cluster)), ct);

    public Task<EksAccessEntry> DescribeAccessEntryAsync(string cluster, string principalArn, CancellationToken ct) =>
        GetAsync<EksAccessEntry>(DescribeAccessEntryOp, Uri(("name", cluster), ("principalArn", principalArn)), null, ct);

    public Task<List<EksAssociatedAccessPolicy>> ListAssociatedAccessPoliciesAsync(string cluster, string principalArn, CancellationToken ct) =>
        ListAsync<EksAssociatedAccessPolicy>(ListAssociatedAccessPoliciesOp, Uri(("name", cluster), ("principalArn", principalArn)), ct);

    public Task<List<JsonObject>> ListPodIdentityAssociationsAsync(string cluster, CancellationToken ct) =>
        ListAsync<JsonObject>(ListPodIdentityAssociationsOp, Uri(("name", cluster)), ct);

    public Task<EksPodIdentityAssociation> DescribePodIdentityAssociationAsync(string cluster, string associationId, CancellationToken ct) =>
        GetAsync<EksPodIdentityAssociation>(DescribePodIdentityAssociationOp, Uri(("name", cluster), ("associationId", associationId)), null, ct);

    public Task<List<string>> ListFargateProfilesAsync(string cluster, CancellationToken ct) => ListAsync<string>(ListFargateProfilesOp, Uri(("name", cluster)), ct);

    public Task<EksFargateProfile> DescribeFargateProfileAsync(string cluster, string profile, CancellationToken ct) =>
        GetAsync<EksFargateProfile>(DescribeFargateProfileOp, Uri(("name", cluster), ("fargateProfileName", profile)), null, ct);

    /// <summary>Each element is {type, name}.</summary>
    public Task<List<JsonObject>> ListIdentityProviderConfigsAsync(string cluster, CancellationToken ct) =>
        ListAsync<JsonObject>(ListIdentityProviderConfigsOp, Uri(("name", cluster)), ct);

    public async Task<EksOidcIdentityProviderConfig?> DescribeOidcIdentityProviderConfigAsync(string cluster, string type, string name, CancellationToken ct)
    {
        var body = new JsonObject { ["identityProviderConfig"] = new JsonObject { ["type"] = type, ["name"] = name } };
        var result = await GetAsync<JsonObject>(DescribeIdentityProviderConfigOp, Uri(("name", cluster)), body, ct).ConfigureAwait(false);
        return result["oidc"]?.Deserialize<EksOidcIdentityProviderConfig>(SnapshotJson.Options);
    }

    private static Dictionary<string, string> Uri(params (string Key, string Value)[] values) => values.ToDictionary(v => v.Key, v => v.Value);

    private async Task<T> GetAsync<T>(RestJsonOperation op, Dictionary<string, string> uri, JsonNode? body, CancellationToken ct)
    {
        using var doc = await CallAsync(op, op.Path(uri), body, ct).ConfigureAwait(false);
        if (!doc.RootElement.TryGetProperty(op.ResultMember, out var result))
            throw new AwsServiceException(AwsService.Eks, op.Name, "MalformedResponse", $"The response has no '{op.ResultMember}' member.", 200);
        return result.Deserialize<T>(SnapshotJson.Options)!;
    }

    private async Task<List<T>> ListAsync<T>(RestJsonOperation op, Dictionary<string, string> uri, CancellationToken ct,
        IReadOnlyList<KeyValuePair<string, string?>>? extraQuery = null)
    {
        var items = new List<T>();
        string? token = null;
        var seen = new HashSet<string>();
        do
        {
            var query = new List<KeyValuePair<string, string?>>(extraQuery ?? []) { new("maxResults", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("nextToken", token) };
            using var doc = await CallAsync(op, op.Path(uri, query), null, ct).ConfigureAwait(false);
            if (doc.RootElement.TryGetProperty(op.ResultMember, out var page) && page.ValueKind == JsonValueKind.Array)
                items.AddRange(page.Deserialize<List<T>>(SnapshotJson.Options)!);
            token = doc.RootElement.TryGetProperty("nextToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            // A service that hands back a token it already gave would loop forever.
            if (token is not null && !seen.Add(token))
                throw new AwsServiceException(AwsService.Eks, op.Name, "PagingLoop", "The service returned the same nextToken twice.", 200);
        }
        while (!string.IsNullOrEmpty(token));
        return items;
    }

    private async Task<JsonDocument> CallAsync(RestJsonOperation op, string path, JsonNode? body, CancellationToken ct)
    {
        var bytes = body is null ? null : Encoding.UTF8.GetBytes(body.ToJsonString());
        var response = await http.SendAsync(AwsService.Eks, op.Name, new HttpMethod(op.Method), path, bytes,
            bytes is null ? null : "application/json", null, ct).ConfigureAwait(false);
        return JsonDocument.Parse(response.Body.Length == 0 ? "{}"u8.ToArray() : response.Body);
    }
}
