using System.Buffers;
using System.Text;
using System.Text.Unicode;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Engine.Manifests;

/// <summary>
/// Reads Kubernetes manifests — files, directories and text; YAML streams, JSON, <c>kind: List</c>
/// and typed lists — into a <see cref="ClusterSnapshot"/> of the Kubernetes sections, so rules and the
/// Pod Security evaluator judge objects before they are deployed.
/// <para>
/// The snapshot: <see cref="ClusterSnapshot.Origin"/> is <see cref="SnapshotOrigin.Manifests"/>,
/// <see cref="ClusterSnapshot.ClusterName"/> is <see cref="ClusterName"/>, every Kubernetes list
/// section is Collected (empty when no object of its kind was read), AWS sections and the server
/// version are not collected (manifests cannot say), and
/// <see cref="ClusterSnapshot.SourceLocations"/> maps (kind, namespace, name) to the file and the
/// line of the object's <c>kind:</c> (of its first line when a list item has no kind). Namespace is
/// metadata.namespace as written, "" when absent; a Namespace object is found under "" and under its
/// own name, as the namespace rules name it. When two objects share kind, namespace and name (the
/// same app in two overlay directories), both are judged and the first keeps the location.
/// </para>
/// <para>
/// Bad input never throws and never hides the rest: each problem goes to
/// <see cref="IEngineLog.Problem"/> with a <see cref="ManifestErrorIds">stable id</see>, path, line
/// and column, and reading goes on with the next document, list item or file. Kinds not modelled
/// (CRDs, Kustomizations) are skipped with a verbose message.
/// </para>
/// </summary>
public static class ManifestReader
{
    /// <summary>The <see cref="ClusterSnapshot.ClusterName"/> of a snapshot read from manifests.</summary>
    public const string ClusterName = "manifests";

    public static ClusterSnapshot Read(ManifestRequest request, IEngineLog? log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var session = new Session(log ?? NullLog.Instance, cancellationToken);
        var include = new WildcardSet(request.Include is { Count: > 0 } i ? i : ManifestFiles.DefaultInclude);
        var exclude = new WildcardSet(request.Exclude ?? []);
        var seen = new HashSet<string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

        foreach (var path in request.Paths ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (string.IsNullOrWhiteSpace(path)) continue;
            if (Directory.Exists(path))
            {
                var files = ManifestFiles.Find(path, include, exclude,
                    (directory, ex) => session.Problem(ManifestErrorIds.Unreadable, directory, null, null, $"The directory cannot be read: {ex.Message}"),
                    cancellationToken);
                if (files.Count == 0) session.Log.Verbose($"no manifest files in {path} (include {string.Join(", ", request.Include is { Count: > 0 } inc ? inc : ManifestFiles.DefaultInclude)})");
                foreach (var file in files)
                    if (seen.Add(Path.GetFullPath(file))) session.ReadFile(file);
            }
            else if (File.Exists(path))
            {
                var name = Path.GetFileName(path);
                if (ManifestFiles.IsExcluded(exclude, name, name))
                    session.Log.Verbose($"skipped {path}: excluded");
                else if (seen.Add(Path.GetFullPath(path)))
                    session.ReadFile(path);
            }
            else
            {
                session.Problem(ManifestErrorIds.Unreadable, path, null, null, "The path does not exist.");
            }
        }
        foreach (var text in request.Texts ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (text is null) continue;
            session.ReadText(string.IsNullOrEmpty(text.Name) ? "(text)" : text.Name, text.Text ?? "");
        }
        return session.Build();
    }

    private sealed class NullLog : IEngineLog
    {
        public static readonly NullLog Instance = new();
        public void Verbose(string message) { }
        public void Problem(ManifestProblem problem) { }
    }

    /// <summary>One read: the objects gathered so far, by kind, and where each came from.</summary>
    private sealed class Session(IEngineLog log, CancellationToken cancellationToken)
    {
        private readonly Dictionary<ManifestKind, IList<object>> _objects = [];
        private readonly ClusterSnapshot _snapshot = new() { ClusterName = ClusterName, Origin = SnapshotOrigin.Manifests };
        private readonly ManifestConverter _converter = new();
        private int _read, _skipped;

        public IEngineLog Log { get; } = log;

        public void Problem(string errorId, string path, int? line, int? column, string message) =>
            Log.Problem(new ManifestProblem { ErrorId = errorId, Path = path, Line = line, Column = column, Message = message });

