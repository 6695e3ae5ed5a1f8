using System.Diagnostics.CodeAnalysis;

namespace EksSecurity.Engine.Aws.Policy;

internal enum PolicyEffect
{
    Allow,
    Deny,
}

/// <summary>
/// What the caller says a document is. Only used to check the elements that kind must or must not have
/// (an identity policy names no Principal, a trust policy names one and no Resource).
/// </summary>
internal enum PolicyKind
{
    Unspecified,
    Identity,
    Resource,
    Trust,
}

/// <summary>The principal types a policy's Principal map can name.</summary>
internal static class PrincipalTypes
{
    public const string Aws = "AWS";
    public const string Service = "Service";
    public const string Federated = "Federated";
    public const string CanonicalUser = "CanonicalUser";
    /// <summary>The type of the one entry of <c>"Principal": "*"</c>.</summary>
    public const string Everyone = "*";

    internal static readonly string[] All = [Aws, Service, Federated, CanonicalUser];
}

/// <summary>One entry of a Principal or NotPrincipal element: <c>AWS:arn:aws:iam::111122223333:root</c>, or <c>*</c>.</summary>
internal readonly record struct StatementPrincipal(string Type, string Value)
{
    public bool IsWildcard => Value == "*";
    public override string ToString() => Type == PrincipalTypes.Everyone ? "*" : $"{Type}:{Value}";
}

/// <summary>
/// A parsed IAM policy document (identity, resource, trust or boundary policy). Build it with
/// <see cref="Parse"/> or <see cref="TryParse"/>; evaluate it with <see cref="PolicyEvaluator"/>,
/// <see cref="TrustPolicy"/> and <see cref="PolicyAnalysis"/>.
/// </summary>
internal sealed class PolicyDocument
{
    public const string CurrentVersion = "2012-10-17";
    public const string LegacyVersion = "2008-10-17";

    /// <summary>The name the caller gave (policy name, ARN, "trust policy of role X"); every message and evidence line carries it.</summary>
    public required string Name { get; init; }
    public string? Version { get; init; }
    public string? Id { get; init; }
    public required IReadOnlyList<PolicyStatement> Statements { get; init; }

    /// <summary>IAM substitutes ${...} only under Version 2012-10-17; older or absent versions read it literally.</summary>
    public bool SupportsVariables => Version == CurrentVersion;

    public IEnumerable<PolicyStatement> Allows => Statements.Where(s => s.IsAllow);
    public IEnumerable<PolicyStatement> Denies => Statements.Where(s => s.IsDeny);

    /// <summary>Parses a policy document (plain or URL-encoded JSON); throws <see cref="PolicyParseException"/> naming the policy and statement.</summary>
    public static PolicyDocument Parse(string? json, string policyName, PolicyKind kind = PolicyKind.Unspecified) =>
        PolicyParser.Parse(json, policyName, kind);

    /// <summary>As <see cref="Parse"/>, with the error message instead of an exception.</summary>
    public static bool TryParse(string? json, string policyName, [NotNullWhen(true)] out PolicyDocument? document, [NotNullWhen(false)] out string? error, PolicyKind kind = PolicyKind.Unspecified)
    {
        try
        {
            document = PolicyParser.Parse(json, policyName, kind);
            error = null;
            return true;
        }
        catch (PolicyParseException ex)
        {
            document = null;
            error = ex.Message;
            return false;
        }
    }

    public override string ToString() => $"policy '{Name}' ({Statements.Count} statements)";
}

/// <summary>One statement of a <see cref="PolicyDocument"/>, with the matching IAM applies to each element.</summary>
internal sealed class PolicyStatement
{
    public required string PolicyName { get; init; }
    /// <summary>Position in the Statement array, from 0 (the JSON index).</summary>
    public int Index { get; init; }
    public string? Sid { get; init; }
    public PolicyEffect Effect { get; init; }

    /// <summary>True when the statement has a Principal or a NotPrincipal element.</summary>
    public bool HasPrincipal { get; init; }
    public bool IsNotPrincipal { get; init; }
    /// <summary>The entries of Principal (or NotPrincipal when <see cref="IsNotPrincipal"/>).</summary>
    public IReadOnlyList<StatementPrincipal> Principals { get; init; } = [];

    public bool IsNotAction { get; init; }
    /// <summary>The patterns of Action (or NotAction when <see cref="IsNotAction"/>).</summary>
    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>False for trust policies and other resource policies that leave Resource out: the statement covers the resource it is attached to.</summary>
    public bool HasResource { get; init; }
    public bool IsNotResource { get; init; }
    /// <summary>The patterns of Resource (or NotResource when <see cref="IsNotResource"/>).</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    public IReadOnlyList<PolicyCondition> Conditions { get; init; } = [];
    /// <summary>Whether ${...} in Resource and condition values is a policy variable (Version 2012-10-17).</summary>
    public bool VariablesEnabled { get; init; }

