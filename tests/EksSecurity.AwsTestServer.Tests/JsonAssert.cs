using System.Globalization;
using System.Text.Json.Nodes;

namespace EksSecurity.AwsTestServer.Tests;

/// <summary>Compares what a client printed with the scenario it was served from.</summary>
internal static class JsonAssert
{
    /// <summary>
    /// Every member of <paramref name="expected"/> (except <paramref name="ignore"/>) is in
    /// <paramref name="actual"/> with an equal value, and <paramref name="actual"/> has no member
    /// the scenario did not give (other than <paramref name="allowedExtra"/>). Timestamps compare
    /// as instants (ISO-8601 text vs epoch seconds); policy documents as JSON.
    /// </summary>
    public static void Equivalent(JsonNode? expected, JsonNode? actual, string path = "$", ISet<string>? ignore = null, ISet<string>? allowedExtra = null)
    {
        switch (expected)
        {
            case JsonObject e:
                var a = Assert.IsType<JsonObject>(actual, exactMatch: false);
                foreach (var (k, v) in e)
                {
                    if (ignore?.Contains(k) == true) continue;
                    Assert.True(a.ContainsKey(k), $"{path}.{k} missing in {a.ToJsonString()}");
                    Equivalent(v, a[k], $"{path}.{k}", ignore, allowedExtra);
                }
                foreach (var (k, _) in a)
                    Assert.True(e.ContainsKey(k) || allowedExtra?.Contains(k) == true, $"{path}.{k} was not in the scenario");
                return;
            case JsonArray ea:
                var aa = Assert.IsType<JsonArray>(actual, exactMatch: false);
                Assert.True(ea.Count == aa.Count, $"{path}: expected {ea.Count} items, got {aa.Count}: {aa.ToJsonString()}");
                for (var i = 0; i < ea.Count; i++) Equivalent(ea[i], aa[i], $"{path}[{i}]", ignore, allowedExtra);
                return;
            case null:
                Assert.Null(actual);
                return;
            default:
                Assert.True(ScalarEquals((JsonValue)expected, actual), $"{path}: expected {expected.ToJsonString()}, got {actual?.ToJsonString()}");
                return;
        }
    }

    private static bool ScalarEquals(JsonValue expected, JsonNode? actual)
    {
        if (actual is not JsonValue a) return false;
        if (expected.ToJsonString() == a.ToJsonString()) return true;
        if (Instant(expected) is { } te && Instant(a) is { } ta) return te == ta;
        if (expected.TryGetValue(out double de) && a.TryGetValue(out double da)) return de == da;
        return false;
    }

    public static DateTimeOffset? Instant(JsonNode? node)
    {
        if (node is not JsonValue v) return null;
        if (v.TryGetValue(out string? s))
            return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && s.Contains('T') ? t : null;
        if (v.TryGetValue(out double d)) return DateTimeOffset.FromUnixTimeMilliseconds((long)(d * 1000));
        return null;
    }
}
