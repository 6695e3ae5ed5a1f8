using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Api;

/// <summary>
/// The serializer settings of the wire: the snapshot's (camelCase for the custom resource classes,
/// nulls omitted) plus RFC 3339 timestamps in UTC, as the Go API server writes metav1.Time.
/// </summary>
public static class KubeJson
{
    public static JsonSerializerOptions Options { get; } = Create(false);
    public static JsonSerializerOptions Indented { get; } = Create(true);

    /// <summary>For Utf8JsonWriter over a response: the same escaping as <see cref="Options"/>.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonSerializerOptions Create(bool indented)
    {
        // Go's encoder writes \" rather than \u0022: keep messages byte-for-byte comparable.
        var options = new JsonSerializerOptions(SnapshotJson.Options) { WriteIndented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        options.Converters.Insert(0, new Rfc3339DateTimeConverter());
        options.Converters.Insert(0, new Rfc3339DateTimeOffsetConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>RFC 3339 in UTC; fractional seconds only when present (metav1.Time has none, MicroTime has them).</summary>
    public static string FormatTime(DateTime value)
    {
        var utc = value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
            _ => value,
        };
        var text = utc.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture);
        var ticks = utc.Ticks % TimeSpan.TicksPerSecond;
        if (ticks != 0) text += "." + (ticks / 10).ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0');
        return text + "Z";
    }

    private sealed class Rfc3339DateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) => writer.WriteStringValue(FormatTime(value));
    }

    private sealed class Rfc3339DateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(FormatTime(value.UtcDateTime));
    }
}

/// <summary>Reflection-free-at-runtime access to the metadata, apiVersion and kind of any model object.</summary>
internal static class ObjectAccess
{
    private static readonly Func<object, object> s_memberwiseClone = (Func<object, object>)typeof(object)
        .GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!
        .CreateDelegate(typeof(Func<object, object>));

    private sealed record Accessors(Func<object, V1ObjectMeta?> GetMeta, Action<object, V1ObjectMeta?>? SetMeta, Action<object, string?>? SetApiVersion, Action<object, string?>? SetKind);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Accessors> s_cache = new();

    private static Accessors For(Type type) => s_cache.GetOrAdd(type, static t =>
    {
        var meta = t.GetProperty("Metadata");
        var api = t.GetProperty("ApiVersion");
        var kind = t.GetProperty("Kind");
        return new Accessors(
            meta is null ? _ => null : o => (V1ObjectMeta?)meta.GetValue(o),
            meta is { CanWrite: true } ? (o, v) => meta.SetValue(o, v) : null,
            api is { CanWrite: true } ? (o, v) => api.SetValue(o, v) : null,
            kind is { CanWrite: true } ? (o, v) => kind.SetValue(o, v) : null);
    });

    public static V1ObjectMeta? Meta(object item) => item is IMetadata<V1ObjectMeta> m ? m.Metadata : For(item.GetType()).GetMeta(item);

    public static string Name(object item) => Meta(item)?.Name ?? "";
    public static string Namespace(object item) => Meta(item)?.NamespaceProperty ?? "";

    public static void SetMeta(object item, V1ObjectMeta meta) => For(item.GetType()).SetMeta?.Invoke(item, meta);

    /// <summary>A shallow copy with apiVersion and kind set (or removed, with nulls): the stored object is never changed.</summary>
    public static object WithTypeMeta(object item, string? apiVersion, string? kind)
    {
        var a = For(item.GetType());
        if (a.SetApiVersion is null && a.SetKind is null) return item;
        var copy = s_memberwiseClone(item);
        a.SetApiVersion?.Invoke(copy, apiVersion);
        a.SetKind?.Invoke(copy, kind);
        return copy;
    }
}
