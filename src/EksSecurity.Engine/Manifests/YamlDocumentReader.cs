using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace EksSecurity.Engine.Manifests;

/// <summary>One document of a stream: its root (null when empty), or the problem that made it unreadable.</summary>
internal readonly record struct ParsedDocument(ManifestNode? Root, int Line, ManifestDocumentException? Error);

/// <summary>
/// Reads a YAML stream document by document. The stream is first cut at the document markers
/// (<c>---</c> and <c>...</c> at the start of a line, which YAML forbids inside any content), and each
/// piece is parsed on its own: a syntax error in one document cannot stop the documents after it,
/// and positions are offset back to lines of the whole file. Nodes are built from YamlDotNet's parser
/// events with an explicit stack (no recursion), checking duplicate keys, depth and alias expansion
/// as they go, and applying YAML 1.1 merge keys (<c>&lt;&lt;: *base</c>).
/// </summary>
internal static class YamlDocumentReader
{
    internal readonly record struct Chunk(int Start, int Length, int FirstLine);

    public static IEnumerable<ParsedDocument> Read(string text)
    {
        foreach (var chunk in Split(text))
        {
            var bytes = System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(chunk.Start, chunk.Length));
            if (bytes > ManifestLimits.MaxDocumentBytes)
            {
                yield return new ParsedDocument(null, chunk.FirstLine, new ManifestDocumentException(ManifestErrorIds.TooLarge, chunk.FirstLine, 1,
                    $"The document starting here is {bytes:N0} bytes, over the limit of {ManifestLimits.MaxDocumentBytes:N0} bytes per document; it was skipped."));
                continue;
            }
            foreach (var document in ParseChunk(text.Substring(chunk.Start, chunk.Length), chunk.FirstLine))
                yield return document;
        }
    }

    /// <summary>Cuts the stream before each <c>---</c> line and after each <c>...</c> line. Directive lines (<c>%YAML</c>) go with the document after them.</summary>
    internal static List<Chunk> Split(string text)
    {
        var chunks = new List<Chunk>();
        int chunkStart = 0, chunkLine = 1, line = 1, pos = 0;
        int directiveStart = -1, directiveLine = 0;
        while (pos < text.Length)
        {
            var eol = text.IndexOf('\n', pos);
            var end = eol < 0 ? text.Length : eol;
            var next = eol < 0 ? text.Length : eol + 1;
            var content = text.AsSpan(pos, end - pos);
            if (IsMarker(content, '-'))
            {
                var cut = directiveStart >= 0 ? directiveStart : pos;
                var cutLine = directiveStart >= 0 ? directiveLine : line;
                if (cut > chunkStart) chunks.Add(new Chunk(chunkStart, cut - chunkStart, chunkLine));
                chunkStart = cut;
                chunkLine = cutLine;
                directiveStart = -1;
            }
            else if (IsMarker(content, '.'))
            {
                chunks.Add(new Chunk(chunkStart, next - chunkStart, chunkLine));
                chunkStart = next;
                chunkLine = line + 1;
                directiveStart = -1;
            }
            else if (content.Length > 0 && content[0] == '%')
            {
                if (directiveStart < 0)
                {
                    directiveStart = pos;
                    directiveLine = line;
                }
            }
            else
            {
                var trimmed = content.TrimStart(" \t\r");
                if (trimmed.Length > 0 && trimmed[0] != '#') directiveStart = -1;
            }
            pos = next;
            line++;
        }
        if (chunkStart < text.Length) chunks.Add(new Chunk(chunkStart, text.Length - chunkStart, chunkLine));
        return chunks;
    }

    private static bool IsMarker(ReadOnlySpan<char> line, char c) =>
        line.Length >= 3 && line[0] == c && line[1] == c && line[2] == c &&
        (line.Length == 3 || line[3] is ' ' or '\t' or '\r');

    private static List<ParsedDocument> ParseChunk(string chunk, int firstLine)
    {
        var documents = new List<ParsedDocument>();
        var builder = new Builder(firstLine - 1);
        var scanner = new Scanner(new StringReader(chunk), skipComments: true);
        try
        {
            var parser = new Parser(scanner);
            while (parser.MoveNext())
            {
                var completed = builder.Accept(parser.Current!);
                if (completed is { } document) documents.Add(document);
            }
        }
        catch (ManifestDocumentException ex)
        {
            documents.Add(new ParsedDocument(null, builder.DocumentLine ?? firstLine, ex));
        }
        catch (YamlException ex)
        {
            var line = (int)ex.Start.Line + firstLine - 1;
            var message = ex.Message;
            // YamlDotNet wraps a few errors; the innermost names the real cause.
            if (ex.InnerException is YamlException inner) message = inner.Message;
            documents.Add(new ParsedDocument(null, builder.DocumentLine ?? firstLine,
                new ManifestDocumentException(ManifestErrorIds.SyntaxError, line, (int)ex.Start.Column, $"YAML syntax error: {message}")));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException)
        {
            // YamlDotNet's scanner has a few paths that fail this way on malformed input instead of with a YamlException.
            var at = scanner.CurrentPosition;
            documents.Add(new ParsedDocument(null, builder.DocumentLine ?? firstLine,
                new ManifestDocumentException(ManifestErrorIds.SyntaxError, (int)at.Line + firstLine - 1, (int)at.Column, "YAML syntax error: the YAML parser could not continue here.")));
        }
        return documents;
    }

    /// <summary>Builds one document's nodes from parser events.</summary>
    private sealed class Builder(int lineOffset)
    {
        private sealed class Frame(ManifestNode node, string? anchor)
        {
            public ManifestNode Node { get; } = node;
            public string? Anchor { get; } = anchor;
            public ManifestNode? PendingKey;
            public HashSet<string>? Keys;
            public List<(ManifestNode Value, ManifestNode At)>? Merges;
        }

        private readonly Stack<Frame> _stack = new();
        private readonly Dictionary<string, ManifestNode> _anchors = new(StringComparer.Ordinal);
        private ManifestNode? _root;
        private long _aliasExpansion;

        public int? DocumentLine { get; private set; }

        private int Line(Mark mark) => (int)mark.Line + lineOffset;
        private static int Column(Mark mark) => (int)mark.Column;

        public ParsedDocument? Accept(ParsingEvent e)
        {
            switch (e)
            {
                case DocumentStart start:
                    _stack.Clear();
                    _anchors.Clear();
                    _root = null;
                    _aliasExpansion = 0;
                    DocumentLine = Line(start.Start);
                    return null;
                case DocumentEnd:
                    var document = new ParsedDocument(_root, DocumentLine ?? 1, null);
                    _root = null;
                    DocumentLine = null;
                    return document;
                case Scalar scalar:
                    var node = new ScalarNode(Line(scalar.Start), Column(scalar.Start), scalar.Value, IsPlain(scalar));
                    Register(scalar.Anchor, node);
                    Add(node);
                    return null;
                case AnchorAlias alias:
                    if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                        throw new ManifestDocumentException(ManifestErrorIds.SyntaxError, Line(alias.Start), Column(alias.Start),
                            $"The alias *{alias.Value.Value} refers to no anchor &{alias.Value.Value} defined before it in this document.");
                    _aliasExpansion += target.ExpandedSize;
                    if (_aliasExpansion > ManifestLimits.MaxAliasExpansion)
                        throw new ManifestDocumentException(ManifestErrorIds.AliasLimit, Line(alias.Start), Column(alias.Start),
                            $"Aliases in this document expand to more than {ManifestLimits.MaxAliasExpansion:N0} nodes (at *{alias.Value.Value}); the document was skipped as an alias bomb.");
                    Add(target, aliased: true);
                    return null;
                case MappingStart mapping:
                    Push(new MappingNode(Line(mapping.Start), Column(mapping.Start)), mapping.Anchor, mapping.Start);
                    return null;
                case SequenceStart sequence:
                    Push(new SequenceNode(Line(sequence.Start), Column(sequence.Start)), sequence.Anchor, sequence.Start);
                    return null;
                case MappingEnd or SequenceEnd:
                    var frame = _stack.Pop();
                    if (frame.Merges is not null) ApplyMerges((MappingNode)frame.Node, frame);
                    if (frame.Anchor is not null) _anchors[frame.Anchor] = frame.Node;
                    Add(frame.Node);
                    return null;
                default:
                    return null;
            }
        }

        /// <summary>Plain scalars take their type from their text; quoted, block and <c>!!str</c>-tagged ones are strings.</summary>
        private static bool IsPlain(Scalar scalar)
        {
            if (scalar.Style != ScalarStyle.Plain) return false;
            if (scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific && scalar.Tag.Value != "!") return true;
            return scalar.Tag.Value switch
            {
                "tag:yaml.org,2002:str" or "tag:yaml.org,2002:binary" or "!" => false,
                _ => true,
            };
        }

        private void Register(AnchorName anchor, ManifestNode node)
        {
            if (!anchor.IsEmpty) _anchors[anchor.Value] = node;
        }

        private void Push(ManifestNode node, AnchorName anchor, Mark start)
        {
            if (_stack.Count >= ManifestLimits.MaxDepth)
                throw new ManifestDocumentException(ManifestErrorIds.TooLarge, Line(start), Column(start),
                    $"The document nests deeper than {ManifestLimits.MaxDepth} levels; it was skipped.");
            // The anchor is registered when the node is complete: an alias inside its own anchor is undefined, so no cycles.
            _stack.Push(new Frame(node, anchor.IsEmpty ? null : anchor.Value));
        }

        private void Add(ManifestNode node, bool aliased = false)
        {
            if (_stack.Count == 0)
            {
                _root = node;
                return;
            }
            var parent = _stack.Peek();
            parent.Node.ExpandedSize = Saturate(parent.Node.ExpandedSize + node.ExpandedSize);
            switch (parent.Node)
            {
                case SequenceNode sequence:
                    sequence.Items.Add(node);
                    break;
                case MappingNode mapping when parent.PendingKey is null:
                    if (aliased && node is not ScalarNode)
                        throw new ManifestDocumentException(ManifestErrorIds.SyntaxError, node.Line, node.Column, "A mapping key cannot be an alias to a mapping or a list.");
                    parent.PendingKey = node;
                    break;
                case MappingNode mapping:
                    var keyNode = parent.PendingKey;
                    parent.PendingKey = null;
                    var key = (keyNode as ScalarNode)?.Value;
                    if (keyNode is ScalarNode { IsPlain: true, Value: "<<" })
                    {
                        parent.Merges ??= [];
                        parent.Merges.Add((node, keyNode));
                        break;
                    }
                    if (key is not null)
                    {
                        parent.Keys ??= new HashSet<string>(StringComparer.Ordinal);
                        if (!parent.Keys.Add(key))
                        {
                            var first = mapping.GetEntry(key)!.Value.KeyNode;
                            throw new ManifestDocumentException(ManifestErrorIds.DuplicateKey, keyNode.Line, keyNode.Column,
                                $"The key \"{Short(key)}\" is given twice in the same mapping (first at line {first.Line}, column {first.Column}); Kubernetes rejects duplicate keys.");
                        }
                    }
                    mapping.Entries.Add(new MappingEntry(key, keyNode, node));
                    break;
            }
        }

        /// <summary>YAML 1.1 merge keys: keys of the merged mappings that the mapping does not set itself; earlier merges win.</summary>
        private static void ApplyMerges(MappingNode mapping, Frame frame)
        {
            var keys = frame.Keys ?? [];
            foreach (var (value, at) in frame.Merges!)
            {
                var sources = value switch
                {
                    MappingNode m => [m],
                    SequenceNode s when s.Items.All(i => i is MappingNode) => s.Items.Cast<MappingNode>().ToList(),
                    _ => throw new ManifestDocumentException(ManifestErrorIds.SyntaxError, value.Line, value.Column,
                        "A merge key (<<) needs a mapping or a list of mappings, such as <<: *defaults."),
                };
                foreach (var source in sources)
                    foreach (var entry in source.Entries)
                        if (entry.Key is not null && keys.Add(entry.Key))
                            mapping.Entries.Add(entry);
            }
        }

        private static long Saturate(long value) => value < 0 ? long.MaxValue : value;
    }

    internal static string Short(string text) => text.Length > 60 ? text[..60] + "..." : text;
}
