using k8s.Models;

namespace EksSecurity.Engine.Kubernetes.Rbac;

/// <summary>
/// ClusterRole aggregation as the clusterrole-aggregation controller computes it: an aggregated
/// ClusterRole gets the rules of every other ClusterRole whose labels match one of its
/// clusterRoleSelectors (matched roles in name order, rules deduplicated). Aggregated roles can
/// match each other (admin aggregates edit, which aggregates view), so the union is taken to a fixed
/// point. Unlike the controller, which replaces the role's rules, the role keeps its own rules too:
/// in a live snapshot they already are the controller's last result, and in manifests they may be
/// empty.
/// </summary>
internal static class RbacAggregation
{
    public static void Apply(IReadOnlyDictionary<string, RbacRole> clusterRoles)
    {
        var aggregated = clusterRoles.Values.Where(r => r.IsAggregated).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        if (aggregated.Count == 0) return;
        var byName = clusterRoles.Values.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();

        // Labels do not change while we aggregate: match the selectors once.
        var sources = new Dictionary<RbacRole, List<RbacRole>>();
        foreach (var role in aggregated)
        {
            var matched = new List<RbacRole>();
            foreach (var selector in role.Aggregation!.ClusterRoleSelectors ?? [])
            {
                if (selector is null) continue;
                foreach (var candidate in byName)
                    if (candidate != role && !matched.Contains(candidate) && Matches(selector, candidate.Labels))
                        matched.Add(candidate);
            }
            sources[role] = matched;
        }

        // Each pass can only add rules, and there are finitely many: this ends. The bound is a guard.
        for (var pass = 0; pass <= aggregated.Count + 1; pass++)
        {
            var changed = false;
            foreach (var role in aggregated)
                foreach (var source in sources[role])
                {
                    var rules = source.RuleList;
                    for (var i = 0; i < rules.Count; i++)
                    {
                        var rule = rules[i];
                        var origin = rule.AggregatedFrom ?? $"{source.Ref} rules[{rule.Index}]";
                        if (role.TryAdd(new RbacRule(role, -1, rule.Policy, origin)))
                        {
                            changed = true;
                            continue;
                        }
                        // Already there (the snapshot carries the controller's result): note where it comes from.
                        var key = RbacFormat.CanonicalKey(rule.Policy);
                        var own = role.RuleList.FirstOrDefault(r => r.AggregatedFrom is null && RbacFormat.CanonicalKey(r.Policy) == key);
                        if (own is not null) own.AggregatedFrom = origin;
                    }
                }
            if (!changed) break;
        }
    }

    /// <summary>Kubernetes label-selector semantics: every matchLabels pair and every matchExpressions requirement holds; an empty selector matches everything.</summary>
    public static bool Matches(V1LabelSelector selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
            if (!labels.TryGetValue(key, out var actual) || actual != value) return false;
        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            if (requirement?.Key is not { } key) return false;
            var has = labels.TryGetValue(key, out var actual);
            var values = requirement.Values ?? [];
            var ok = requirement.OperatorProperty switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }
}
