using System.Text.Json;
using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

/// <summary>
/// A policy document is a string on the wire (URL-encoded by IAM), but the aws CLI decodes IAM
/// documents and prints them as JSON objects. All three forms are read and kept as the decoded
/// JSON text; written as a JSON string.
/// </summary>
public sealed class AwsPolicyDocumentConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                using (var document = JsonDocument.ParseValue(ref reader)) return document.RootElement.GetRawText();
            case JsonTokenType.String:
                var text = reader.GetString();
                if (string.IsNullOrEmpty(text)) return text;
                // Decoded documents start with '{'; an undecoded one starts with %7B.
                var trimmed = text.TrimStart();
                return trimmed.StartsWith('%') ? Uri.UnescapeDataString(trimmed) : text;
            default:
                throw new JsonException($"A policy document was expected, found {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(value);
    }
}
