using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EksSecurity.AwsTestServer.Protocols;

namespace EksSecurity.AwsTestServer;

/// <summary>
/// What the server serves: a JSON document (format in README.md). Resource objects are
/// kept as JSON in the API's own member names and served through the official models;
/// this class adds typed access to credentials, faults and page sizes.
/// </summary>
public sealed class Scenario
{
    private readonly object _sync = new();
    private readonly List<ScenarioCredential> _credentials = new();
    private readonly List<FaultRule> _faults = new();

    public Scenario(JsonObject root)
    {
        Root = root;
        AwsModels.Materialize(root);
        if (root["credentials"] is JsonArray creds)
            foreach (var c in creds)
                _credentials.Add(ScenarioCredential.FromJson(c!.AsObject()));
        if (root["faults"] is JsonArray faults)
            foreach (var f in faults)
                _faults.Add(FaultRule.FromJson(f!.AsObject()));
    }

    public static Scenario Parse(string json) =>
        new(JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject());

    public static Scenario Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>The scenario document. Handlers read it on every call, so tests may change it between calls.</summary>
    public JsonObject Root { get; }

    public string Region => (string?)Root["region"] ?? "us-east-1";

    public IReadOnlyList<ScenarioCredential> Credentials { get { lock (_sync) return _credentials.ToList(); } }

    public IReadOnlyList<FaultRule> Faults { get { lock (_sync) return _faults.ToList(); } }

    public void AddCredential(ScenarioCredential credential) { lock (_sync) _credentials.Add(credential); }

    public void AddFault(FaultRule fault) { lock (_sync) _faults.Add(fault); }

    public void ClearFaults() { lock (_sync) _faults.Clear(); }

    public ScenarioCredential? FindCredential(string accessKeyId)
    {
        lock (_sync) return _credentials.LastOrDefault(c => c.AccessKeyId == accessKeyId);
    }

    /// <summary>accounts.&lt;id&gt;.&lt;service&gt;.&lt;collection&gt;, or an empty array.</summary>
    public JsonArray Collection(string account, string service, string collection) =>
        Root["accounts"]?[account]?[service]?[collection] as JsonArray ?? new JsonArray();

    public JsonNode? AccountValue(string account, string service, string name) =>
        Root["accounts"]?[account]?[service]?[name];

    public IEnumerable<string> AccountIds => Root["accounts"] is JsonObject o ? o.Select(kv => kv.Key) : Array.Empty<string>();

    /// <summary>The scenario's page size for an action ("eks:ListClusters"): exact key, then wildcard keys, then "*".</summary>
    public int? PageSize(string action)
    {
        if (Root["pageSizes"] is not JsonObject sizes) return null;
        if (sizes[action] is JsonValue exact) return (int)exact;
        foreach (var (k, v) in sizes)
            if (k != "*" && Wildcard.IsMatch(k, action) && v is JsonValue jv) return (int)jv;
        return sizes["*"] is JsonValue any ? (int)any : null;
    }
}

/// <summary>An access key the server accepts, the identity it belongs to and what it may call.</summary>
public sealed class ScenarioCredential
{
    public required string AccessKeyId { get; init; }
    public required string SecretAccessKey { get; init; }
    public string? SessionToken { get; init; }
    /// <summary>The caller ARN (user, role or assumed-role session).</summary>
    public required string Arn { get; init; }
    public string Account => Arn.Split(':')[4];
    public string? UserIdOverride { get; init; }
    public DateTimeOffset? Expiration { get; init; }
    /// <summary>IAM actions allowed ("eks:Describe*", "iam:*", "*"); default everything.</summary>
    public IReadOnlyList<string> Allow { get; init; } = new[] { "*" };
    /// <summary>IAM actions denied even when allowed.</summary>
    public IReadOnlyList<string> Deny { get; init; } = Array.Empty<string>();

    /// <summary>GetCallerIdentity's UserId: AIDA… for users, AROA…:session for assumed roles, the account for root.</summary>
    public string UserId => UserIdOverride ?? DeriveUserId(Arn);

    public bool IsUser => Arn.Split(':')[5].StartsWith("user/", StringComparison.Ordinal);

    public string? UserName => IsUser ? Arn.Split(':')[5].Split('/')[^1] : null;

    public bool IsAllowed(string action) =>
        Allow.Any(p => Wildcard.IsMatch(p, action)) && !Deny.Any(p => Wildcard.IsMatch(p, action));

    internal static string DeriveUserId(string arn)
    {
        var parts = arn.Split(':');
        var resource = parts.Length > 5 ? parts[5] : "";
        if (resource == "root") return parts[4];
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(arn)))[..17];
        if (resource.StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            var segs = resource.Split('/');
            var roleHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(segs[1])))[..17];
            return "AROA" + roleHash + ":" + segs[^1];
        }
        return "AIDA" + hash;
    }

    public static ScenarioCredential FromJson(JsonObject o)
    {
        var arn = (string?)o["arn"] ?? throw new InvalidDataException("credential needs \"arn\"");
        return new ScenarioCredential
        {
            AccessKeyId = (string?)o["accessKeyId"] ?? throw new InvalidDataException("credential needs \"accessKeyId\""),
            SecretAccessKey = (string?)o["secretAccessKey"] ?? throw new InvalidDataException("credential needs \"secretAccessKey\""),
            SessionToken = (string?)o["sessionToken"],
            Arn = arn,
            UserIdOverride = (string?)o["userId"],
            Expiration = WireFormat.ReadTimestamp(o["expiration"]),
            Allow = o["allow"] is JsonArray a ? a.Select(x => (string)x!).ToArray() : new[] { "*" },
            Deny = o["deny"] is JsonArray d ? d.Select(x => (string)x!).ToArray() : Array.Empty<string>(),
        };
    }
}

