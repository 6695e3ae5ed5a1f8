using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace EksSecurity.Engine.Aws;

/// <summary>A raw service answer.</summary>
public sealed record AwsResponse(int StatusCode, byte[] Body, HttpResponseHeaders Headers);

/// <summary>Retry policy: exponential backoff with full jitter, as the SDKs' standard mode does.</summary>
public sealed class AwsRetryOptions
{
    public int MaxAttempts { get; init; } = 8;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>
/// Signs, sends and retries requests to AWS for the small protocol clients, with a bound on
/// calls in flight shared by every service. Counts calls and retries for the benchmarks.
/// </summary>
public sealed class AwsHttpClient : IDisposable
{
    private readonly AwsAccess _access;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _inFlight;
    private readonly AwsRetryOptions _retry;
    private readonly Func<DateTime> _clock;
    private long _calls;
    private long _retries;

    public AwsHttpClient(AwsAccess access, HttpMessageHandler? handler = null, AwsRetryOptions? retry = null, Func<DateTime>? clock = null)
    {
        _access = access;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = TimeSpan.FromSeconds(60);
        _inFlight = new SemaphoreSlim(Math.Max(1, access.ThrottleLimit));
        _retry = retry ?? new AwsRetryOptions();
        _clock = clock ?? (() => DateTime.UtcNow);
    }

    public AwsAccess Access => _access;
    public long Calls => Interlocked.Read(ref _calls);
    public long Retries => Interlocked.Read(ref _retries);

    public Uri Endpoint(AwsService service) => AwsEndpoints.Resolve(service, _access.Region, _access.EndpointUrl);

    /// <summary>Sends one operation, retrying throttling and transient failures; throws <see cref="AwsServiceException"/> for error answers.</summary>
    public async Task<AwsResponse> SendAsync(AwsService service, string operation, HttpMethod method, string pathAndQuery,
        byte[]? body, string? contentType, IReadOnlyDictionary<string, string>? extraHeaders, CancellationToken cancellationToken)
    {
        var uri = new Uri(Endpoint(service), pathAndQuery.TrimStart('/'));
        body ??= [];
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            AwsServiceException? failure;
            await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                Interlocked.Increment(ref _calls);
                using var request = await BuildAsync(service, method, uri, body, contentType, extraHeaders).ConfigureAwait(false);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return new AwsResponse((int)response.StatusCode, bytes, response.Headers);
                failure = ParseError(service, operation, (int)response.StatusCode, bytes, response.Headers);
            }
            catch (HttpRequestException ex)
            {
                failure = new AwsServiceException(service, operation, "NetworkError", ex.Message, 0, null, ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new AwsServiceException(service, operation, "RequestTimeout", "The request timed out.", 0, null, ex);
            }
            finally
            {
                _inFlight.Release();
            }
            if (!(failure.IsRetryable || failure.Code == "NetworkError") || attempt >= _retry.MaxAttempts) throw failure;
            Interlocked.Increment(ref _retries);
            var cap = Math.Min(_retry.MaxDelay.TotalMilliseconds, _retry.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a call made through an AWS SDK package client (which signs and retries itself) under
    /// the same in-flight bound and call count, and turns its errors into <see cref="AwsServiceException"/>.
    /// </summary>
    public async Task<T> RunAsync<T>(AwsService service, string operation, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _calls);
            return await call().ConfigureAwait(false);
        }
        catch (Amazon.Runtime.AmazonServiceException ex)
        {
            throw new AwsServiceException(service, operation, ex.ErrorCode ?? $"Http{(int)ex.StatusCode}", ex.Message, (int)ex.StatusCode, ex.RequestId, ex);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task<HttpRequestMessage> BuildAsync(AwsService service, HttpMethod method, Uri uri, byte[] body, string? contentType,
        IReadOnlyDictionary<string, string>? extraHeaders)
    {
        var credentials = await _access.Credentials.GetCredentialsAsync().ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (contentType is not null) headers["content-type"] = contentType;
        foreach (var (k, v) in extraHeaders ?? new Dictionary<string, string>()) headers[k] = v;
        AwsSigner.SignHeaders(method, uri, headers, body, credentials, AwsEndpoints.SigningRegion(service, _access.Region),
            AwsEndpoints.SigningName(service), _clock());
        var request = new HttpRequestMessage(method, uri);
        if (body.Length > 0 || method == HttpMethod.Post || method == HttpMethod.Put)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        foreach (var (k, v) in headers)
        {
            if (k.Equals("host", StringComparison.OrdinalIgnoreCase) || k.Equals("content-type", StringComparison.OrdinalIgnoreCase)) continue;
            request.Headers.TryAddWithoutValidation(k, v);
        }
        request.Headers.UserAgent.ParseAdd($"EksSecurity/{typeof(AwsHttpClient).Assembly.GetName().Version?.ToString(3)}");
        return request;
    }

    /// <summary>Reads the error code and message in whichever form the protocol uses (JSON or XML).</summary>
    internal static AwsServiceException ParseError(AwsService service, string operation, int status, byte[] body, HttpResponseHeaders headers)
    {
        string? code = null, message = null, requestId = null;
        if (headers.TryGetValues("x-amzn-ErrorType", out var types)) code = types.FirstOrDefault();
        if (headers.TryGetValues("x-amzn-RequestId", out var ids)) requestId = ids.FirstOrDefault();
        var text = Encoding.UTF8.GetString(body).Trim();
        try
        {
            if (text.StartsWith('{'))
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                code ??= Str(root, "__type") ?? Str(root, "code") ?? Str(root, "Code");
                message = Str(root, "message") ?? Str(root, "Message");
            }
            else if (text.StartsWith('<'))
            {
                var xml = XDocument.Parse(text);
                var error = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
                code ??= error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
                message = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
                requestId ??= xml.Descendants().FirstOrDefault(e => e.Name.LocalName is "RequestId" or "RequestID")?.Value;
            }
        }
        catch (Exception ex) when (ex is JsonException or System.Xml.XmlException)
        {
            // An unreadable body: keep the status.
        }
        // JSON error types may carry a namespace or a suffix: "aws.protocoltests#ThrottlingException:http://...".
        if (code is not null)
        {
            var hash = code.LastIndexOf('#');
            if (hash >= 0) code = code[(hash + 1)..];
            var colon = code.IndexOf(':');
            if (colon >= 0) code = code[..colon];
        }
        code ??= status switch { 403 => "AccessDenied", 404 => "NotFound", 429 => "Throttling", >= 500 => "InternalFailure", _ => $"Http{status}" };
        return new AwsServiceException(service, operation, code, message ?? ((HttpStatusCode)status).ToString(), status, requestId);
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public void Dispose()
    {
        _http.Dispose();
        _inFlight.Dispose();
    }
}
