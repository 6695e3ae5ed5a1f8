using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EksSecurity.KubeTestServer.Api;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace EksSecurity.KubeTestServer;

public sealed partial class KubeTestServer
{
    private const int FlushThreshold = 64 * 1024;

    private async Task ResourceAsync(HttpContext http, RequestInfo info, Identity identity, Exchange x)
    {
        var type = info.Type!;
        var verb = info.Verb!;
        if (info.Subresource is null && !type.Supports(verb) && verb != "watch") throw KubeStatus.MethodNotAllowed(verb, type);
        switch (verb)
        {
            case "list": await ListAsync(http, info, x).ConfigureAwait(false); break;
            case "get": await GetAsync(http, info, x).ConfigureAwait(false); break;
            case "watch": await WatchAsync(http, info, x).ConfigureAwait(false); break;
            case "create" or "update" or "patch" or "delete": await WriteAsync(http, info, identity).ConfigureAwait(false); break;
            default: throw KubeStatus.MethodNotAllowed(verb, type);
        }
    }

    // ------------------------------------------------------------------ presentation

    /// <summary>
    /// The object as the wire carries it: list items of built-in kinds without apiVersion/kind (as
    /// the API server writes them), single objects and custom resources with them; secrets given
    /// placeholder data when they have none (a real secret has data).
    /// </summary>
    private object Present(ResourceType type, object item, bool inList)
    {
        var withType = inList && !type.Custom;
        var copy = ObjectAccess.WithTypeMeta(item, withType ? null : type.GroupVersion, withType ? null : type.Kind);
        if (copy is V1Secret secret && Scenario.FillSecretData && (secret.Data is null || secret.Data.Count == 0) && secret.StringData is null)
        {
            if (ReferenceEquals(copy, item)) return item;
            secret.Data = PlaceholderSecretData(secret.Type);
        }
        return copy;
    }

    private static Dictionary<string, byte[]> PlaceholderSecretData(string? type)
    {
        var fake = Encoding.UTF8.GetBytes("not-a-real-secret");
        return type switch
        {
            "kubernetes.io/tls" => new() { ["tls.crt"] = fake, ["tls.key"] = fake },
            "kubernetes.io/service-account-token" => new() { ["ca.crt"] = fake, ["namespace"] = fake, ["token"] = fake },
            "kubernetes.io/dockerconfigjson" => new() { [".dockerconfigjson"] = Encoding.UTF8.GetBytes("{\"auths\":{}}") },
            _ => new() { ["password"] = fake },
        };
    }

