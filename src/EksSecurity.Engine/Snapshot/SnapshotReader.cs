using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace EksSecurity.Engine.Snapshot;

/// <summary>Reads snapshot files: JSON, optionally gzip-compressed, of a known schema version.</summary>
public static class SnapshotReader
{
    public const string ErrorNotFound = "SnapshotNotFound";
    public const string ErrorCorrupt = "SnapshotCorrupt";
    public const string ErrorSchemaTooNew = "SnapshotSchemaTooNew";
    public const string ErrorSchemaInvalid = "SnapshotSchemaInvalid";
    public const string ErrorUnreadable = "SnapshotUnreadable";

    public static ClusterSnapshot Read(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
            throw new EksSecurityException(ErrorNotFound, EksErrorKind.ObjectNotFound, $"Snapshot file '{path}' does not exist.", path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var snapshot = Read(file, path, cancellationToken);
            snapshot.SourcePath = Path.GetFullPath(path);
            return snapshot;
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new EksSecurityException(ErrorUnreadable, EksErrorKind.PermissionDenied, $"Snapshot file '{path}' cannot be read: {ex.Message}", path, ex);
        }
        catch (IOException ex) when (ex is not EndOfStreamException)
        {
            throw new EksSecurityException(ErrorUnreadable, EksErrorKind.InvalidData, $"Snapshot file '{path}' cannot be read: {ex.Message}", path, ex);
        }
    }

    /// <summary>Reads from a stream; <paramref name="name"/> names the source in error messages.</summary>
    public static ClusterSnapshot Read(Stream stream, string name, CancellationToken cancellationToken = default)
    {
        var buffered = stream.CanSeek ? stream : new BufferedStream(stream);
        var gzip = IsGzip(buffered);
        using var content = gzip ? new GZipStream(buffered, CompressionMode.Decompress, leaveOpen: true) : (Stream)new NonClosingStream(buffered);
        ClusterSnapshot? snapshot;
        try
        {
            snapshot = JsonSerializer.DeserializeAsync<ClusterSnapshot>(content, SnapshotJson.Options, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
        catch (JsonException ex)
        {
            throw Corrupt(name, ex, gzip);
        }
        catch (InvalidDataException ex)
        {
            throw new EksSecurityException(ErrorCorrupt, EksErrorKind.InvalidData,
                $"Snapshot file '{name}' is not valid gzip data: {ex.Message}", name, ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new EksSecurityException(ErrorCorrupt, EksErrorKind.InvalidData,
                $"Snapshot file '{name}' is truncated: the gzip stream ends early.", name, ex);
        }
        if (snapshot is null)
            throw new EksSecurityException(ErrorCorrupt, EksErrorKind.InvalidData, $"Snapshot file '{name}' holds JSON null, not a snapshot.", name);
        if (snapshot.SchemaVersion > ClusterSnapshot.CurrentSchemaVersion)
            throw TooNew(name, snapshot.SchemaVersion);
        if (snapshot.SchemaVersion < 1)
            throw new EksSecurityException(ErrorSchemaInvalid, EksErrorKind.InvalidData,
                $"Snapshot file '{name}' has schemaVersion {snapshot.SchemaVersion}; versions start at 1.", name);
        snapshot.Normalize();
        return snapshot;
    }

    private static EksSecurityException TooNew(string name, int version) =>
        new(ErrorSchemaTooNew, EksErrorKind.InvalidData,
            $"Snapshot file '{name}' has schema version {version}, newer than the {ClusterSnapshot.CurrentSchemaVersion} this version of EksSecurity reads. Update the EksSecurity module.", name);

    private static EksSecurityException Corrupt(string name, JsonException ex, bool gzip)
    {
        var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}" : "";
        var path = string.IsNullOrEmpty(ex.Path) ? "" : $" (field {ex.Path})";
        var truncated = ex.Message.Contains("end of data", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("incomplete", StringComparison.OrdinalIgnoreCase)
            ? " The file appears truncated." : "";
        var kind = gzip ? "decompressed JSON" : "JSON";
        return new EksSecurityException(ErrorCorrupt, EksErrorKind.InvalidData,
            $"Snapshot file '{name}' is not a valid snapshot: its {kind} is malformed{where}{path}.{truncated} {FirstSentence(ex.Message)}".TrimEnd(), name, ex);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static bool IsGzip(Stream stream)
    {
        if (!stream.CanSeek) return false;
        var start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        var read = stream.Read(magic);
        stream.Position = start;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    /// <summary>Keeps the caller's stream open when the JSON reader disposes its input.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
