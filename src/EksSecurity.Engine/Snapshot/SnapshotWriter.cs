using System.IO.Compression;
using System.Text.Json;

namespace EksSecurity.Engine.Snapshot;

/// <summary>Writes snapshot files; a path ending in .gz is compressed.</summary>
public static class SnapshotWriter
{
    public static void Write(ClusterSnapshot snapshot, string path, bool indented = false)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var output = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionLevel.Fastest)
            : (Stream)file;
        Write(snapshot, output, indented);
    }

    public static void Write(ClusterSnapshot snapshot, Stream output, bool indented = false)
    {
        snapshot.SchemaVersion = ClusterSnapshot.CurrentSchemaVersion;
        JsonSerializer.Serialize(output, snapshot, indented ? SnapshotJson.IndentedOptions : SnapshotJson.Options);
    }
}
