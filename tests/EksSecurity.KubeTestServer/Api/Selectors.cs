using System.Text.Json;

namespace EksSecurity.KubeTestServer.Api;

/// <summary>A malformed selector: the API server answers 400 BadRequest with this message.</summary>
public sealed class SelectorException(string message) : Exception(message);

/// <summary>
/// A label selector in the API's text form (k8s.io/apimachinery/pkg/labels): comma-separated
/// requirements <c>key</c>, <c>!key</c>, <c>key=v</c>, <c>key==v</c>, <c>key!=v</c>,
/// <c>key in (a,b)</c>, <c>key notin (a,b)</c>, <c>key&gt;n</c>, <c>key&lt;n</c>.
/// </summary>
public sealed class LabelSelector
{
    public enum Operator { Exists, DoesNotExist, Equals, NotEquals, In, NotIn, GreaterThan, LessThan }

    public sealed record Requirement(string Key, Operator Op, IReadOnlyList<string> Values)
    {
        public bool Matches(IDictionary<string, string>? labels)
        {
            string? value = null;
            var has = labels is not null && labels.TryGetValue(Key, out value);
            return Op switch
            {
                Operator.Exists => has,
                Operator.DoesNotExist => !has,
                Operator.Equals or Operator.In => has && Values.Contains(value!),
                Operator.NotEquals or Operator.NotIn => !has || !Values.Contains(value!),
                Operator.GreaterThan => has && long.TryParse(value, out var g) && g > long.Parse(Values[0]),
                Operator.LessThan => has && long.TryParse(value, out var l) && l < long.Parse(Values[0]),
                _ => false,
            };
        }
    }

    public static LabelSelector Everything { get; } = new([]);

    public LabelSelector(IReadOnlyList<Requirement> requirements) => Requirements = requirements;

    public IReadOnlyList<Requirement> Requirements { get; }
    public bool IsEmpty => Requirements.Count == 0;