        public void ReadFile(string path)
        {
            cancellationToken.ThrowIfCancellationRequested();
            byte[] bytes;
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                if (stream.CanSeek && stream.Length > ManifestLimits.MaxFileBytes)
                {
                    Problem(ManifestErrorIds.TooLarge, path, null, null,
                        $"The file is {stream.Length:N0} bytes, over the limit of {ManifestLimits.MaxFileBytes:N0} bytes per file; it was not read.");
                    return;
                }
                bytes = ReadAtMost(stream, ManifestLimits.MaxFileBytes + 1);
                if (bytes.Length > ManifestLimits.MaxFileBytes)
                {
                    Problem(ManifestErrorIds.TooLarge, path, null, null,
                        $"The file is over the limit of {ManifestLimits.MaxFileBytes:N0} bytes per file; it was not read.");
                    return;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException or NotSupportedException)
            {
                var reason = ex is UnauthorizedAccessException ? "permission denied" : ex.Message;
                Problem(ManifestErrorIds.Unreadable, path, null, null, $"The file cannot be read: {reason}");
                return;
            }
            if (Decode(bytes, path) is not { } decoded) return;
            Read(path, decoded.Text, decoded.Utf8);
        }

        public void ReadText(string name, string text)
        {
            var size = Encoding.UTF8.GetByteCount(text);
            if (size > ManifestLimits.MaxFileBytes)
            {
                Problem(ManifestErrorIds.TooLarge, name, null, null,
                    $"The text is {size:N0} bytes, over the limit of {ManifestLimits.MaxFileBytes:N0} bytes per input; it was not read.");
                return;
            }
            if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
            Read(name, text, null);
        }

        private static byte[] ReadAtMost(Stream stream, long limit)
        {
            using var buffer = new MemoryStream(stream.CanSeek ? (int)Math.Min(stream.Length, limit) : 1 << 16);
            var chunk = ArrayPool<byte>.Shared.Rent(1 << 16);
            try
            {
                int read;
                while (buffer.Length < limit && (read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length))) > 0)
                    buffer.Write(chunk, 0, read);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
            return buffer.ToArray();
        }

