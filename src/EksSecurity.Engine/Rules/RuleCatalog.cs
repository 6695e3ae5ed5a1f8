using System.Reflection;
using System.Text.RegularExpressions;

namespace EksSecurity.Engine.Rules;

/// <summary>Every rule in this assembly, found by reflection, ordered by id.</summary>
public sealed partial class RuleCatalog
{
    [GeneratedRegex(@"^EKS-(IAM|POD|NET|DATA|LOG|MON|INFRA|IMG|RUNTIME|TENANT|HEALTH)-\d{3}$")]
    private static partial Regex IdPattern();

    private static readonly Lazy<RuleCatalog> s_default = new(() => new RuleCatalog(Discover(typeof(Rule).Assembly)));
    public static RuleCatalog Default => s_default.Value;

    public RuleCatalog(IEnumerable<Rule> rules)
    {
        Rules = rules.OrderBy(r => r.Metadata.Id, StringComparer.Ordinal).ToList();
        var duplicate = Rules.GroupBy(r => r.Metadata.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Rule id {duplicate.Key} is used by more than one rule.");
        foreach (var rule in Rules)
        {
            var m = rule.Metadata;
            if (!IdPattern().IsMatch(m.Id)) throw new InvalidOperationException($"Rule {rule.GetType().Name} has a malformed id '{m.Id}'.");
            if (!m.Id.Split('-')[1].Equals(m.Area.ToString(), StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"Rule {m.Id} declares area {m.Area}, which does not match its id.");
        }
        ById = Rules.ToDictionary(r => r.Metadata.Id, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<Rule> Rules { get; }
    public IReadOnlyDictionary<string, Rule> ById { get; }

    public static IEnumerable<Rule> Discover(Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => typeof(Rule).IsAssignableFrom(t) && t is { IsAbstract: false, IsClass: true } && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (Rule)Activator.CreateInstance(t)!);
}
