using System.Text.Json.Serialization;
using EksSecurity.KubeTestServer.Api;

namespace EksSecurity.KubeTestServer.Scenario;

[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>Wait <see cref="FaultRule.LatencyMs"/>, then answer normally.</summary>
    Latency,
    /// <summary>429 TooManyRequests with Retry-After: <see cref="FaultRule.RetryAfterSeconds"/>.</summary>
    Throttle,
    /// <summary>A Status error with <see cref="FaultRule.StatusCode"/> (500 InternalError by default; 503, 504 ...).</summary>
    Error,
    /// <summary>Abort the connection without an answer (HTTP/2: the stream is reset).</summary>
    Drop,
    /// <summary>410 Expired on a request that carries a continue token.</summary>
    Expire,
}

/// <summary>
/// A fault injected into matching requests. All match fields are optional; text fields take
/// <c>*</c> wildcards. Firing is deterministic for a given order of requests: <see cref="Skip"/>
/// matching requests pass first, then every <see cref="EveryNth"/>-th fires (with
/// <see cref="Probability"/>, drawn from the scenario's seeded random source), at most
/// <see cref="Times"/> times.
/// </summary>
public sealed class FaultRule
{
    public FaultKind Kind { get; set; }
    /// <summary>GET, POST, ... (any when null).</summary>
    public string? Method { get; set; }
    /// <summary>The URL path, with * wildcards: "/api/v1/pods", "/apis/apps/v1/*", "*/proxy/configz".</summary>
    public string? Path { get; set; }
    /// <summary>The API verb: list, get, create, ...</summary>
    public string? Verb { get; set; }
    /// <summary>The plural resource name: pods, deployments, ...</summary>
    public string? Resource { get; set; }
    /// <summary>The authenticated user name.</summary>
    public string? User { get; set; }
    /// <summary>Only requests that carry (true) or lack (false) a continue token.</summary>
    public bool? Continue { get; set; }

    public int LatencyMs { get; set; }
    public int RetryAfterSeconds { get; set; } = 1;
    public int StatusCode { get; set; } = 500;
    public string? Message { get; set; }

    public double Probability { get; set; } = 1;
    public int Skip { get; set; }
    public int EveryNth { get; set; } = 1;
    /// <summary>Fire at most this many times (null: no limit).</summary>
    public int? Times { get; set; }

    private int _matched;
    private int _fired;

    /// <summary>How many times it fired.</summary>
    [JsonIgnore] public int Fired => Volatile.Read(ref _fired);

    internal bool Matches(string method, string path, string? verb, ResourceType? type, string? user, bool hasContinue) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && (Path is null || Glob(Path, path))
        && (Verb is null || Glob(Verb, verb ?? ""))
        && (Resource is null || Glob(Resource, type?.Plural ?? ""))
        && (User is null || Glob(User, user ?? ""))
        && (Continue is null || Continue == hasContinue);

    /// <summary>Counts a matching request and says whether the fault fires on it.</summary>
    internal bool Fire(Random random)
    {
        lock (this)
        {
            var n = ++_matched;
            if (n <= Skip) return false;
            if ((n - Skip - 1) % Math.Max(1, EveryNth) != 0) return false;
            if (Times is { } max && _fired >= max) return false;
            if (Probability < 1)
            {
                double draw;
                lock (random) draw = random.NextDouble();
                if (draw >= Probability) return false;
            }
            _fired++;
            return true;
        }
    }

    internal static bool Glob(string pattern, string text)
    {
        if (pattern == "*") return true;
        if (!pattern.Contains('*')) return string.Equals(pattern, text, StringComparison.Ordinal);
        var parts = pattern.Split('*');
        var at = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (i == 0)
            {
                if (!text.StartsWith(part, StringComparison.Ordinal)) return false;
                at = part.Length;
                continue;
            }
            if (i == parts.Length - 1) return text.Length - at >= part.Length && text.EndsWith(part, StringComparison.Ordinal);
            var found = text.IndexOf(part, at, StringComparison.Ordinal);
            if (found < 0) return false;
            at = found + part.Length;
        }
        return at == text.Length;
    }

    public override string ToString() => $"{Kind} {Method ?? "*"} {Path ?? Resource ?? "*"}";
}
