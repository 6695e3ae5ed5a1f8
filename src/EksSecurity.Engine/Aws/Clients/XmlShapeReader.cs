using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Engine.Aws.Clients;

/// <summary>
/// Reads query-protocol XML (IAM, STS) into the snapshot model, guided by the model's types:
/// XML carries every value as text, the target property says whether it is a number, a flag,
/// a list (&lt;member&gt; items) or a map (&lt;entry&gt;&lt;key/&gt;&lt;value/&gt;).
/// </summary>
public static class XmlShapeReader
{
    public static T Read<T>(XElement element) => ToNode(element, typeof(T))!.Deserialize<T>(SnapshotJson.Options)!;

    public static JsonNode? ToNode(XElement element, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return JsonValue.Create(element.Value);
        if (type == typeof(int)) return JsonValue.Create(int.Parse(element.Value, CultureInfo.InvariantCulture));
        if (type == typeof(long)) return JsonValue.Create(long.Parse(element.Value, CultureInfo.InvariantCulture));
        if (type == typeof(bool)) return JsonValue.Create(bool.Parse(element.Value));
        if (type == typeof(DateTimeOffset)) return JsonValue.Create(element.Value);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var valueType = type.GetGenericArguments()[1];
            var map = new JsonObject();
            foreach (var entry in Children(element, "entry"))
            {
                var key = Child(entry, "key")?.Value;
                var value = Child(entry, "value");
                if (key is not null && value is not null) map[key] = ToNode(value, valueType);
            }
            return map;
        }
        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var itemType = type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0];
            var array = new JsonArray();
            foreach (var item in Children(element, "member")) array.Add(ToNode(item, itemType));
            return array;
        }
        var obj = new JsonObject();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? property.Name;
            var child = Child(element, name);
            if (child is null) continue;
            obj[name] = ToNode(child, property.PropertyType);
        }
        return obj;
    }

    public static XElement? Child(XElement element, string localName) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    public static IEnumerable<XElement> Children(XElement element, string localName) =>
        element.Elements().Where(e => e.Name.LocalName == localName);

    /// <summary>The &lt;XResult&gt; element of an &lt;XResponse&gt;.</summary>
    public static XElement Result(XDocument document, string operation) =>
        document.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == operation + "Result")
        ?? throw new AwsServiceException(AwsService.Iam, operation, "MalformedResponse", $"The response has no {operation}Result element.", 200);
}
