using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Api;

/// <summary>What a JSON value decodes into, as the API server's Go decoder sees it.</summary>
public enum ShapeKind
{
    /// <summary>A struct: a fixed set of fields; any other key is an unknown field.</summary>
    Struct,
    /// <summary>A slice: every item has <see cref="ApiShape.Element"/>.</summary>
    List,
    /// <summary>A map (labels, annotations, resource lists): any key, every value has <see cref="ApiShape.Element"/>.</summary>
    Map,
    /// <summary>A string, number or boolean, or a type with its own decoder (IntOrString, Quantity, Time): nothing inside is checked.</summary>
    Scalar,
    /// <summary>Free-form JSON (interface{}, a preserve-unknown-fields schema): any field; only duplicate keys are reported.</summary>
    Free,
}

/// <summary>
/// The structure of an API type as JSON sees it: the fields of each struct by their JSON names,
/// the element of each list or map. Built from the model classes the server stores (their
/// System.Text.Json contract, so JsonPropertyName and the naming policy decide the names) or from
/// a CRD's openAPIV3Schema. Field validation walks it; the OpenAPI documents describe it.
/// </summary>
public sealed class ApiShape
{
    private static readonly ConcurrentDictionary<Type, ApiShape> s_byType = new();
    private static readonly object s_buildLock = new();

    private readonly Dictionary<string, ApiShape> _fields = new(StringComparer.Ordinal);

    private ApiShape(ShapeKind kind) => Kind = kind;

    public ShapeKind Kind { get; }
    /// <summary>The model class (structs), the CLR type of a scalar; null for shapes read from a CRD schema.</summary>
    public Type? ClrType { get; private init; }
    /// <summary>Struct fields by JSON name, in the order the contract lists them.</summary>
    public IReadOnlyDictionary<string, ApiShape> Fields => _fields;
    public IEnumerable<string> FieldOrder => _order;
    private readonly List<string> _order = [];
    /// <summary>List item or map value.</summary>
    public ApiShape? Element { get; private set; }
    /// <summary>OpenAPI type and format of a scalar ("string"/"date-time", "integer"/"int32", "string"/"int-or-string" ...).</summary>
    public string? OpenApiType { get; private init; }
    public string? OpenApiFormat { get; private init; }
    /// <summary>A struct that keeps unknown fields (a CRD schema with x-kubernetes-preserve-unknown-fields and properties).</summary>
    public bool PreserveUnknownFields { get; private init; }

    public static readonly ApiShape String = new(ShapeKind.Scalar) { OpenApiType = "string", ClrType = typeof(string) };
    public static readonly ApiShape FreeForm = new(ShapeKind.Free);

    /// <summary>The shape of a model class (cached; recursive types share their shape).</summary>
    public static ApiShape Of(Type type)
    {
        if (s_byType.TryGetValue(type, out var cached)) return cached;
        lock (s_buildLock)
        {
            var building = new Dictionary<Type, ApiShape>();
            var shape = Build(type, building);
            foreach (var (t, s) in building) s_byType.TryAdd(t, s);
            return s_byType.GetOrAdd(type, shape);
        }
    }

