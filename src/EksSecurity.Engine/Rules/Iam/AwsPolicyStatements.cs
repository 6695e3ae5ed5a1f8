using System.Text.Json;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>One principal of a policy statement: its type (AWS, Service, Federated, CanonicalUser, or * for "Principal": "*") and value.</summary>
internal readonly record struct PolicyPrincipal(string Type, string Value)
{
    public bool IsWildcard => Value == "*";
    public override string ToString() => Type == "*" ? "*" : $"{Type}:{Value}";
}

/// <summary>
/// One statement of an IAM or KMS policy document (decoded JSON text), read the way IAM reads it:
/// single values or arrays, Principal "*" or a map of principal types, NotPrincipal and NotAction.
/// </summary>
internal sealed class AwsPolicyStatement
{
    public int Index { get; init; }
    public string? Sid { get; init; }
    public string Effect { get; init; } = "";
    public IReadOnlyList<PolicyPrincipal> Principals { get; init; } = [];
    public bool HasNotPrincipal { get; init; }
    public IReadOnlyList<string> Actions { get; init; } = [];
    public IReadOnlyList<string> NotActions { get; init; } = [];
    /// <summary>Condition keys (such as kms:CallerAccount), empty when the statement has no condition.</summary>
    public IReadOnlyList<string> ConditionKeys { get; init; } = [];

    public bool IsAllow => string.Equals(Effect, "Allow", StringComparison.OrdinalIgnoreCase);
    public bool HasCondition => ConditionKeys.Count > 0;
    public bool HasWildcardPrincipal => Principals.Any(p => p.IsWildcard);

    /// <summary>Whether the statement's Action (or NotAction) covers <paramref name="action"/>; wildcards and case as IAM compares them.</summary>
    public bool Covers(string action) =>
        Actions.Count > 0
            ? Actions.Any(a => WildcardMatch.IsMatch(action, a, StringComparison.OrdinalIgnoreCase))
            : NotActions.Count > 0 && !NotActions.Any(a => WildcardMatch.IsMatch(action, a, StringComparison.OrdinalIgnoreCase));

    /// <summary>"statement 2 (Sid AllowEks)".</summary>
    public string Name => string.IsNullOrEmpty(Sid) ? $"statement {Index}" : $"statement {Index} (Sid {Sid})";

    public string Describe()
    {
        var principal = HasNotPrincipal ? "NotPrincipal " + string.Join(", ", Principals) : "Principal " + (Principals.Count == 0 ? "(none)" : string.Join(", ", Principals));
        var action = Actions.Count > 0 ? "Action " + Rbac.List(Actions) : "NotAction " + Rbac.List(NotActions);
        var condition = HasCondition ? "Condition keys " + Rbac.List(ConditionKeys) : "no Condition";
        return $"{Name}: {Effect} {principal}; {action}; {condition}";
    }
}

internal static class AwsPolicyStatements
{
    /// <summary>The statements of a policy document; false with a reason when the text is not a policy.</summary>
    public static bool TryParse(string? json, out IReadOnlyList<AwsPolicyStatement> statements, out string? error)
    {
        statements = [];
        error = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            error = "the policy document is empty";
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object || !TryGet(document.RootElement, "Statement", out var statement))
            {
                error = "the document has no Statement";
                return false;
            }
            var elements = statement.ValueKind == JsonValueKind.Array ? statement.EnumerateArray().ToList() : [statement];
            var list = new List<AwsPolicyStatement>();
            for (var i = 0; i < elements.Count; i++)
            {
                if (elements[i].ValueKind != JsonValueKind.Object)
                {
                    error = $"statement {i} is not an object";
                    return false;
                }
                list.Add(Read(elements[i], i));
            }
            statements = list;
            return true;
        }
        catch (JsonException ex)
        {
            error = $"the policy document is not valid JSON: {ex.Message}";
            return false;
        }
    }

    private static AwsPolicyStatement Read(JsonElement s, int index)
    {
        var principals = new List<PolicyPrincipal>();
        var notPrincipal = false;
        if (TryGet(s, "Principal", out var p)) principals.AddRange(Principals(p));
        else if (TryGet(s, "NotPrincipal", out var np))
        {
            notPrincipal = true;
            principals.AddRange(Principals(np));
        }
        var conditionKeys = new List<string>();
        if (TryGet(s, "Condition", out var condition) && condition.ValueKind == JsonValueKind.Object)
            foreach (var op in condition.EnumerateObject())
                if (op.Value.ValueKind == JsonValueKind.Object)
                    conditionKeys.AddRange(op.Value.EnumerateObject().Select(k => k.Name));
        return new AwsPolicyStatement
        {
            Index = index,
            Sid = TryGet(s, "Sid", out var sid) && sid.ValueKind == JsonValueKind.String ? sid.GetString() : null,
            Effect = TryGet(s, "Effect", out var effect) && effect.ValueKind == JsonValueKind.String ? effect.GetString() ?? "" : "",
            Principals = principals,
            HasNotPrincipal = notPrincipal,
            Actions = TryGet(s, "Action", out var a) ? Strings(a) : [],
            NotActions = TryGet(s, "NotAction", out var na) ? Strings(na) : [],
            ConditionKeys = conditionKeys,
        };
    }

    private static IEnumerable<PolicyPrincipal> Principals(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            yield return new PolicyPrincipal("*", element.GetString() ?? "");
            yield break;
        }
        if (element.ValueKind != JsonValueKind.Object) yield break;
        foreach (var type in element.EnumerateObject())
            foreach (var value in Strings(type.Value))
                yield return new PolicyPrincipal(type.Name, value);
    }

    private static List<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString() ?? ""],
        JsonValueKind.Array => element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString() ?? "").ToList(),
        _ => [],
    };

    /// <summary>Policy element names are case-sensitive in the grammar, but tools write them in other cases; accept any.</summary>
    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        value = default;
        return false;
    }

    /// <summary>
    /// The account an AWS principal stands for when it is a whole account: "123456789012" or
    /// arn:partition:iam::123456789012:root. Null for roles, users, services and "*".
    /// </summary>
    public static string? AccountPrincipal(PolicyPrincipal principal)
    {
        if (principal.Type != "AWS") return null;
        var value = principal.Value.Trim();
        if (value.Length == 12 && value.All(char.IsAsciiDigit)) return value;
        var parsed = IamPrincipalArn.Parse(value);
        return parsed is { Kind: PrincipalKind.Other, Name: "root" } ? parsed.Account : null;
    }
}
