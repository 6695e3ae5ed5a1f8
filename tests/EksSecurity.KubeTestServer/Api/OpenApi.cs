using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Api;

/// <summary>One OpenAPI v3 document as served: its bytes and the hash that names it.</summary>
public sealed record OpenApiDocument(string Key, byte[] Json, string Hash, DateTimeOffset Built)
{
    /// <summary>What /openapi/v3 lists for it: /openapi/v3/apis/apps/v1?hash=...</summary>
    public string ServerRelativeUrl => $"/openapi/v3/{Key}?hash={Hash}";
}

/// <summary>
/// OpenAPI v3 as the API server publishes it (kube-openapi handler3): <c>/openapi/v3</c> lists every
/// group-version ("api/v1", "apis/apps/v1", CRD group-versions) with the URL of its document, whose
/// <c>hash</c> is the upper-case hex SHA-512 of the document. A group-version document has the
/// collection and item paths of each resource with their operations (get, put, post, patch, delete,
/// as the resource's verbs allow), each carrying <c>x-kubernetes-action</c> and
/// <c>x-kubernetes-group-version-kind</c>; writes declare dryRun, fieldManager, fieldValidation (and
/// patch force), which is what kubectl 1.27+ looks for before relying on server-side field validation.
/// Component schemas are generated from the model classes (<see cref="ApiShape"/>; CRDs: their
/// openAPIV3Schema), with types but without descriptions and without x-kubernetes-patch-merge-key:
/// this server applies strategic merge patches as merge patches, so kubectl computing its patch from
/// these schemas sends whole lists, which is what the server can apply.
/// </summary>
public static class OpenApi
{
    private const string Ref = "#/components/schemas/";
    private const string MetaV1 = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private const string PatchSchema = MetaV1 + "Patch";
    private const string StatusSchema = MetaV1 + "Status";
    private const string DeleteOptionsSchema = MetaV1 + "DeleteOptions";
    private const string IntOrStringSchema = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    private const string QuantitySchema = "io.k8s.apimachinery.pkg.api.resource.Quantity";

    private static readonly HashSet<string> MetaTypes =
    [
        "ObjectMeta", "ListMeta", "LabelSelector", "LabelSelectorRequirement", "OwnerReference", "ManagedFieldsEntry", "Status", "StatusDetails",
        "StatusCause", "DeleteOptions", "Preconditions", "Condition", "FieldSelectorRequirement", "ShardInfo",
    ];