    private static ApiShape Build(Type type, Dictionary<Type, ApiShape> building)
    {
        if (s_byType.TryGetValue(type, out var cached) || building.TryGetValue(type, out cached)) return cached;
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Build(underlying, building);
        if (Scalar(type) is { } scalar) return scalar;
        if (type == typeof(object) || type == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(type)) return FreeForm;

        var info = KubeJson.Options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
            {
                var shape = new ApiShape(ShapeKind.Struct) { ClrType = type };
                building[type] = shape;
                foreach (var p in info.Properties)
                {
                    if (shape._fields.ContainsKey(p.Name)) continue;
                    shape._fields[p.Name] = Build(p.PropertyType, building);
                    shape._order.Add(p.Name);
                }
                return shape;
            }
            case JsonTypeInfoKind.Enumerable:
            {
                var shape = new ApiShape(ShapeKind.List) { ClrType = type };
                building[type] = shape;
                shape.Element = Build(info.ElementType!, building);
                return shape;
            }
            case JsonTypeInfoKind.Dictionary:
            {
                var shape = new ApiShape(ShapeKind.Map) { ClrType = type };
                building[type] = shape;
                shape.Element = Build(info.ElementType!, building);
                return shape;
            }
            default:
                // A type with its own converter: decoded as a whole, as Go's json.Unmarshaler types are.
                return new ApiShape(ShapeKind.Scalar) { ClrType = type, OpenApiType = "string" };
        }
    }

    private static ApiShape? Scalar(Type type)
    {
        (string Type, string? Format)? openApi = type switch
        {
            _ when type == typeof(string) => ("string", null),
            _ when type == typeof(bool) => ("boolean", null),
            _ when type == typeof(int) || type == typeof(short) || type == typeof(byte) => ("integer", "int32"),
            _ when type == typeof(long) || type == typeof(uint) || type == typeof(ulong) => ("integer", "int64"),
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => ("number", "double"),
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => ("string", "date-time"),
            _ when type == typeof(byte[]) => ("string", "byte"),
            _ when type == typeof(IntOrString) => ("string", "int-or-string"),
            _ when type == typeof(ResourceQuantity) => ("string", null),
            _ when type.IsEnum => ("string", null),
            _ => null,
        };
        return openApi is { } o ? new ApiShape(ShapeKind.Scalar) { ClrType = type, OpenApiType = o.Type, OpenApiFormat = o.Format } : null;
    }

    /// <summary>
    /// A custom resource: apiVersion, kind and metadata (always an ObjectMeta) plus what the CRD's
    /// openAPIV3Schema declares. A schema with x-kubernetes-preserve-unknown-fields at the root keeps
    /// every other field; without a schema anything is accepted.
    /// </summary>
    public static ApiShape CustomResource(V1JSONSchemaProps? schema)
    {
        var root = schema is null ? null : FromSchema(schema);
        var shape = new ApiShape(ShapeKind.Struct) { PreserveUnknownFields = root is null || root.Kind == ShapeKind.Free || root.PreserveUnknownFields };
        shape.Add("apiVersion", String);
        shape.Add("kind", String);
        shape.Add("metadata", Of(typeof(V1ObjectMeta)));
        if (root is { Kind: ShapeKind.Struct })
            foreach (var name in root._order)
                if (!shape._fields.ContainsKey(name)) shape.Add(name, root._fields[name]);
        return shape;
    }

    private void Add(string name, ApiShape field)
    {
        _fields[name] = field;
        _order.Add(name);
    }

    /// <summary>A structural schema as a shape (properties, items, additionalProperties, x-kubernetes-preserve-unknown-fields, x-kubernetes-int-or-string).</summary>
    public static ApiShape FromSchema(V1JSONSchemaProps schema)
    {
        if (schema.XKubernetesIntOrString == true) return new ApiShape(ShapeKind.Scalar) { OpenApiType = "string", OpenApiFormat = "int-or-string" };
        if (schema.XKubernetesEmbeddedResource == true) return FreeForm;
        switch (schema.Type)
        {
            case "object":
            {
                if (schema.Properties is { Count: > 0 } properties)
                {
                    var shape = new ApiShape(ShapeKind.Struct) { PreserveUnknownFields = schema.XKubernetesPreserveUnknownFields == true };
                    foreach (var (name, property) in properties) shape.Add(name, FromSchema(property));
                    return shape;
                }
                if (SubSchema(schema.AdditionalProperties) is { } additional)
                    return new ApiShape(ShapeKind.Map) { Element = FromSchema(additional) };
                if (schema.AdditionalProperties is true || schema.AdditionalProperties is JsonElement { ValueKind: JsonValueKind.True })
                    return new ApiShape(ShapeKind.Map) { Element = FreeForm };
                return schema.XKubernetesPreserveUnknownFields == true ? FreeForm : new ApiShape(ShapeKind.Struct);
            }
            case "array":
                return new ApiShape(ShapeKind.List) { Element = SubSchema(schema.Items) is { } items ? FromSchema(items) : FreeForm };
            case "string" or "integer" or "number" or "boolean":
                return new ApiShape(ShapeKind.Scalar) { OpenApiType = schema.Type, OpenApiFormat = schema.Format };
            default:
                return FreeForm;
        }
    }

    /// <summary>items / additionalProperties: a schema object however it was deserialized (model, JsonElement, JsonNode).</summary>
    private static V1JSONSchemaProps? SubSchema(object? value) => value switch
    {
        V1JSONSchemaProps props => props,
        JsonElement { ValueKind: JsonValueKind.Object } e => e.Deserialize<V1JSONSchemaProps>(KubeJson.Options),
        JsonObject o => o.Deserialize<V1JSONSchemaProps>(KubeJson.Options),
        _ => null,
    };
}
