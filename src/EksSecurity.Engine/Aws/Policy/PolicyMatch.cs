using System.Text;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;

namespace EksSecurity.Engine.Aws.Policy;

/// <summary>
/// Wildcard matching as IAM does it, on top of <see cref="WildcardMatch"/>. A pattern may carry
/// <see cref="LiteralStar"/> and <see cref="LiteralQuestionMark"/> (from the ${*} and ${?} escapes and from
/// substituted values): the request value's own * and ? are mapped to the same characters before matching, so
/// those match only themselves while the pattern's real * and ? stay wildcards.
/// </summary>
internal static class PolicyMatch
{
    internal const char LiteralStar = '\uE000';
    internal const char LiteralQuestionMark = '\uE001';

    /// <summary>Actions: "s3:Get*" against "s3:GetObject", case-insensitive.</summary>
    public static bool Action(string action, string pattern) =>
        WildcardMatch.IsMatch(action, pattern, StringComparison.OrdinalIgnoreCase);

    /// <summary>StringLike: case-sensitive, * any run (including none), ? one character.</summary>
    public static bool Like(string value, string pattern, StringComparison comparison = StringComparison.Ordinal) =>
        WildcardMatch.IsMatch(Shield(value), pattern, comparison);

    /// <summary>
    /// ArnLike and the Resource element: each of the six colon-separated ARN parts is matched on its own (a
    /// wildcard does not cross into the next part); the last part keeps its colons. A pattern with fewer parts
    /// ("*", "arn:aws:*") lets its last part cover the rest of the value.
    /// </summary>
    public static bool Arn(string value, string pattern)
    {
        var patternParts = pattern.Split(':', 6);
        var valueParts = value.Split(':', patternParts.Length);
        if (valueParts.Length != patternParts.Length) return false;
        for (var i = 0; i < patternParts.Length; i++)
            if (!Like(valueParts[i], patternParts[i]))
                return false;
        return true;
    }

    /// <summary>The pattern with escaped wildcards turned back into plain characters, for exact comparisons.</summary>
    public static string Literal(string pattern) =>
        pattern.IndexOfAny([LiteralStar, LiteralQuestionMark]) < 0 ? pattern : pattern.Replace(LiteralStar, '*').Replace(LiteralQuestionMark, '?');

    internal static string Shield(string value) =>
        value.IndexOfAny(['*', '?']) < 0 ? value : value.Replace('*', LiteralStar).Replace('?', LiteralQuestionMark);
}

/// <summary>
/// Policy variables in Resource and condition values: ${aws:username}, ${aws:PrincipalTag/team},
/// ${key, 'default'} (with '' for a quote in the default), and the escapes ${*}, ${?}, ${$}. One pass: a
/// substituted value is never read again for variables, and its * and ? are literal.
/// </summary>
internal static class PolicyVariables
{
    /// <summary>The text with variables substituted; null when one names a key the request lacks (or holds several values) and has no default, so the pattern matches nothing.</summary>
    public static string? Resolve(string text, AccessRequest? request, bool variablesEnabled)
    {
        if (!variablesEnabled || !text.Contains("${", StringComparison.Ordinal)) return text;
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{' && TryReadVariable(text, i + 2, out var key, out var fallback, out var end))
            {
                switch (key)
                {
                    case "*": result.Append(PolicyMatch.LiteralStar); break;
                    case "?": result.Append(PolicyMatch.LiteralQuestionMark); break;
                    case "$": result.Append('$'); break;
                    default:
                        if (request is not null && request.TryGetContextValues(key, out var values) && values.Count == 1)
                            result.Append(PolicyMatch.Shield(values[0]));
                        else if (fallback is not null)
                            result.Append(fallback);
                        else
                            return null;
                        break;
                }
                i = end + 1;
            }
            else
            {
                result.Append(text[i++]);
            }
        }
        return result.ToString();
    }

