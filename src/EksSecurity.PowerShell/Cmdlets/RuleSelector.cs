using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>Selects rules of the catalogue by id (PowerShell wildcards), area, severity and tag.</summary>
internal sealed class RuleSelector
{
    public string[]? Id { get; init; }
    public string[]? ExcludeId { get; init; }
    public RuleArea[]? Area { get; init; }
    public Severity[]? Severity { get; init; }
    public string[]? Tag { get; init; }

    public List<EksSecurityRule> Select(IEnumerable<EksSecurityRule> rules, out List<string> unmatchedIds)
    {
        var include = Patterns(Id);
        var exclude = Patterns(ExcludeId);
        var tags = Patterns(Tag);
        var matched = new HashSet<string>();
        var selected = new List<EksSecurityRule>();
        foreach (var rule in rules)
        {
            if (include is not null)
            {
                var hits = include.Where(p => p.Pattern.IsMatch(rule.Id)).Select(p => p.Text).ToList();
                if (hits.Count == 0) continue;
                matched.UnionWith(hits);
            }
            if (exclude is not null && exclude.Any(p => p.Pattern.IsMatch(rule.Id))) continue;
            if (Area is { Length: > 0 } && !Area.Contains(rule.Area)) continue;
            if (Severity is { Length: > 0 } && !Severity.Contains(rule.Severity)) continue;
            if (tags is not null && !rule.Tags.Any(t => tags.Any(p => p.Pattern.IsMatch(t)))) continue;
            selected.Add(rule);
        }
        // A literal id that names no rule is a typo worth an error; a wildcard that matches nothing is not.
        unmatchedIds = (Id ?? []).Where(id => !WildcardPattern.ContainsWildcardCharacters(id) && !matched.Contains(id)).ToList();
        return selected;
    }

    private static List<(string Text, WildcardPattern Pattern)>? Patterns(string[]? values) =>
        values is { Length: > 0 }
            ? values.Select(v => (v, WildcardPattern.Get(v, WildcardOptions.IgnoreCase))).ToList()
            : null;
}
