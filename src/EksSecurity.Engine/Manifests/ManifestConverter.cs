using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Engine.Manifests;

/// <summary>A field of the wrong type: its path in the object and the node (line, column) it was written at.</summary>
internal sealed class ManifestFieldException(string path, ManifestNode node, string message, string errorId = ManifestErrorIds.InvalidField) : Exception(message)
{
    public string FieldPath { get; } = path;
    public ManifestNode Node { get; } = node;
    public string ErrorId { get; } = errorId;
}

/// <summary>
/// Turns an object's nodes into a typed Kubernetes model: it walks the nodes against the type's JSON
/// shape, writing JSON that System.Text.Json then reads with <see cref="SnapshotJson.Options"/>
/// (so IntOrString, ResourceQuantity and every converter behave as for snapshot files).
/// Walking by type gives kubectl's typed decoding: a plain <c>yes</c> is true where the schema says
/// boolean and stays "yes" where it says string; <c>0644</c> is octal 420 for an integer; a quoted
/// "true" is not a boolean. Present-but-empty survives (<c>emptyDir: {}</c> is an object, <c>drop: []</c>
/// an empty list), absent stays null. Unknown fields are left out and reported to the caller.
/// </summary>
internal sealed class ManifestConverter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly List<(string Path, ManifestNode Node)> _unknown = [];

    /// <summary>Fields the last conversion ignored because the model has no such field.</summary>
    public IReadOnlyList<(string Path, ManifestNode Node)> UnknownFields => _unknown;

    /// <summary>Converts <paramref name="node"/> to <paramref name="type"/>; <paramref name="dropFields"/> are top-level fields never read (a Secret's data).</summary>
    public object Convert(MappingNode node, Type type, IReadOnlySet<string>? dropFields = null)
    {
        _buffer.ResetWrittenCount();
        _unknown.Clear();
        using (var writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            WriteObject(writer, node, TypeShape.For(type), "", dropFields, 0);
        }
        try
        {
            return JsonSerializer.Deserialize(_buffer.WrittenSpan, type, SnapshotJson.Options)
                   ?? throw new ManifestFieldException("", node, "The object read as null.");
        }
        catch (JsonException ex)
        {
            // The walk above catches what it can; whatever a converter still refuses is placed by its JSON path.
            var (path, at) = Locate(node, ex.Path);
            throw new ManifestFieldException(path, at, $"{Name(path)}: {FirstSentence(ex.Message)}");
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new ManifestFieldException("", node, ex.Message);
        }
        finally
        {
            // The buffer may hold what the object said; do not keep it around longer than needed.
            _buffer.Clear();
        }
    }

    private void Write(Utf8JsonWriter writer, ManifestNode node, TypeShape shape, string path, int depth)
    {
        // Aliases can nest a document deeper than it is written; bound what the walk (and the stack) can be made to do.
        if (depth > ManifestLimits.MaxDepth) throw TooDeep(path, node);
        if (node is ScalarNode { IsNull: true })
        {
            if (shape.RejectsNull) throw Expected(path, node, ExpectedScalar(shape));
            writer.WriteNullValue();
            return;
        }
        switch (shape.Kind)
        {
            case ShapeKind.Object:
                if (node is not MappingNode mapping) throw Expected(path, node, "an object (a mapping of fields)");
                WriteObject(writer, mapping, shape, path, null, depth);
                return;
            case ShapeKind.Map:
                if (node is not MappingNode map) throw Expected(path, node, "a mapping");
                writer.WriteStartObject();
                foreach (var entry in map.Entries)
                {
                    var key = KeyOf(entry, path);
                    writer.WritePropertyName(key);
                    Write(writer, entry.Value, shape.Element!, Join(path, key), depth + 1);
                }
                writer.WriteEndObject();
                return;
            case ShapeKind.List:
                if (node is not SequenceNode sequence) throw Expected(path, node, "a list");
                writer.WriteStartArray();
                for (var i = 0; i < sequence.Items.Count; i++)
                    Write(writer, sequence.Items[i], shape.Element!, $"{path}[{i}]", depth + 1);
                writer.WriteEndArray();
                return;
            case ShapeKind.Any:
                WriteAny(writer, node, path, depth);
                return;
        }

        if (node is not ScalarNode scalar) throw Expected(path, node, ExpectedScalar(shape));
        switch (shape.Kind)
        {
            case ShapeKind.String:
                writer.WriteStringValue(scalar.Value);
                return;
            case ShapeKind.Bool:
                if (scalar.IsPlain && ScalarResolver.TryBool(scalar.Value, out var flag))
                {
                    writer.WriteBooleanValue(flag);
                    return;
                }
                throw Expected(path, node, "a boolean (true or false)");
            case ShapeKind.Integer:
                {
                    BigInteger number = default;
                    var parse = scalar.IsPlain ? ScalarResolver.ParseInteger(scalar.Value, out number) : IntegerParse.NotAnInteger;
                    if (parse == IntegerParse.Ok && number >= shape.Min && number <= shape.Max)
                    {
                        writer.WriteNumberValue((long)number);
                        return;
                    }
                    if (parse != IntegerParse.NotAnInteger)
                        throw new ManifestFieldException(path, node, $"{Name(path)}: {scalar.Value} is out of range for this field ({shape.Min} to {shape.Max}).");
                    throw Expected(path, node, "an integer");
                }
            case ShapeKind.Number:
                if (scalar.IsPlain && ScalarResolver.ParseInteger(scalar.Value, out var whole) == IntegerParse.Ok)
                {
                    writer.WriteNumberValue((long)whole);
                    return;
                }
                if (scalar.IsPlain && ScalarResolver.TryFloat(scalar.Value, out var real) && double.IsFinite(real))
                {
                    writer.WriteNumberValue(real);
                    return;
                }
                throw Expected(path, node, "a number");
            case ShapeKind.IntOrString:
                if (scalar.IsPlain && ScalarResolver.ParseInteger(scalar.Value, out var port) == IntegerParse.Ok && port >= int.MinValue && port <= int.MaxValue)
                    writer.WriteNumberValue((long)port);
                else
                    writer.WriteStringValue(scalar.Value);
                return;
            case ShapeKind.Quantity:
                try
                {
                    _ = new ResourceQuantity(scalar.Value);
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
                {
                    throw new ManifestFieldException(path, node, $"{Name(path)}: \"{YamlDocumentReader.Short(scalar.Value)}\" is not a quantity (such as 500m, 2, 1.5Gi).");
                }
                writer.WriteStringValue(scalar.Value);
                return;
            case ShapeKind.Bytes:
                {
                    var bytes = new byte[scalar.Value.Length];
                    if (!System.Convert.TryFromBase64String(scalar.Value, bytes, out _))
                        throw new ManifestFieldException(path, node, $"{Name(path)}: expected base64 data.");
                    writer.WriteStringValue(scalar.Value);
                    return;
                }
            case ShapeKind.DateTime:
                if (!DateTimeOffset.TryParse(scalar.Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
                    throw Expected(path, node, "a timestamp (RFC 3339, such as 2024-01-31T12:00:00Z)");
                writer.WriteStringValue(scalar.Value);
                return;
            default:
                writer.WriteStringValue(scalar.Value);
                return;
        }
    }

    private void WriteObject(Utf8JsonWriter writer, MappingNode mapping, TypeShape shape, string path, IReadOnlySet<string>? dropFields, int depth)
    {
        var properties = shape.Properties;
        writer.WriteStartObject();
        foreach (var entry in mapping.Entries)
        {
            var key = KeyOf(entry, path);
            if (dropFields is not null && dropFields.Contains(key)) continue;
            if (!properties.TryGetValue(key, out var property))
            {
                _unknown.Add((Join(path, key), entry.KeyNode));
                continue;
            }
            if (property.RejectsNull && entry.Value is ScalarNode { IsNull: true }) continue;
            writer.WritePropertyName(key);
            Write(writer, entry.Value, property, Join(path, key), depth + 1);
        }
        writer.WriteEndObject();
    }

    /// <summary>Untyped content (a PodSecurityPolicy spec): scalars resolved as YAML 1.1, as kubectl would send them.</summary>
    private static void WriteAny(Utf8JsonWriter writer, ManifestNode node, string path, int depth)
    {
        if (depth > ManifestLimits.MaxDepth) throw TooDeep(path, node);
        switch (node)
        {
            case MappingNode mapping:
                writer.WriteStartObject();
                foreach (var entry in mapping.Entries)
                {
                    var key = KeyOf(entry, path);
                    writer.WritePropertyName(key);
                    WriteAny(writer, entry.Value, Join(path, key), depth + 1);
                }
                writer.WriteEndObject();
                return;
            case SequenceNode sequence:
                writer.WriteStartArray();
                for (var i = 0; i < sequence.Items.Count; i++) WriteAny(writer, sequence.Items[i], $"{path}[{i}]", depth + 1);
                writer.WriteEndArray();
                return;
            case ScalarNode scalar:
                if (!scalar.IsPlain) writer.WriteStringValue(scalar.Value);
                else if (scalar.IsNull) writer.WriteNullValue();
                else if (ScalarResolver.TryBool(scalar.Value, out var flag)) writer.WriteBooleanValue(flag);
                else if (ScalarResolver.ParseInteger(scalar.Value, out var number) != IntegerParse.NotAnInteger)
                    writer.WriteRawValue(number.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
                else if (ScalarResolver.TryFloat(scalar.Value, out var real) && double.IsFinite(real)) writer.WriteNumberValue(real);
                else writer.WriteStringValue(scalar.Value);
                return;
        }
    }

    private static string KeyOf(MappingEntry entry, string path) =>
        entry.Key ?? throw new ManifestFieldException(path, entry.KeyNode, $"{Name(path)}: a key must be a string, not {entry.KeyNode.Describe()}.");

    private static ManifestFieldException TooDeep(string path, ManifestNode node) =>
        new(path, node, $"{Name(path)}: the object nests deeper than {ManifestLimits.MaxDepth} levels once its aliases are expanded.", ManifestErrorIds.TooLarge);

    private static string ExpectedScalar(TypeShape shape) => shape.Kind switch
    {
        ShapeKind.Bool => "a boolean (true or false)",
        ShapeKind.Integer => "an integer",
        ShapeKind.Number => "a number",
        ShapeKind.IntOrString => "an integer or a string",
        ShapeKind.Quantity => "a quantity (such as 500m, 2, 1.5Gi)",
        ShapeKind.Bytes => "base64 data",
        ShapeKind.DateTime => "a timestamp",
        _ => "a string",
    };

    private static ManifestFieldException Expected(string path, ManifestNode node, string expected) =>
        new(path, node, $"{Name(path)}: expected {expected}, found {node.Describe()}.");

    private static string Name(string path) => path.Length == 0 ? "the object" : path;

    /// <summary>A field path as people write it: spec.containers[0].securityContext, metadata.labels["app.kubernetes.io/name"].</summary>
    internal static string Join(string path, string key)
    {
        var simple = key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$');
        return simple ? (path.Length == 0 ? key : $"{path}.{key}") : $"{path}[\"{key.Replace("\"", "\\\"")}\"]";
    }

    /// <summary>Follows a System.Text.Json path ($.spec.containers[0]['a.b']) through the nodes as far as it goes.</summary>
    internal static (string Path, ManifestNode Node) Locate(MappingNode root, string? jsonPath)
    {
        ManifestNode node = root;
        var path = "";
        if (string.IsNullOrEmpty(jsonPath)) return (path, node);
        var i = jsonPath.StartsWith('$') ? 1 : 0;
        while (i < jsonPath.Length)
        {
            string? key = null;
            int? index = null;
            if (jsonPath[i] == '.')
            {
                var end = i + 1;
                while (end < jsonPath.Length && jsonPath[end] is not '.' and not '[') end++;
                key = jsonPath[(i + 1)..end];
                i = end;
            }
            else if (jsonPath[i] == '[' && i + 1 < jsonPath.Length && jsonPath[i + 1] == '\'')
            {
                var end = jsonPath.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) break;
                key = jsonPath[(i + 2)..end];
                i = end + 2;
            }
            else if (jsonPath[i] == '[')
            {
                var end = jsonPath.IndexOf(']', i);
                if (end < 0 || !int.TryParse(jsonPath.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) break;
                index = n;
                i = end + 1;
            }
            else break;

            if (key is not null && node is MappingNode m && m.Get(key) is { } child)
            {
                node = child;
                path = Join(path, key);
            }
            else if (index is { } at && node is SequenceNode s && at < s.Items.Count)
            {
                node = s.Items[at];
                path = $"{path}[{at}]";
            }
            else break;
        }
        return (path, node);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