    /// <summary>A single object as JSON with apiVersion and kind first (also for classes that carry neither, such as NodeMetrics).</summary>
    private JsonObject SingleObject(ResourceType type, object item)
    {
        var presented = Present(type, item, inList: false);
        var node = JsonSerializer.SerializeToNode(presented, presented.GetType(), KubeJson.Options) as JsonObject ?? new JsonObject();
        if (node.ContainsKey("kind") && node.ContainsKey("apiVersion")) return node;
        var result = new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.GroupVersion };
        foreach (var (k, v) in node.ToList())
        {
            node.Remove(k);
            if (k is not ("kind" or "apiVersion")) result[k] = v;
        }
        return result;
    }

    private void CountSecretData(HttpContext http, ResourceType type, Exchange x)
    {
        if (type != ResourceCatalog.Secrets) return;
        x.SecretData = true;
        Interlocked.Increment(ref _secretDataRequests);
        Options.Log?.Invoke($"kube-test-server: SECRET DATA requested by {x.User}: {http.Request.Method} {http.Request.Path}{http.Request.QueryString} (Accept: {http.Request.Headers.Accept})");
    }

    private static (Representation Kind, string Version) NegotiateObjects(HttpContext http) =>
        MediaTypes.Negotiate(http.Request.Headers.Accept, Representation.Json, Representation.Table, Representation.PartialObjectMetadata)
        ?? throw KubeStatus.NotAcceptable();

    // ------------------------------------------------------------------ list

    private async Task ListAsync(HttpContext http, RequestInfo info, Exchange x)
    {
        var type = info.Type!;
        var q = http.Request.Query;
        var store = Scenario.Store(type) ?? throw KubeStatus.NotFoundPath();
        var labels = LabelSelector.Parse(q["labelSelector"]);
        var fields = FieldSelector.Parse(q["fieldSelector"], type);
        var limit = 0;
        if (!string.IsNullOrEmpty(q["limit"]) && (!int.TryParse(q["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out limit)))
            throw KubeStatus.BadRequest($"limit: Invalid value: \"{q["limit"]}\": must be an integer");
        if (limit < 0) limit = 0;
        if (Scenario.Paging.MaxLimit > 0 && (limit == 0 || limit > Scenario.Paging.MaxLimit)) limit = Scenario.Paging.MaxLimit;

        var rv = Scenario.CurrentResourceVersion;
        var epoch = Interlocked.Read(ref _epoch);
        long start = 0;
        var page = 0;
        var continueText = q["continue"].ToString();
        if (continueText.Length > 0)
        {
            if (!string.IsNullOrEmpty(q["resourceVersion"])) throw KubeStatus.BadRequest("specifying resource version is not allowed when using continue");
            var token = ContinueToken.Decode(continueText, type);
            if (token.Epoch < epoch || Scenario.Paging.TryExpire(type.Plural, token.Page))
                throw KubeStatus.Expired(new ContinueToken("meta.k8s.io/v1", rv, token.Position, type.GroupResource, 0, epoch).Encode());
            start = token.Position;
            page = token.Page;
            rv = token.ResourceVersion;
        }
        var (representation, mediaVersion) = NegotiateObjects(http);
        if (representation == Representation.Json) CountSecretData(http, type, x);

        var ns = type.Namespaced ? info.Namespace : null;
        bool Match(object item) =>
            (ns is null || ObjectAccess.Namespace(item) == ns)
            && (labels.IsEmpty || labels.Matches(ObjectAccess.Meta(item)?.Labels))
            && (fields.IsEmpty || fields.Matches(item));

        var cursor = store.Open(start);
        var parked = false;
        try
        {
            List<object>? pageItems = null;
            string? next = null;
            long? remaining = null;
            if (limit > 0)
            {
                pageItems = new List<object>(Math.Min(limit, 4096));
                while (pageItems.Count < limit && cursor.TryNext(out _, out var item))
                    if (Match(item)) pageItems.Add(item);
                if (cursor.HasMore())
                {
                    next = new ContinueToken("meta.k8s.io/v1", rv, cursor.Position, type.GroupResource, page + 1, epoch).Encode();
                    if (labels.IsEmpty && fields.IsEmpty && ns is null) remaining = store.RemainingFrom(cursor.Position);
                    store.Park(cursor);
                    parked = true;
                }
            }

            http.Response.StatusCode = 200;
            var includeObject = q["includeObject"].ToString() is { Length: > 0 } io ? io : "Metadata";
            var columns = representation == Representation.Table ? Tables.ColumnsFor(type, Scenario.FillSecretData) : null;
            http.Response.ContentType = representation switch
            {
                Representation.Table => $"application/json;as=Table;v={mediaVersion};g=meta.k8s.io",
                Representation.PartialObjectMetadata => $"application/json;as=PartialObjectMetadataList;v={mediaVersion};g=meta.k8s.io",
                _ => "application/json",
            };
            if (http.Request.Method == "HEAD") return;

            var body = http.Response.BodyWriter;
            using var w = new Utf8JsonWriter(body, KubeJson.WriterOptions);
            w.WriteStartObject();
            switch (representation)
            {
                case Representation.Table:
                    w.WriteString("kind", "Table");
                    w.WriteString("apiVersion", "meta.k8s.io/" + mediaVersion);
                    break;
                case Representation.PartialObjectMetadata:
                    w.WriteString("kind", "PartialObjectMetadataList");
                    w.WriteString("apiVersion", "meta.k8s.io/" + mediaVersion);
                    break;
                default:
                    w.WriteString("kind", type.ListKind);
                    w.WriteString("apiVersion", type.GroupVersion);
                    break;
            }
            w.WriteStartObject("metadata");
            w.WriteString("resourceVersion", rv.ToString(CultureInfo.InvariantCulture));
            if (next is not null) w.WriteString("continue", next);
            if (remaining is { } r) w.WriteNumber("remainingItemCount", r);
            w.WriteEndObject();
            if (columns is not null) Tables.WriteColumnDefinitions(w, columns);
            w.WriteStartArray(representation == Representation.Table ? "rows" : "items");

            var count = 0;
            long flushed = 0;
            async ValueTask WriteItem(object item)
            {
                switch (representation)
                {
                    case Representation.Table:
                        Tables.WriteRow(w, item, columns!, includeObject, o => Present(type, o, inList: false));
                        break;
                    case Representation.PartialObjectMetadata:
                        Tables.WritePartialObjectMetadata(w, item);
                        break;
                    default:
                        var presented = Present(type, item, inList: true);
                        JsonSerializer.Serialize(w, presented, presented.GetType(), KubeJson.Options);
                        break;
                }
                count++;
                // The serializer commits to the pipe itself (BytesPending drops to 0 after each value):
                // count what went into the pipe since the last flush, and flush so the socket's pace
                // limits memory (Kestrel pauses FlushAsync while its response buffer is full).
                if (w.BytesCommitted + w.BytesPending - flushed > FlushThreshold)
                {
                    w.Flush();
                    await body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
                    flushed = w.BytesCommitted;
                }
            }

            if (pageItems is not null)
            {
                foreach (var item in pageItems) await WriteItem(item).ConfigureAwait(false);
            }
            else
            {
                while (cursor.TryNext(out _, out var item))
                    if (Match(item)) await WriteItem(item).ConfigureAwait(false);
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.Flush();
            await body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            x.Items = count;
        }
        finally
        {
            if (!parked) cursor.Dispose();
        }
    }

    // ------------------------------------------------------------------ get

    private async Task GetAsync(HttpContext http, RequestInfo info, Exchange x)
    {
        var type = info.Type!;
        var store = Scenario.Store(type) ?? throw KubeStatus.NotFoundPath();
        var ns = type.Namespaced ? info.Namespace : null;
        var item = store.Find(ns, info.Name!) ?? throw KubeStatus.NotFound(type, info.Name!);
        switch (info.Subresource)
        {
            case null:
            case "status":
                break;
            case "log" when type == ResourceCatalog.Pods:
                http.Response.ContentType = "text/plain";
                var container = http.Request.Query["container"].ToString();
                var pod = (V1Pod)item;
                container = container.Length > 0 ? container : pod.Spec?.Containers?.FirstOrDefault()?.Name ?? "";
                await http.Response.WriteAsync($"{KubeJson.FormatTime(DateTime.UtcNow)} log line from {ns}/{info.Name} container {container}\n").ConfigureAwait(false);
                return;
            default:
                throw KubeStatus.MethodNotAllowed("get", type);
        }
        var (representation, mediaVersion) = NegotiateObjects(http);
        switch (representation)
        {
            case Representation.Table:
            {
                var columns = Tables.ColumnsFor(type, Scenario.FillSecretData);
                var includeObject = http.Request.Query["includeObject"].ToString() is { Length: > 0 } io ? io : "Metadata";
                using var buffer = new MemoryStream();
                using (var w = new Utf8JsonWriter(buffer, KubeJson.WriterOptions))
                {
                    w.WriteStartObject();
                    w.WriteString("kind", "Table");
                    w.WriteString("apiVersion", "meta.k8s.io/" + mediaVersion);
                    w.WriteStartObject("metadata");
                    w.WriteString("resourceVersion", ObjectAccess.Meta(item)?.ResourceVersion ?? "");
                    w.WriteEndObject();
                    Tables.WriteColumnDefinitions(w, columns);
                    w.WriteStartArray("rows");
                    Tables.WriteRow(w, item, columns, includeObject, o => Present(type, o, inList: false));
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                await WriteJsonAsync(http, 200, JsonNode.Parse(buffer.ToArray())!, $"application/json;as=Table;v={mediaVersion};g=meta.k8s.io").ConfigureAwait(false);
                return;
            }
            case Representation.PartialObjectMetadata:
            {
                var node = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/" + mediaVersion,
                    ["metadata"] = JsonSerializer.SerializeToNode(ObjectAccess.Meta(item) ?? new V1ObjectMeta(), KubeJson.Options),
                };
                await WriteJsonAsync(http, 200, node, $"application/json;as=PartialObjectMetadata;v={mediaVersion};g=meta.k8s.io").ConfigureAwait(false);
                return;
            }
            default:
                CountSecretData(http, type, x);
                await WriteJsonAsync(http, 200, SingleObject(type, item)).ConfigureAwait(false);
                return;
        }
    }

    // ------------------------------------------------------------------ watch

    /// <summary>
    /// A minimal watch: ADDED events for the objects that match (unless a resourceVersion other
    /// than "" or "0" asks to start later), then the stream stays open up to timeoutSeconds
    /// (capped by <see cref="KubeTestServerOptions.MaxWatch"/>) and ends. Writes are not streamed.
    /// </summary>
    private async Task WatchAsync(HttpContext http, RequestInfo info, Exchange x)
    {
        var type = info.Type!;
        var q = http.Request.Query;
        var store = Scenario.Store(type) ?? throw KubeStatus.NotFoundPath();
        var labels = LabelSelector.Parse(q["labelSelector"]);
        var fields = FieldSelector.Parse(q["fieldSelector"], type);
        var ns = type.Namespaced ? info.Namespace : null;
        var rvParam = q["resourceVersion"].ToString();
        var initial = rvParam is "" or "0" || q["sendInitialEvents"] == "true";
        if (MediaTypes.Negotiate(http.Request.Headers.Accept, Representation.Json) is null) throw KubeStatus.NotAcceptable();
        CountSecretData(http, type, x);
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        var body = http.Response.BodyWriter;
        var count = 0;
        if (info.Name is not null) fields = new FieldSelector([.. fields.Requirements, new FieldSelector.Requirement("metadata.name", true, info.Name)]);
        if (initial)
        {
            foreach (var item in store.Enumerate())
            {
                if ((ns is not null && ObjectAccess.Namespace(item) != ns) || !labels.Matches(ObjectAccess.Meta(item)?.Labels) || !fields.Matches(item)) continue;
                using (var w = new Utf8JsonWriter(body, KubeJson.WriterOptions))
                {
                    w.WriteStartObject();
                    w.WriteString("type", "ADDED");
                    w.WritePropertyName("object");
                    var presented = Present(type, item, inList: false);
                    JsonSerializer.Serialize(w, presented, presented.GetType(), KubeJson.Options);
                    w.WriteEndObject();
                }
                body.Write("\n"u8);
                count++;
                await body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            }
        }
        if (q["sendInitialEvents"] == "true" && q["allowWatchBookmarks"] == "true")
        {
            var bookmark = new JsonObject
            {
                ["type"] = "BOOKMARK",
                ["object"] = new JsonObject
                {
                    ["kind"] = type.Kind, ["apiVersion"] = type.GroupVersion,
                    ["metadata"] = new JsonObject
                    {
                        ["resourceVersion"] = Scenario.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture),
                        ["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" },
                    },
                },
            };
            body.Write(JsonSerializer.SerializeToUtf8Bytes(bookmark, KubeJson.Options));
            body.Write("\n"u8);
            await body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
        }
        x.Items = count;
        var wait = int.TryParse(q["timeoutSeconds"], out var seconds) ? TimeSpan.FromSeconds(seconds) : Options.MaxWatch;
        if (wait > Options.MaxWatch) wait = Options.MaxWatch;
        try
        {
            await Task.Delay(wait, http.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
