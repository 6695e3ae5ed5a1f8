using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EksSecurity.KubeTestServer;

/// <summary>
/// Validates an EKS token by asking a validation endpoint (the AWS test server's POST /_test/validate-eks-token),
/// as the EKS authenticator asks STS: the caller's canonical IAM ARN becomes the Kubernetes user.
/// </summary>
public static class RemoteEksTokenValidator
{
    public static (string User, string[] Groups)? Validate(HttpClient http, string url, string clusterName, string token)
    {
        using var response = http.PostAsJsonAsync(url, new { token, clusterName }).GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode) return null;
        var body = JsonNode.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        return (bool?)body?["valid"] == true && (string?)body["canonicalArn"] is { Length: > 0 } arn ? (arn, []) : null;
    }
}
