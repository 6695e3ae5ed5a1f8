namespace EksSecurity.Engine.Rules.Pod;

/// <summary>
/// A host path pattern of <see cref="RuleSettings.CredentialHostPaths"/>, compared segment by segment:
/// "*" in a segment matches within that segment only; a leading "*/" floats the rest to any depth.
/// </summary>
internal sealed class HostPathPattern
{
    private HostPathPattern(string text, bool floating, string[] segments)
    {
        Text = text;
        Floating = floating;
        PatternSegments = segments;
    }

    public string Text { get; }
    public bool Floating { get; }
    public string[] PatternSegments { get; }

    public static HostPathPattern Parse(string text)
    {
        var floating = text.StartsWith("*/", StringComparison.Ordinal);
        var rest = floating ? text[2..] : text;
        return new HostPathPattern(text, floating, rest.Split('/', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>How <paramref name="normalized"/> meets the pattern ("matches", "is inside", "is a directory above"), or null.</summary>
    public string? Describe(string normalized)
    {
        if (!normalized.StartsWith('/')) return null; // a Windows path
        var path = PodRuleSupport.Segments(normalized);
        string? best = null;
        IEnumerable<int> starts = Floating ? Enumerable.Range(0, path.Length + 1) : [0];
        foreach (var start in starts)
        {
            var n = path.Length - start;
            if (n >= PatternSegments.Length)
            {
                if (Prefix(path, start, PatternSegments.Length))
                    return n == PatternSegments.Length ? $"matches {Text}" : $"is inside {Text}";
            }
            // A directory above the pattern: a floating pattern needs at least one of its own segments matched,
            // or every directory would be "above" some .aws folder.
            else if ((!Floating || n > 0) && Prefix(path, start, n))
            {
                best ??= $"is a directory above {Text}";
            }
        }
        return best;
    }

    private bool Prefix(string[] path, int start, int count)
    {
        for (var i = 0; i < count; i++)
            if (!WildcardMatch.IsMatch(path[start + i], PatternSegments[i])) return false;
        return true;
    }
}
