using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EksSecurity.KubeTestServer.Api;
using Microsoft.AspNetCore.Http;

namespace EksSecurity.KubeTestServer;

public sealed partial class KubeTestServer
{
    private static async Task<string> ReadBodyAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
    }

    private static JsonObject ParseObject(string body)
    {
        try
        {
            return FieldValidator.ParseLastWins(body) as JsonObject ?? throw KubeStatus.BadRequest("the body of the request must be a JSON object");
        }
        catch (JsonException e)
        {
            throw KubeStatus.BadRequest($"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf ({e.Message})");
        }
    }

    /// <summary>
    /// create, update, patch, delete (also on the status subresource); ?dryRun=All answers without storing;
    /// ?fieldValidation= Strict, Warn (the default) or Ignore decides what unknown and duplicate fields do
    /// (<see cref="FieldValidator"/>). Every attempt is in <see cref="WriteLog"/>.
    /// </summary>
    private async Task WriteAsync(HttpContext http, RequestInfo info, Identity identity)
    {
        var type = info.Type!;
        var verb = info.Verb!;
        if (type.Aggregated || info.Subresource is not (null or "status")) throw KubeStatus.MethodNotAllowed(verb, type);
        var dryRunValues = http.Request.Query["dryRun"].Where(v => !string.IsNullOrEmpty(v)).ToList();
        foreach (var v in dryRunValues)
            if (v != "All") throw KubeStatus.BadRequest($"dryRun: Unsupported value: \"{v}\": supported values: \"All\"");
        var dryRun = dryRunValues.Count > 0;
        var body = await ReadBodyAsync(http).ConfigureAwait(false);
        var contentType = http.Request.ContentType ?? "application/json";
        var ns = type.Namespaced ? info.Namespace : null;
        var store = Scenario.Store(type) ?? throw KubeStatus.NotFoundPath();
        var status = 500;
        object? result = null;
        var fieldValidationParameter = http.Request.Query["fieldValidation"].FirstOrDefault();
        var validation = new Validation();
        try
        {
            if (verb is "create" or "update" or "patch")
                validation.Directive = FieldValidator.ParseDirective(fieldValidationParameter, verb switch { "create" => "CreateOptions", "update" => "UpdateOptions", _ => "PatchOptions" });
            (result, status) = verb switch
            {
                "create" => (Create(type, ns, body, contentType, validation), 201),
                "update" => (Update(type, store, ns, info.Name!, body, contentType, validation), 200),
                "patch" => PatchObject(type, store, ns, info.Name!, body, contentType, validation),
                "delete" => (store.Find(ns, info.Name!) ?? throw KubeStatus.NotFound(type, info.Name!), 200),
                _ => throw KubeStatus.MethodNotAllowed(verb, type),
            };
            if (verb == "create" && store.Find(ns, ObjectAccess.Name(result)) is not null) throw KubeStatus.AlreadyExists(type, ObjectAccess.Name(result));
            if (!dryRun)
            {
                if (verb == "delete") store.Remove(ns, info.Name!);
                else store.Put(result);
            }
        }
        catch (KubeStatusException e)
        {
            status = e.Code;
            throw;
        }
        finally
        {
            var entry = new WriteLogEntry
            {
                Sequence = Interlocked.Read(ref _sequence) + 1,
                Time = DateTimeOffset.UtcNow,
                Method = http.Request.Method,
                Verb = verb,
                Path = http.Request.Path.Value ?? "",
                Query = (http.Request.QueryString.Value ?? "").TrimStart('?'),
                User = identity.Name,
                Resource = type.GroupResource,
                Namespace = ns,
                Name = info.Name ?? (result is null ? NameInBody(body) : ObjectAccess.Name(result)),
                ContentType = contentType,
                Body = body,
                DryRun = dryRun,
                FieldValidation = fieldValidationParameter,
                Warnings = validation.Warnings,
                Status = status,
                Result = result is null ? null : JsonSerializer.Serialize(ObjectAccess.WithTypeMeta(result, type.GroupVersion, type.Kind), result.GetType(), KubeJson.Options),
            };
            lock (_logLock) _writes.Add(entry);
        }
        foreach (var warning in validation.Warnings) http.Response.Headers.Append("Warning", FieldValidator.WarningHeader(warning));
        await WriteJsonAsync(http, status, SingleObject(type, result!)).ConfigureAwait(false);
    }

    /// <summary>The fieldValidation directive of a write and the warnings it gave.</summary>
    private sealed class Validation
    {
        public FieldValidation Directive = FieldValidation.Ignore;
        public List<string> Warnings { get; } = [];

        /// <summary>Strict: the errors refuse the request (<paramref name="refuse"/>); Warn: each becomes a warning; Ignore: dropped.</summary>
        public void Apply(IReadOnlyList<FieldError> errors, Func<IReadOnlyList<FieldError>, Exception> refuse)
        {
            if (errors.Count == 0 || Directive == FieldValidation.Ignore) return;
            if (Directive == FieldValidation.Strict) throw refuse(errors);
            Warnings.AddRange(errors.Select(e => e.ToString()));
        }
    }

    /// <summary>The unknown and duplicate fields of a create or update body, as the strict decoder reports them (400 when Strict).</summary>
    private void ValidateBody(ResourceType type, JsonObject obj, string body, Validation validation)
    {
        if (validation.Directive == FieldValidation.Ignore) return;
        var errors = FieldValidator.Check(body, ShapeOf(type));
        // The decoder fills a missing kind or apiVersion in from the endpoint's.
        var kind = Text(obj["kind"]) is { Length: > 0 } k ? k : type.Kind;
        var version = Text(obj["apiVersion"]) is { Length: > 0 } av ? av[(av.LastIndexOf('/') + 1)..] : type.Version;
        validation.Apply(errors, e => FieldValidator.DecodeError(kind, version, type.Kind, e));
    }

    /// <summary>metadata.name of a refused create's body, for the write log.</summary>
    private static string? NameInBody(string body) => Text(ParseObjectOrNull(body)?["metadata"]?["name"]) is { Length: > 0 } name ? name : null;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static JsonObject? ParseObjectOrNull(string body)
    {
        try
        {
            return FieldValidator.ParseLastWins(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void CheckTypeMeta(ResourceType type, JsonObject obj)
    {
        if ((string?)obj["apiVersion"] is { } apiVersion && apiVersion != type.GroupVersion)
            throw KubeStatus.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.GroupVersion})");
        if ((string?)obj["kind"] is { } kind && kind != type.Kind)
            throw KubeStatus.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        obj["apiVersion"] = type.GroupVersion;
        obj["kind"] = type.Kind;
    }

    private static void RequireJson(string contentType)
    {
        var media = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (media == Protobuf.MediaType) throw KubeStatus.UnsupportedMediaType(contentType + " (this test server reads JSON bodies)");
        if (media is not ("application/json" or "*/*" or "")) throw KubeStatus.UnsupportedMediaType(contentType);
    }

    private object Create(ResourceType type, string? ns, string body, string contentType, Validation validation)
    {
        RequireJson(contentType);
        if (type.Namespaced && ns is null) throw KubeStatus.MethodNotAllowed("create", type);
        var obj = ParseObject(body);
        ValidateBody(type, obj, body, validation);
        CheckTypeMeta(type, obj);
        var meta = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = meta;
        var name = (string?)meta["name"];
        if (string.IsNullOrEmpty(name))
        {
            if ((string?)meta["generateName"] is not { Length: > 0 } prefix)
                throw KubeStatus.Invalid(type, "", "metadata.name: Required value: name or generateName is required");
            const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
            lock (_random) name = prefix + new string(Enumerable.Range(0, 5).Select(_ => alphabet[_random.Next(alphabet.Length)]).ToArray());
            meta["name"] = name;
        }
        if (type.Namespaced)
        {
            if ((string?)meta["namespace"] is { Length: > 0 } bodyNs && bodyNs != ns)
                throw KubeStatus.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            meta["namespace"] = ns;
            if (Scenario.Store(ResourceCatalog.Namespaces) is { } namespaces && namespaces.Find(null, ns!) is null) throw KubeStatus.NamespaceNotFound(ns!);
        }
        else meta.Remove("namespace");
        meta["uid"] = Guid.NewGuid().ToString();
        meta["resourceVersion"] = Scenario.NextResourceVersion().ToString(CultureInfo.InvariantCulture);
        meta["creationTimestamp"] = KubeJson.FormatTime(DateTime.UtcNow);
        if (obj.ContainsKey("spec")) meta["generation"] = 1;
        if (type == ResourceCatalog.Namespaces)
        {
            obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            obj["status"] ??= new JsonObject { ["phase"] = "Active" };
            var labels = meta["labels"] as JsonObject ?? new JsonObject();
            labels["kubernetes.io/metadata.name"] = name;
            meta["labels"] = labels;
        }
        return Typed(type, obj, name!);
    }

    private object Update(ResourceType type, ResourceStore store, string? ns, string name, string body, string contentType, Validation validation)
    {
        RequireJson(contentType);
        var obj = ParseObject(body);
        ValidateBody(type, obj, body, validation);
        var existing = store.Find(ns, name) ?? throw KubeStatus.NotFound(type, name);
        CheckTypeMeta(type, obj);
        var meta = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = meta;
        if ((string?)meta["name"] is { } bodyName && bodyName != name)
            throw KubeStatus.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        return Finish(type, existing, obj, name, ns);
    }

    private (object, int) PatchObject(ResourceType type, ResourceStore store, string? ns, string name, string body, string contentType, Validation validation)
    {
        var existing = store.Find(ns, name);
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        var apply = mediaType == Patch.ApplyPatch;
        if (apply)
        {
            // Server-side apply converts the applied object to its schema's type first: an undeclared field is an error whatever fieldValidation says.
            var unknown = FieldValidator.Check(body, ShapeOf(type)).Where(e => e.IsUnknown).ToList();
            if (unknown.Count > 0)
            {
                var applied = ParseObjectOrNull(body);
                throw FieldValidator.ApplyError(type, Text(applied?["metadata"]?["namespace"]) ?? ns, Text(applied?["metadata"]?["name"]) ?? name, unknown);
            }
        }
        if (existing is null)
        {
            if (!apply) throw KubeStatus.NotFound(type, name);
            // Server-side apply creates what does not exist.
            var created = ParseObject(body);
            var meta = created["metadata"] as JsonObject ?? new JsonObject();
            meta["name"] = name;
            created["metadata"] = meta;
            return (Create(type, ns, created.ToJsonString(), "application/json", new Validation()), 201);
        }
        var current = JsonSerializer.SerializeToNode(ObjectAccess.WithTypeMeta(existing, type.GroupVersion, type.Kind), existing.GetType(), KubeJson.Options) as JsonObject ?? new JsonObject();
        var patched = Patch.Apply(current, contentType, body);
        if (!apply && validation.Directive != FieldValidation.Ignore)
        {
            // As the API server: duplicate keys of the patch itself, then the fields of the patched object its type does not declare.
            var errors = (mediaType == Patch.JsonPatch ? [] : FieldValidator.Duplicates(body)).Concat(FieldValidator.Unknown(patched, ShapeOf(type))).ToList();
            validation.Apply(errors, e => FieldValidator.PatchError(
                mediaType == Patch.StrategicMergePatch ? FieldValidator.GoFormat(ParseObjectOrNull(body)) : FieldValidator.GoJson(patched), e));
        }
        CheckTypeMeta(type, patched);
        var patchedMeta = patched["metadata"] as JsonObject ?? new JsonObject();
        patched["metadata"] = patchedMeta;
        if ((string?)patchedMeta["name"] != name)
            throw KubeStatus.Invalid(type, name, $"metadata.name: Invalid value: \"{(string?)patchedMeta["name"]}\": field is immutable");
        if (type.Namespaced && (string?)patchedMeta["namespace"] != ns)
            throw KubeStatus.Invalid(type, name, $"metadata.namespace: Invalid value: \"{(string?)patchedMeta["namespace"]}\": field is immutable");
        return (Finish(type, existing, patched, name, ns), 200);
    }

    /// <summary>Keeps what the server owns (uid, creation time), checks the resource version, bumps it and the generation.</summary>
    private object Finish(ResourceType type, object existing, JsonObject obj, string name, string? ns)
    {
        var meta = (JsonObject)obj["metadata"]!;
        var old = ObjectAccess.Meta(existing);
        if ((string?)meta["resourceVersion"] is { Length: > 0 } rv && rv != old?.ResourceVersion) throw KubeStatus.Conflict(type, name);
        meta["name"] = name;
        if (type.Namespaced) meta["namespace"] = ns;
        meta["uid"] = old?.Uid;
        meta["creationTimestamp"] = old?.CreationTimestamp is { } created ? KubeJson.FormatTime(created) : null;
        meta["resourceVersion"] = Scenario.NextResourceVersion().ToString(CultureInfo.InvariantCulture);
        if (obj.ContainsKey("spec")) meta["generation"] = (old?.Generation ?? 0) + 1;
        return Typed(type, obj, name);
    }

    private static object Typed(ResourceType type, JsonObject obj, string name)
    {
        try
        {
            return obj.Deserialize(type.ClrType, KubeJson.Options) ?? throw KubeStatus.BadRequest("the body decodes to null");
        }
        catch (JsonException e)
        {
            throw KubeStatus.Invalid(type, name, $"{e.Path}: Invalid value: {e.Message}");
        }
        catch (FormatException e)
        {
            throw KubeStatus.Invalid(type, name, e.Message);
        }
    }

    // ------------------------------------------------------------------ self-subject reviews

    private async Task ReviewAsync(HttpContext http, RequestInfo info, Identity identity)
    {
        var type = info.Type!;
        if (http.Request.Method != "POST" || info.Name is not null) throw KubeStatus.MethodNotAllowed(http.Request.Method, type);
        JsonObject obj;
        if (Protobuf.IsProtobuf(http.Request.ContentType))
        {
            // client-go 1.32+ typed clients (kubectl auth can-i / whoami) post reviews as protobuf.
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
            obj = Protobuf.DecodeReview(buffer.ToArray(), type);
        }
        else obj = ParseObject(await ReadBodyAsync(http).ConfigureAwait(false));
        obj["apiVersion"] = type.GroupVersion;
        obj["kind"] = type.Kind;
        obj["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        if (type == ResourceCatalog.SelfSubjectReviews)
        {
            obj["status"] = new JsonObject
            {
                ["userInfo"] = new JsonObject
                {
                    ["username"] = identity.Name,
                    ["groups"] = new JsonArray(identity.Groups.Select(g => (JsonNode)JsonValue.Create(g)!).ToArray()),
                },
            };
        }
        else if (type == ResourceCatalog.SelfSubjectAccessReviews)
        {
            var allowed = true;
            if (obj["spec"]?["resourceAttributes"] is JsonObject ra)
            {
                var group = (string?)ra["group"] ?? "";
                var resource = (string?)ra["resource"] ?? "";
                var target = AllTypes(Scenario.Resources).FirstOrDefault(t => t.Group == group && t.Plural == resource)
                             ?? new ResourceType { Group = group, Version = (string?)ra["version"] ?? "v1", Plural = resource, Singular = "", Kind = "", Namespaced = true, ClrType = typeof(object) };
                var sub = (string?)ra["subresource"];
                var ns = (string?)ra["namespace"];
                allowed = IsAllowed(identity, (string?)ra["verb"] ?? "", target, string.IsNullOrEmpty(sub) ? null : sub, string.IsNullOrEmpty(ns) ? null : ns);
            }
            obj["status"] = new JsonObject { ["allowed"] = allowed, ["reason"] = allowed ? "allowed by the test scenario" : "" };
        }
        else
        {
            var rules = new JsonArray();
            var allow = identity.Rules?.Allow;
            if (allow is null) rules.Add(new JsonObject { ["verbs"] = new JsonArray("*"), ["apiGroups"] = new JsonArray("*"), ["resources"] = new JsonArray("*") });
            else
                foreach (var r in allow)
                    rules.Add(new JsonObject
                    {
                        ["verbs"] = new JsonArray(r.Verbs.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()),
                        ["apiGroups"] = new JsonArray("*"),
                        ["resources"] = new JsonArray(r.Resources.Select(v => (JsonNode)JsonValue.Create(v.Split('.')[0])!).ToArray()),
                    });
            obj["status"] = new JsonObject
            {
                ["resourceRules"] = rules,
                ["nonResourceRules"] = new JsonArray(new JsonObject
                {
                    ["verbs"] = new JsonArray("get"),
                    ["nonResourceURLs"] = new JsonArray("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"),
                }),
                // Deny rules cannot be written as RBAC rules: say the list is incomplete when there are any.
                ["incomplete"] = Scenario.DenyAll.Count > 0 || identity.Rules?.Deny.Count > 0,
            };
        }
        await WriteJsonAsync(http, 201, obj).ConfigureAwait(false);
    }
}
