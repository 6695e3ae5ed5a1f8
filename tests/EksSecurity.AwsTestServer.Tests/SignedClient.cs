using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace EksSecurity.AwsTestServer.Tests;

/// <summary>Sends requests signed by AWSSDK.Core's AWS4Signer to the test server, in each service's wire protocol.</summary>
internal sealed class SignedClient(AwsTestServer server, string accessKey = TestScenario.AdminKey, string secret = TestScenario.AdminSecret, string? token = null)
{
    private static readonly HttpClient s_http = new();

    public sealed record Response(int Status, string Body, HttpResponseMessage Message)
    {
        public JsonNode Json => JsonNode.Parse(Body)!;
        public XDocument Xml => XDocument.Parse(Body);
        public string? Header(string name) => Message.Headers.TryGetValues(name, out var v) ? v.First() : null;
        public override string ToString() => $"{Status} {Body}";
    }

    private async Task<Response> SendAsync(SdkSigning.Spec spec)
    {
        var request = SdkSigning.SignHeaders(spec, accessKey, secret, token);
        var response = await SdkSigning.SendAsync(s_http, request);
        return new Response((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public Task<Response> Eks(string method, string resourcePath, Dictionary<string, string>? pathResources = null, Dictionary<string, string>? query = null, string? body = null)
    {
        var spec = new SdkSigning.Spec("eks", method, server.BaseUri, resourcePath)
        {
            PathResources = pathResources ?? new(),
            QueryParameters = query ?? new(),
            Body = body is null ? null : Encoding.UTF8.GetBytes(body),
        };
        if (body is not null) spec.Headers["Content-Type"] = "application/json";
        return SendAsync(spec);
    }

    public Task<Response> Query(string service, string action, params (string Name, string Value)[] parameters)
    {
        var version = service switch { "iam" => "2010-05-08", "sts" => "2011-06-15", _ => "2016-11-15" };
        var form = string.Join('&', new[] { ("Action", action), ("Version", version) }.Concat(parameters)
            .Select(p => Uri.EscapeDataString(p.Item1) + "=" + Uri.EscapeDataString(p.Item2)));
        var spec = new SdkSigning.Spec(service, "POST", server.BaseUri, "/")
        {
            Headers = { ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8" },
            Body = Encoding.UTF8.GetBytes(form),
            Region = service == "iam" ? "us-east-1" : TestScenario.Region,
        };
        return SendAsync(spec);
    }

    public Task<Response> Kms(string operation, string body) =>
        SendAsync(new SdkSigning.Spec("kms", "POST", server.BaseUri, "/")
        {
            Headers = { ["Content-Type"] = "application/x-amz-json-1.1", ["X-Amz-Target"] = "TrentService." + operation },
            Body = Encoding.UTF8.GetBytes(body),
        });

    public Task<Response> Ssm(string operation, string body) =>
        SendAsync(new SdkSigning.Spec("ssm", "POST", server.BaseUri, "/")
        {
            Headers = { ["Content-Type"] = "application/x-amz-json-1.1", ["X-Amz-Target"] = "AmazonSSM." + operation },
            Body = Encoding.UTF8.GetBytes(body),
        });
}
