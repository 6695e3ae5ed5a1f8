using System.Text.Json.Nodes;

namespace EksSecurity.KubeTestServer.Api;

/// <summary>
/// PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902), and strategic merge patch
/// and server-side apply treated as a merge patch (identical for maps such as labels and
/// annotations; lists are replaced rather than merged by key; $-directives are dropped).
/// </summary>
public static class Patch
{
    public const string MergePatch = "application/merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";

    /// <summary>Applies a patch of the given content type to a copy of <paramref name="target"/>.</summary>
    public static JsonObject Apply(JsonObject target, string contentType, string body)
    {
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not (MergePatch or JsonPatch or StrategicMergePatch or ApplyPatch)) throw KubeStatus.UnsupportedMediaType(contentType);
        JsonNode? patch;
        try
        {
            patch = FieldValidator.ParseLastWins(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            if (mediaType == ApplyPatch) throw KubeStatus.UnsupportedMediaType(contentType + " with a YAML body (this test server reads JSON apply bodies only)");
            throw KubeStatus.BadRequest($"error decoding patch: {e.Message}");
        }
        var result = (JsonObject)target.DeepClone();
        switch (mediaType)
        {
            case MergePatch:
            case StrategicMergePatch:
            case ApplyPatch:
                if (patch is not JsonObject merge) throw KubeStatus.BadRequest("error decoding patch: the patch must be a JSON object");
                MergeInto(result, merge, dropDirectives: mediaType != MergePatch);
                return result;
            case JsonPatch:
                if (patch is not JsonArray ops) throw KubeStatus.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
                return ApplyJsonPatch(result, ops);
            default:
                throw KubeStatus.UnsupportedMediaType(contentType);
        }
    }

    /// <summary>RFC 7386 merge of <paramref name="patch"/> into <paramref name="target"/> (in place).</summary>
    public static void MergeInto(JsonObject target, JsonObject patch, bool dropDirectives = false)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (dropDirectives && key.StartsWith('$')) continue;
            if (value is null)
            {
                target.Remove(key);
                continue;
            }
            if (value is JsonObject child)
            {
                if (target[key] is not JsonObject existing)
                {
                    existing = new JsonObject();
                    target[key] = existing;
                }
                MergeInto(existing, child, dropDirectives);
                continue;
            }
            target[key] = value.DeepClone();
        }
    }

    private static JsonObject ApplyJsonPatch(JsonObject document, JsonArray ops)
    {
        JsonNode root = document;
        foreach (var node in ops)
        {
            if (node is not JsonObject op) throw KubeStatus.BadRequest("the JSON patch operations must be objects");
            var kind = (string?)op["op"];
            var path = (string?)op["path"] ?? throw KubeStatus.BadRequest("a JSON patch operation is missing its path");
            switch (kind)
            {
                case "add": root = Set(root, path, op["value"]?.DeepClone(), insert: true); break;
                case "replace":
                    if (Get(root, path) is null && !Exists(root, path)) throw Unprocessable($"replace operation does not apply: doc is missing key: {path}");
                    root = Set(root, path, op["value"]?.DeepClone(), insert: false);
                    break;
                case "remove":
                    if (!Exists(root, path)) throw Unprocessable($"remove operation does not apply: doc is missing path: \"{path}\"");
                    root = Remove(root, path);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), op["value"])) throw Unprocessable($"testing value {path} failed: test failed");
                    break;
                case "copy":
                    root = Set(root, path, Get(root, (string?)op["from"] ?? "")?.DeepClone(), insert: true);
                    break;
                case "move":
                    var from = (string?)op["from"] ?? "";
                    var moved = Get(root, from)?.DeepClone();
                    root = Set(Remove(root, from), path, moved, insert: true);
                    break;
                default: throw KubeStatus.BadRequest($"Unexpected kind: {kind}");
            }
        }
        return root as JsonObject ?? throw KubeStatus.BadRequest("the patched document is not an object");
    }

    private static KubeStatusException Unprocessable(string message) => new(422, "Invalid", message);

    private static string[] Segments(string pointer) =>
        pointer.Length == 0 ? [] : pointer[1..].Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToArray();

    private static JsonNode? Get(JsonNode root, string pointer)
    {
        JsonNode? node = root;
        foreach (var s in Segments(pointer))
        {
            node = node switch
            {
                JsonObject o => o[s],
                JsonArray a when int.TryParse(s, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
            if (node is null) return null;
        }
        return node;
    }

    private static bool Exists(JsonNode root, string pointer)
    {
        var segments = Segments(pointer);
        if (segments.Length == 0) return true;
        var parent = Get(root, "/" + string.Join('/', segments[..^1].Select(Escape)));
        return parent switch
        {
            JsonObject o => o.ContainsKey(segments[^1]),
            JsonArray a => int.TryParse(segments[^1], out var i) && i >= 0 && i < a.Count,
            _ => false,
        };
    }

    private static string Escape(string s) => s.Replace("~", "~0").Replace("/", "~1");

    private static JsonNode Set(JsonNode root, string pointer, JsonNode? value, bool insert)
    {
        var segments = Segments(pointer);
        if (segments.Length == 0) return value ?? throw KubeStatus.BadRequest("cannot replace the document with null");
        var parent = segments.Length == 1 ? root : Get(root, "/" + string.Join('/', segments[..^1].Select(Escape)));
        var last = segments[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a:
                if (last == "-") a.Add(value);
                else if (int.TryParse(last, out var i) && i >= 0 && i <= a.Count)
                {
                    if (insert) a.Insert(i, value);
                    else if (i < a.Count) a[i] = value;
                    else throw Unprocessable($"replace operation does not apply: index {i} out of range");
                }
                else throw Unprocessable($"add operation does not apply: invalid index {last}");
                break;
            default:
                throw Unprocessable($"add operation does not apply: doc is missing path: \"{pointer}\"");
        }
        return root;
    }

    private static JsonNode Remove(JsonNode root, string pointer)
    {
        var segments = Segments(pointer);
        var parent = segments.Length == 1 ? root : Get(root, "/" + string.Join('/', segments[..^1].Select(Escape)));
        switch (parent)
        {
            case JsonObject o: o.Remove(segments[^1]); break;
            case JsonArray a when int.TryParse(segments[^1], out var i) && i >= 0 && i < a.Count: a.RemoveAt(i); break;
            default: throw Unprocessable($"remove operation does not apply: doc is missing path: \"{pointer}\"");
        }
        return root;
    }
}
