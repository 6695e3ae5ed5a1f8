using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EksSecurity.KubeTestServer.Api;

namespace EksSecurity.KubeTestServer.Tests;

/// <summary>/openapi/v3 over HTTP: the index, the group-version documents, their hashes and caching headers.</summary>
public sealed class OpenApiTests
{
    private static async Task<KubeTestServer> StartAsync()
    {
        var scenario = TestScenarios.Small();
        scenario.Set(ResourceCatalog.SecurityGroupPolicies, []);
        var server = new KubeTestServer(scenario);
        server.Start();
        return server;
    }

    [Fact]
    public async Task TheIndexListsEveryServedGroupVersionWithTheHashOfItsDocument()
    {
        await using var server = await StartAsync();
        using var client = server.CreateHttpClient();
        var (status, index, response) = await client.GetJson("/openapi/v3");
        Assert.Equal(200, status);
        var etag = response.Headers.ETag!.Tag;
        var paths = index!["paths"]!.AsObject();
        var expected = server.Scenario.Resources.Concat(ResourceCatalog.Reviews).Select(t => OpenApi.Key(t)).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, paths.Select(p => p.Key));
        Assert.Contains("api/v1", expected);
        Assert.Contains("apis/vpcresources.k8s.aws/v1beta1", expected);
        Assert.Contains("apis/authorization.k8s.io/v1", expected);

        foreach (var (key, value) in paths)
        {
            var url = (string)value!["serverRelativeURL"]!;
            Assert.StartsWith($"/openapi/v3/{key}?hash=", url);
            var hash = url[(url.IndexOf("hash=", StringComparison.Ordinal) + 5)..];
            using var doc = await client.GetAsync(url);
            Assert.Equal(200, (int)doc.StatusCode);
            var bytes = await doc.Content.ReadAsByteArrayAsync();
            Assert.Equal(Convert.ToHexString(SHA512.HashData(bytes)), hash);
            Assert.Equal("public, immutable", doc.Headers.CacheControl!.ToString());
            Assert.Equal($"\"{hash}\"", doc.Headers.ETag!.Tag);
        }

