using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using EksSecurity.AwsTestServer.Auth;

namespace EksSecurity.AwsTestServer.Tests;

/// <summary>Requests signed by AWSSDK.Core's own signers (AWS4Signer, AWS4PreSignedUrlSigner), independent of the server's verifier.</summary>
internal static class SdkSigning
{
    private sealed class EmptyRequest : AmazonWebServiceRequest { }

    private sealed class Config : ClientConfig
    {
        private readonly string _service;
        public Config(string service) : base(new DefaultConfigurationProvider(new[] { new DefaultConfiguration { Name = DefaultConfigurationMode.Standard, RetryMode = RequestRetryMode.Standard } }))
        {
            _service = service;
        }
        public override string RegionEndpointServiceName => _service;
        public override string ServiceVersion => "1";
        public override string UserAgent => "eks-security-tests";
        public override Amazon.Runtime.Endpoints.Endpoint DetermineServiceOperationEndpoint(Amazon.Runtime.Endpoints.ServiceOperationEndpointParameters parameters) =>
            new(ServiceURL ?? "https://example.amazonaws.com");
    }

    /// <summary>A request description before signing.</summary>
    public sealed record Spec(string Service, string Method, Uri Endpoint, string ResourcePath)
    {
        public Dictionary<string, string> PathResources { get; init; } = new();
        public Dictionary<string, string> QueryParameters { get; init; } = new();
        public Dictionary<string, string> Headers { get; init; } = new();
        public byte[]? Body { get; init; }
        public string Region { get; init; } = "us-west-2";
        /// <summary>Sign with x-amz-content-sha256: UNSIGNED-PAYLOAD (IRequest.DisablePayloadSigning).</summary>
        public bool UnsignedPayload { get; init; }
    }

    public static IRequest Build(Spec spec)
    {
        var request = new DefaultRequest(new EmptyRequest(), spec.Service)
        {
            HttpMethod = spec.Method,
            Endpoint = spec.Endpoint,
            ResourcePath = spec.ResourcePath,
            AuthenticationRegion = spec.Region,
            OverrideSigningServiceName = spec.Service,
        };
        foreach (var (k, v) in spec.PathResources) request.AddPathResource(k, v);
        foreach (var (k, v) in spec.QueryParameters) request.Parameters[k] = v;
        if (spec.QueryParameters.Count > 0) request.UseQueryString = true;
        foreach (var (k, v) in spec.Headers) request.Headers[k] = v;
        if (spec.Body is not null) request.Content = spec.Body;
        if (spec.UnsignedPayload) request.DisablePayloadSigning = true;
        return request;
    }

    public static IClientConfig ConfigFor(Spec spec) => new Config(spec.Service)
    {
        AuthenticationRegion = spec.Region,
        AuthenticationServiceName = spec.Service,
    };

    /// <summary>Header-signed with AWS4Signer (optionally with a session token, optionally at a given time).</summary>
    public static IRequest SignHeaders(Spec spec, string accessKey, string secret, string? sessionToken = null, DateTime? signedAt = null)
    {
        var request = Build(spec);
        if (sessionToken is not null) request.Headers["X-Amz-Security-Token"] = sessionToken;
        var signer = new AWS4Signer();
        var config = ConfigFor(spec);
        var result = signedAt is { } at
            ? signer.SignRequest(request, config, null, accessKey, secret, at)
            : signer.SignRequest(request, config, null, accessKey, secret);
        request.Headers["Authorization"] = result.ForAuthorizationHeader;
        return request;
    }

    /// <summary>Query-string (presigned) with AWS4PreSignedUrlSigner; returns the full URL.</summary>
    public static Uri Presign(Spec spec, string accessKey, string secret, int expiresSeconds, string? sessionToken = null, DateTime? signedAt = null)
    {
        var request = Build(spec);
        request.Parameters["X-Amz-Expires"] = expiresSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (sessionToken is not null) request.Parameters["X-Amz-Security-Token"] = sessionToken;
        var config = ConfigFor(spec);
        var result = signedAt is { } at
            ? AWS4PreSignedUrlSigner.SignRequest(request, config, null, accessKey, secret, spec.Service, spec.Region, at)
            : AWS4PreSignedUrlSigner.SignRequest(request, config, null, accessKey, secret, spec.Service, spec.Region);
        var url = AmazonServiceClient.ComposeUrl(request).ToString();
        return new Uri(url + (url.Contains('?') ? "&" : "?") + result.ForQueryParameters);
    }

    /// <summary>The signed SDK request as the server would see it on the wire.</summary>
    public static SigV4Request ToWire(IRequest request)
    {
        var url = AmazonServiceClient.ComposeUrl(request);
        var headers = request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value)).ToList();
        if (!headers.Any(h => h.Key.Equals("host", StringComparison.OrdinalIgnoreCase)))
            headers.Add(new("Host", url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}"));
        return new SigV4Request(request.HttpMethod, url.AbsolutePath, url.Query.TrimStart('?'), headers, request.Content ?? Array.Empty<byte>());
    }

    public static SigV4Request ToWire(Uri presigned, string? host = null, params (string Name, string Value)[] headers)
    {
        var list = new List<KeyValuePair<string, string>> { new("Host", host ?? (presigned.IsDefaultPort ? presigned.Host : $"{presigned.Host}:{presigned.Port}")) };
        list.AddRange(headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)));
        return new SigV4Request("GET", presigned.AbsolutePath, presigned.Query.TrimStart('?'), list, Array.Empty<byte>());
    }

    /// <summary>Sends a signed SDK request over HTTP (headers and body as signed).</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, IRequest request)
    {
        var url = AmazonServiceClient.ComposeUrl(request);
        var message = new HttpRequestMessage(new HttpMethod(request.HttpMethod), url);
        if (request.Content is not null)
        {
            message.Content = new ByteArrayContent(request.Content);
        }
        foreach (var (k, v) in request.Headers)
        {
            if (k.Equals("host", StringComparison.OrdinalIgnoreCase) || k.Equals("content-length", StringComparison.OrdinalIgnoreCase)) continue;
            if (k.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content ??= new ByteArrayContent(Array.Empty<byte>());
                message.Content.Headers.Remove("Content-Type");
                message.Content.Headers.TryAddWithoutValidation("Content-Type", v);
                continue;
            }
            message.Headers.TryAddWithoutValidation(k, v);
        }
        return await http.SendAsync(message);
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
