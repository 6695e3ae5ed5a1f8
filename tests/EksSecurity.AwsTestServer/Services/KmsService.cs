using System.Text.Json.Nodes;
using EksSecurity.AwsTestServer.Protocols;
using static EksSecurity.AwsTestServer.Services.JsonHelpers;

namespace EksSecurity.AwsTestServer.Services;

/// <summary>
/// KMS (json 1.1). Each key: {"KeyMetadata": {…DescribeKey shape…}, "KeyRotationEnabled",
/// "RotationPeriodInDays", "NextRotationDate", "Policy" (object or text), "Aliases": ["alias/x"]}.
/// KeyId may be a key ID, key ARN, alias name or alias ARN where KMS accepts them.
/// </summary>
internal static class KmsService
{
    public static readonly IReadOnlyDictionary<string, Func<CallContext, JsonObject>> Handlers =
        new Dictionary<string, Func<CallContext, JsonObject>>
        {
            ["DescribeKey"] = c => Obj(("KeyMetadata", Metadata(c, FindKey(c, c.Required("KeyId"), allowAlias: true)))),
            ["GetKeyRotationStatus"] = GetKeyRotationStatus,
            ["GetKeyPolicy"] = GetKeyPolicy,
            ["ListKeys"] = ListKeys,
            ["ListAliases"] = ListAliases,
        };

    public static string? Resource(CallContext c)
    {
        var id = c.Str("KeyId");
        if (id is null) return null;
        if (id.StartsWith("arn:", StringComparison.Ordinal)) return id;
        return id.StartsWith("alias/", StringComparison.Ordinal)
            ? $"arn:aws:kms:{c.Region}:{c.Account}:{id}"
            : $"arn:aws:kms:{c.Region}:{c.Account}:key/{id}";
    }

    private static IEnumerable<JsonObject> Keys(CallContext c) => c.Collection("keys").Objects();

    private static string KeyIdOf(JsonObject key) => key["KeyMetadata"].S("KeyId")!;

    private static string KeyArn(CallContext c, JsonObject key) =>
        key["KeyMetadata"].S("Arn") ?? $"arn:aws:kms:{c.Region}:{c.Account}:key/{KeyIdOf(key)}";

    private static JsonObject FindKey(CallContext c, string keyId, bool allowAlias)
    {
        var aliasName = keyId.StartsWith("alias/", StringComparison.Ordinal) ? keyId
            : keyId.StartsWith("arn:", StringComparison.Ordinal) && keyId.Split(':', 6)[5].StartsWith("alias/", StringComparison.Ordinal) ? keyId.Split(':', 6)[5]
            : null;
        if (aliasName is not null)
        {
            var aliasArn = $"arn:aws:kms:{c.Region}:{c.Account}:{aliasName}";
            if (!allowAlias) throw new AwsErrorException("NotFoundException", 400, $"Alias {aliasArn} is not found.");
            return Keys(c).FirstOrDefault(k => (k["Aliases"] as JsonArray ?? new JsonArray()).Any(a => WireFormat.ScalarText(a) == aliasName))
                ?? throw new AwsErrorException("NotFoundException", 400, $"Alias {aliasArn} is not found.");
        }
        var found = Keys(c).FirstOrDefault(k => KeyIdOf(k) == keyId || KeyArn(c, k) == keyId);
        if (found is not null) return found;
        if (keyId.StartsWith("arn:", StringComparison.Ordinal))
        {
            var parts = keyId.Split(':', 6);
            if (parts.Length != 6 || !parts[5].StartsWith("key/", StringComparison.Ordinal))
                throw new AwsErrorException("InvalidArnException", 400, $"ARN {keyId} is not a valid KMS key ARN.");
        }
        var arn = keyId.StartsWith("arn:", StringComparison.Ordinal) ? keyId : $"arn:aws:kms:{c.Region}:{c.Account}:key/{keyId}";
        throw new AwsErrorException("NotFoundException", 400, $"Key '{arn}' does not exist");
    }

