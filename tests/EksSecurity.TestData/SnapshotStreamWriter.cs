using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.TestData;

/// <summary>
/// Writes a snapshot whose big list sections are produced on demand: each item is serialized as
/// soon as it is made, and the output is flushed every megabyte, so a snapshot of any size is
/// written in constant memory. Everything else is written with the engine's own serializer
/// options and contract (<see cref="SnapshotJson"/>): property names, order and null handling come
/// from the same <see cref="JsonTypeInfo"/> the engine uses, so <see cref="SnapshotReader"/> reads
/// the result exactly as it reads <see cref="SnapshotWriter"/>'s.
/// </summary>
public static class SnapshotStreamWriter
{
    private const int FlushThreshold = 1 << 20;

    /// <param name="skeleton">The snapshot; sections found in <paramref name="lazyItems"/> are written with those items instead of their own.</param>
    /// <param name="lazyItems">Item sequences by section object (compared by reference).</param>
    public static void Write(ClusterSnapshot skeleton, IReadOnlyDictionary<SectionBase, IEnumerable> lazyItems, Stream output, bool indented = false)
    {
        var options = indented ? SnapshotJson.IndentedOptions : SnapshotJson.Options;
        // What the serializer does on first use anyway: lock the options with the reflection resolver, so GetTypeInfo works.
        if (!options.IsReadOnly) options.MakeReadOnly(populateMissingResolver: true);
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = indented,
            Encoder = options.Encoder,
            MaxDepth = options.MaxDepth,
            SkipValidation = false,
        });
        skeleton.SchemaVersion = ClusterSnapshot.CurrentSchemaVersion;
        new Walker(options, lazyItems, writer).WriteObject(skeleton, typeof(ClusterSnapshot));
        writer.Flush();
        output.Flush();
    }

    private sealed class Walker(JsonSerializerOptions options, IReadOnlyDictionary<SectionBase, IEnumerable> lazyItems, Utf8JsonWriter writer)
    {
        public void WriteObject(object value, Type type)
        {
            var info = options.GetTypeInfo(type);
            writer.WriteStartObject();
            foreach (var property in info.Properties)
            {
                if (property.Get is null) continue; // [JsonIgnore]
                var child = property.Get(value);
                if (property.ShouldSerialize is { } should && !should(value, child)) continue;
                if (child is null) continue; // DefaultIgnoreCondition = WhenWritingNull
                if (child is SectionBase section && lazyItems.TryGetValue(section, out var items))
                {
                    writer.WritePropertyName(property.Name);
                    WriteLazySection(section, items);
                }
                else if (HoldsLazySections(property.PropertyType))
                {
                    writer.WritePropertyName(property.Name);
                    WriteObject(child, property.PropertyType);
                }
                else
                {
                    if (property.CustomConverter is not null)
                        throw new NotSupportedException($"{type.Name}.{property.Name} has its own converter; {nameof(SnapshotStreamWriter)} does not write such envelope properties.");
                    writer.WritePropertyName(property.Name);
                    JsonSerializer.Serialize(writer, child, property.PropertyType, options);
                }
                FlushIfFull();
            }
            writer.WriteEndObject();
        }

        private void WriteLazySection(SectionBase section, IEnumerable items)
        {
            var type = section.GetType();
            var info = options.GetTypeInfo(type);
            var itemType = type.GetGenericArguments()[0];
            var itemInfo = options.GetTypeInfo(itemType);
            writer.WriteStartObject();
            foreach (var property in info.Properties)
            {
                if (property.Get is null) continue;
                if (property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(List<>))
                {
                    writer.WritePropertyName(property.Name);
                    writer.WriteStartArray();
                    foreach (var item in items)
                    {
                        JsonSerializer.Serialize(writer, item, itemInfo);
                        FlushIfFull();
                    }
                    writer.WriteEndArray();
                    continue;
                }
                var child = property.Get(section);
                if (property.ShouldSerialize is { } should && !should(section, child)) continue;
                if (child is null) continue;
                writer.WritePropertyName(property.Name);
                JsonSerializer.Serialize(writer, child, property.PropertyType, options);
            }
            writer.WriteEndObject();
        }

        private static bool HoldsLazySections(Type type) =>
            type == typeof(AwsSections) || type == typeof(KubernetesSections);

        private void FlushIfFull()
        {
            if (writer.BytesPending >= FlushThreshold) writer.Flush();
        }
    }
}
