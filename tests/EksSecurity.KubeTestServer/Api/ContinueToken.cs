using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EksSecurity.KubeTestServer.Api;

/// <summary>
/// An opaque continue token, shaped like the API server's (base64 of
/// {"v":"meta.k8s.io/v1","rv":…,"start":…}) plus what this server needs: the resource, the page
/// number (for expiry after N pages) and the epoch (tokens from before
/// <see cref="KubeTestServer.ExpireContinueTokens"/> are expired).
/// </summary>
public sealed record ContinueToken(
    [property: JsonPropertyName("v")] string Version,
    [property: JsonPropertyName("rv")] long ResourceVersion,
    [property: JsonPropertyName("start")] long Position,
    [property: JsonPropertyName("r")] string Resource,
    [property: JsonPropertyName("p")] int Page,
    [property: JsonPropertyName("e")] long Epoch)
{
    public string Encode() => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(this)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static ContinueToken Decode(string text, ResourceType type)
    {
        try
        {
            var b64 = text.Replace('-', '+').Replace('_', '/');
            b64 += (b64.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
            var token = JsonSerializer.Deserialize<ContinueToken>(Encoding.UTF8.GetString(Convert.FromBase64String(b64)));
            if (token is null || token.Version != "meta.k8s.io/v1") throw KubeStatus.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            if (token.Resource != type.GroupResource) throw KubeStatus.BadRequest($"continue key is not valid: key provided for {token.Resource}, not {type.GroupResource}");
            if (token.Position < 0) throw KubeStatus.BadRequest("continue key is not valid: invalid start");
            return token;
        }
        catch (FormatException e)
        {
            throw KubeStatus.BadRequest($"continue key is not valid: {e.Message}");
        }
        catch (JsonException e)
        {
            throw KubeStatus.BadRequest($"continue key is not valid: {e.Message}");
        }
    }
}
