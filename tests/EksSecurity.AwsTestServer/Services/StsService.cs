using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EksSecurity.AwsTestServer.Protocols;
using static EksSecurity.AwsTestServer.Services.JsonHelpers;

namespace EksSecurity.AwsTestServer.Services;

/// <summary>STS (query protocol, XML): GetCallerIdentity and AssumeRole, which mints working session credentials.</summary>
internal static class StsService
{
    public static readonly IReadOnlyDictionary<string, Func<CallContext, JsonObject>> Handlers =
        new Dictionary<string, Func<CallContext, JsonObject>>
        {
            ["GetCallerIdentity"] = c => Obj(
                ("UserId", JsonValue.Create(c.Caller.UserId)),
                ("Account", JsonValue.Create(c.Caller.Account)),
                ("Arn", JsonValue.Create(c.Caller.Arn))),
            ["AssumeRole"] = AssumeRole,
        };

    public static string? Resource(CallContext c) => c.Str("RoleArn");

    private static JsonObject AssumeRole(CallContext c)
    {
        var roleArn = c.Required("RoleArn");
        var session = c.Required("RoleSessionName");
        var parts = roleArn.Split(':', 6);
        if (parts.Length != 6 || parts[2] != "iam" || !parts[5].StartsWith("role/", StringComparison.Ordinal))
            throw AwsErrors.Validation("sts", $"{roleArn} is invalid");
        var account = parts[4];
        var roleName = parts[5].Split('/')[^1];
        var role = IamService.RoleByName(c.Scenario, account, roleName);
        if (role is null || !TrustAllows(role, c.Caller))
            throw new AwsErrorException("AccessDenied", 403,
                $"User: {c.Caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        var maxSession = (int?)role["MaxSessionDuration"] ?? 3600;
        var duration = c.Int("DurationSeconds") ?? 3600;
        if (duration < 900)
            throw AwsErrors.Validation("sts", $"1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
        if (duration > maxSession)
            throw AwsErrors.Validation("sts", $"The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");

        var roleId = role.S("RoleId") ?? ScenarioCredential.DeriveUserId($"arn:aws:sts::{account}:assumed-role/{roleName}/x").Split(':')[0];
        var assumedArn = $"arn:aws:sts::{account}:assumed-role/{roleName}/{session}";
        var expiration = c.Now.AddSeconds(duration);
        var credential = new ScenarioCredential
        {
            AccessKeyId = "ASIA" + RandomString(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
            SecretAccessKey = RandomString(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
            SessionToken = "IQoJb3JpZ2luX2VjE" + RandomString(300, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
            Arn = assumedArn,
            UserIdOverride = $"{roleId}:{session}",
            Expiration = expiration,
            Allow = role["allow"] is JsonArray a ? a.Select(x => (string)x!).ToArray() : new[] { "*" },
            Deny = role["deny"] is JsonArray d ? d.Select(x => (string)x!).ToArray() : Array.Empty<string>(),
        };
        c.AddCredential(credential);
        return Obj(
            ("Credentials", Obj(
                ("AccessKeyId", JsonValue.Create(credential.AccessKeyId)),
                ("SecretAccessKey", JsonValue.Create(credential.SecretAccessKey)),
                ("SessionToken", JsonValue.Create(credential.SessionToken)),
                ("Expiration", JsonValue.Create(WireFormat.Iso8601(expiration, false))))),
            ("AssumedRoleUser", Obj(
                ("AssumedRoleId", JsonValue.Create(credential.UserId)),
                ("Arn", JsonValue.Create(assumedArn)))),
            ("PackedPolicySize", c.Input["Policy"] is null ? null : JsonValue.Create(6)));
    }

    /// <summary>
    /// A simplified trust-policy check: some Allow statement for sts:AssumeRole (or a wildcard)
    /// whose Principal.AWS names the caller's ARN, its account (ID or :root) or "*".
    /// A role without AssumeRolePolicyDocument trusts its own account.
    /// </summary>
    internal static bool TrustAllows(JsonObject role, ScenarioCredential caller)
    {
        var docNode = role["AssumeRolePolicyDocument"];
        if (docNode is null) return caller.Account == ((string?)role["Arn"])?.Split(':')[4] || role["Arn"] is null;
        JsonNode? doc = docNode is JsonValue v && v.TryGetValue(out string? text) ? JsonNode.Parse(Uri.UnescapeDataString(text)) : docNode;
        var statements = doc?["Statement"] switch { JsonArray arr => arr.ToList(), JsonObject o => new List<JsonNode?> { o }, _ => new List<JsonNode?>() };
        var callerRoleArn = Auth.EksTokenValidator.CanonicalizeArn(caller.Arn);
        foreach (var st in statements.OfType<JsonObject>())
        {
            if ((string?)st["Effect"] != "Allow") continue;
            var actions = Strings(st["Action"]);
            if (!actions.Any(a => Wildcard.IsMatch(a, "sts:AssumeRole"))) continue;
            var principal = st["Principal"];
            var aws = principal is JsonValue pv && (string?)pv == "*" ? new List<string> { "*" } : Strings(principal?["AWS"]);
            if (aws.Any(p => p == "*" || p == caller.Arn || p == callerRoleArn || p == caller.Account || p == $"arn:aws:iam::{caller.Account}:root"))
                return true;
        }
        return false;
    }

    private static List<string> Strings(JsonNode? node) => node switch
    {
        JsonArray a => a.Select(x => (string?)x).Where(x => x is not null).Select(x => x!).ToList(),
        JsonValue v when v.TryGetValue(out string? s) => new List<string> { s },
        _ => new List<string>(),
    };

    private static string RandomString(int length, string alphabet) =>
        string.Create(length, alphabet, (span, abc) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = abc[RandomNumberGenerator.GetInt32(abc.Length)];
        });
}
