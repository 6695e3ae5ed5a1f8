using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EksSecurity.Engine.Remediation;

/// <summary>
/// Kubernetes objects built as JSON, written as the YAML kubectl prints (block style, lists at their key's indentation, keys in
/// the order they were built) and as indented JSON. Strings stay plain only when no YAML 1.1 or 1.2 reader could take them for
/// anything else (a number, a bool, null, a date, an indicator); otherwise they are double-quoted with JSON escapes.
/// </summary>
internal static partial class ManifestYaml
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The manifest of an object built as JSON: apiVersion, kind, metadata.namespace and metadata.name are read from it.</summary>
    public static KubernetesManifest Manifest(JsonObject obj, string? clusterName) => new()
    {
        ApiVersion = (string?)obj["apiVersion"] ?? "",
        Kind = (string?)obj["kind"] ?? "",
        Namespace = (string?)obj["metadata"]?["namespace"] ?? "",
        Name = (string?)obj["metadata"]?["name"] ?? "",
        Yaml = ToYaml(obj),
        Json = ToJson(obj),
        ClusterName = clusterName,
    };

    public static string ToJson(JsonNode node) => node.ToJsonString(s_json) + "\n";

    public static string ToYaml(JsonObject obj)
    {
        var text = new StringBuilder();
        WriteMapping(text, obj, 0);
        return text.ToString();
    }

    private static void WriteMapping(StringBuilder text, JsonObject obj, int indent, bool firstOnCurrentLine = false)
    {
        var first = true;
        foreach (var (key, value) in obj)
        {
            if (!(first && firstOnCurrentLine)) text.Append(' ', indent);
            first = false;
            text.Append(Scalar(key)).Append(':');
            WriteValue(text, value, indent, inSequence: false);
        }
    }

    /// <summary>After "key:" or "-": an inline scalar or empty collection, or a block on the next lines.</summary>
    private static void WriteValue(StringBuilder text, JsonNode? value, int indent, bool inSequence)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }:
                text.Append(" {}\n");
                break;
            case JsonArray { Count: 0 }:
                text.Append(" []\n");
                break;
            case JsonObject map when inSequence:
                // "- key: value" with the item's other keys under the first.
                text.Append(' ');
                WriteMapping(text, map, indent + 2, firstOnCurrentLine: true);
                break;
            case JsonObject map:
                text.Append('\n');
                WriteMapping(text, map, indent + 2);
                break;
            case JsonArray list:
                // kubectl's layout: a list under a key starts at the key's column; a list in a list nests by two.
                if (inSequence) text.Append(' ').Append(SequenceItems(list, indent + 2, firstOnCurrentLine: true));
                else text.Append('\n').Append(SequenceItems(list, indent, firstOnCurrentLine: false));
                break;
            default:
                text.Append(' ').Append(ScalarValue(value)).Append('\n');
                break;
        }
    }

    private static string SequenceItems(JsonArray list, int indent, bool firstOnCurrentLine)
    {
        var text = new StringBuilder();
        var first = true;
        foreach (var item in list)
        {
            if (!(first && firstOnCurrentLine)) text.Append(' ', indent);
            first = false;
            text.Append('-');
            WriteValue(text, item, indent, inSequence: true);
        }
        return text.ToString();
    }

    private static string ScalarValue(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String => Scalar(value.GetValue<string>()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.ToJsonString(),
        _ => "null",
    };

    /// <summary>A string as a plain scalar when that reads back as the same string, else double-quoted.</summary>
    public static string Scalar(string value) => IsPlainSafe(value) ? value : Quote(value);

    private static string Quote(string value) => JsonSerializer.Serialize(value, s_json);

    private static bool IsPlainSafe(string value)
    {
        if (value.Length == 0 || !PlainCharacters().IsMatch(value) || value.EndsWith(' ')) return false;
        // Anything YAML 1.1 (which many tools still read) or 1.2 resolves to another type.
        if (Resolves().IsMatch(value)) return false;
        return !value.Contains(": ", StringComparison.Ordinal) && !value.Contains(" #", StringComparison.Ordinal) && !value.EndsWith(':');
    }

    /// <summary>Starts with a letter, digit, '.', '/' or '_'; then also ':', '-', '@', '+', '=', '~', '(', ')', ',' and spaces; no quotes, '#' or brackets.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9._/][A-Za-z0-9._/:@+=~(), -]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainCharacters();

    [GeneratedRegex(
        @"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~" +
        @"|[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?" +      // ints and floats, 1_000, 1., .5, 1e3
        @"|[-+]?0[xX][0-9a-fA-F_]+|[-+]?0[oO]?[0-7_]+|[-+]?0[bB][01_]+" +
        @"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?" +            // YAML 1.1 sexagesimal, 1:20
        @"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)" +
        @"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*" +                             // timestamps
        @")$", RegexOptions.CultureInvariant)]
    private static partial Regex Resolves();

    /// <summary>The key order kubectl shows: apiVersion, kind, metadata, spec, then the rest.</summary>
    public static JsonObject Object(string apiVersion, string kind, JsonObject metadata, JsonObject spec) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["metadata"] = metadata,
        ["spec"] = spec,
    };

    public static JsonObject Map(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var map = new JsonObject();
        foreach (var (key, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal)) map[key] = value;
        return map;
    }

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
