using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.Runtime;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Engine.Aws.Clients;

/// <summary>
/// Turns AWS SDK response objects into the snapshot model. The SDK's property names are the
/// wire names the model uses, so one JSON hop maps them; enum-like ConstantClass values become
/// their string.
/// </summary>
public static class SdkBridge
{
    private static readonly JsonSerializerOptions s_write = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new ConstantClassConverterFactory() },
    };

    public static T Convert<T>(object sdkObject) =>
        JsonSerializer.SerializeToElement(sdkObject, sdkObject.GetType(), s_write).Deserialize<T>(SnapshotJson.Options)!;

    private sealed class ConstantClassConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeof(ConstantClass).IsAssignableFrom(typeToConvert);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(ConstantClassConverter<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class ConstantClassConverter<T> : JsonConverter<T> where T : ConstantClass
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
    }
}
