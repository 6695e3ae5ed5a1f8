using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EksSecurity.AwsTestServer.Auth;
using EksSecurity.AwsTestServer.Protocols;
using EksSecurity.AwsTestServer.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EksSecurity.AwsTestServer;

/// <summary>
/// A loopback HTTP server that answers EKS (rest-json), IAM and STS (query/XML), EC2
/// (ec2 query/XML) and KMS (json 1.1) calls from a <see cref="Scenario"/>, verifying every
/// request's SigV4 signature, enforcing a per-credential permission set, injecting faults and
/// logging each call. All services share one endpoint: point every client's endpoint URL (or
/// the aws CLI's --endpoint-url) at <see cref="BaseUri"/>.
/// </summary>
public sealed class AwsTestServer : IDisposable, IAsyncDisposable
{
    private readonly object _dataLock = new();
    private readonly object _logLock = new();
    private readonly List<RequestLogEntry> _log = new();
    private WebApplication? _app;

    public AwsTestServer(Scenario scenario)
    {
        Scenario = scenario;
        TokenValidator = new EksTokenValidator(FindCredential, () => Now());
    }

    public AwsTestServer(string scenarioJson) : this(Scenario.Parse(scenarioJson)) { }

    public static AwsTestServer FromFile(string path) => new(Scenario.Load(path));

    public Scenario Scenario { get; }

    /// <summary>The server's clock (tests may shift it to exercise skew and expiry).</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>http://127.0.0.1:port/ once started.</summary>
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    public EksTokenValidator TokenValidator { get; }

    /// <summary>The calls answered so far (service, action, principal, status, error code).</summary>
    public IReadOnlyList<RequestLogEntry> RequestLog { get { lock (_logLock) return _log.ToList(); } }

    public void ClearLog() { lock (_logLock) _log.Clear(); }

    /// <summary>Validates an EKS bearer token ("k8s-aws-v1.…") for a cluster name.</summary>
    public EksTokenResult ValidateEksToken(string token, string clusterName) => TokenValidator.Validate(token, clusterName);

