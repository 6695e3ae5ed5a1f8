using System.Text.Json;
using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Snapshot;

/// <summary>The one set of serializer options for snapshot files.</summary>
public static class SnapshotJson
{
    public static JsonSerializerOptions Options { get; } = Create(writeIndented: false);
    public static JsonSerializerOptions IndentedOptions { get; } = Create(writeIndented: true);

    private static JsonSerializerOptions Create(bool writeIndented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = writeIndented,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            // Deeply nested input is an attack, not a snapshot.
            MaxDepth = 128,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }
}
