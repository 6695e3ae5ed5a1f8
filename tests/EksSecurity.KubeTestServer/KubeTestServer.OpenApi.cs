using System.Collections.Concurrent;
using System.Globalization;
using EksSecurity.KubeTestServer.Api;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace EksSecurity.KubeTestServer;

public sealed partial class KubeTestServer
{
    /// <summary>Built documents by key ("api/v1"), with what they were built from: rebuilt when the served resources or a CRD change.</summary>
    private readonly ConcurrentDictionary<string, (string Signature, OpenApiDocument Document)> _openApi = new(StringComparer.Ordinal);

    /// <summary>The OpenAPI v3 documents of every served group-version (the review APIs included), by key.</summary>
    internal IReadOnlyList<OpenApiDocument> OpenApiDocuments(IReadOnlyCollection<ResourceType> types)
    {
        var result = new List<OpenApiDocument>();
        foreach (var gv in AllTypes(types).GroupBy(OpenApi.Key))
        {
            var list = gv.OrderBy(t => t.Plural, StringComparer.Ordinal).ToList();
            var signature = string.Join(',', list.Select(t => t.Custom ? $"{t.GroupResource}@{Crd(t)?.Metadata?.ResourceVersion}" : t.GroupResource))
                            + "|" + Scenario.ServerVersion.GitVersion;
            if (_openApi.TryGetValue(gv.Key, out var cached) && cached.Signature == signature)
            {
                result.Add(cached.Document);
                continue;
            }
            var document = OpenApi.Document(gv.Key, list, Scenario.ServerVersion.GitVersion ?? "unversioned", t => CrdSchema(t));
            _openApi[gv.Key] = (signature, document);
            result.Add(document);
        }
        return result;
    }

    /// <summary>The CRD that defines a custom resource, from the scenario's customresourcedefinitions.</summary>
    private V1CustomResourceDefinition? Crd(ResourceType type) =>
        Scenario.Store(ResourceCatalog.CustomResourceDefinitions)?.Find(null, $"{type.Plural}.{type.Group}") as V1CustomResourceDefinition;

    private V1JSONSchemaProps? CrdSchema(ResourceType type) =>
        Crd(type)?.Spec?.Versions?.FirstOrDefault(v => v.Name == type.Version)?.Schema?.OpenAPIV3Schema;

    /// <summary>What field validation compares a body with: the model class, or for a custom resource its CRD's schema.</summary>
    internal ApiShape ShapeOf(ResourceType type) => type.Custom ? ApiShape.CustomResource(CrdSchema(type)) : ApiShape.Of(type.ClrType);

    /// <summary>
    /// GET /openapi/v3 (the index, with an ETag; If-None-Match answers 304) and GET /openapi/v3/{api/v1 | apis/g/v}
    /// (the document; ?hash= other than the current one redirects (301) to the current URL, the current one is
    /// cacheable for a year, as kube-openapi's handler3 does).
    /// </summary>
    private async Task OpenApiAsync(HttpContext http, RequestInfo info, IReadOnlyCollection<ResourceType> types)
    {
        if (info.OpenApiKey == V2Key)
        {
            await OpenApiV2Async(http).ConfigureAwait(false);
            return;
        }
        var documents = OpenApiDocuments(types);
        if (info.OpenApiKey is not { } key)
        {
            var index = OpenApi.Index(documents);
            await ServeOpenApiAsync(http, index, "\"" + OpenApi.Hash(index) + "\"", null).ConfigureAwait(false);
            return;
        }
        var document = documents.FirstOrDefault(d => d.Key == key);
        if (document is null)
        {
            http.Response.StatusCode = 404;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("404 page not found\n").ConfigureAwait(false);
            return;
        }
        http.Response.Headers.Vary = "Accept";
        if (!AcceptsJson(http.Request.Headers.Accept.ToString()))
        {
            http.Response.StatusCode = 406;
            return;
        }
        if (http.Request.Query["hash"].ToString() is { Length: > 0 } hash)
        {
            if (hash != document.Hash)
            {
                http.Response.Headers.Location = document.ServerRelativeUrl;
                http.Response.StatusCode = 301;
                return;
            }
            http.Response.Headers.CacheControl = "public, immutable";
            http.Response.Headers.Expires = DateTimeOffset.UtcNow.AddYears(1).ToString("R", CultureInfo.InvariantCulture);
        }
        await ServeOpenApiAsync(http, document.Json, "\"" + document.Hash + "\"", document.Built).ConfigureAwait(false);
    }

    /// <summary>The <see cref="RequestInfo.OpenApiKey"/> of /openapi/v2.</summary>
    private const string V2Key = "/v2";

    /// <summary>GET /openapi/v2: the stub document (<see cref="OpenApi.V2Stub"/>), in the first of JSON or protobuf the Accept header lists (406 for neither).</summary>
    private async Task OpenApiV2Async(HttpContext http)
    {
        var (json, protobuf) = OpenApi.V2Stub(Scenario.ServerVersion.GitVersion ?? "unversioned");
        var accept = http.Request.Headers.Accept.ToString();
        foreach (var entry in (string.IsNullOrWhiteSpace(accept) ? "*/*" : accept).Split(','))
        {
            var media = entry.Split(';')[0].Trim();
            (byte[] Body, string ContentType)? chosen = media.ToLowerInvariant() switch
            {
                "application/json" or "application/*" or "*/*" => (json, "application/json"),
                // The '@' spelling kubectl asks for is not a valid media type to answer with (Go's mime parser refuses it).
                _ when media.Equals(OpenApi.V2Protobuf, StringComparison.OrdinalIgnoreCase) => (protobuf, OpenApi.V2ProtobufNew),
                _ when media.Equals(OpenApi.V2ProtobufNew, StringComparison.OrdinalIgnoreCase) => (protobuf, OpenApi.V2ProtobufNew),
                _ => null,
            };
            if (chosen is not { } c) continue;
            http.Response.Headers.Vary = "Accept";
            await ServeOpenApiAsync(http, c.Body, "\"" + OpenApi.Hash(c.Body) + "\"", null, c.ContentType).ConfigureAwait(false);
            return;
        }
        http.Response.StatusCode = 406;
    }

    private static async Task ServeOpenApiAsync(HttpContext http, byte[] body, string etag, DateTimeOffset? lastModified, string contentType = "application/json")
    {
        http.Response.Headers.ETag = etag;
        if (lastModified is { } modified) http.Response.Headers.LastModified = modified.ToString("R", CultureInfo.InvariantCulture);
        http.Response.ContentType = contentType;
        if (http.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } match && match.Split(',').Any(m => m.Trim() == etag || m.Trim() == "*"))
        {
            http.Response.StatusCode = 304;
            return;
        }
        http.Response.StatusCode = 200;
        http.Response.ContentLength = body.Length;
        if (http.Request.Method == "HEAD") return;
        await http.Response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>kube-openapi serves application/json and protobuf; this server JSON only (406 when the client takes nothing else).</summary>
    private static bool AcceptsJson(string accept)
    {
        if (string.IsNullOrWhiteSpace(accept)) return true;
        foreach (var entry in accept.Split(','))
        {
            var media = entry.Split(';')[0].Trim().ToLowerInvariant();
            if (media is "application/json" or "application/*" or "*/*") return true;
        }
        return false;
    }
}
