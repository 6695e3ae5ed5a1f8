using System.Text;
using System.Text.Json;

namespace EksSecurity.Engine.Manifests;

/// <summary>
/// Reads JSON input (what <c>kubectl get -o json</c> writes) into the same nodes as YAML, with
/// line and column from byte offsets. Accepts one value or several concatenated ones (as kubectl
/// does); after a syntax error the rest of that input cannot be trusted and is not read.
/// </summary>
internal static class JsonDocumentReader
{
    /// <summary>True when the text is JSON rather than YAML: its first non-blank character is '{' (kubectl's own test).</summary>
    public static bool LooksLikeJson(string text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c == '\uFEFF') continue;
            return c == '{';
        }
        return false;
    }

    public static IEnumerable<ParsedDocument> Read(byte[] utf8)
    {
        var lines = new LineMap(utf8);
        var offset = 0;
        while (true)
        {
            offset = SkipWhitespace(utf8, offset);
            if (offset >= utf8.Length) yield break;
            var (document, consumed) = ReadOne(utf8, offset, lines);
            yield return document;
            if (document.Error is { ErrorId: ManifestErrorIds.SyntaxError }) yield break;
            offset += consumed;
        }
    }

    private static int SkipWhitespace(byte[] utf8, int offset)
    {
        while (offset < utf8.Length && utf8[offset] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') offset++;
        return offset;
    }

    private static (ParsedDocument Document, int Consumed) ReadOne(byte[] utf8, int start, LineMap lines)
    {
        var (startLine, startColumn) = lines.Locate(start);
        var stack = new Stack<(ManifestNode Node, string? Key, ManifestNode? KeyNode, HashSet<string>? Keys)>();
        ManifestNode? root = null;
        var reader = new Utf8JsonReader(utf8.AsSpan(start), new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            MaxDepth = ManifestLimits.MaxDepth + 10,
        });
        try
        {
            while (root is null && reader.Read())
            {
                var (line, column) = lines.Locate(start + (int)reader.TokenStartIndex);
                ManifestNode? completed = null;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (stack.Count >= ManifestLimits.MaxDepth)
                            return (new ParsedDocument(null, startLine, new ManifestDocumentException(ManifestErrorIds.TooLarge, line, column,
                                $"The JSON value nests deeper than {ManifestLimits.MaxDepth} levels; the rest of the input was not read.")), utf8.Length - start);
                        ManifestNode container = reader.TokenType == JsonTokenType.StartObject ? new MappingNode(line, column) : new SequenceNode(line, column);
                        stack.Push((container, null, null, reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null));
                        continue;
                    case JsonTokenType.PropertyName:
                        {
                            var frame = stack.Pop();
                            var key = reader.GetString()!;
                            var keyNode = new ScalarNode(line, column, key, isPlain: false);
                            if (!frame.Keys!.Add(key))
                            {
                                var first = ((MappingNode)frame.Node).GetEntry(key)!.Value.KeyNode;
                                return (new ParsedDocument(null, startLine, new ManifestDocumentException(ManifestErrorIds.DuplicateKey, line, column,
                                    $"The key \"{YamlDocumentReader.Short(key)}\" is given twice in the same object (first at line {first.Line}, column {first.Column}); Kubernetes rejects duplicate keys.")),
                                    SkipValue(utf8, start));
                            }
                            stack.Push((frame.Node, key, keyNode, frame.Keys));
                            continue;
                        }
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        completed = stack.Pop().Node;
                        break;
                    case JsonTokenType.String:
                        completed = new ScalarNode(line, column, reader.GetString()!, isPlain: false);
                        break;
                    case JsonTokenType.Number:
                        completed = new ScalarNode(line, column, Encoding.UTF8.GetString(reader.ValueSpan), isPlain: true);
                        break;
                    case JsonTokenType.True:
                        completed = new ScalarNode(line, column, "true", isPlain: true);
                        break;
                    case JsonTokenType.False:
                        completed = new ScalarNode(line, column, "false", isPlain: true);
                        break;
                    case JsonTokenType.Null:
                        completed = new ScalarNode(line, column, "null", isPlain: true);
                        break;
                    default:
                        continue;
                }
                if (stack.Count == 0)
                {
                    root = completed;
                    break;
                }
                var parent = stack.Pop();
                parent.Node.ExpandedSize += completed.ExpandedSize;
                if (parent.Node is SequenceNode sequence) sequence.Items.Add(completed);
                else ((MappingNode)parent.Node).Entries.Add(new MappingEntry(parent.Key, parent.KeyNode!, completed));
                stack.Push((parent.Node, null, null, parent.Keys));
            }
        }
        catch (JsonException ex)
        {
            // Positions of the exception are relative to where this value started.
            var line = (int)(ex.LineNumber ?? 0);
            var bytePosition = (int)(ex.BytePositionInLine ?? 0);
            var errorLine = startLine + line;
            var errorColumn = line == 0 ? startColumn + bytePosition : bytePosition + 1;
            return (new ParsedDocument(null, startLine, new ManifestDocumentException(ManifestErrorIds.SyntaxError, errorLine, errorColumn,
                $"JSON syntax error: {FirstSentence(ex.Message)}")), utf8.Length - start);
        }
        var consumed = (int)reader.BytesConsumed;
        if (root is null)
            return (new ParsedDocument(null, startLine, null), consumed);
        if (consumed > ManifestLimits.MaxDocumentBytes)
            return (new ParsedDocument(null, startLine, new ManifestDocumentException(ManifestErrorIds.TooLarge, startLine, startColumn,
                $"The JSON value starting here is {consumed:N0} bytes, over the limit of {ManifestLimits.MaxDocumentBytes:N0} bytes per document; it was skipped.")), consumed);
        return (new ParsedDocument(root, startLine, null), consumed);
    }

    /// <summary>After a semantic error (duplicate key) the value's extent is still known: skip it and go on with the next.</summary>
    private static int SkipValue(byte[] utf8, int start)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8.AsSpan(start), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = ManifestLimits.MaxDepth + 10 });
            reader.Read();
            reader.Skip();
            return (int)reader.BytesConsumed;
        }
        catch (JsonException)
        {
            return utf8.Length - start;
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}

