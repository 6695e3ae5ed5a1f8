using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EksSecurity.KubeTestServer.Api;
using EksSecurity.KubeTestServer.Scenario;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EksSecurity.KubeTestServer;

/// <summary>
/// A Kubernetes API server on https://127.0.0.1:port/ for tests, answering from a
/// <see cref="KubeScenario"/>: /version, discovery (legacy and aggregated), list (paged, with
/// label and field selectors, as JSON, Table or PartialObjectMetadata), get, a minimal watch,
/// writes (create, update, patch, delete, dry-run, server-side field validation), OpenAPI v3
/// documents (what kubectl apply/create read before they validate), node proxy configz,
/// metrics.k8s.io, and self-subject reviews. Bearer tokens map to users; deny/allow rules answer RBAC-style 403s;
/// faults are injected per path; every request and write is logged. kubectl and KubernetesClient
/// work against it with the kubeconfig from <see cref="WriteKubeconfig"/>.
/// </summary>
public sealed partial class KubeTestServer : IDisposable, IAsyncDisposable
{
    private readonly object _logLock = new();
    private readonly List<RequestLogEntry> _log = [];
    private readonly List<WriteLogEntry> _writes = [];
    private readonly Random _random;
    private readonly TestCertificates _certificates;
    private WebApplication? _app;
    private long _sequence;
    private long _epoch;
    private int _secretDataRequests;

    public KubeTestServer(KubeScenario scenario, KubeTestServerOptions? options = null)
    {
        Scenario = scenario ?? throw new ArgumentNullException(nameof(scenario));
        Options = options ?? new KubeTestServerOptions();
        _random = new Random(scenario.Seed);
        _certificates = TestCertificates.Create();
    }

    /// <summary>A server for a scenario file (README.md).</summary>
    public static KubeTestServer FromFile(string scenarioPath, KubeTestServerOptions? options = null) => new(KubeScenario.Load(scenarioPath), options);

    /// <summary>A server for a snapshot file: exactly its Kubernetes sections.</summary>
    public static KubeTestServer FromSnapshotFile(string snapshotPath, KubeTestServerOptions? options = null) => new(KubeScenario.FromSnapshotFile(snapshotPath), options);

    public KubeScenario Scenario { get; }
    public KubeTestServerOptions Options { get; }

    /// <summary>https://127.0.0.1:port/ once started.</summary>
    public Uri BaseUri { get; private set; } = new("https://127.0.0.1/");

    /// <summary>The CA that signed the server certificate, in PEM: what clients trust (certificate-authority-data is its base64).</summary>
    public string CaPem => _certificates.CaPem;
    public System.Security.Cryptography.X509Certificates.X509Certificate2 CaCertificate => _certificates.Ca;
    public TestCertificates Certificates => _certificates;

    /// <summary>Cancelled when the server stops: Dispose, or the host's own SIGTERM/Ctrl+C handling in a console process.</summary>
    public CancellationToken Stopping => _app?.Lifetime.ApplicationStopping ?? CancellationToken.None;

    /// <summary>Every request answered so far, in order.</summary>
    public IReadOnlyList<RequestLogEntry> RequestLog { get { lock (_logLock) return _log.ToList(); } }

    /// <summary>Every POST, PUT, PATCH and DELETE on a resource, applied or dry-run.</summary>
    public IReadOnlyList<WriteLogEntry> WriteLog { get { lock (_logLock) return _writes.ToList(); } }

    /// <summary>Requests that returned Secrets in full (data included) rather than metadata only: our collector must never make one.</summary>
    public int SecretDataRequests => Volatile.Read(ref _secretDataRequests);

    public void ClearLog()
    {
        lock (_logLock)
        {
            _log.Clear();
            _writes.Clear();
        }
        Interlocked.Exchange(ref _secretDataRequests, 0);
    }

    /// <summary>Expires every continue token issued so far (as an etcd compaction does): presenting one answers 410 Expired.</summary>
    public void ExpireContinueTokens() => Interlocked.Increment(ref _epoch);

