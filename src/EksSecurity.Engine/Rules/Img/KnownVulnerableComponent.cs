using System.Globalization;
using System.Text.RegularExpressions;

namespace EksSecurity.Engine.Rules.Img;

/// <summary>
/// One entry of EKS-IMG-011's list (<see cref="RuleSettings.KnownVulnerableComponents"/>): a cluster component, the
/// images it ships as, the versions an advisory covers, and where the fix is.
/// </summary>
/// <param name="Component">What it is, for messages: "ingress-nginx controller".</param>
/// <param name="Repositories">Image repository globs (the path after the registry host; * and ? wildcards, * crosses "/"):
/// "ingress-nginx/controller", "*/ingress-nginx/controller" for mirrors.</param>
/// <param name="Versions">Affected versions: ranges of "&gt;=", "&gt;", "&lt;=", "&lt;" or "=" bounds separated by spaces, alternatives
/// separated by "||"; "*" is every version. "&lt;1.11.5 || &gt;=1.12.0 &lt;1.12.1".</param>
/// <param name="Advisory">The advisory or notice: "CVE-2025-1974 (IngressNightmare): ...".</param>
/// <param name="FixedIn">What to move to: "1.11.5, 1.12.1 or later".</param>
/// <param name="EffectiveFrom">For end-of-life entries: the date from which the entry applies (compared with the snapshot's collectedAt); null = always.</param>
public sealed partial record KnownVulnerableComponent(
    string Component,
    IReadOnlyList<string> Repositories,
    string Versions,
    string Advisory,
    string FixedIn,
    DateTimeOffset? EffectiveFrom = null)
{
    /// <summary>True when <paramref name="repository"/> is one of this component's images.</summary>
    public bool MatchesRepository(string repository) =>
        Repositories.Any(p => WildcardMatch.IsMatch(repository, p, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when <paramref name="version"/> falls in <see cref="Versions"/>; throws <see cref="FormatException"/> on a malformed range.</summary>
    public bool Affects(Version version)
    {
        foreach (var alternative in Versions.Split("||", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (alternative == "*") return true;
            var all = true;
            foreach (var bound in alternative.Split(' ', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var m = BoundPattern().Match(bound);
                if (!m.Success || ParseVersion(m.Groups[2].Value) is not { } limit)
                    throw new FormatException($"'{bound}' in '{Versions}' is not a version bound such as >=1.2.3.");
                var c = version.CompareTo(limit);
                var ok = m.Groups[1].Value switch
                {
                    ">=" => c >= 0,
                    ">" => c > 0,
                    "<=" => c <= 0,
                    "<" => c < 0,
                    _ => c == 0,
                };
                if (!ok)
                {
                    all = false;
                    break;
                }
            }
            if (all) return true;
        }
        return false;
    }

    [GeneratedRegex(@"^(>=|<=|>|<|=)?v?(\d+(?:\.\d+){0,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex BoundPattern();

    [GeneratedRegex(@"^v?(\d{1,4})(?:\.(\d{1,6}))?(?:\.(\d{1,6}))?(?=$|[-+_])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TagPattern();

    /// <summary>
    /// The version an image tag names: "v1.11.4" → 1.11.4, "1.11.2-debian-12-r0" → 1.11.2, "9.2" → 9.2.0. Null when the tag
    /// does not start with a version ("latest", "main", a commit hash).
    /// </summary>
    public static Version? ParseVersion(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return null;
        var m = TagPattern().Match(tag.Trim());
        if (!m.Success) return null;
        static int Part(Group g) => g.Success ? int.Parse(g.Value, CultureInfo.InvariantCulture) : 0;
        return new Version(Part(m.Groups[1]), Part(m.Groups[2]), Part(m.Groups[3]));
    }
}