    /// <summary>"api/v1", "apis/apps/v1": the key of a group-version in /openapi/v3.</summary>
    public static string Key(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    public static string Key(ResourceType type) => Key(type.Group, type.Version);

    /// <summary>Upper-case hex SHA-512, kube-openapi's computeETag.</summary>
    public static string Hash(byte[] data) => Convert.ToHexString(SHA512.HashData(data));

    /// <summary>The /openapi/v3 index: {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."}, ...}}, keys sorted.</summary>
    public static byte[] Index(IEnumerable<OpenApiDocument> documents)
    {
        var paths = new JsonObject();
        foreach (var d in documents.OrderBy(d => d.Key, StringComparer.Ordinal))
            paths[d.Key] = new JsonObject { ["serverRelativeURL"] = d.ServerRelativeUrl };
        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["paths"] = paths }, KubeJson.Options);
    }

    /// <summary>The document of one group-version for the resources it serves (all of one group and version).</summary>
    public static OpenApiDocument Document(string key, IReadOnlyList<ResourceType> types, string serverVersion, Func<ResourceType, V1JSONSchemaProps?> crdSchema)
    {
        var builder = new Builder(types, crdSchema);
        var custom = types.Count > 0 && types.All(t => t.Custom);
        var doc = new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = custom ? "Kubernetes CRD Swagger" : "Kubernetes", ["version"] = custom ? "v0.1.0" : serverVersion },
            ["paths"] = builder.Paths(),
            ["components"] = new JsonObject
            {
                ["schemas"] = builder.Schemas(),
                ["securitySchemes"] = new JsonObject
                {
                    ["BearerToken"] = new JsonObject { ["type"] = "apiKey", ["description"] = "Bearer Token authentication", ["name"] = "authorization", ["in"] = "header" },
                },
            },
            ["security"] = new JsonArray(new JsonObject { ["BearerToken"] = new JsonArray() }),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(doc, KubeJson.Options);
        return new OpenApiDocument(key, bytes, Hash(bytes), DateTimeOffset.UtcNow);
    }

    // ------------------------------------------------------------------ OpenAPI v2 (a stub)

    /// <summary>The media type kubectl asks /openapi/v2 for (gnostic's openapi_v2.Document in protobuf), and its newer spelling.</summary>
    public const string V2Protobuf = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
    public const string V2ProtobufNew = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    /// <summary>
    /// /openapi/v2 as a Swagger 2.0 document with no paths and no definitions, in JSON and in protobuf.
    /// kubectl 1.27 and 1.28 download it before they validate anything (then ask v3 whether the server
    /// validates fields, and it does); later releases never need it. An empty document makes every v2
    /// lookup miss, so kubectl falls back to what it knows (v3, or its compiled-in types).
    /// </summary>
    public static (byte[] Json, byte[] Protobuf) V2Stub(string version)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = version },
            ["paths"] = new JsonObject(),
            ["definitions"] = new JsonObject(),
        }, KubeJson.Options);
        using var info = new MemoryStream();
        WriteString(info, 1, "Kubernetes");
        WriteString(info, 2, version);
        using var document = new MemoryStream();
        WriteString(document, 1, "2.0");
        WriteBytes(document, 2, info.ToArray());
        WriteBytes(document, 8, []);
        WriteBytes(document, 9, []);
        return (json, document.ToArray());
    }

    private static void WriteString(Stream s, int field, string value) => WriteBytes(s, field, System.Text.Encoding.UTF8.GetBytes(value));

    private static void WriteBytes(Stream s, int field, byte[] value)
    {
        WriteVarint(s, (ulong)((field << 3) | 2));
        WriteVarint(s, (ulong)value.Length);
        s.Write(value);
    }

    private static void WriteVarint(Stream s, ulong value)
    {
        while (value >= 0x80)
        {
            s.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        s.WriteByte((byte)value);
    }

    // ------------------------------------------------------------------ component names

    /// <summary>The Go package prefix of an API group's types: io.k8s.api.apps, io.k8s.api.rbac, aws.k8s.vpcresources ...</summary>
    public static string Package(string group) => group switch
    {
        "" => "io.k8s.api.core",
        "apiextensions.k8s.io" => "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
        "apiregistration.k8s.io" => "io.k8s.kube-aggregator.pkg.apis.apiregistration",
        "metrics.k8s.io" => "io.k8s.metrics.pkg.apis.metrics",
        _ when group.EndsWith(".k8s.io", StringComparison.Ordinal) => "io.k8s.api." + group.Split('.')[0],
        _ when !group.Contains('.') => "io.k8s.api." + group,
        _ => string.Join('.', group.Split('.').Reverse()),
    };

    /// <summary>The name of a resource's schema: io.k8s.api.networking.v1.NetworkPolicy, aws.k8s.vpcresources.v1beta1.SecurityGroupPolicy.</summary>
    public static string SchemaName(ResourceType type) => $"{Package(type.Group)}.{type.Version}.{type.Kind}";

    /// <summary>V1Pod, V1beta1CronJob, and the group-qualified names KubernetesClient gives clashing types (Corev1Event, Rbacv1Subject).</summary>
    private static readonly Regex VersionPrefix = new("^(?:([A-Z][a-z]+)v|V)([0-9]+)((?:alpha|beta)[0-9]+)?(?=[A-Z])", RegexOptions.CultureInvariant);

    /// <summary>Which resource's package a nested model class is published in: the first resource (core first) whose model reaches it.</summary>
    private static readonly Lazy<Dictionary<Type, ResourceType>> s_owners = new(() =>
    {
        var owners = new Dictionary<Type, ResourceType>();
        foreach (var root in ResourceCatalog.Stored.Concat(ResourceCatalog.Reviews))
        {
            if (root.Custom) continue;
            var pending = new Stack<ApiShape>();
            pending.Push(ApiShape.Of(root.ClrType));
            var seen = new HashSet<ApiShape>();
            while (pending.Count > 0)
            {
                var shape = pending.Pop();
                if (!seen.Add(shape)) continue;
                if (shape is { Kind: ShapeKind.Struct, ClrType: { } clr }) owners.TryAdd(clr, root);
                if (shape.Element is { } element) pending.Push(element);
                foreach (var field in shape.Fields.Values) pending.Push(field);
            }
        }
        return owners;
    });

    private static string SchemaName(Type clr, IReadOnlyDictionary<Type, ResourceType> roots)
    {
        if (roots.TryGetValue(clr, out var root)) return SchemaName(root);
        var name = clr.Name;
        string? version = null, groupPrefix = null;
        var m = VersionPrefix.Match(name);
        if (m.Success)
        {
            groupPrefix = m.Groups[1].Success ? m.Groups[1].Value.ToLowerInvariant() : null;
            version = "v" + m.Groups[2].Value + m.Groups[3].Value;
            name = name[m.Length..];
        }
        if (version == "v1" && groupPrefix is null or "meta" && MetaTypes.Contains(name)) return MetaV1 + name;
        var owner = s_owners.Value.GetValueOrDefault(clr) ?? ResourceCatalog.Stored.FirstOrDefault(t => t.ClrType == clr);
        var package = groupPrefix is not null ? "io.k8s.api." + groupPrefix : owner is null ? "io.k8s.api.core" : Package(owner.Group);
        return $"{package}.{version ?? owner?.Version ?? "v1"}.{name}";
    }

    // ------------------------------------------------------------------ the document

    private sealed class Builder
    {
        private readonly IReadOnlyList<ResourceType> _types;
        private readonly Func<ResourceType, V1JSONSchemaProps?> _crdSchema;
        private readonly Dictionary<Type, ResourceType> _roots = new();
        private readonly Dictionary<Type, string> _names = new();
        private readonly SortedDictionary<string, JsonNode> _schemas = new(StringComparer.Ordinal);

        public Builder(IReadOnlyList<ResourceType> types, Func<ResourceType, V1JSONSchemaProps?> crdSchema)
        {
            _types = types;
            _crdSchema = crdSchema;
            foreach (var t in types)
                if (!t.Custom) _roots.TryAdd(t.ClrType, t);
        }

        public JsonObject Schemas()
        {
            var o = new JsonObject();
            foreach (var (name, schema) in _schemas) o[name] = schema;
            return o;
        }

        public JsonObject Paths()
        {
            var paths = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var t in _types) AddPaths(t, paths);
            var o = new JsonObject();
            foreach (var (path, item) in paths) o[path] = item;
            return o;
        }

        private void AddPaths(ResourceType t, SortedDictionary<string, JsonObject> paths)
        {
            var kindSchema = KindSchema(t);
            var listSchema = ListSchema(t, kindSchema);
            var scope = t.Namespaced ? "Namespaced" : "";
            var prefix = t.PathPrefix + (t.Namespaced ? "/namespaces/{namespace}" : "");
            var collection = $"{prefix}/{t.Plural}";
            var item = $"{collection}/{{name}}";

            var c = PathItem(t.Namespaced, named: false);
            if (t.Supports("list")) c["get"] = Operation(t, "list", $"list{scope}{t.Kind}", $"list or watch objects of kind {t.Kind}", listSchema);
            if (t.Supports("create")) c["post"] = Operation(t, "post", $"create{scope}{t.Kind}", $"create a {t.Kind}", kindSchema);
            if (t.Supports("deletecollection")) c["delete"] = Operation(t, "deletecollection", $"deleteCollection{scope}{t.Kind}", $"delete collection of {t.Kind}", kindSchema);
            if (c.Count > 1) paths[collection] = c;

            var i = PathItem(t.Namespaced, named: true);
            if (t.Supports("get")) i["get"] = Operation(t, "get", $"read{scope}{t.Kind}", $"read the specified {t.Kind}", kindSchema);
            if (t.Supports("update")) i["put"] = Operation(t, "put", $"replace{scope}{t.Kind}", $"replace the specified {t.Kind}", kindSchema);
            if (t.Supports("patch")) i["patch"] = Operation(t, "patch", $"patch{scope}{t.Kind}", $"partially update the specified {t.Kind}", kindSchema);
            if (t.Supports("delete")) i["delete"] = Operation(t, "delete", $"delete{scope}{t.Kind}", $"delete a {t.Kind}", kindSchema);
            if (i.Count > 1) paths[item] = i;

            if (t.Namespaced && t.Supports("list"))
            {
                var all = new JsonObject { ["parameters"] = new JsonArray(PrettyParameter()) };
                all["get"] = Operation(t, "list", $"list{t.Kind}ForAllNamespaces", $"list or watch objects of kind {t.Kind}", listSchema);
                paths[$"{t.PathPrefix}/{t.Plural}"] = all;
            }

            // Subresources of the same kind (status, ephemeralcontainers): kubectl looks for the resource's PATCH among every path of its kind.
            foreach (var (sub, subKind, verbs) in t.Subresources)
            {
                if (subKind != t.Kind) continue;
                var suffix = char.ToUpperInvariant(sub[0]) + sub[1..];
                var s = PathItem(t.Namespaced, named: true);
                if (verbs.Contains("get")) s["get"] = Operation(t, "get", $"read{scope}{t.Kind}{suffix}", $"read {sub} of the specified {t.Kind}", kindSchema);
                if (verbs.Contains("update")) s["put"] = Operation(t, "put", $"replace{scope}{t.Kind}{suffix}", $"replace {sub} of the specified {t.Kind}", kindSchema);
                if (verbs.Contains("patch")) s["patch"] = Operation(t, "patch", $"patch{scope}{t.Kind}{suffix}", $"partially update {sub} of the specified {t.Kind}", kindSchema);
                if (s.Count > 1) paths[$"{item}/{sub}"] = s;
            }
        }

        private static JsonObject PathItem(bool namespaced, bool named)
        {
            var parameters = new JsonArray();
            if (named) parameters.Add(PathParameter("name", "name of the resource"));
            if (namespaced) parameters.Add(PathParameter("namespace", "object name and auth scope, such as for teams and projects"));
            parameters.Add(PrettyParameter());
            return new JsonObject { ["parameters"] = parameters };
        }

        private JsonObject Operation(ResourceType t, string action, string operation, string description, string kindSchema)
        {
            var groupVersion = Camel(t.Group) + char.ToUpperInvariant(t.Version[0]) + t.Version[1..];
            var verb = operation[..operation.IndexOfAny("ABCDEFGHIJKLMNOPQRSTUVWXYZ".ToCharArray())];
            var rest = operation[verb.Length..];
            var op = new JsonObject
            {
                ["tags"] = new JsonArray(Tag(t)),
                ["description"] = description,
                ["operationId"] = verb + groupVersion + rest,
            };
            var parameters = new JsonArray();
            switch (action)
            {
                case "list":
                    foreach (var p in new[] { "allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "resourceVersion", "resourceVersionMatch", "timeoutSeconds", "watch" })
                        parameters.Add(Query(p));
                    break;
                case "post" or "put":
                    foreach (var p in new[] { "dryRun", "fieldManager", "fieldValidation" }) parameters.Add(Query(p));
                    op["requestBody"] = new JsonObject { ["content"] = new JsonObject { ["*/*"] = Content(kindSchema) }, ["required"] = true };
                    break;
                case "patch":
                    foreach (var p in new[] { "dryRun", "fieldManager", "fieldValidation", "force" }) parameters.Add(Query(p));
                    var media = new JsonObject();
                    var patchTypes = t.Custom || t.Aggregated
                        ? new[] { Patch.ApplyPatch, Patch.JsonPatch, Patch.MergePatch }
                        : new[] { Patch.ApplyPatch, Patch.JsonPatch, Patch.MergePatch, Patch.StrategicMergePatch };
                    foreach (var m in patchTypes) media[m] = Content(SchemaRef(PatchSchema, new JsonObject { ["type"] = "object" }));
                    op["requestBody"] = new JsonObject { ["content"] = media, ["required"] = true };
                    break;
                case "delete":
                    foreach (var p in new[] { "dryRun", "gracePeriodSeconds", "propagationPolicy" }) parameters.Add(Query(p));
                    op["requestBody"] = new JsonObject { ["content"] = new JsonObject { ["*/*"] = Content(Named(typeof(V1DeleteOptions))) } };
                    break;
                case "deletecollection":
                    foreach (var p in new[] { "continue", "dryRun", "fieldSelector", "gracePeriodSeconds", "labelSelector", "limit", "propagationPolicy", "resourceVersion", "timeoutSeconds" })
                        parameters.Add(Query(p));
                    op["requestBody"] = new JsonObject { ["content"] = new JsonObject { ["*/*"] = Content(Named(typeof(V1DeleteOptions))) } };
                    break;
            }
            if (parameters.Count > 0) op["parameters"] = parameters;
            var responses = new JsonObject();
            switch (action)
            {
                case "post":
                    responses["200"] = Response("OK", kindSchema);
                    responses["201"] = Response("Created", kindSchema);
                    responses["202"] = Response("Accepted", kindSchema);
                    break;
                case "put" or "patch":
                    responses["200"] = Response("OK", kindSchema);
                    responses["201"] = Response("Created", kindSchema);
                    break;
                case "delete":
                    responses["200"] = Response("OK", Named(typeof(V1Status)));
                    responses["202"] = Response("Accepted", Named(typeof(V1Status)));
                    break;
                case "deletecollection":
                    responses["200"] = Response("OK", Named(typeof(V1Status)));
                    break;
                default:
                    responses["200"] = Response("OK", kindSchema);
                    break;
            }
            responses["401"] = new JsonObject { ["description"] = "Unauthorized" };
            op["responses"] = responses;
            op["x-kubernetes-action"] = action;
            op["x-kubernetes-group-version-kind"] = Gvk(t.Group, t.Version, t.Kind);
            return op;
        }

        private static JsonObject Gvk(string group, string version, string kind) => new() { ["group"] = group, ["kind"] = kind, ["version"] = version };

        private static string Tag(ResourceType t)
        {
            var g = Camel(t.Group);
            return char.ToLowerInvariant(g[0]) + g[1..] + "_" + t.Version;
        }

        /// <summary>core, rbac.authorization.k8s.io, vpcresources.k8s.aws → Core, RbacAuthorization, VpcresourcesK8sAws.</summary>
        private static string Camel(string group)
        {
            if (group.Length == 0) return "Core";
            var g = group.EndsWith(".k8s.io", StringComparison.Ordinal) ? group[..^".k8s.io".Length] : group;
            return string.Concat(g.Split('.', '-').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        }

        private static JsonObject Content(string schema) => new() { ["schema"] = new JsonObject { ["$ref"] = Ref + schema } };

        private static JsonObject Response(string description, string schema) =>
            new() { ["description"] = description, ["content"] = new JsonObject { ["application/json"] = Content(schema) } };

        private static JsonObject PathParameter(string name, string description) => new()
        {
            ["name"] = name, ["in"] = "path", ["description"] = description, ["required"] = true,
            ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
        };

        private static JsonObject PrettyParameter() => Query("pretty");

        private static JsonObject Query(string name)
        {
            var (type, description) = name switch
            {
                "dryRun" => ("string", "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed"),
                "fieldManager" => ("string", "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint."),
                "fieldValidation" => ("string", "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered."),
                "force" => ("boolean", "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests."),
                "pretty" => ("string", "If 'true', then the output is pretty printed."),
                "watch" or "allowWatchBookmarks" => ("boolean", $"{name} parameter of list requests."),
                "limit" or "timeoutSeconds" or "gracePeriodSeconds" => ("integer", $"{name} parameter."),
                _ => ("string", $"{name} parameter."),
            };
            return new JsonObject
            {
                ["name"] = name, ["in"] = "query", ["description"] = description,
                ["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true },
            };
        }

        // -------------------------------------------------------------- schemas

        private string KindSchema(ResourceType t)
        {
            if (!t.Custom) return Named(t.ClrType);
            var name = SchemaName(t);
            if (_schemas.ContainsKey(name)) return name;
            JsonObject schema;
            if (_crdSchema(t) is { } crd)
            {
                schema = JsonSerializer.SerializeToNode(crd, KubeJson.Options) as JsonObject ?? new JsonObject();
                schema["type"] ??= "object";
            }
            else schema = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
            var properties = schema["properties"] as JsonObject ?? new JsonObject();
            var merged = new JsonObject
            {
                ["apiVersion"] = new JsonObject { ["type"] = "string" },
                ["kind"] = new JsonObject { ["type"] = "string" },
                ["metadata"] = Property(ApiShape.Of(typeof(V1ObjectMeta))),
            };
            foreach (var (k, v) in properties.ToList())
            {
                properties.Remove(k);
                if (!merged.ContainsKey(k)) merged[k] = v;
            }
            schema["properties"] = merged;
            schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(t.Group, t.Version, t.Kind));
            _schemas[name] = schema;
            return name;
        }

        private string ListSchema(ResourceType t, string kindSchema)
        {
            var name = t.Custom ? SchemaName(t) + "List" : Named(t.ClrType) + "List";
            if (_schemas.ContainsKey(name)) return name;
            _schemas[name] = new JsonObject
            {
                ["type"] = "object",
                ["required"] = new JsonArray("items"),
                ["properties"] = new JsonObject
                {
                    ["apiVersion"] = new JsonObject { ["type"] = "string" },
                    ["items"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = Ref + kindSchema }) } },
                    ["kind"] = new JsonObject { ["type"] = "string" },
                    ["metadata"] = Property(ApiShape.Of(typeof(V1ListMeta))),
                },
                ["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(t.Group, t.Version, t.ListKind)),
            };
            return name;
        }

        /// <summary>The component of a model class (added with everything it references), by name.</summary>
        private string Named(Type clr)
        {
            if (_names.TryGetValue(clr, out var existing)) return existing;
            var name = SchemaName(clr, _roots);
            var unique = name;
            for (var n = 2; _schemas.ContainsKey(unique); n++) unique = name + n;
            _names[clr] = unique;
            var schema = new JsonObject { ["type"] = "object" };
            _schemas[unique] = schema;
            var shape = ApiShape.Of(clr);
            var properties = new JsonObject();
            foreach (var field in shape.FieldOrder) properties[field] = Property(shape.Fields[field]);
            if (properties.Count > 0) schema["properties"] = properties;
            if (_roots.TryGetValue(clr, out var root)) schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(root.Group, root.Version, root.Kind));
            return unique;
        }

        private string SchemaRef(string name, JsonObject schema)
        {
            _schemas.TryAdd(name, schema);
            return name;
        }

        private JsonObject Property(ApiShape shape)
        {
            switch (shape.Kind)
            {
                case ShapeKind.Struct when shape.ClrType is { } clr:
                    return new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = Ref + Named(clr) }) };
                case ShapeKind.List:
                    return new JsonObject { ["type"] = "array", ["items"] = Property(shape.Element ?? ApiShape.FreeForm) };
                case ShapeKind.Map:
                    return new JsonObject { ["type"] = "object", ["additionalProperties"] = Property(shape.Element ?? ApiShape.FreeForm) };
                case ShapeKind.Scalar when shape.ClrType == typeof(IntOrString):
                    return new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = Ref + SchemaRef(IntOrStringSchema, new JsonObject
                    {
                        ["format"] = "int-or-string",
                        ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
                    }) }) };
                case ShapeKind.Scalar when shape.ClrType == typeof(ResourceQuantity):
                    return new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = Ref + SchemaRef(QuantitySchema, new JsonObject
                    {
                        ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "number" }),
                    }) }) };
                case ShapeKind.Scalar:
                    var scalar = new JsonObject { ["type"] = shape.OpenApiType ?? "string" };
                    if (shape.OpenApiFormat is { } format) scalar["format"] = format;
                    return scalar;
                default:
                    return new JsonObject { ["x-kubernetes-preserve-unknown-fields"] = true };
            }
        }
    }
}
