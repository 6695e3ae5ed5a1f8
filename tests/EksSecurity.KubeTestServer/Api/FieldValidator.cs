using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EksSecurity.KubeTestServer.Api;

/// <summary>A strict decoding error: unknown or duplicate field at a path (spec.podSelectr, spec.template.spec.containers[0].imagePolicy).</summary>
public sealed record FieldError(string Type, string Path)
{
    public const string Unknown = "unknown field";
    public const string Duplicate = "duplicate field";

    public bool IsUnknown => Type == Unknown;

    /// <summary>As sigs.k8s.io/json words it: unknown field "spec.podSelectr".</summary>
    public override string ToString() => $"{Type} {FieldValidator.GoQuote(Path)}";
}

/// <summary>The fieldValidation query parameter of create, update and patch.</summary>
public enum FieldValidation
{
    /// <summary>Unknown and duplicate fields are dropped silently.</summary>
    Ignore,
    /// <summary>Accepted, with a Warning header for each unknown or duplicate field (the API server's default when the parameter is absent).</summary>
    Warn,
    /// <summary>Refused (kubectl's default, --validate=strict).</summary>
    Strict,
}

/// <summary>
/// Server-side field validation, as the API server's strict JSON decoder (sigs.k8s.io/json) does
/// it: the fields of a request body are compared with the <see cref="ApiShape"/> of the resource;
/// a key a struct does not declare is an unknown field, a key given twice in one object a
/// duplicate field. Errors are worded as the decoder words them (<c>unknown field "spec.podSelectr"</c>,
/// <c>duplicate field "metadata.name"</c>), paths as it builds them (struct fields and map keys
/// joined by ".", list items as [i]), in document order, at most 100. Nothing below an unknown
/// field is looked at; maps (labels, annotations) take any key; scalars with their own decoder
/// (IntOrString, Quantity, Time) are not looked into; free-form JSON is checked for duplicates only.
/// </summary>
public static class FieldValidator
{
    private const int MaxErrors = 100;
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 128 };

    /// <summary>
    /// The directive of a request: absent or empty is Warn (the API server's default); anything but
    /// Ignore, Warn or Strict is refused as the API server refuses it (422, e.g. CreateOptions.meta.k8s.io).
    /// </summary>
    public static FieldValidation ParseDirective(string? value, string optionsKind) => value switch
    {
        null or "" => FieldValidation.Warn,
        "Ignore" => FieldValidation.Ignore,
        "Warn" => FieldValidation.Warn,
        "Strict" => FieldValidation.Strict,
        _ => throw new KubeStatusException(422, "Invalid",
            $"{optionsKind}.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: {GoQuote(value)}: supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"",
            new JsonObject
            {
                ["group"] = "meta.k8s.io",
                ["kind"] = optionsKind,
                ["causes"] = new JsonArray(new JsonObject
                {
                    ["reason"] = "FieldValueNotSupported",
                    ["message"] = $"Unsupported value: {GoQuote(value)}: supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"",
                    ["field"] = "fieldValidation",
                }),
            }),
    };

    /// <summary>Unknown and duplicate fields of <paramref name="json"/> against <paramref name="shape"/>; empty when it is clean (or not JSON: decoding reports that).</summary>
    public static IReadOnlyList<FieldError> Check(string json, ApiShape shape)
    {
        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            return Check(document.RootElement, shape);
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static IReadOnlyList<FieldError> Check(JsonElement value, ApiShape shape)
    {
        var walker = new Walker();
        walker.Walk(value, shape);
        return walker.Errors;
    }

    /// <summary>Duplicate keys only (a patch body decoded into a map, as the API server first decodes patches).</summary>
    public static IReadOnlyList<FieldError> Duplicates(string json) => Check(json, ApiShape.FreeForm);

    /// <summary>Unknown fields only (a document built without duplicates, such as a patched object).</summary>
    public static IReadOnlyList<FieldError> Unknown(JsonNode document, ApiShape shape)
    {
        using var parsed = JsonDocument.Parse(document.ToJsonString(), DocumentOptions);
        return Check(parsed.RootElement, shape);
    }

    /// <summary>runtime.NewStrictDecodingError(errs).Error().</summary>
    public static string StrictDecodingError(IEnumerable<FieldError> errors) => "strict decoding error: " + string.Join(", ", errors);

    /// <summary>
    /// A create or update refused (Strict): the decoder's error through transformDecodeError, 400 BadRequest
    /// (<c>NetworkPolicy in version "v1" cannot be handled as a NetworkPolicy: strict decoding error: unknown field "spec.podSelectr"</c>).
    /// </summary>
    public static KubeStatusException DecodeError(string kind, string version, string targetKind, IEnumerable<FieldError> errors) =>
        KubeStatus.BadRequest($"{kind} in version {GoQuote(version)} cannot be handled as a {targetKind}: {StrictDecodingError(errors)}");

    /// <summary>
    /// A patch refused (Strict): 422 Invalid on the field "patch", whose value is the patched object's
    /// JSON (merge and JSON patches) or the patch as Go prints a map (strategic merge patches).
    /// </summary>
    public static KubeStatusException PatchError(string badValue, IEnumerable<FieldError> errors)
    {
        var body = $"Invalid value: {GoQuote(badValue)}: {StrictDecodingError(errors)}";
        return new KubeStatusException(422, "Invalid", $" \"\" is invalid: patch: {body}", new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = body, ["field"] = "patch" }),
        });
    }

    /// <summary>
    /// A server-side apply with fields the schema does not declare: structured-merge-diff's error,
    /// which the API server answers as a 500 without a reason whatever fieldValidation says.
    /// </summary>
    public static KubeStatusException ApplyError(ResourceType type, string? ns, string? name, IReadOnlyList<FieldError> unknown)
    {
        var gvk = $"{type.Group}/{type.Version}, Kind={type.Kind}";
        var errors = unknown.Select(e => $".{e.Path}: field not declared in schema").ToList();
        var text = errors.Count == 1 ? errors[0] : "errors:\n  " + string.Join("\n  ", errors);
        return new KubeStatusException(500, "", $"failed to create typed patch object ({ns}/{name}; {gvk}): {text}");
    }

    /// <summary>A Warning header value as the API server's warning recorder writes it: 299 - "text".</summary>
    public static string WarningHeader(string text)
    {
        var sb = new StringBuilder("299 - \"");
        foreach (var c in text)
        {
            if (c is '"' or '\\') sb.Append('\\');
            sb.Append(char.IsControl(c) ? ' ' : c);
        }
        return sb.Append('"').ToString();
    }

    /// <summary>Parses JSON keeping the last of duplicate keys (as Go's decoder does); System.Text.Json's JsonObject refuses duplicates.</summary>
    public static JsonNode? ParseLastWins(string json)
    {
        using var document = JsonDocument.Parse(json, DocumentOptions);
        return ToNode(document.RootElement);
    }

    private static JsonNode? ToNode(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var o = new JsonObject();
                foreach (var p in e.EnumerateObject()) o[p.Name] = ToNode(p.Value);
                return o;
            case JsonValueKind.Array:
                var a = new JsonArray();
                foreach (var item in e.EnumerateArray()) a.Add(ToNode(item));
                return a;
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            default:
                return JsonValue.Create(e.Clone());
        }
    }

    private sealed class Walker
    {
        private readonly List<FieldError> _errors = [];
        private readonly HashSet<FieldError> _seen = [];
        private readonly StringBuilder _path = new();

        public IReadOnlyList<FieldError> Errors => _errors;

        public void Walk(JsonElement value, ApiShape shape)
        {
            switch (shape.Kind)
            {
                case ShapeKind.Struct when value.ValueKind == JsonValueKind.Object:
                {
                    HashSet<string>? keys = null;
                    foreach (var p in value.EnumerateObject())
                    {
                        if (shape.Fields.TryGetValue(p.Name, out var field))
                        {
                            if (!(keys ??= new HashSet<string>(StringComparer.Ordinal)).Add(p.Name)) Save(FieldError.Duplicate, p.Name);
                            Descend(p.Name, p.Value, field);
                        }
                        else if (shape.PreserveUnknownFields)
                        {
                            if (!(keys ??= new HashSet<string>(StringComparer.Ordinal)).Add(p.Name)) Save(FieldError.Duplicate, p.Name);
                            Descend(p.Name, p.Value, ApiShape.FreeForm);
                        }
                        else Save(FieldError.Unknown, p.Name);
                    }
                    return;
                }
                case ShapeKind.Map or ShapeKind.Free when value.ValueKind == JsonValueKind.Object:
                {
                    HashSet<string>? keys = null;
                    var element = shape.Kind == ShapeKind.Map ? shape.Element ?? ApiShape.FreeForm : ApiShape.FreeForm;
                    foreach (var p in value.EnumerateObject())
                    {
                        if (!(keys ??= new HashSet<string>(StringComparer.Ordinal)).Add(p.Name)) Save(FieldError.Duplicate, p.Name);
                        Descend(p.Name, p.Value, element);
                    }
                    return;
                }
                case ShapeKind.List or ShapeKind.Free when value.ValueKind == JsonValueKind.Array:
                {
                    var element = shape.Kind == ShapeKind.List ? shape.Element ?? ApiShape.FreeForm : ApiShape.FreeForm;
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        var length = _path.Length;
                        _path.Append('[').Append(i++.ToString(CultureInfo.InvariantCulture)).Append(']');
                        Walk(item, element);
                        _path.Length = length;
                    }
                    return;
                }
                default:
                    // Scalars, and values of the wrong JSON type (decoding reports those).
                    return;
            }
        }

        private void Descend(string key, JsonElement value, ApiShape shape)
        {
            if (shape.Kind == ShapeKind.Scalar) return;
            var length = _path.Length;
            if (length > 0) _path.Append('.');
            _path.Append(key);
            Walk(value, shape);
            _path.Length = length;
        }

        private void Save(string type, string field)
        {
            if (_errors.Count >= MaxErrors) return;
            var path = _path.Length > 0 ? _path + "." + field : field;
            var error = new FieldError(type, path);
            if (_seen.Add(error)) _errors.Add(error);
        }
    }

    // ------------------------------------------------------------------ Go's formatting, for messages word for word

    /// <summary>strconv.Quote: a double-quoted Go string literal (printable Unicode kept, the rest escaped).</summary>
    public static string GoQuote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\a': sb.Append("\\a"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\v': sb.Append("\\v"); continue;
            }
            if (IsGoPrintable(rune)) sb.Append(rune.ToString());
            else if (rune.Value < 0x80) sb.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
            else if (rune.Value < 0x10000) sb.Append("\\u").Append(rune.Value.ToString("x4", CultureInfo.InvariantCulture));
            else sb.Append("\\U").Append(rune.Value.ToString("x8", CultureInfo.InvariantCulture));
        }
        return sb.Append('"').ToString();
    }

    /// <summary>unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    private static bool IsGoPrintable(Rune rune)
    {
        if (rune.Value == ' ') return true;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter
                or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.ConnectorPunctuation
                or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
                or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }

    /// <summary>
    /// fmt's %+v of a decoded JSON value (map[string]interface{} with int64s preserved): map[k:v ...]
    /// with sorted keys, [a b] for lists, strings bare, &lt;nil&gt; for null. The API server puts this in
    /// the message of a refused strategic merge patch.
    /// </summary>
    public static string GoFormat(JsonNode? node)
    {
        var sb = new StringBuilder();
        Format(node, sb);
        return sb.ToString();
    }

    private static void Format(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case null:
                sb.Append("<nil>");
                return;
            case JsonObject o:
                sb.Append("map[");
                var first = true;
                foreach (var (key, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(' ');
                    first = false;
                    sb.Append(key).Append(':');
                    Format(value, sb);
                }
                sb.Append(']');
                return;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(' ');
                    Format(a[i], sb);
                }
                sb.Append(']');
                return;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String: sb.Append(v.GetValue<string>()); return;
                    case JsonValueKind.True: sb.Append("true"); return;
                    case JsonValueKind.False: sb.Append("false"); return;
                    case JsonValueKind.Number:
                        var text = v.ToJsonString();
                        if (text.IndexOfAny(['.', 'e', 'E']) < 0 && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) sb.Append(l.ToString(CultureInfo.InvariantCulture));
                        else sb.Append(GoFloat(double.Parse(text, CultureInfo.InvariantCulture)));
                        return;
                    default: sb.Append(v.ToJsonString()); return;
                }
        }
    }

    /// <summary>
    /// encoding/json's Marshal of a decoded document: keys sorted, compact, &lt; &gt; &amp; U+2028 U+2029 escaped.
    /// The API server puts the patched object in this form in the message of a refused merge or JSON patch.
    /// </summary>
    public static string GoJson(JsonNode? node)
    {
        var sb = new StringBuilder();
        WriteGoJson(node, sb);
        return sb.ToString();
    }

    private static void WriteGoJson(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                return;
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    GoJsonString(key, sb);
                    sb.Append(':');
                    WriteGoJson(value, sb);
                }
                sb.Append('}');
                return;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    WriteGoJson(a[i], sb);
                }
                sb.Append(']');
                return;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                GoJsonString(v.GetValue<string>(), sb);
                return;
            default:
                sb.Append(node.ToJsonString());
                return;
        }
    }

    private static void GoJsonString(string s, StringBuilder sb)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    /// <summary>strconv.FormatFloat(f, 'g', -1, 64), what %v prints for a float64: shortest digits, an exponent below 1e-4 and from 1e6.</summary>
    public static string GoFloat(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "+Inf";
        if (double.IsNegativeInfinity(d)) return "-Inf";
        if (d == 0) return double.IsNegative(d) ? "-0" : "0";
        var text = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.');
        var integral = dot < 0 ? text : text[..dot];
        var digits = dot < 0 ? text : integral + text[(dot + 1)..];
        var point = integral.Length + exponent;
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
            point--;
        }
        digits = digits[lead..].TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        var x = point - 1;
        string body;
        if (x < -4 || x >= 6)
            body = digits[0] + (digits.Length > 1 ? "." + digits[1..] : "") + "e" + (x < 0 ? "-" : "+") + Math.Abs(x).ToString("00", CultureInfo.InvariantCulture);
        else if (point <= 0) body = "0." + new string('0', -point) + digits;
        else if (point >= digits.Length) body = digits + new string('0', point - digits.Length);
        else body = digits[..point] + "." + digits[point..];
        return (d < 0 ? "-" : "") + body;
    }
}