/// <summary>Byte offset to 1-based line and column (column in characters).</summary>
internal sealed class LineMap
{
    private readonly byte[] _bytes;
    private readonly List<int> _lineStarts = [0];

    public LineMap(byte[] bytes)
    {
        _bytes = bytes;
        for (var i = 0; i < bytes.Length; i++)
            if (bytes[i] == (byte)'\n') _lineStarts.Add(i + 1);
    }

    // Tokens are located in order: counting on from the last one keeps a long single-line (minified) file linear.
    private int _lastLine = -1, _lastOffset, _lastColumn;

    public (int Line, int Column) Locate(int offset)
    {
        offset = Math.Min(offset, _bytes.Length);
        var index = _lineStarts.BinarySearch(offset);
        if (index < 0) index = ~index - 1;
        var lineStart = _lineStarts[index];
        int column;
        if (index == _lastLine && offset >= _lastOffset)
            column = _lastColumn + Encoding.UTF8.GetCharCount(_bytes, _lastOffset, offset - _lastOffset);
        else
            column = Encoding.UTF8.GetCharCount(_bytes, lineStart, offset - lineStart) + 1;
        (_lastLine, _lastOffset, _lastColumn) = (index, offset, column);
        return (index + 1, column);
    }

    /// <summary>Line and column of a byte offset in raw bytes that may not be valid UTF-8 after it.</summary>
    public static (int Line, int Column) Locate(ReadOnlySpan<byte> bytes, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < bytes.Length; i++)
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        return (line, Encoding.UTF8.GetCharCount(bytes[lineStart..offset]) + 1);
    }
}