    private static JsonObject Metadata(CallContext c, JsonObject key)
    {
        var m = (key["KeyMetadata"] as JsonObject)!.CloneObj();
        m["Arn"] ??= KeyArn(c, key);
        m["AWSAccountId"] ??= c.Account;
        m["Enabled"] ??= true;
        m["KeyState"] ??= "Enabled";
        m["KeyUsage"] ??= "ENCRYPT_DECRYPT";
        m["KeySpec"] ??= "SYMMETRIC_DEFAULT";
        m["KeyManager"] ??= "CUSTOMER";
        m["Origin"] ??= "AWS_KMS";
        return m;
    }

    private static JsonObject GetKeyRotationStatus(CallContext c)
    {
        var key = FindKey(c, c.Required("KeyId"), allowAlias: false);
        var enabled = key["KeyRotationEnabled"] is JsonValue v && (bool)v;
        return Obj(
            ("KeyRotationEnabled", JsonValue.Create(enabled)),
            ("KeyId", JsonValue.Create(KeyArn(c, key))),
            ("RotationPeriodInDays", enabled ? key["RotationPeriodInDays"]?.DeepClone() ?? JsonValue.Create(365) : null),
            ("NextRotationDate", enabled ? key["NextRotationDate"]?.DeepClone() : null),
            ("OnDemandRotationStartDate", key["OnDemandRotationStartDate"]?.DeepClone()));
    }

    private static JsonObject GetKeyPolicy(CallContext c)
    {
        var key = FindKey(c, c.Required("KeyId"), allowAlias: false);
        var name = c.Str("PolicyName") ?? "default";
        if (name != "default") throw new AwsErrorException("NotFoundException", 400, $"Policy name {name} not found.");
        var policy = key["Policy"]?.DeepClone() ?? JsonValue.Create(
            $$"""{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{c.Account}}:root"},"Action":"kms:*","Resource":"*"}]}""");
        return Obj(("Policy", policy), ("PolicyName", JsonValue.Create(name)));
    }

    private static int? KmsLimit(CallContext c)
    {
        var limit = c.Int("Limit");
        if (limit is < 1 or > 1000)
            throw new AwsErrorException("ValidationException", 400, $"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000");
        return limit;
    }

    private static JsonObject ListKeys(CallContext c)
    {
        var keys = Keys(c).Select(k => Obj(("KeyId", JsonValue.Create(KeyIdOf(k))), ("KeyArn", JsonValue.Create(KeyArn(c, k))))).ToList();
        var (page, next) = c.Page(keys, c.Str("Marker"), KmsLimit(c), 100);
        return Obj(("Keys", Arr(page)), ("NextMarker", next), ("Truncated", JsonValue.Create(next is not null)));
    }

    private static JsonObject ListAliases(CallContext c)
    {
        var filterKey = c.Str("KeyId");
        var filterKeyId = filterKey is null ? null : KeyIdOf(FindKey(c, filterKey, allowAlias: false));
        var aliases = Keys(c)
            .Where(k => filterKeyId is null || KeyIdOf(k) == filterKeyId)
            .SelectMany(k => (k["Aliases"] as JsonArray ?? new JsonArray()).Select(a => Obj(
                ("AliasName", JsonValue.Create(WireFormat.ScalarText(a))),
                ("AliasArn", JsonValue.Create($"arn:aws:kms:{c.Region}:{c.Account}:{WireFormat.ScalarText(a)}")),
                ("TargetKeyId", JsonValue.Create(KeyIdOf(k))))))
            .ToList();
        var (page, next) = c.Page(aliases, c.Str("Marker"), KmsLimit(c), 50);
        return Obj(("Aliases", Arr(page)), ("NextMarker", next), ("Truncated", JsonValue.Create(next is not null)));
    }
}
