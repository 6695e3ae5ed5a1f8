using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;

namespace EksSecurity.AwsTestServer.Protocols;

/// <summary>
/// Model-driven conversion between the server's data (JSON objects keyed by the API member
/// names, the same names the aws CLI prints) and the four wire protocols: rest-json and
/// json 1.1 (member names, epoch-second timestamps), query (XML, &lt;member&gt; lists,
/// ISO-8601 timestamps, IAM policy documents URL-encoded) and ec2 (XML with locationNames
/// and &lt;item&gt; lists). Members the model does not define are never written, so a
/// scenario object may carry extra data (child lists, documents) beside the wire members.
/// </summary>
public static class WireFormat
{
    private static readonly UTF8Encoding s_utf8 = new(false);

    // ---------------------------------------------------------------- timestamps

    public static DateTimeOffset? ReadTimestamp(JsonNode? node)
    {
        if (node is not JsonValue v) return null;
        if (v.TryGetValue(out string? s))
        {
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var secs))
                return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(secs * 1000));
            return DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        }
        if (v.TryGetValue(out double d)) return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(d * 1000));
        if (v.TryGetValue(out long l)) return DateTimeOffset.FromUnixTimeSeconds(l);
        return null;
    }

    public static string Iso8601(DateTimeOffset t, bool millis) =>
        t.UtcDateTime.ToString(millis ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonNode EpochSeconds(DateTimeOffset t)
    {
        var ms = t.ToUnixTimeMilliseconds();
        return ms % 1000 == 0 ? JsonValue.Create(ms / 1000) : JsonValue.Create(ms / 1000.0);
    }

    // ---------------------------------------------------------------- scalars

    /// <summary>A string member given as a JSON object or array (a policy document) is written as compact JSON text.</summary>
    public static string? ScalarText(JsonNode? node)
    {
        switch (node)
        {
            case null: return null;
            case JsonObject or JsonArray: return node.ToJsonString();
            case JsonValue v:
                if (v.TryGetValue(out string? s)) return s;
                if (v.TryGetValue(out bool b)) return b ? "true" : "false";
                return v.ToJsonString();
            default: return node.ToJsonString();
        }
    }

    private static JsonNode? JsonScalar(string type, JsonNode value)
    {
        switch (type)
        {
            case "boolean":
                if (value is JsonValue bv && bv.TryGetValue(out string? bs)) return JsonValue.Create(bool.Parse(bs));
                return value.DeepClone();
            case "integer" or "long":
                if (value is JsonValue iv && iv.TryGetValue(out string? ist)) return JsonValue.Create(long.Parse(ist, CultureInfo.InvariantCulture));
                return value.DeepClone();
            case "double" or "float":
                if (value is JsonValue dv && dv.TryGetValue(out string? dst)) return JsonValue.Create(double.Parse(dst, CultureInfo.InvariantCulture));
                return value.DeepClone();
            default:
                return JsonValue.Create(ScalarText(value));
        }
    }

    // ---------------------------------------------------------------- JSON protocols (output)

    /// <summary>Serializes <paramref name="value"/> as shape <paramref name="shapeName"/> for rest-json / json 1.1 bodies.</summary>
    public static JsonNode? ToWireJson(ServiceModel model, JsonNode? value, string shapeName, bool bodyOnly = true)
    {
        if (value is null) return null;
        var shape = model.Shape(shapeName);
        var type = (string)shape["type"]!;
        switch (type)
        {
            case "structure":
                if (value is not JsonObject src) return null;
                var obj = new JsonObject();
                foreach (var (memberName, memberNode) in shape["members"]!.AsObject())
                {
                    var member = memberNode!.AsObject();
                    if (bodyOnly && member["location"] is not null) continue;
                    if (!src.TryGetPropertyValue(memberName, out var mv) || mv is null) continue;
                    var wire = ToWireJson(model, mv, (string)member["shape"]!, true);
                    if (wire is not null) obj[(string?)member["locationName"] ?? memberName] = wire;
                }
                return obj;
            case "list":
                if (value is not JsonArray arr) return null;
                var itemShape = (string)shape["member"]!["shape"]!;
                var list = new JsonArray();
                foreach (var item in arr) list.Add(ToWireJson(model, item, itemShape, true));
                return list;
            case "map":
                if (value is not JsonObject map) return null;
                var valueShape = (string)shape["value"]!["shape"]!;
                var mo = new JsonObject();
                foreach (var (k, v) in map) mo[k] = ToWireJson(model, v, valueShape, true);
                return mo;
            case "timestamp":
                var t = ReadTimestamp(value);
                if (t is null) return null;
                return (string?)shape["timestampFormat"] == "iso8601" ? JsonValue.Create(Iso8601(t.Value, true)) : EpochSeconds(t.Value);
            case "structure_document" or "document":
                return value.DeepClone();
            default:
                return JsonScalar(type, value);
        }
    }

    // ---------------------------------------------------------------- XML protocols (output)

    private static bool IsIamPolicyDocument(ServiceModel model, string shapeName) =>
        model.Name == "iam" && shapeName == "policyDocumentType";

    /// <summary>Writes <paramref name="value"/> as shape <paramref name="shapeName"/> inside an element named <paramref name="element"/>.</summary>
    public static void WriteXml(XmlWriter w, ServiceModel model, string element, JsonNode? value, string shapeName, bool ec2, bool flattenedList = false)
    {
        if (value is null) return;
        var shape = model.Shape(shapeName);
        var type = (string)shape["type"]!;
        switch (type)
        {
            case "structure":
                if (value is not JsonObject src) return;
                w.WriteStartElement(element);
                WriteMembers(w, model, src, shape, ec2);
                w.WriteEndElement();
                return;
            case "list":
                if (value is not JsonArray arr) return;
                var member = shape["member"]!.AsObject();
                var itemShape = (string)member["shape"]!;
                var flattened = flattenedList || (bool?)shape["flattened"] == true;
                if (flattened)
                {
                    foreach (var item in arr) WriteXml(w, model, element, item, itemShape, ec2);
                    return;
                }
                w.WriteStartElement(element);
                var itemName = (string?)member["locationName"] ?? (ec2 ? "item" : "member");
                foreach (var item in arr) WriteXml(w, model, itemName, item, itemShape, ec2);
                w.WriteEndElement();
                return;
            case "map":
                if (value is not JsonObject map) return;
                var keyName = (string?)shape["key"]!["locationName"] ?? "key";
                var valueName = (string?)shape["value"]!["locationName"] ?? "value";
                var valueShape = (string)shape["value"]!["shape"]!;
                var keyShape = (string)shape["key"]!["shape"]!;
                w.WriteStartElement(element);
                foreach (var (k, v) in map)
                {
                    w.WriteStartElement("entry");
                    WriteXml(w, model, keyName, JsonValue.Create(k), keyShape, ec2);
                    WriteXml(w, model, valueName, v, valueShape, ec2);
                    w.WriteEndElement();
                }
                w.WriteEndElement();
                return;
            case "timestamp":
                var t = ReadTimestamp(value);
                if (t is null) return;
                w.WriteElementString(element, (string?)shape["timestampFormat"] == "unixTimestamp"
                    ? (t.Value.ToUnixTimeMilliseconds() / 1000.0).ToString(CultureInfo.InvariantCulture)
                    : Iso8601(t.Value, ec2));
                return;
            default:
                var text = ScalarText(value);
                if (text is null) return;
                if (IsIamPolicyDocument(model, shapeName)) text = Uri.EscapeDataString(text);
                w.WriteElementString(element, text);
                return;
        }
    }

    private static void WriteMembers(XmlWriter w, ServiceModel model, JsonObject src, JsonObject shape, bool ec2)
    {
        foreach (var (memberName, memberNode) in shape["members"]!.AsObject())
        {
            if (!src.TryGetPropertyValue(memberName, out var mv) || mv is null) continue;
            var member = memberNode!.AsObject();
            var name = (string?)member["locationName"] ?? memberName;
            WriteXml(w, model, name, mv, (string)member["shape"]!, ec2, (bool?)member["flattened"] == true);
        }
    }

    private static XmlWriter NewWriter(Stream s) => XmlWriter.Create(s, new XmlWriterSettings
    {
        Encoding = s_utf8,
        Indent = true,
        OmitXmlDeclaration = false,
    });

    /// <summary>query protocol (IAM, STS): &lt;OpResponse&gt;&lt;OpResult&gt;…&lt;/OpResult&gt;&lt;ResponseMetadata/&gt;&lt;/OpResponse&gt;.</summary>
    public static byte[] QueryResponse(ServiceModel model, OperationModel op, JsonObject? output, string requestId)
    {
        using var ms = new MemoryStream();
        using (var w = NewWriter(ms))
        {
            w.WriteStartElement(op.Name + "Response", model.XmlNamespace);
            if (op.OutputShape is not null && output is not null)
            {
                w.WriteStartElement(op.ResultWrapper ?? op.Name + "Result");
                WriteMembers(w, model, output, model.Shape(op.OutputShape), false);
                w.WriteEndElement();
            }
            w.WriteStartElement("ResponseMetadata");
            w.WriteElementString("RequestId", requestId);
            w.WriteEndElement();
            w.WriteEndElement();
        }
        return ms.ToArray();
    }

    public static string Ec2Namespace(ServiceModel model) =>
        model.XmlNamespace!.EndsWith('/') ? model.XmlNamespace : model.XmlNamespace + "/";

    /// <summary>ec2 protocol: &lt;OpResponse xmlns=…&gt;&lt;requestId/&gt;members…&lt;/OpResponse&gt;.</summary>
    public static byte[] Ec2Response(ServiceModel model, OperationModel op, JsonObject? output, string requestId)
    {
        using var ms = new MemoryStream();
        using (var w = NewWriter(ms))
        {
            w.WriteStartElement(op.Name + "Response", Ec2Namespace(model));
            w.WriteElementString("requestId", requestId);
            if (op.OutputShape is not null && output is not null)
                WriteMembers(w, model, output, model.Shape(op.OutputShape), true);
            w.WriteEndElement();
        }
        return ms.ToArray();
    }

    /// <summary>query protocol error document.</summary>
    public static byte[] QueryError(string? xmlNamespace, string code, string message, bool sender, string requestId)
    {
        using var ms = new MemoryStream();
        using (var w = NewWriter(ms))
        {
            w.WriteStartElement("ErrorResponse", xmlNamespace ?? "");
            w.WriteStartElement("Error");
            w.WriteElementString("Type", sender ? "Sender" : "Receiver");
            w.WriteElementString("Code", code);
            w.WriteElementString("Message", message);
            w.WriteEndElement();
            w.WriteElementString("RequestId", requestId);
            w.WriteEndElement();
        }
        return ms.ToArray();
    }

    /// <summary>ec2 protocol error document.</summary>
    public static byte[] Ec2Error(string code, string message, string requestId)
    {
        using var ms = new MemoryStream();
        using (var w = NewWriter(ms))
        {
            w.WriteStartElement("Response");
            w.WriteStartElement("Errors");
            w.WriteStartElement("Error");
            w.WriteElementString("Code", code);
            w.WriteElementString("Message", message);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteElementString("RequestID", requestId);
            w.WriteEndElement();
        }
        return ms.ToArray();
    }

    // ---------------------------------------------------------------- input

    /// <summary>Reads query / ec2 form parameters (Name.member.N, Filter.N.Value.M, …) into an object keyed by member names.</summary>
    public static JsonObject ReadQueryInput(ServiceModel model, string? shapeName, IReadOnlyDictionary<string, string> flat, bool ec2)
    {
        if (shapeName is null) return new JsonObject();
        return ReadQueryNode(model, shapeName, "", flat, ec2) as JsonObject ?? new JsonObject();
    }

    private static bool HasPrefix(IReadOnlyDictionary<string, string> flat, string key) =>
        flat.ContainsKey(key) || flat.Keys.Any(k => k.StartsWith(key + ".", StringComparison.Ordinal));

    private static JsonNode? ReadQueryNode(ServiceModel model, string shapeName, string key, IReadOnlyDictionary<string, string> flat, bool ec2, bool flattenedMember = false)
    {
        var shape = model.Shape(shapeName);
        var type = (string)shape["type"]!;
        switch (type)
        {
            case "structure":
            {
                if (key.Length > 0 && !HasPrefix(flat, key)) return null;
                var obj = new JsonObject();
                foreach (var (memberName, memberNode) in shape["members"]!.AsObject())
                {
                    var member = memberNode!.AsObject();
                    string name;
                    if (ec2)
                    {
                        var loc = (string?)member["queryName"] ?? (string?)member["locationName"];
                        name = loc is null ? memberName : char.ToUpperInvariant(loc[0]) + loc[1..];
                    }
                    else name = (string?)member["locationName"] ?? memberName;
                    var childKey = key.Length == 0 ? name : key + "." + name;
                    var value = ReadQueryNode(model, (string)member["shape"]!, childKey, flat, ec2, (bool?)member["flattened"] == true);
                    if (value is not null) obj[memberName] = value;
                }
                return obj;
            }
            case "list":
            {
                var member = shape["member"]!.AsObject();
                var flattened = ec2 || flattenedMember || (bool?)shape["flattened"] == true;
                var prefix = flattened ? key : key + "." + ((string?)member["locationName"] ?? "member");
                var arr = new JsonArray();
                for (var i = 1; ; i++)
                {
                    var itemKey = prefix + "." + i.ToString(CultureInfo.InvariantCulture);
                    if (!HasPrefix(flat, itemKey)) break;
                    arr.Add(ReadQueryNode(model, (string)member["shape"]!, itemKey, flat, ec2));
                }
                // "Name=" with an empty value is how the query protocol sends an empty list.
                if (arr.Count == 0 && !flat.ContainsKey(key)) return null;
                return arr;
            }
            case "map":
            {
                var obj = new JsonObject();
                var prefix = (bool?)shape["flattened"] == true || flattenedMember ? key : key + ".entry";
                for (var i = 1; ; i++)
                {
                    var e = prefix + "." + i.ToString(CultureInfo.InvariantCulture);
                    if (!flat.TryGetValue(e + ".key", out var k)) break;
                    obj[k] = ReadQueryNode(model, (string)shape["value"]!["shape"]!, e + ".value", flat, ec2);
                }
                return obj.Count == 0 ? null : obj;
            }
            default:
                return flat.TryGetValue(key, out var s) ? ParseScalar(type, s) : null;
        }
    }

    public static JsonNode? ParseScalar(string type, string s) => type switch
    {
        "boolean" => bool.TryParse(s, out var b) ? JsonValue.Create(b) : JsonValue.Create(s),
        "integer" or "long" => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l) : JsonValue.Create(s),
        "double" or "float" => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : JsonValue.Create(s),
        _ => JsonValue.Create(s),
    };

    /// <summary>Reads a JSON request body (rest-json body members by locationName, or a json 1.1 body) into member names.</summary>
    public static JsonObject ReadJsonInput(ServiceModel model, string? shapeName, byte[] body)
    {
        if (shapeName is null || body.Length == 0) return new JsonObject();
        JsonNode? parsed;
        try { parsed = JsonNode.Parse(body); }
        catch (JsonException e) { throw new AwsErrorException("SerializationException", 400, "Could not parse the request body: " + e.Message); }
        if (parsed is not JsonObject src) return new JsonObject();
        var shape = model.Shape(shapeName);
        var obj = new JsonObject();
        foreach (var (memberName, memberNode) in shape["members"]!.AsObject())
        {
            var member = memberNode!.AsObject();
            if (member["location"] is not null) continue;
            var wireName = (string?)member["locationName"] ?? memberName;
            if (src.TryGetPropertyValue(wireName, out var v) && v is not null) obj[memberName] = v.DeepClone();
        }
        return obj;
    }
}
