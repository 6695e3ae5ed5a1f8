using System.Text;
using System.Text.Json.Nodes;

namespace EksSecurity.KubeTestServer.Api;

/// <summary>
/// Request bodies in application/vnd.kubernetes.protobuf, for the few objects clients send that way
/// to this server: client-go 1.32+ typed clients (kubectl auth can-i, auth whoami) post the review
/// APIs as protobuf. The envelope is "k8s\0" + runtime.Unknown{typeMeta=1, raw=2, ...}; raw is the
/// object's protobuf. Only the review kinds are decoded (to the JSON the handlers read); any other
/// protobuf body is refused with 415, and answers are always JSON (clients list it in Accept).
/// </summary>
public static class Protobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static bool IsProtobuf(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals(MediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The review object as JSON; throws 415 for kinds this server does not decode, 400 for malformed data.</summary>
    public static JsonObject DecodeReview(ReadOnlySpan<byte> body, ResourceType type)
    {
        if (!body.StartsWith(Magic)) throw KubeStatus.BadRequest("the protobuf body does not start with the k8s envelope");
        var unknown = Fields(body[Magic.Length..]);
        var raw = unknown.LastOrDefault(f => f.Number == 2).Bytes ?? [];
        var obj = Fields(raw);
        var result = new JsonObject();
        if (type == ResourceCatalog.SelfSubjectAccessReviews)
        {
            var spec = new JsonObject();
            var specFields = Fields(Message(obj, 2));
            if (specFields.Any(f => f.Number == 1))
            {
                var ra = Fields(Message(specFields, 1));
                string[] names = ["", "namespace", "verb", "group", "version", "resource", "subresource", "name"];
                var attributes = new JsonObject();
                foreach (var f in ra)
                    if (f.Number is >= 1 and <= 7 && f.Bytes is not null) attributes[names[f.Number]] = Encoding.UTF8.GetString(f.Bytes);
                spec["resourceAttributes"] = attributes;
            }
            if (specFields.Any(f => f.Number == 2))
            {
                var nra = Fields(Message(specFields, 2));
                var attributes = new JsonObject();
                foreach (var f in nra)
                    if (f.Bytes is not null && f.Number is 1 or 2) attributes[f.Number == 1 ? "path" : "verb"] = Encoding.UTF8.GetString(f.Bytes);
                spec["nonResourceAttributes"] = attributes;
            }
            result["spec"] = spec;
        }
        else if (type == ResourceCatalog.SelfSubjectRulesReviews)
        {
            var spec = Fields(Message(obj, 2));
            var ns = spec.FirstOrDefault(f => f.Number == 1).Bytes;
            result["spec"] = new JsonObject { ["namespace"] = ns is null ? "" : Encoding.UTF8.GetString(ns) };
        }
        else if (type != ResourceCatalog.SelfSubjectReviews)
        {
            throw KubeStatus.UnsupportedMediaType(MediaType + " (this test server decodes protobuf only for the self-subject review APIs)");
        }
        return result;
    }

    private readonly record struct Field(int Number, int WireType, ulong Varint, byte[]? Bytes);

    private static byte[] Message(List<Field> fields, int number) => fields.LastOrDefault(f => f.Number == number).Bytes ?? [];

    private static List<Field> Fields(ReadOnlySpan<byte> data)
    {
        var fields = new List<Field>();
        var i = 0;
        while (i < data.Length)
        {
            var key = ReadVarint(data, ref i);
            var number = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (wire)
            {
                case 0:
                    fields.Add(new Field(number, wire, ReadVarint(data, ref i), null));
                    break;
                case 1:
                    Need(data, i, 8);
                    i += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(data, ref i);
                    Need(data, i, length);
                    fields.Add(new Field(number, wire, 0, data.Slice(i, length).ToArray()));
                    i += length;
                    break;
                case 5:
                    Need(data, i, 4);
                    i += 4;
                    break;
                default:
                    throw KubeStatus.BadRequest($"malformed protobuf: wire type {wire}");
            }
        }
        return fields;
    }

    private static void Need(ReadOnlySpan<byte> data, int at, int count)
    {
        if (count < 0 || at + count > data.Length) throw KubeStatus.BadRequest("malformed protobuf: truncated");
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (i >= data.Length) throw KubeStatus.BadRequest("malformed protobuf: truncated varint");
            var b = data[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw KubeStatus.BadRequest("malformed protobuf: varint too long");
    }
}