    public bool Matches(IDictionary<string, string>? labels)
    {
        foreach (var r in Requirements)
            if (!r.Matches(labels)) return false;
        return true;
    }

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            var p = part.Trim();
            if (p.Length == 0) throw Bad(text, "found '', expected: !, identifier, or 'end of string'");
            requirements.Add(ParseRequirement(p, text));
        }
        return new LabelSelector(requirements);
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(': depth++; break;
                case ')': depth--; break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }
        if (depth != 0) throw Bad(text, "found end of string, expected: ')'");
        yield return text[start..];
    }

    private static Requirement ParseRequirement(string p, string whole)
    {
        if (p.StartsWith('!'))
        {
            var key = p[1..].Trim();
            ValidateKey(key, whole);
            return new Requirement(key, Operator.DoesNotExist, []);
        }
        foreach (var (word, op) in new[] { (" notin ", Operator.NotIn), (" in ", Operator.In) })
        {
            var at = p.IndexOf(word, StringComparison.Ordinal);
            if (at < 0) continue;
            var key = p[..at].Trim();
            ValidateKey(key, whole);
            var rest = p[(at + word.Length)..].Trim();
            if (!rest.StartsWith('(') || !rest.EndsWith(')')) throw Bad(whole, $"found '{rest}', expected: '('");
            var values = rest[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
            if (values.Count == 0) throw Bad(whole, "for 'in', 'notin' operators, values set can't be empty");
            foreach (var v in values) ValidateValue(v, whole);
            return new Requirement(key, op, values);
        }
        foreach (var (symbol, op) in new[] { ("!=", Operator.NotEquals), ("==", Operator.Equals), ("=", Operator.Equals), (">", Operator.GreaterThan), ("<", Operator.LessThan) })
        {
            var at = p.IndexOf(symbol, StringComparison.Ordinal);
            if (at < 0) continue;
            var key = p[..at].Trim();
            var value = p[(at + symbol.Length)..].Trim();
            ValidateKey(key, whole);
            if (op is Operator.GreaterThan or Operator.LessThan)
            {
                if (!long.TryParse(value, out _)) throw Bad(whole, $"for 'Gt', 'Lt' operators, the value must be an integer");
            }
            else ValidateValue(value, whole);
            return new Requirement(key, op, [value]);
        }
        ValidateKey(p, whole);
        return new Requirement(p, Operator.Exists, []);
    }

    private static void ValidateKey(string key, string whole)
    {
        if (key.Length == 0) throw Bad(whole, "found '', expected: identifier");
        var slash = key.IndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (name.Length is 0 or > 63 || !IsQualifiedPart(name) || (slash >= 0 && (slash == 0 || slash > 253)))
            throw Bad(whole, $"Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
    }

    private static void ValidateValue(string value, string whole)
    {
        if (value.Length > 63 || (value.Length > 0 && !IsQualifiedPart(value)))
            throw Bad(whole, $"Invalid value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
    }

    private static bool IsQualifiedPart(string s) =>
        char.IsAsciiLetterOrDigit(s[0]) && char.IsAsciiLetterOrDigit(s[^1]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static SelectorException Bad(string whole, string detail) => new($"unable to parse requirement: {detail} (selector \"{whole}\")");
}

/// <summary>
/// A field selector: comma-separated <c>field=value</c>, <c>field==value</c>, <c>field!=value</c>.
/// Each resource supports metadata.name and metadata.namespace, plus the fields the API server
/// indexes for it (pods: spec.nodeName, status.phase, ...; secrets: type); others are refused,
/// as the API server does, with "field label not supported".
/// </summary>
public sealed class FieldSelector
{
    public sealed record Requirement(string Field, bool Equal, string Value);

    public static FieldSelector Everything { get; } = new([]);

    public FieldSelector(IReadOnlyList<Requirement> requirements) => Requirements = requirements;

    public IReadOnlyList<Requirement> Requirements { get; }
    public bool IsEmpty => Requirements.Count == 0;

    private static readonly Dictionary<string, string[]> s_extraFields = new()
    {
        ["pods"] = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
        ["secrets"] = ["type"],
        ["nodes"] = ["spec.unschedulable"],
        ["namespaces"] = ["status.phase"],
        ["replicasets"] = ["status.replicas"],
        ["replicationcontrollers"] = ["status.replicas"],
        ["jobs"] = ["status.successful"],
        ["persistentvolumeclaims"] = [],
    };

    public static FieldSelector Parse(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var requirements = new List<Requirement>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            if (part.Length == 0) continue;
            string field, value;
            bool equal;
            int at;
            if ((at = part.IndexOf("!=", StringComparison.Ordinal)) >= 0) { field = part[..at]; value = part[(at + 2)..]; equal = false; }
            else if ((at = part.IndexOf("==", StringComparison.Ordinal)) >= 0) { field = part[..at]; value = part[(at + 2)..]; equal = true; }
            else if ((at = part.IndexOf('=')) >= 0) { field = part[..at]; value = part[(at + 1)..]; equal = true; }
            else throw new SelectorException($"invalid selector: '{text}'; can't understand '{part}'");
            field = field.Trim();
            var supported = field is "metadata.name" or "metadata.namespace"
                            || (s_extraFields.TryGetValue(type.Plural, out var extra) && extra.Contains(field) && !type.Aggregated);
            if (!supported) throw new SelectorException($"field label not supported: {field}");
            requirements.Add(new Requirement(field, equal, value.Trim()));
        }
        return new FieldSelector(requirements);
    }

    public bool Matches(object item)
    {
        JsonElement? json = null;
        foreach (var r in Requirements)
        {
            string? actual;
            if (r.Field == "metadata.name") actual = ObjectAccess.Name(item);
            else if (r.Field == "metadata.namespace") actual = ObjectAccess.Namespace(item);
            else
            {
                json ??= JsonSerializer.SerializeToElement(item, item.GetType(), KubeJson.Options);
                actual = Lookup(json.Value, r.Field);
                // Booleans the API server indexes default to false when unset.
                if (actual.Length == 0 && r.Field is "spec.hostNetwork" or "spec.unschedulable") actual = "false";
            }
            if ((actual == r.Value) != r.Equal) return false;
        }
        return true;
    }

    private static string Lookup(JsonElement element, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element)) return "";
        }
        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString() ?? "",
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            _ => element.GetRawText(),
        };
    }
}
