namespace EksSecurity.Engine.Manifests;

/// <summary>
/// A parsed YAML or JSON node that remembers where it was written (1-based line and column in the
/// file, not in the document). The YAML and JSON front ends both build these; the converter turns
/// them into typed Kubernetes objects and uses the positions to name the line of a bad field.
/// Aliases share the node they refer to: the tree is a DAG, never copied.
/// </summary>
internal abstract class ManifestNode(int line, int column)
{
    public int Line { get; } = line;
    public int Column { get; } = column;
    /// <summary>The number of nodes this one stands for with every alias below it expanded.</summary>
    public long ExpandedSize { get; set; } = 1;

    /// <summary>What the node is, for messages: "a mapping", "a list", "the string \"maybe\"".</summary>
    public abstract string Describe();
}

internal sealed class ScalarNode(int line, int column, string value, bool isPlain) : ManifestNode(line, column)
{
    public string Value { get; } = value;
    /// <summary>A plain (unquoted) YAML scalar or a JSON number/true/false/null: its type comes from its text. Otherwise it is a string.</summary>
    public bool IsPlain { get; } = isPlain;

    public bool IsNull => IsPlain && ScalarResolver.IsNull(Value);

    public override string Describe()
    {
        if (IsNull) return "null";
        if (IsPlain)
        {
            if (ScalarResolver.TryBool(Value, out _)) return $"the boolean {Value}";
            if (ScalarResolver.ParseInteger(Value, out _) != IntegerParse.NotAnInteger || ScalarResolver.TryFloat(Value, out _)) return $"the number {Value}";
        }
        // Values are quoted short: a message must not carry a whole (possibly sensitive) value.
        var shown = Value.Length > 40 ? Value[..40] + "..." : Value;
        return $"the string \"{shown.Replace("\n", "\\n")}\"";
    }
}

internal readonly record struct MappingEntry(string? Key, ManifestNode KeyNode, ManifestNode Value);

internal sealed class MappingNode(int line, int column) : ManifestNode(line, column)
{
    public List<MappingEntry> Entries { get; } = [];

    public ManifestNode? Get(string key)
    {
        foreach (var entry in Entries)
            if (entry.Key == key) return entry.Value;
        return null;
    }

    public MappingEntry? GetEntry(string key)
    {
        foreach (var entry in Entries)
            if (entry.Key == key) return entry;
        return null;
    }

    public override string Describe() => "a mapping";
}

internal sealed class SequenceNode(int line, int column) : ManifestNode(line, column)
{
    public List<ManifestNode> Items { get; } = [];
    public override string Describe() => "a list";
}
