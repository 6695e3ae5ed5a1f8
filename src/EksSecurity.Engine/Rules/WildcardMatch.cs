namespace EksSecurity.Engine.Rules;

/// <summary>
/// Glob matching for allow-lists and exclusions in <see cref="RuleSettings"/>: <c>*</c> matches any
/// run of characters (including none, and including <c>:</c> and <c>/</c>), <c>?</c> exactly one.
/// Case-sensitive, as Kubernetes names and RBAC subjects are. No regular expressions: a pattern
/// from a settings file cannot cause catastrophic backtracking.
/// </summary>
public static class WildcardMatch
{
    /// <summary>True when <paramref name="value"/> matches <paramref name="pattern"/> as a whole.</summary>
    public static bool IsMatch(string value, string pattern, StringComparison comparison = StringComparison.Ordinal)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(pattern);
        var ignoreCase = comparison is StringComparison.OrdinalIgnoreCase or StringComparison.CurrentCultureIgnoreCase or StringComparison.InvariantCultureIgnoreCase;
        int v = 0, p = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || CharEquals(pattern[p], value[v], ignoreCase)) && pattern[p] != '*')
            {
                v++;
                p++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                // Remember the star; first try matching it against nothing.
                star = p++;
                resume = v;
            }
            else if (star >= 0)
            {
                // Let the last star swallow one more character and retry.
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    /// <summary>The first pattern of <paramref name="patterns"/> that matches <paramref name="value"/>, or null.</summary>
    public static string? FirstMatch(string value, IEnumerable<string>? patterns, StringComparison comparison = StringComparison.Ordinal)
    {
        if (patterns is null) return null;
        foreach (var pattern in patterns)
            if (!string.IsNullOrEmpty(pattern) && IsMatch(value, pattern, comparison))
                return pattern;
        return null;
    }

    private static bool CharEquals(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