        /// <summary>UTF-8 (BOM optional) or UTF-16/32 with a BOM; invalid bytes are reported with their offset, line and column.</summary>
        private (string Text, byte[]? Utf8)? Decode(byte[] bytes, string path)
        {
            ReadOnlySpan<byte> span = bytes;
            Encoding? other = span switch
            {
                [0xFF, 0xFE, 0x00, 0x00, ..] => new UTF32Encoding(bigEndian: false, byteOrderMark: true, throwOnInvalidCharacters: true),
                [0x00, 0x00, 0xFE, 0xFF, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: true, throwOnInvalidCharacters: true),
                [0xFF, 0xFE, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true),
                [0xFE, 0xFF, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true),
                _ => null,
            };
            if (other is not null)
            {
                try
                {
                    var preamble = other.GetPreamble().Length;
                    return (other.GetString(bytes, preamble, bytes.Length - preamble), null);
                }
                catch (DecoderFallbackException ex)
                {
                    Problem(ManifestErrorIds.InvalidEncoding, path, null, null, $"The file is not valid {other.WebName}: {ex.Message}");
                    return null;
                }
            }
            if (span.Length >= 4 && span[0] != 0 && span[1] == 0 && span[2] != 0 && span[3] == 0)
            {
                Problem(ManifestErrorIds.InvalidEncoding, path, 1, 1, "The file looks like UTF-16 without a byte order mark; save it as UTF-8.");
                return null;
            }
            var start = span is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
            var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, bytes.Length - start));
            try
            {
                var status = Utf8.ToUtf16(span[start..], chars, out var read, out var written, replaceInvalidSequences: false);
                if (status != System.Buffers.OperationStatus.Done)
                {
                    var offset = start + read;
                    var (line, column) = LineMap.Locate(span, offset);
                    Problem(ManifestErrorIds.InvalidEncoding, path, line, column,
                        $"The file is not valid UTF-8: byte 0x{span[offset]:X2} at byte offset {offset} (line {line}, column {column}) does not start a valid character. Save the file as UTF-8.");
                    return null;
                }
                var text = new string(chars, 0, written);
                return (text, start == 0 ? bytes : bytes[start..]);
            }
            finally
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }

        /// <summary>Reads one input's documents; whatever goes wrong stays within that input.</summary>
        private void Read(string path, string text, byte[]? utf8)
        {
            var readBefore = _read;
            var skippedBefore = _skipped;
            try
            {
                var documents = JsonDocumentReader.LooksLikeJson(text)
                    ? JsonOrYaml(text, utf8)
                    : YamlDocumentReader.Read(text);
                foreach (var document in documents)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (document.Error is { } error)
                    {
                        Problem(error.ErrorId, path, error.Line, error.Column, error.Message);
                        continue;
                    }
                    try
                    {
                        AddDocument(path, document.Root);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                    {
                        // A defect of ours on strange input costs this document, not the rest of the stream.
                        Problem(ManifestErrorIds.InvalidField, path, document.Line, null, $"The document could not be read: {ex.GetType().Name}: {ex.Message}");
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                // A defect of ours, or of a parser, on strange input must not stop the other inputs.
                Problem(ManifestErrorIds.SyntaxError, path, null, null, $"The input could not be read: {ex.GetType().Name}: {ex.Message}");
            }
            Log.Verbose($"read {_read - readBefore} object(s) from {path}" + (_skipped > skippedBefore ? $", skipped {_skipped - skippedBefore} of kinds not modelled" : ""));
        }

        /// <summary>
        /// Input starting with '{' is JSON. When its first value is not valid JSON but the input is valid
        /// YAML (a flow mapping: <c>{kind: Pod, ...}</c>), it is read as YAML; otherwise the JSON error stands.
        /// </summary>
        private static IEnumerable<ParsedDocument> JsonOrYaml(string text, byte[]? utf8)
        {
            var json = JsonDocumentReader.Read(utf8 ?? Encoding.UTF8.GetBytes(text)).ToList();
            if (json is not [{ Error.ErrorId: ManifestErrorIds.SyntaxError }]) return json;
            var yaml = YamlDocumentReader.Read(text).ToList();
            return yaml.Any(d => d.Error is { ErrorId: ManifestErrorIds.SyntaxError }) ? json : yaml;
        }

        private void AddDocument(string path, ManifestNode? root)
        {
            switch (root)
            {
                case null:
                case ScalarNode { IsNull: true }:
                    return; // an empty document: helm writes these for templates that render nothing
                case MappingNode mapping:
                    AddObject(path, mapping, null, null, 0);
                    return;
                default:
                    Problem(ManifestErrorIds.NotAnObject, path, root.Line, root.Column,
                        $"The document is {root.Describe()}, not a Kubernetes object (a mapping with apiVersion, kind and metadata).");
                    return;
            }
        }

        /// <summary>One object, or a list of them. Typed lists (PodList) give their items a kind and apiVersion when the items leave them out.</summary>
        private void AddObject(string path, MappingNode node, string? defaultKind, string? defaultApiVersion, int listDepth)
        {
            var kindNode = node.Get("kind");
            if (!TryText(path, "kind", kindNode, out var kind) || !TryText(path, "apiVersion", node.Get("apiVersion"), out var apiVersion)) return;
            kind ??= defaultKind;
            apiVersion ??= defaultApiVersion;
            var line = kindNode?.Line ?? node.Line;
            if (string.IsNullOrEmpty(kind))
            {
                Problem(ManifestErrorIds.InvalidField, path, node.Line, node.Column, "kind: required: this is not a Kubernetes object (no kind).");
                return;
            }

            if (node.Get("items") is { } items && (kind == "List" || kind.EndsWith("List", StringComparison.Ordinal) && kind.Length > 4 && !ManifestKind.All.ContainsKey(kind)))
            {
                if (items is ScalarNode { IsNull: true }) return;
                if (listDepth >= ManifestLimits.MaxListNesting)
                {
                    Problem(ManifestErrorIds.TooLarge, path, node.Line, node.Column, $"Lists nest deeper than {ManifestLimits.MaxListNesting} levels here; this one was not read.");
                    return;
                }
                if (items is not SequenceNode list)
                {
                    Problem(ManifestErrorIds.InvalidField, path, items.Line, items.Column, $"{kind}: items: expected a list, found {items.Describe()}.");
                    return;
                }
                var itemKind = kind == "List" ? null : kind[..^4];
                var itemApiVersion = kind == "List" ? null : apiVersion;
                foreach (var item in list.Items)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (item is MappingNode itemMapping) AddObject(path, itemMapping, itemKind, itemApiVersion, listDepth + 1);
                    else if (item is not ScalarNode { IsNull: true })
                        Problem(ManifestErrorIds.NotAnObject, path, item.Line, item.Column, $"An item of the {kind} is {item.Describe()}, not a Kubernetes object.");
                }
                return;
            }

            var metadata = node.Get("metadata");
            if (metadata is not null and not MappingNode and not ScalarNode { IsNull: true })
            {
                Problem(ManifestErrorIds.InvalidField, path, metadata.Line, metadata.Column, $"{kind}: metadata: expected a mapping, found {metadata.Describe()}.");
                return;
            }
            var meta = metadata as MappingNode;
            string? name = null, ns = null;
            if (meta is not null && (!TryText(path, $"{kind}: metadata.name", meta.Get("name"), out name) || !TryText(path, $"{kind}: metadata.namespace", meta.Get("namespace"), out ns)))
                return;
            var display = string.IsNullOrEmpty(ns) ? name ?? "(unnamed)" : $"{ns}/{name ?? "(unnamed)"}";

            if (!ManifestKind.All.TryGetValue(kind, out var registration))
            {
                _skipped++;
                Log.Verbose($"skipped {kind} {display} at {path}:{line}");
                return;
            }
            if (string.IsNullOrEmpty(apiVersion))
            {
                Problem(ManifestErrorIds.InvalidField, path, node.Line, node.Column, $"{kind} {display}: apiVersion: required.");
                return;
            }
            if (!registration.ApiVersions.Contains(apiVersion))
            {
                _skipped++;
                Log.Verbose($"skipped {kind} {display} at {path}:{line}: apiVersion {apiVersion} is not one EksSecurity reads for {kind} ({string.Join(", ", registration.ApiVersions)})");
                return;
            }
            if (string.IsNullOrEmpty(name))
            {
                var at = (ManifestNode?)meta ?? node;
                var generate = meta?.Get("generateName") is ScalarNode { IsNull: false } ? " (generateName alone is not enough: findings and kubectl apply need a name)" : "";
                Problem(ManifestErrorIds.InvalidField, path, at.Line, at.Column, $"{kind}: metadata.name: required{generate}.");
                return;
            }

            object value;
            try
            {
                value = _converter.Convert(node, registration.Type, registration.DropFields);
            }
            catch (ManifestFieldException ex)
            {
                Problem(ex.ErrorId, path, ex.Node.Line, ex.Node.Column, $"{kind} {display}: {ex.Message}");
                return;
            }
            var unknown = _converter.UnknownFields;
            for (var i = 0; i < unknown.Count && i < ManifestLimits.MaxUnknownFieldsLogged; i++)
                Log.Verbose($"ignored unknown field {unknown[i].Path} of {kind} {display} at {path}:{unknown[i].Node.Line}:{unknown[i].Node.Column}");
            if (unknown.Count > ManifestLimits.MaxUnknownFieldsLogged)
                Log.Verbose($"ignored {unknown.Count - ManifestLimits.MaxUnknownFieldsLogged} more unknown field(s) of {kind} {display} at {path}:{line}");

            // Objects read from a typed list may lack their own kind and apiVersion: give them the ones they were read as.
            SetIdentity(value, kind, apiVersion);
            if (!_objects.TryGetValue(registration, out var objects)) _objects[registration] = objects = registration.NewList();
            objects.Add(value);
            _read++;

            var location = new SourceLocation(path, line);
            if (!_snapshot.SourceLocations.TryAdd((kind, ns ?? "", name), location))
            {
                var first = _snapshot.SourceLocations[(kind, ns ?? "", name)];
                Log.Verbose($"{kind} {display} at {path}:{line} has the kind, namespace and name of the one at {first.Path}:{first.Line}; both are judged, findings give the first location");
            }
            if (kind == "Namespace") _snapshot.SourceLocations.TryAdd((kind, name, name), location);
        }

        private static void SetIdentity(object value, string kind, string apiVersion)
        {
            var type = value.GetType();
            if (type.GetProperty("Kind") is { CanWrite: true } k && k.GetValue(value) is null) k.SetValue(value, kind);
            if (type.GetProperty("ApiVersion") is { CanWrite: true } a && a.GetValue(value) is null) a.SetValue(value, apiVersion);
        }

        /// <summary>The text of an identity field (kind, apiVersion, name, namespace); a mapping or list there is reported and read as absent.</summary>
        private bool TryText(string path, string field, ManifestNode? node, out string? value)
        {
            switch (node)
            {
                case null:
                case ScalarNode { IsNull: true }:
                    value = null;
                    return true;
                case ScalarNode scalar:
                    value = scalar.Value;
                    return true;
                default:
                    Problem(ManifestErrorIds.InvalidField, path, node.Line, node.Column, $"{field}: expected a string, found {node.Describe()}.");
                    value = null;
                    return false;
            }
        }

        public ClusterSnapshot Build()
        {
            var sections = _snapshot.Kubernetes;
            foreach (var registration in ManifestKind.All.Values)
                registration.SetSection(sections, _objects.TryGetValue(registration, out var items) ? items : []);
            _snapshot.Normalize();
            return _snapshot;
        }
    }
}