/// <summary>
/// A fault injected into matching calls: latency, throttling, a 5xx or any error, on every
/// call, the first N calls, every Nth call, or with a probability from a fixed seed.
/// </summary>
public sealed class FaultRule
{
    private readonly object _sync = new();
    private long _count;
    private long _fired;
    private Random? _random;

    /// <summary>IAM action pattern: "eks:DescribeCluster", "iam:List*", "*".</summary>
    public string Action { get; init; } = "*";
    /// <summary>Optional caller ARN pattern.</summary>
    public string? Principal { get; init; }
    public int LatencyMs { get; init; }
    /// <summary>"throttle", "serverError" (500), "unavailable" (503), "error" (Code/Status/Message) or null for latency only.</summary>
    public string? Kind { get; init; }
    public string? Code { get; init; }
    public int Status { get; init; }
    public string? Message { get; init; }
    public int EveryNth { get; init; }
    public int FirstN { get; init; }
    public double Probability { get; init; }
    public int Seed { get; init; }
    /// <summary>Stop firing after this many faults (0: no limit).</summary>
    public int MaxFaults { get; init; }

    public bool Matches(string action, string? principal) =>
        Wildcard.IsMatch(Action, action) && (Principal is null || (principal is not null && Wildcard.IsMatch(Principal, principal)));

    /// <summary>Counts a matching call and says whether the fault fires on it.</summary>
    public bool Fires()
    {
        lock (_sync)
        {
            _count++;
            if (MaxFaults > 0 && _fired >= MaxFaults) return false;
            bool fire;
            if (FirstN > 0) fire = _count <= FirstN;
            else if (EveryNth > 0) fire = _count % EveryNth == 0;
            else if (Probability > 0) fire = (_random ??= new Random(Seed)).NextDouble() < Probability;
            else fire = true;
            if (fire) _fired++;
            return fire;
        }
    }

    public AwsErrorException? ErrorFor(string service) => Kind switch
    {
        null or "" or "latency" => null,
        "throttle" => AwsErrors.Throttling(service),
        "serverError" => AwsErrors.ServerError(service, Status == 0 ? 500 : Status),
        "unavailable" => AwsErrors.ServerError(service, 503),
        "error" => new AwsErrorException(Code ?? "InternalFailure", Status == 0 ? 400 : Status, Message ?? "Injected fault"),
        _ => throw new InvalidDataException($"unknown fault kind '{Kind}'"),
    };

    public static FaultRule FromJson(JsonObject o) => new()
    {
        Action = (string?)o["action"] ?? "*",
        Principal = (string?)o["principal"],
        LatencyMs = (int?)o["latencyMs"] ?? 0,
        Kind = (string?)o["kind"],
        Code = (string?)o["code"],
        Status = (int?)o["status"] ?? 0,
        Message = (string?)o["message"],
        EveryNth = (int?)o["everyNth"] ?? 0,
        FirstN = (int?)o["firstN"] ?? 0,
        Probability = (double?)o["probability"] ?? 0,
        Seed = (int?)o["seed"] ?? 0,
        MaxFaults = (int?)o["maxFaults"] ?? 0,
    };
}

/// <summary>IAM-style wildcards: * any run of characters, ? one character, case-insensitive.</summary>
public static class Wildcard
{
    private static readonly Dictionary<string, Regex> s_cache = new();

    public static bool IsMatch(string pattern, string value) => IsMatch(pattern, value, ignoreCase: true);

    public static bool IsMatch(string pattern, string value, bool ignoreCase)
    {
        if (pattern == "*") return true;
        if (!pattern.Contains('*') && !pattern.Contains('?'))
            return string.Equals(pattern, value, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        Regex? re;
        var key = (ignoreCase ? "i:" : "c:") + pattern;
        lock (s_cache)
        {
            if (!s_cache.TryGetValue(key, out re))
            {
                var expr = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
                re = new Regex(expr, (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.Singleline | RegexOptions.CultureInvariant);
                s_cache[key] = re;
            }
        }
        return re.IsMatch(value);
    }
}

/// <summary>
/// One call the server answered, with the region and service of the credential scope it was signed
/// with and the resource the call named (as AccessDenied messages name it: "role app", a cluster ARN,
/// "policy arn:…"; null when the call names none).
/// </summary>
public sealed record RequestLogEntry(
    DateTimeOffset Time,
    string Service,
    string Action,
    string? Principal,
    string? AccessKeyId,
    int Status,
    string? ErrorCode,
    string Method,
    string Path,
    string? SigningRegion = null,
    string? SigningService = null,
    string? Resource = null)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Action} {Status}{(ErrorCode is null ? "" : " " + ErrorCode)} by {Principal ?? "(anonymous)"}");
}