    /// <summary>Starts listening on 127.0.0.1 (the options' port; 0: a free one) and returns https://127.0.0.1:port/.</summary>
    public Uri Start()
    {
        if (_app is not null) return BaseUri;
        Scenario.Prepare();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 32 * 1024 * 1024;
            k.Listen(IPAddress.Loopback, Options.Port, listen =>
            {
                listen.Protocols = Options.Http2 ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                listen.UseHttps(_certificates.Server);
            });
        });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(HandleAsync);
        app.StartAsync().GetAwaiter().GetResult();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "127.0.0.1")).Port;
        BaseUri = new Uri($"https://127.0.0.1:{port}/");
        _app = app;
        return BaseUri;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        var app = _app;
        _app = null;
        if (app is not null)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
        _certificates.Dispose();
    }

    // ------------------------------------------------------------------ clients

    /// <summary>A kubeconfig for this server: server URL, certificate-authority-data and the bearer token.</summary>
    public string Kubeconfig(string token, string? @namespace = null) => KubeconfigText(UserToken(token), @namespace);

    /// <summary>Writes <see cref="Kubeconfig"/> to <paramref name="path"/> and returns the path.</summary>
    public string WriteKubeconfig(string path, string token, string? @namespace = null)
    {
        WriteFile(path, Kubeconfig(token, @namespace));
        return path;
    }

    /// <summary>A kubeconfig whose user runs an exec credential plugin (as `aws eks update-kubeconfig` writes: command aws, args eks get-token ...).</summary>
    public string WriteKubeconfigExec(string path, string command, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, string? @namespace = null)
    {
        var user = new StringBuilder();
        user.Append("    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n");
        user.Append("      command: ").Append(Quote(command)).Append('\n');
        user.Append("      args:\n");
        foreach (var a in args) user.Append("      - ").Append(Quote(a)).Append('\n');
        if (env is { Count: > 0 })
        {
            user.Append("      env:\n");
            foreach (var (k, v) in env) user.Append("      - name: ").Append(Quote(k)).Append("\n        value: ").Append(Quote(v)).Append('\n');
        }
        user.Append("      interactiveMode: Never\n      provideClusterInfo: false\n");
        WriteFile(path, KubeconfigText(user.ToString(), @namespace));
        return path;
    }

    private static string UserToken(string token) => $"    token: {Quote(token)}\n";

    private string KubeconfigText(string userBlock, string? @namespace)
    {
        var ca = Convert.ToBase64String(Encoding.ASCII.GetBytes(CaPem));
        var server = BaseUri.ToString().TrimEnd('/');
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: Config\n");
        sb.Append("clusters:\n- name: kube-test-server\n  cluster:\n");
        sb.Append("    server: ").Append(server).Append('\n');
        sb.Append("    certificate-authority-data: ").Append(ca).Append('\n');
        sb.Append("contexts:\n- name: kube-test-server\n  context:\n    cluster: kube-test-server\n    user: kube-test-user\n");
        if (@namespace is not null) sb.Append("    namespace: ").Append(Quote(@namespace)).Append('\n');
        sb.Append("current-context: kube-test-server\n");
        sb.Append("preferences: {}\n");
        sb.Append("users:\n- name: kube-test-user\n  user:\n").Append(userBlock);
        return sb.ToString();
    }

    private static void WriteFile(string path, string text)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>A YAML double-quoted scalar (JSON string syntax is valid YAML).</summary>
    private static string Quote(string value) => JsonSerializer.Serialize(value);

    /// <summary>An HttpClient that trusts this server's CA and sends <paramref name="token"/> (none when null).</summary>
    public HttpClient CreateHttpClient(string? token = KubeScenario.AdminToken)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = _certificates.Validator },
            UseProxy = false,
        };
        var client = new HttpClient(handler) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    // ------------------------------------------------------------------ request handling

    /// <summary>What the log records of a request in progress.</summary>
    private sealed class Exchange
    {
        public string? User;
        public RequestInfo? Info;
        public string? Fault;
        public string? Reason;
        public int? Items;
        public bool SecretData;
        public bool Dropped;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var path = http.Request.Path.Value ?? "/";
        if (path.StartsWith("/_test/", StringComparison.Ordinal))
        {
            await HandleTestEndpointAsync(http, path).ConfigureAwait(false);
            return;
        }
        var x = new Exchange();
        http.Response.Headers["Audit-Id"] = Guid.NewGuid().ToString();
        http.Response.Headers.CacheControl = "no-cache, private";
        try
        {
            var identity = Authenticate(http.Request);
            x.User = identity?.Name;
            if (identity is null && !(Options.AnonymousPublicInfo && IsPublicPath(path))) throw KubeStatus.Unauthorized();
            var types = Scenario.Resources;
            var info = Route(http.Request, types);
            x.Info = info;

            await ApplyFaultsAsync(http, info, x).ConfigureAwait(false);
            if (x.Dropped) return;

            if (info.Kind is RequestKind.Resource or RequestKind.NodeProxy && identity is not null)
                Authorize(identity, info);

            await DispatchAsync(http, info, identity, types, x).ConfigureAwait(false);
        }
        catch (KubeStatusException e)
        {
            x.Reason = e.Reason;
            if (!http.Response.HasStarted) await WriteStatusAsync(http, e).ConfigureAwait(false);
        }
        catch (SelectorException e)
        {
            x.Reason = "BadRequest";
            if (!http.Response.HasStarted) await WriteStatusAsync(http, KubeStatus.BadRequest(e.Message)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            x.Dropped = true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            x.Reason = "InternalError";
            Options.Log?.Invoke($"kube-test-server: {http.Request.Method} {path}: {e}");
            if (!http.Response.HasStarted) await WriteStatusAsync(http, KubeStatus.InternalError(e.Message)).ConfigureAwait(false);
            else http.Abort();
        }
        finally
        {
            Record(http, x, started);
        }
    }

    private void Record(HttpContext http, Exchange x, long started)
    {
        var info = x.Info;
        var entry = new RequestLogEntry
        {
            Sequence = Interlocked.Increment(ref _sequence),
            Time = DateTimeOffset.UtcNow,
            Method = http.Request.Method,
            Path = http.Request.Path.Value ?? "/",
            Query = (http.Request.QueryString.Value ?? "").TrimStart('?'),
            User = x.User,
            Status = x.Dropped ? 0 : http.Response.StatusCode,
            Reason = x.Reason,
            Verb = info?.Kind is RequestKind.Resource or RequestKind.NodeProxy or RequestKind.Review ? info.Verb : null,
            Resource = info?.Type?.GroupResource,
            Subresource = info?.Subresource,
            Namespace = info?.Namespace,
            Name = info?.Name,
            Accept = http.Request.Headers.Accept.ToString(),
            Fault = x.Fault,
            Items = x.Items,
            SecretData = x.SecretData,
            Protocol = http.Request.Protocol,
            DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
        lock (_logLock) _log.Add(entry);
    }

    // ------------------------------------------------------------------ authentication and authorization

    internal sealed record Identity(string Name, IReadOnlyList<string> Groups, ScenarioUser? Rules);

    private Identity? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return null;
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) throw KubeStatus.Unauthorized();
        var token = header["Bearer ".Length..].Trim();
        var user = Scenario.Users.FirstOrDefault(u => u.Token is not null && u.Token == token);
        if (user is not null) return new Identity(user.Name, WithAuthenticated(user.Groups), user);
        if (token.StartsWith("k8s-aws-v1.", StringComparison.Ordinal) && Options.EksTokenValidator is { } validate)
        {
            (string User, string[] Groups)? result;
            try
            {
                result = validate(token);
            }
            catch (Exception e)
            {
                Options.Log?.Invoke($"kube-test-server: the EKS token validator threw: {e.Message}");
                result = null;
            }
            if (result is { } ok)
            {
                var rules = Scenario.Users.FirstOrDefault(u => u.Token is null && u.Name == ok.User);
                return new Identity(ok.User, WithAuthenticated(ok.Groups.Concat(rules?.Groups ?? [])), rules);
            }
        }
        throw KubeStatus.Unauthorized();
    }

    private static bool IsPublicPath(string path) =>
        path is "/version" or "/version/" or "/healthz" or "/livez" or "/readyz" || path.StartsWith("/healthz/", StringComparison.Ordinal)
        || path.StartsWith("/livez/", StringComparison.Ordinal) || path.StartsWith("/readyz/", StringComparison.Ordinal);

    private static List<string> WithAuthenticated(IEnumerable<string> groups)
    {
        var list = groups.Distinct().ToList();
        if (!list.Contains("system:authenticated")) list.Add("system:authenticated");
        return list;
    }

    /// <summary>May <paramref name="identity"/> do <paramref name="verb"/> on the resource? Scenario-wide denies, then the user's, then the user's allow list.</summary>
    internal bool IsAllowed(Identity identity, string verb, ResourceType type, string? subresource, string? @namespace)
    {
        foreach (var rule in Scenario.DenyAll)
            if (rule.Matches(verb, type, subresource, @namespace)) return false;
        if (identity.Rules is { } user)
        {
            foreach (var rule in user.Deny)
                if (rule.Matches(verb, type, subresource, @namespace)) return false;
            if (user.Allow is { } allow && !allow.Any(r => r.Matches(verb, type, subresource, @namespace))) return false;
        }
        return true;
    }

    private void Authorize(Identity identity, RequestInfo info)
    {
        var type = info.Type!;
        var ns = info.Namespace;
        if (!IsAllowed(identity, info.Verb!, type, info.Subresource, ns))
            throw KubeStatus.Forbidden(identity.Name, info.Verb!, type, info.Subresource, ns, info.Name);
    }

    // ------------------------------------------------------------------ faults

    private async Task ApplyFaultsAsync(HttpContext http, RequestInfo info, Exchange x)
    {
        List<FaultRule> faults;
        lock (Scenario.Faults) faults = Scenario.Faults.ToList();
        if (faults.Count == 0) return;
        var path = http.Request.Path.Value ?? "/";
        var hasContinue = !string.IsNullOrEmpty(http.Request.Query["continue"]);
        var verb = info.Kind is RequestKind.Resource or RequestKind.NodeProxy or RequestKind.Review ? info.Verb : null;
        foreach (var fault in faults)
        {
            if (!fault.Matches(http.Request.Method, path, verb, info.Type, x.User, hasContinue)) continue;
            if (fault.Kind == FaultKind.Expire && !hasContinue) continue;
            if (!fault.Fire(_random)) continue;
            x.Fault = x.Fault is null ? fault.Kind.ToString() : x.Fault + "," + fault.Kind;
            switch (fault.Kind)
            {
                case FaultKind.Latency:
                    await Task.Delay(fault.LatencyMs, http.RequestAborted).ConfigureAwait(false);
                    break;
                case FaultKind.Throttle:
                    throw KubeStatus.TooManyRequests(fault.RetryAfterSeconds);
                case FaultKind.Error:
                    throw KubeStatus.InternalError(fault.Message ?? "injected fault", fault.StatusCode);
                case FaultKind.Expire:
                    throw KubeStatus.Expired(null);
                case FaultKind.Drop:
                    Options.Log?.Invoke($"kube-test-server: dropping {http.Request.Method} {path}");
                    x.Dropped = true;
                    http.Abort();
                    return;
            }
        }
    }

    // ------------------------------------------------------------------ dispatch

    private async Task DispatchAsync(HttpContext http, RequestInfo info, Identity? identity, IReadOnlyCollection<ResourceType> types, Exchange x)
    {
        var method = http.Request.Method;
        if (info.Kind is not (RequestKind.Resource or RequestKind.Review or RequestKind.NodeProxy) && method is not ("GET" or "HEAD"))
            throw KubeStatus.MethodNotAllowed(method, null);
        switch (info.Kind)
        {
            case RequestKind.Version:
                await WriteJsonAsync(http, 200, JsonSerializer.SerializeToNode(Scenario.ServerVersion, KubeJson.Options)!).ConfigureAwait(false);
                return;
            case RequestKind.Health:
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync("ok").ConfigureAwait(false);
                return;
            case RequestKind.CoreVersions:
            case RequestKind.GroupList:
            {
                var negotiated = Scenario.AggregatedDiscovery
                    ? MediaTypes.Negotiate(http.Request.Headers.Accept, Representation.AggregatedDiscovery, Representation.Json)
                    : MediaTypes.Negotiate(http.Request.Headers.Accept, Representation.Json);
                if (negotiated is null) throw KubeStatus.NotAcceptable();
                var core = info.Kind == RequestKind.CoreVersions;
                if (negotiated.Value.Kind == Representation.AggregatedDiscovery)
                {
                    var v = negotiated.Value.Version;
                    await WriteJsonAsync(http, 200, Discovery.Aggregated(types.Concat(ResourceCatalog.Reviews), core, "apidiscovery.k8s.io/" + v),
                        v == "v2" ? Discovery.AggregatedV2 : Discovery.AggregatedV2Beta1).ConfigureAwait(false);
                    return;
                }
                var body = core ? Discovery.ApiVersions($"{BaseUri.Host}:{BaseUri.Port}") : Discovery.GroupList(types.Concat(ResourceCatalog.Reviews));
                await WriteJsonAsync(http, 200, body).ConfigureAwait(false);
                return;
            }
            case RequestKind.Group:
                await WriteJsonAsync(http, 200, Discovery.Group(info.Group!, AllTypes(types).Where(t => t.Group == info.Group))).ConfigureAwait(false);
                return;
            case RequestKind.ResourceList:
            {
                var gv = info.Group!.Length == 0 ? info.Version! : $"{info.Group}/{info.Version}";
                await WriteJsonAsync(http, 200, Discovery.ResourceList(gv, AllTypes(types).Where(t => t.Group == info.Group && t.Version == info.Version))).ConfigureAwait(false);
                return;
            }
            case RequestKind.OpenApi:
                await OpenApiAsync(http, info, types).ConfigureAwait(false);
                return;
            case RequestKind.NodeProxy:
                await NodeProxyAsync(http, info).ConfigureAwait(false);
                return;
            case RequestKind.Review:
                await ReviewAsync(http, info, identity!).ConfigureAwait(false);
                return;
            case RequestKind.Resource:
                await ResourceAsync(http, info, identity!, x).ConfigureAwait(false);
                return;
        }
    }

    private async Task NodeProxyAsync(HttpContext http, RequestInfo info)
    {
        var nodes = Scenario.Store(ResourceCatalog.Nodes) ?? throw KubeStatus.NotFound(ResourceCatalog.Nodes, info.Name!);
        if (nodes.Find(null, info.Name!) is not k8s.Models.V1Node node) throw KubeStatus.NotFound(ResourceCatalog.Nodes, info.Name!);
        if (http.Request.Method is not ("GET" or "HEAD")) throw KubeStatus.MethodNotAllowed(http.Request.Method, ResourceCatalog.Nodes);
        switch (info.ProxyPath)
        {
            case "/configz":
                var config = KubeletConfig.For(node, Scenario.KubeletDefaults, Scenario.KubeletPatches);
                await WriteJsonAsync(http, 200, new JsonObject { ["kubeletconfig"] = config }).ConfigureAwait(false);
                return;
            case "/healthz":
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync("ok").ConfigureAwait(false);
                return;
            default:
                // What the kubelet's mux answers for an unknown path.
                http.Response.StatusCode = 404;
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync("404 page not found\n").ConfigureAwait(false);
                return;
        }
    }

    // ------------------------------------------------------------------ writing

    internal static async Task WriteJsonAsync(HttpContext http, int status, JsonNode body, string contentType = "application/json")
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, KubeJson.Options);
        http.Response.ContentLength = bytes.Length;
        if (http.Request.Method == "HEAD") return;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteStatusAsync(HttpContext http, KubeStatusException e)
    {
        foreach (var (k, v) in e.Headers) http.Response.Headers[k] = v;
        await WriteJsonAsync(http, e.Code, e.ToStatus()).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ test endpoints

    private async Task HandleTestEndpointAsync(HttpContext http, string path)
    {
        switch (path, http.Request.Method)
        {
            case ("/_test/log", "GET"):
                await WriteJsonAsync(http, 200, JsonSerializer.SerializeToNode(RequestLog, KubeJson.Options)!).ConfigureAwait(false);
                return;
            case ("/_test/log", "DELETE"):
                ClearLog();
                http.Response.StatusCode = 204;
                return;
            case ("/_test/writes", "GET"):
                await WriteJsonAsync(http, 200, JsonSerializer.SerializeToNode(WriteLog, KubeJson.Options)!).ConfigureAwait(false);
                return;
            case ("/_test/secret-data-requests", "GET"):
                await WriteJsonAsync(http, 200, new JsonObject { ["count"] = SecretDataRequests }).ConfigureAwait(false);
                return;
            case ("/_test/expire-continue", "POST"):
                ExpireContinueTokens();
                http.Response.StatusCode = 204;
                return;
            case ("/_test/stats", "GET"):
                // Memory of the server process, for scale checks; ?gc=true collects first (what is live, not what is garbage).
                if (http.Request.Query["gc"] == "true") GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                var info = GC.GetGCMemoryInfo();
                await WriteJsonAsync(http, 200, new JsonObject
                {
                    ["requests"] = Interlocked.Read(ref _sequence),
                    ["managedBytes"] = GC.GetTotalMemory(false),
                    ["heapSizeBytes"] = info.HeapSizeBytes,
                    ["workingSetBytes"] = Environment.WorkingSet,
                    ["gcCount"] = GC.CollectionCount(GC.MaxGeneration),
                    ["serverGc"] = System.Runtime.GCSettings.IsServerGC,
                }).ConfigureAwait(false);
                return;
            case ("/_test/health", "GET"):
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync("ok").ConfigureAwait(false);
                return;
            default:
                await WriteStatusAsync(http, KubeStatus.NotFoundPath()).ConfigureAwait(false);
                return;
        }
    }
}
