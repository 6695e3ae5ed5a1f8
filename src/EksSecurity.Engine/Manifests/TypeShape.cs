using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Engine.Manifests;

internal enum ShapeKind { String, Bool, Integer, Number, IntOrString, Quantity, Bytes, DateTime, Any, Map, List, Object }

/// <summary>
/// The JSON shape a CLR type is read from by System.Text.Json with <see cref="SnapshotJson.Options"/>:
/// what the manifest converter checks each YAML node against, so a wrong type is reported at its
/// own line with its field path instead of as an opaque deserialization failure.
/// </summary>
internal sealed class TypeShape
{
    private static readonly ConcurrentDictionary<Type, TypeShape> Cache = new();

    private TypeShape(Type type, ShapeKind kind)
    {
        Type = type;
        Kind = kind;
    }

    public Type Type { get; }
    public ShapeKind Kind { get; }
    /// <summary>Items of a list, values of a map.</summary>
    public TypeShape? Element { get; private init; }
    public long Min { get; private init; }
    public long Max { get; private init; }
    /// <summary>A value type that cannot hold null (an int port): a null in the manifest leaves it at its default, as Go's decoder does.</summary>
    public bool RejectsNull { get; private init; }

    private Dictionary<string, TypeShape>? _properties;
    /// <summary>Properties of an object by their JSON name (case-sensitive, as the API server decodes).</summary>
    public IReadOnlyDictionary<string, TypeShape> Properties =>
        LazyInitializer.EnsureInitialized(ref _properties, () => ReadProperties(Type));

    public static TypeShape For(Type type) => Cache.TryGetValue(type, out var shape) ? shape : Cache.GetOrAdd(type, Create);

    private static TypeShape Create(Type type)
    {
        if (type.IsValueType && Nullable.GetUnderlyingType(type) is null && type != typeof(JsonElement))
        {
            var shape = CreateFor(type);
            return new TypeShape(shape.Type, shape.Kind) { Element = shape.Element, Min = shape.Min, Max = shape.Max, RejectsNull = true };
        }
        return CreateFor(Nullable.GetUnderlyingType(type) ?? type);
    }

    private static TypeShape CreateFor(Type type)
    {
        if (type == typeof(string) || type.IsEnum || type == typeof(TimeSpan) || type == typeof(Guid)) return new(type, ShapeKind.String);
        if (type == typeof(bool)) return new(type, ShapeKind.Bool);
        if (type == typeof(int)) return Integer(type, int.MinValue, int.MaxValue);
        if (type == typeof(long)) return Integer(type, long.MinValue, long.MaxValue);
        if (type == typeof(short)) return Integer(type, short.MinValue, short.MaxValue);
        if (type == typeof(byte)) return Integer(type, byte.MinValue, byte.MaxValue);
        if (type == typeof(uint)) return Integer(type, uint.MinValue, uint.MaxValue);
        if (type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte)) return Integer(type, 0, long.MaxValue);
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return new(type, ShapeKind.Number);
        if (type == typeof(IntOrString)) return new(type, ShapeKind.IntOrString);
        if (type == typeof(ResourceQuantity)) return new(type, ShapeKind.Quantity);
        if (type == typeof(byte[])) return new(type, ShapeKind.Bytes);
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return new(type, ShapeKind.DateTime);
        if (type == typeof(object) || type == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(type)) return new(type, ShapeKind.Any);
        // A type with its own converter reads whatever that converter reads.
        if (type.GetCustomAttribute<JsonConverterAttribute>() is not null) return new(type, ShapeKind.Any);
        if (DictionaryValueType(type) is { } valueType) return new(type, ShapeKind.Map) { Element = For(valueType) };
        if (ListItemType(type) is { } itemType) return new(type, ShapeKind.List) { Element = For(itemType) };
        return new(type, ShapeKind.Object);
    }

    private static TypeShape Integer(Type type, long min, long max) => new(type, ShapeKind.Integer) { Min = min, Max = max };

    private static Type? DictionaryValueType(Type type)
    {
        foreach (var candidate in type.IsInterface ? type.GetInterfaces().Append(type) : type.GetInterfaces())
        {
            if (!candidate.IsGenericType) continue;
            var definition = candidate.GetGenericTypeDefinition();
            if ((definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)) && candidate.GetGenericArguments()[0] == typeof(string))
                return candidate.GetGenericArguments()[1];
        }
        return null;
    }

    private static Type? ListItemType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        foreach (var candidate in type.IsInterface ? type.GetInterfaces().Append(type) : type.GetInterfaces())
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                return candidate.GetGenericArguments()[0];
        return null;
    }

    private static Dictionary<string, TypeShape> ReadProperties(Type type)
    {
        var naming = SnapshotJson.Options.PropertyNamingPolicy;
        var result = new Dictionary<string, TypeShape>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.SetMethod is not { IsPublic: true }) continue;
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always }) continue;
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? naming?.ConvertName(property.Name) ?? property.Name;
            result[name] = For(property.PropertyType);
        }
        return result;
    }
}