        // Revalidation of the index, as kubectl's disk cache does it.
        using var again = new HttpRequestMessage(HttpMethod.Get, "/openapi/v3");
        again.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var notModified = await client.SendAsync(again);
        Assert.Equal(304, (int)notModified.StatusCode);
    }

    [Fact]
    public async Task AStaleHashRedirectsAndUnknownDocumentsAreMissing()
    {
        await using var server = await StartAsync();
        using var handlerClient = server.CreateHttpClient();
        var (_, index, _) = await handlerClient.GetJson("/openapi/v3");
        var current = (string)index!["paths"]!["apis/apps/v1"]!["serverRelativeURL"]!;

        using var noRedirects = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            SslOptions = { RemoteCertificateValidationCallback = server.Certificates.Validator },
        }) { BaseAddress = server.BaseUri };
        noRedirects.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.Admin);
        using var redirect = await noRedirects.GetAsync("/openapi/v3/apis/apps/v1?hash=0123");
        Assert.Equal(301, (int)redirect.StatusCode);
        Assert.Equal(current, redirect.Headers.Location!.OriginalString);
        using var followed = await noRedirects.GetAsync(current);
        Assert.Equal(200, (int)followed.StatusCode);

        Assert.Equal(404, (int)(await handlerClient.GetAsync("/openapi/v3/apis/nope.example.com/v1")).StatusCode);
        // /openapi/v2: an empty Swagger 2.0 document, JSON or the protobuf kubectl asks for (answered with the valid spelling of its type).
        var (v2, body, _) = await handlerClient.GetJson("/openapi/v2");
        Assert.Equal(200, v2);
        Assert.Equal("2.0", (string?)body!["swagger"]);
        Assert.Empty(body["paths"]!.AsObject());
        using var pbRequest = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        pbRequest.Headers.TryAddWithoutValidation("Accept", OpenApi.V2Protobuf);
        using var pb = await handlerClient.SendAsync(pbRequest);
        Assert.Equal(OpenApi.V2ProtobufNew, pb.Content.Headers.ContentType!.MediaType);
        var bytes = await pb.Content.ReadAsByteArrayAsync();
        Assert.Equal([0x0A, 3, (byte)'2', (byte)'.', (byte)'0', 0x12], bytes[..6]);
        var (protobufOnly, _, _) = await handlerClient.GetJson("/openapi/v3/apis/apps/v1", "application/com.github.proto-openapi.spec.v3.v1.0+protobuf");
        Assert.Equal(406, protobufOnly);
        using var anonymous = server.CreateHttpClient(token: null);
        Assert.Equal(401, (int)(await anonymous.GetAsync("/openapi/v3")).StatusCode);
    }

    [Fact]
    public async Task WriteOperationsDeclareFieldValidationWithTheirKind()
    {
        await using var server = await StartAsync();
        using var client = server.CreateHttpClient();
        var (_, doc, _) = await client.GetJson("/openapi/v3/apis/networking.k8s.io/v1");
        Assert.Equal("3.0.0", (string?)doc!["openapi"]);
        var paths = doc["paths"]!.AsObject();
        var item = paths["/apis/networking.k8s.io/v1/namespaces/{namespace}/networkpolicies/{name}"]!;
        var patch = item["patch"]!;
        Assert.Equal("patch", (string?)patch["x-kubernetes-action"]);
        Assert.Equal("""{"group":"networking.k8s.io","kind":"NetworkPolicy","version":"v1"}""", patch["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Equal(["dryRun", "fieldManager", "fieldValidation", "force"], patch["parameters"]!.AsArray().Select(p => (string?)p!["name"]));
        Assert.Equal([Patch.ApplyPatch, Patch.JsonPatch, Patch.MergePatch, Patch.StrategicMergePatch], patch["requestBody"]!["content"]!.AsObject().Select(c => c.Key));
        Assert.Equal("patchNetworkingV1NamespacedNetworkPolicy", (string?)patch["operationId"]);
        Assert.Equal(["dryRun", "fieldManager", "fieldValidation"], item["put"]!["parameters"]!.AsArray().Select(p => (string?)p!["name"]));
        Assert.Equal("get", (string?)item["get"]!["x-kubernetes-action"]);
        Assert.Equal("delete", (string?)item["delete"]!["x-kubernetes-action"]);
        var collection = paths["/apis/networking.k8s.io/v1/namespaces/{namespace}/networkpolicies"]!;
        Assert.Equal(["list", "post", "deletecollection"], new[] { "get", "post", "delete" }.Select(m => (string?)collection[m]!["x-kubernetes-action"]));
        Assert.Equal("listNetworkingV1NetworkPolicyForAllNamespaces", (string?)paths["/apis/networking.k8s.io/v1/networkpolicies"]!["get"]!["operationId"]);

        // Every reference resolves; the kind's schema carries its group-version-kind, as kubectl's patch computation looks for it.
        var schemas = doc["components"]!["schemas"]!.AsObject();
        var text = doc.ToJsonString();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, "#/components/schemas/([^\"]+)"))
            Assert.True(schemas.ContainsKey(m.Groups[1].Value), m.Groups[1].Value);
        var np = schemas["io.k8s.api.networking.v1.NetworkPolicy"]!;
        Assert.Equal("""[{"group":"networking.k8s.io","kind":"NetworkPolicy","version":"v1"}]""", np["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Equal("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", ((string)np["properties"]!["metadata"]!["allOf"]![0]!["$ref"]!)["#/components/schemas/".Length..]);
        Assert.Equal("int-or-string", (string?)schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]!["format"]);

        // Custom resources take no strategic merge patch.
        var (_, crd, _) = await client.GetJson("/openapi/v3/apis/vpcresources.k8s.aws/v1beta1");
        var crPatch = crd!["paths"]!["/apis/vpcresources.k8s.aws/v1beta1/namespaces/{namespace}/securitygrouppolicies/{name}"]!["patch"]!;
        Assert.DoesNotContain(Patch.StrategicMergePatch, crPatch["requestBody"]!["content"]!.AsObject().Select(c => c.Key));
        Assert.Contains("fieldValidation", crPatch["parameters"]!.AsArray().Select(p => (string?)p!["name"]));
        Assert.True((bool)crd["components"]!["schemas"]!["aws.k8s.vpcresources.v1beta1.SecurityGroupPolicy"]!["x-kubernetes-preserve-unknown-fields"]!);
    }

    [Fact]
    public async Task TheHashChangesWhenTheServedResourcesDo()
    {
        await using var server = await StartAsync();
        using var client = server.CreateHttpClient();
        var (_, before, _) = await client.GetJson("/openapi/v3");
        var (_, same, _) = await client.GetJson("/openapi/v3");
        Assert.Equal(before!.ToJsonString(), same!.ToJsonString());
        server.Scenario.Remove(ResourceCatalog.NetworkPolicies);
        var (_, after, _) = await client.GetJson("/openapi/v3");
        Assert.NotEqual((string?)before["paths"]!["apis/networking.k8s.io/v1"]!["serverRelativeURL"], (string?)after!["paths"]!["apis/networking.k8s.io/v1"]!["serverRelativeURL"]);
        Assert.Equal((string?)before["paths"]!["api/v1"]!["serverRelativeURL"], (string?)after["paths"]!["api/v1"]!["serverRelativeURL"]);
        var (_, doc, _) = await client.GetJson("/openapi/v3/apis/networking.k8s.io/v1");
        Assert.DoesNotContain(doc!["paths"]!.AsObject(), p => p.Key.Contains("networkpolicies", StringComparison.Ordinal));
    }
}