    /// <summary>The context keys named by ${...} variables in <paramref name="text"/> (escapes excluded).</summary>
    public static IEnumerable<string> KeysIn(string text)
    {
        for (var i = text.IndexOf("${", StringComparison.Ordinal); i >= 0; i = text.IndexOf("${", i + 2, StringComparison.Ordinal))
            if (TryReadVariable(text, i + 2, out var key, out _, out _) && key is not ("*" or "?" or "$"))
                yield return key;
    }

    /// <summary>Reads "key}" or "key, 'default'}" from <paramref name="start"/>; <paramref name="end"/> is the index of the closing brace.</summary>
    private static bool TryReadVariable(string text, int start, out string key, out string? fallback, out int end)
    {
        key = "";
        fallback = null;
        end = -1;
        var k = start;
        while (k < text.Length && text[k] != '}' && text[k] != ',') k++;
        if (k >= text.Length) return false;
        key = text[start..k].Trim();
        if (key.Length == 0) return false;
        if (text[k] == '}')
        {
            end = k;
            return true;
        }
        var m = k + 1;
        while (m < text.Length && text[m] == ' ') m++;
        if (m >= text.Length || text[m] != '\'') return false;
        var value = new StringBuilder();
        m++;
        while (true)
        {
            if (m >= text.Length) return false;
            if (text[m] == '\'')
            {
                if (m + 1 < text.Length && text[m + 1] == '\'')
                {
                    value.Append('\'');
                    m += 2;
                    continue;
                }
                m++;
                break;
            }
            value.Append(text[m++]);
        }
        while (m < text.Length && text[m] == ' ') m++;
        if (m >= text.Length || text[m] != '}') return false;
        fallback = value.ToString();
        end = m;
        return true;
    }
}

/// <summary>Whether a Principal entry names the caller, with IAM's shorthands: accounts, role sessions, "*".</summary>
internal static class PrincipalMatcher
{
    public static bool Matches(StatementPrincipal entry, RequestPrincipal? caller)
    {
        // "Principal": "*" and {"AWS": "*"} both mean everyone, anonymous callers included.
        if (entry.Type == PrincipalTypes.Everyone) return true;
        if (entry.Type == PrincipalTypes.Aws && entry.IsWildcard) return true;
        if (caller is null || !string.Equals(entry.Type, caller.Type, StringComparison.OrdinalIgnoreCase)) return false;
        if (entry.IsWildcard) return true;
        var value = entry.Value.Trim();
        return entry.Type switch
        {
            PrincipalTypes.Aws => AwsMatches(value, caller),
            PrincipalTypes.Service => string.Equals(value, caller.Value, StringComparison.OrdinalIgnoreCase),
            _ => string.Equals(value, caller.Value, StringComparison.Ordinal),
        };
    }

    /// <summary>Whether the entry names this very user or role session (not its account, not its role): resource policy grants IAM does not cap with a permissions boundary.</summary>
    internal static bool NamesSessionOrUserDirectly(StatementPrincipal entry, RequestPrincipal caller)
    {
        if (entry.Type != PrincipalTypes.Aws || caller.Type != PrincipalTypes.Aws) return false;
        var named = IamPrincipalArn.Parse(entry.Value);
        if (named is null) return false;
        var isSession = named.Arn.Contains(":assumed-role/", StringComparison.Ordinal);
        return (named.Kind == PrincipalKind.User || isSession) && string.Equals(named.Arn, caller.Value.Trim(), StringComparison.Ordinal);
    }

    private static bool AwsMatches(string value, RequestPrincipal caller)
    {
        if (RequestPrincipal.AccountNamedBy(value) is { } account)
            return string.Equals(account, caller.Account, StringComparison.Ordinal);
        if (string.Equals(value, caller.Value, StringComparison.Ordinal)) return true;
        // A role ARN stands for every session of that role; IAM names are unique regardless of case.
        var named = IamPrincipalArn.Parse(value);
        var calling = IamPrincipalArn.Parse(caller.Value);
        return named is not null && calling is not null && named.SameEntity(calling);
    }
}