    public bool IsAllow => Effect == PolicyEffect.Allow;
    public bool IsDeny => Effect == PolicyEffect.Deny;
    public bool HasConditions => Conditions.Count > 0;

    /// <summary>"statement 2 (Sid AllowEks)".</summary>
    public string Name => string.IsNullOrEmpty(Sid) ? $"statement {Index}" : $"statement {Index} (Sid {Sid})";
    /// <summary>"policy 'AppPolicy' statement 2 (Sid AllowEks)": what evidence prints.</summary>
    public string Label => $"policy '{PolicyName}' {Name}";

    /// <summary>Whether Action (or NotAction) covers <paramref name="action"/>; case-insensitive, * and ? wildcards.</summary>
    public bool CoversAction(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var listed = Actions.Any(pattern => PolicyMatch.Action(action, pattern));
        return IsNotAction ? !listed : listed;
    }

    /// <summary>
    /// Whether Resource (or NotResource) covers <paramref name="resource"/>: case-sensitive, ARN segments
    /// matched one by one as ArnLike does, policy variables resolved from <paramref name="request"/>.
    /// A statement without a Resource element covers the resource it is attached to (any).
    /// </summary>
    public bool CoversResource(string? resource, AccessRequest? request = null)
    {
        if (!HasResource) return true;
        var listed = Resources.Any(pattern =>
            PolicyVariables.Resolve(pattern, request, VariablesEnabled) is { } resolved &&
            (resource is null ? resolved == "*" : PolicyMatch.Arn(resource, resolved)));
        return IsNotResource ? !listed : listed;
    }

    /// <summary>Whether Principal (or NotPrincipal) lets <paramref name="principal"/> in; null is an anonymous caller. False when the statement names no principal.</summary>
    public bool AdmitsPrincipal(RequestPrincipal? principal) => HasPrincipal && (IsNotPrincipal ? MatchedPrincipal(principal) is null : MatchedPrincipal(principal) is not null);

    /// <summary>The Principal (or NotPrincipal) entry that names <paramref name="principal"/>, or null.</summary>
    public StatementPrincipal? MatchedPrincipal(RequestPrincipal? principal)
    {
        foreach (var entry in Principals)
            if (PrincipalMatcher.Matches(entry, principal))
                return entry;
        return null;
    }

    /// <summary>Whether every condition holds for the request (conditions are AND'd; no Condition element is true).</summary>
    public bool ConditionsHold(AccessRequest request) => Conditions.All(c => c.IsSatisfiedBy(request, VariablesEnabled));

    /// <summary>The conditions on <paramref name="key"/> (condition keys compare case-insensitively).</summary>
    public IReadOnlyList<PolicyCondition> ConditionsOn(string key) =>
        Conditions.Where(c => string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>
    /// Whether the statement applies to the request: action, resource and conditions, and the principal when
    /// <paramref name="checkPrincipal"/> (resource and trust policies; identity policies have no Principal).
    /// </summary>
    public bool Applies(AccessRequest request, bool checkPrincipal)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (checkPrincipal && !AdmitsPrincipal(request.Principal)) return false;
        return CoversAction(request.Action) && CoversResource(request.Resource, request) && ConditionsHold(request);
    }

    /// <summary>One line a finding can print: "policy 'X' statement 0 (Sid S): Allow Action [s3:*] Resource [*] Condition StringEquals aws:SourceVpc [vpc-1]".</summary>
    public string Describe()
    {
        var parts = new List<string> { $"{Label}: {Effect}" };
        if (HasPrincipal) parts.Add($"{(IsNotPrincipal ? "NotPrincipal" : "Principal")} [{string.Join(", ", Principals)}]");
        parts.Add($"{(IsNotAction ? "NotAction" : "Action")} [{string.Join(", ", Actions)}]");
        if (HasResource) parts.Add($"{(IsNotResource ? "NotResource" : "Resource")} [{string.Join(", ", Resources)}]");
        if (HasConditions) parts.Add("Condition " + string.Join("; ", Conditions));
        return string.Join(" ", parts);
    }

    public override string ToString() => Label;
}

/// <summary>One key under one operator of a Condition element: <c>"StringEquals": {"aws:SourceVpc": ["vpc-1", "vpc-2"]}</c>.</summary>
internal sealed class PolicyCondition
{
    public required ConditionOperator Operator { get; init; }
    public required string Key { get; init; }
    /// <summary>The policy's values, as written (numbers and booleans as their JSON text).</summary>
    public required IReadOnlyList<string> Values { get; init; }

    public bool IsSatisfiedBy(AccessRequest request, bool variablesEnabled) => ConditionEvaluator.IsSatisfied(this, request, variablesEnabled);

    public override string ToString() => $"{Operator.Name} {Key} [{string.Join(", ", Values)}]";
}