    /// <summary>Starts listening on 127.0.0.1 (port 0: a free port) and returns the base URI.</summary>
    public Uri Start(int port = 0)
    {
        if (_app is not null) return BaseUri;
        // Load the service models now: a missing shared/aws-models or aws CLI fails here, with its message, not as 500s later.
        _ = AwsModels.All;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port);
        });
        builder.Logging.ClearProviders();
        // No console lifetime: a library inside a test host must not hook SIGTERM / ProcessExit
        // (the console entry point handles its own signals).
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        var app = builder.Build();
        app.Run(HandleAsync);
        app.StartAsync().GetAwaiter().GetResult();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.TrimEnd('/') + "/");
        _app = app;
        return BaseUri;
    }

    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        var app = _app;
        _app = null;
        if (app is null) return;
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private ScenarioCredential? FindCredential(string accessKeyId) => Scenario.FindCredential(accessKeyId);

    // ------------------------------------------------------------------ regions

    private IReadOnlyCollection<string> Regions(string service)
    {
        var regions = new HashSet<string>(StringComparer.Ordinal) { Scenario.Region };
        if (Scenario.Root["regions"] is JsonArray extra)
            foreach (var r in extra) regions.Add((string)r!);
        if (service is "iam" or "sts") regions.Add("us-east-1");
        return regions;
    }

    // ------------------------------------------------------------------ request handling

    private sealed record Dispatch(ServiceModel Model, OperationModel Operation, Func<JsonObject> ReadInput);

    private async Task HandleAsync(HttpContext http)
    {
        var requestId = Guid.NewGuid().ToString();
        byte[] body;
        using (var ms = new MemoryStream())
        {
            await http.Request.Body.CopyToAsync(ms).ConfigureAwait(false);
            body = ms.ToArray();
        }
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (http.Request.Path + http.Request.QueryString);
        var q = rawTarget.IndexOf('?');
        var rawPath = q < 0 ? rawTarget : rawTarget[..q];
        var rawQuery = q < 0 ? "" : rawTarget[(q + 1)..];

        if (rawPath.StartsWith("/_test/", StringComparison.Ordinal))
        {
            await HandleTestEndpointAsync(http, rawPath, body).ConfigureAwait(false);
            return;
        }

        Dispatch dispatch;
        try
        {
            dispatch = Route(http, rawPath, rawQuery, body);
        }
        catch (AwsErrorException e)
        {
            var guess = GuessService(http);
            await WriteErrorAsync(http, guess, e, requestId).ConfigureAwait(false);
            Log(guess.Name, "unknown", null, null, e.Status, e.Code, http, rawPath);
            return;
        }

        var model = dispatch.Model;
        var op = dispatch.Operation;
        var action = $"{model.Name}:{op.Name}";
        var now = Now();
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in http.Request.Headers)
            foreach (var v in values)
                headers.Add(new(name, v ?? ""));
        var verdict = SigV4Verifier.Verify(new SigV4Request(http.Request.Method, rawPath, rawQuery, headers, body), FindCredential, now,
            new SigV4Options
            {
                Service = model.SigningName,
                Regions = Regions(model.Name),
                AllowUnsignedPayload = (bool?)Scenario.Root["allowUnsignedPayload"] ?? false,
            });
        if (!verdict.Ok)
        {
            var message = verdict.Message;
            if (verdict.Failure == AuthFailureKind.SignatureDoesNotMatch && model.Protocol == "query" && verdict.CanonicalRequest is not null)
                message += $"\n\nThe Canonical String for this request should have been\n'{verdict.CanonicalRequest}'\n\nThe String-to-Sign should have been\n'{verdict.StringToSign}'\n";
            var error = AwsErrors.Auth(model.Name, verdict.Failure, message);
            await WriteErrorAsync(http, model, error, requestId).ConfigureAwait(false);
            Log(model.Name, action, null, verdict.AccessKeyId, error.Status, error.Code, http, rawPath, verdict);
            return;
        }
        var caller = verdict.Credential!;

        CallContext? context = null;
        try
        {
            var input = dispatch.ReadInput();
            context = new CallContext
            {
                Scenario = Scenario,
                Model = model,
                Operation = op,
                Input = input,
                Caller = caller,
                Region = verdict.Region ?? Scenario.Region,
                RequestId = requestId,
                Now = now,
                AddCredential = Scenario.AddCredential,
            };

            // sts:GetCallerIdentity needs no permission, as in AWS.
            if (action != "sts:GetCallerIdentity" && !caller.IsAllowed(action))
            {
                string? resource;
                lock (_dataLock) resource = ResourceFor(context);
                throw AwsErrors.AccessDenied(model.Name, caller.Arn, action, resource);
            }

            foreach (var fault in Scenario.Faults)
            {
                if (!fault.Matches(action, caller.Arn)) continue;
                if (!fault.Fires()) continue;
                if (fault.LatencyMs > 0) await Task.Delay(fault.LatencyMs, http.RequestAborted).ConfigureAwait(false);
                if (fault.ErrorFor(model.Name) is { } injected) throw injected;
            }

            var handler = HandlerFor(model.Name, op.Name)
                ?? throw new AwsErrorException(model.Protocol == "query" ? "InvalidAction" : "UnknownOperationException", 400, $"Operation {op.Name} is not implemented by the test server");
            byte[] payload;
            lock (_dataLock)
            {
                var output = handler(context);
                payload = SerializeOutput(model, op, output, requestId);
            }
            http.Response.StatusCode = 200;
            http.Response.Headers["x-amzn-RequestId"] = requestId;
            http.Response.ContentType = ContentType(model);
            await http.Response.Body.WriteAsync(payload).ConfigureAwait(false);
            Log(model.Name, action, caller.Arn, caller.AccessKeyId, 200, null, http, rawPath, verdict, ResourceOrNull(context));
        }
        catch (AwsErrorException e)
        {
            await WriteErrorAsync(http, model, e, requestId).ConfigureAwait(false);
            Log(model.Name, action, caller.Arn, caller.AccessKeyId, e.Status, e.Code, http, rawPath, verdict, ResourceOrNull(context));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            Log(model.Name, action, caller.Arn, caller.AccessKeyId, 499, "ClientClosedRequest", http, rawPath, verdict, ResourceOrNull(context));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var error = AwsErrors.ServerError(model.Name, 500);
            var detailed = new AwsErrorException(error.Code, 500, $"{error.Message} (test server: {e.GetType().Name}: {e.Message})");
            await WriteErrorAsync(http, model, detailed, requestId).ConfigureAwait(false);
            Log(model.Name, action, caller.Arn, caller.AccessKeyId, 500, error.Code, http, rawPath, verdict, ResourceOrNull(context));
        }
    }

    private static Func<CallContext, JsonObject>? HandlerFor(string service, string operation)
    {
        var table = service switch
        {
            "eks" => EksService.Handlers,
            "iam" => IamService.Handlers,
            "sts" => StsService.Handlers,
            "ec2" => Ec2Service.Handlers,
            "kms" => KmsService.Handlers,
            "ssm" => SsmService.Handlers,
            _ => null,
        };
        return table is not null && table.TryGetValue(operation, out var h) ? h : null;
    }

    /// <summary>The resource a call was about, for the log (the request's names only: no scenario data is read).</summary>
    private static string? ResourceOrNull(CallContext? c)
    {
        if (c is null) return null;
        try { return ResourceFor(c); }
        catch (AwsErrorException) { return null; }
    }

    private static string? ResourceFor(CallContext c) => c.Service switch
    {
        "eks" => EksService.Resource(c),
        "iam" => IamService.Resource(c),
        "sts" => StsService.Resource(c),
        "kms" => KmsService.Resource(c),
        "ssm" => SsmService.Resource(c),
        _ => null,
    };

    private void Log(string service, string action, string? principal, string? accessKeyId, int status, string? code, HttpContext http, string path,
        SigV4Result? verdict = null, string? resource = null)
    {
        var entry = new RequestLogEntry(Now(), service, action, principal, accessKeyId, status, code, http.Request.Method, path,
            verdict?.Region, verdict?.Service, resource);
        lock (_logLock) _log.Add(entry);
    }

    // ------------------------------------------------------------------ routing

    private static ServiceModel GuessService(HttpContext http)
    {
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        if (target.Length > 0)
            return AwsModels.All.Values.FirstOrDefault(m => m.TargetPrefix is { } p && target.StartsWith(p + ".", StringComparison.Ordinal)) ?? AwsModels.Kms;
        var auth = http.Request.Headers.Authorization.ToString();
        foreach (var m in AwsModels.All.Values)
            if (auth.Contains($"/{m.SigningName}/aws4_request", StringComparison.Ordinal)) return m;
        return AwsModels.Eks;
    }

    private Dispatch Route(HttpContext http, string rawPath, string rawQuery, byte[] body)
    {
        var request = http.Request;
        var target = request.Headers["X-Amz-Target"].ToString();
        if (target.Length > 0)
        {
            var dot = target.LastIndexOf('.');
            var prefix = dot < 0 ? "" : target[..dot];
            var opName = target[(dot + 1)..];
            var model = AwsModels.All.Values.FirstOrDefault(m => m.TargetPrefix == prefix)
                ?? throw new AwsErrorException("UnknownOperationException", 400, $"Unknown target {target}");
            if (!model.Operations.TryGetValue(opName, out var op))
                throw new AwsErrorException("UnknownOperationException", 400, $"Operation {opName} is not supported by the test server");
            return new Dispatch(model, op, () => WireFormat.ReadJsonInput(model, op.InputShape, body));
        }

        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in SigV4Verifier.ParseQuery(rawQuery)) flat[k] = v;
        var isForm = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        if (isForm)
            foreach (var (k, v) in ParseForm(Encoding.UTF8.GetString(body))) flat[k] = v;
        if (flat.TryGetValue("Action", out var actionName))
        {
            flat.TryGetValue("Version", out var version);
            var candidates = AwsModels.All.Values.Where(m => m.Protocol is "query" or "ec2").ToList();
            var model = version is not null
                ? candidates.FirstOrDefault(m => m.ApiVersion == version)
                : candidates.FirstOrDefault(m => m.Operations.ContainsKey(actionName));
            model ??= GuessService(http) is { Protocol: "query" or "ec2" } g ? g : null;
            if (model is null)
                throw new AwsErrorException("InvalidAction", 400, $"Could not find operation {actionName} for version {version}");
            if (!model.Operations.TryGetValue(actionName, out var op))
                throw new AwsErrorException("InvalidAction", 400, $"Could not find operation {actionName} for version {version ?? model.ApiVersion}");
            var ec2 = model.Protocol == "ec2";
            return new Dispatch(model, op, () => WireFormat.ReadQueryInput(model, op.InputShape, flat, ec2));
        }

        // rest-json: EKS, by method and the model's request URI templates.
        var eks = AwsModels.Eks;
        var path = rawPath.Length == 0 ? "/" : rawPath;
        foreach (var op in eks.Operations.Values.OrderByDescending(o => o.RequestUri.Split('/').Count(s => !s.StartsWith('{'))))
        {
            if (!string.Equals(op.Method, request.Method, StringComparison.OrdinalIgnoreCase)) continue;
            var labels = MatchTemplate(op.RequestUri, path);
            if (labels is null) continue;
            return new Dispatch(eks, op, () => ReadRestJsonInput(eks, op, labels, rawQuery, body));
        }
        throw new AwsErrorException("UnknownOperationException", 404, $"No EKS operation matches {request.Method} {path}");
    }

    private static IEnumerable<KeyValuePair<string, string>> ParseForm(string form)
    {
        foreach (var part in form.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var k = eq < 0 ? part : part[..eq];
            var v = eq < 0 ? "" : part[(eq + 1)..];
            yield return new(Uri.UnescapeDataString(k.Replace('+', ' ')), Uri.UnescapeDataString(v.Replace('+', ' ')));
        }
    }

    private static Dictionary<string, string>? MatchTemplate(string template, string rawPath)
    {
        var t = template.Split('?')[0].Trim('/').Split('/');
        var p = rawPath.Trim('/').Split('/');
        if (t.Length != p.Length) return null;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < t.Length; i++)
        {
            if (t[i].StartsWith('{') && t[i].EndsWith('}'))
            {
                if (p[i].Length == 0) return null;
                labels[t[i][1..^1].TrimEnd('+')] = Uri.UnescapeDataString(p[i]);
            }
            else if (!string.Equals(t[i], p[i], StringComparison.Ordinal)) return null;
        }
        return labels;
    }

    private static JsonObject ReadRestJsonInput(ServiceModel model, OperationModel op, Dictionary<string, string> labels, string rawQuery, byte[] body)
    {
        var input = WireFormat.ReadJsonInput(model, op.InputShape, body);
        if (op.InputShape is null) return input;
        var query = SigV4Verifier.ParseQuery(rawQuery);
        foreach (var (memberName, memberNode) in model.Shape(op.InputShape)["members"]!.AsObject())
        {
            var member = memberNode!.AsObject();
            var location = (string?)member["location"];
            var wireName = (string?)member["locationName"] ?? memberName;
            var shapeName = (string)member["shape"]!;
            var type = model.ShapeType(shapeName);
            if (location == "uri" && labels.TryGetValue(wireName, out var label))
                input[memberName] = label;
            else if (location == "querystring")
            {
                var values = query.Where(kv => kv.Key == wireName).Select(kv => kv.Value).ToList();
                if (values.Count == 0) continue;
                if (type == "list")
                {
                    var arr = new JsonArray();
                    foreach (var v in values.SelectMany(v => v.Split(','))) arr.Add(JsonValue.Create(v));
                    input[memberName] = arr;
                }
                else input[memberName] = WireFormat.ParseScalar(type, values[0]);
            }
        }
        return input;
    }

    // ------------------------------------------------------------------ responses

    private static string ContentType(ServiceModel model) => model.Protocol switch
    {
        "rest-json" => "application/json",
        "json" => "application/x-amz-json-" + (model.JsonVersion ?? "1.1"),
        _ => "text/xml",
    };

    private static byte[] SerializeOutput(ServiceModel model, OperationModel op, JsonObject output, string requestId)
    {
        switch (model.Protocol)
        {
            case "query":
                return WireFormat.QueryResponse(model, op, output, requestId);
            case "ec2":
                return WireFormat.Ec2Response(model, op, output, requestId);
            default:
                var json = op.OutputShape is null ? new JsonObject() : WireFormat.ToWireJson(model, output, op.OutputShape) ?? new JsonObject();
                return Encoding.UTF8.GetBytes(json.ToJsonString());
        }
    }

    private static async Task WriteErrorAsync(HttpContext http, ServiceModel model, AwsErrorException e, string requestId)
    {
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = e.Status;
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        byte[] payload;
        switch (model.Protocol)
        {
            case "query":
                http.Response.ContentType = "text/xml";
                payload = WireFormat.QueryError(model.XmlNamespace, e.Code, e.Message, e.IsSenderFault, requestId);
                break;
            case "ec2":
                http.Response.ContentType = "text/xml;charset=UTF-8";
                payload = WireFormat.Ec2Error(e.Code, e.Message, requestId);
                break;
            case "rest-json":
            {
                http.Response.ContentType = "application/json";
                http.Response.Headers["x-amzn-ErrorType"] = e.JsonTypePrefix is null
                    ? e.Code
                    : $"{e.Code}:http://internal.amazon.com/coral/com.amazon.coral.service/";
                var body = e.Extra?.DeepClone().AsObject() ?? new JsonObject();
                body["message"] = e.Message;
                payload = Encoding.UTF8.GetBytes(body.ToJsonString());
                break;
            }
            default:
            {
                http.Response.ContentType = ContentType(model);
                var body = new JsonObject { ["__type"] = (e.JsonTypePrefix ?? "") + e.Code, ["message"] = e.Message };
                payload = Encoding.UTF8.GetBytes(body.ToJsonString());
                break;
            }
        }
        await http.Response.Body.WriteAsync(payload).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ /_test endpoints

    private static readonly JsonSerializerOptions s_logJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private async Task HandleTestEndpointAsync(HttpContext http, string rawPath, byte[] body)
    {
        switch (http.Request.Method, rawPath)
        {
            case ("GET", "/_test/log"):
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync(JsonSerializer.Serialize(RequestLog, s_logJson)).ConfigureAwait(false);
                return;
            case ("DELETE", "/_test/log"):
                ClearLog();
                http.Response.StatusCode = 204;
                return;
            case ("GET", "/_test/health"):
                await http.Response.WriteAsync("ok").ConfigureAwait(false);
                return;
            case ("POST", "/_test/validate-eks-token"):
            {
                string token;
                string? cluster = http.Request.Query["clusterName"].FirstOrDefault() ?? http.Request.Query["cluster"].FirstOrDefault();
                var text = Encoding.UTF8.GetString(body).Trim();
                if (text.StartsWith('{'))
                {
                    var o = JsonNode.Parse(text)!.AsObject();
                    token = (string?)o["token"] ?? "";
                    cluster = (string?)o["clusterName"] ?? cluster;
                }
                else token = text;
                http.Response.ContentType = "application/json";
                if (cluster is null)
                {
                    http.Response.StatusCode = 400;
                    await http.Response.WriteAsync("""{"valid":false,"error":"clusterName is required (JSON body member or ?clusterName=)"}""").ConfigureAwait(false);
                    return;
                }
                var result = ValidateEksToken(token, cluster);
                http.Response.StatusCode = result.Valid ? 200 : 401;
                await http.Response.WriteAsync(JsonSerializer.Serialize(result, s_logJson)).ConfigureAwait(false);
                return;
            }
            default:
                http.Response.StatusCode = 404;
                await http.Response.WriteAsync("unknown test endpoint; try GET /_test/log, DELETE /_test/log, POST /_test/validate-eks-token").ConfigureAwait(false);
                return;
        }
    }
}
