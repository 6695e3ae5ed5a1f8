using EksSecurity.Engine.Kubernetes.Rbac;
using k8s.Models;

namespace EksSecurity.Engine.Kubernetes.NetworkPolicies;

/// <summary>Label selectors as NetworkPolicy uses them; whether an absent selector means "all" or "none" is for the caller to say.</summary>
internal static class LabelSelectors
{
    /// <summary>True when the selector has no requirement: it selects everything.</summary>
    public static bool IsEmpty(V1LabelSelector? selector) =>
        selector is null || ((selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0);

    /// <summary>
    /// Whether the selector selects an object with these labels; null labels stand for labels not known (any pod of a namespace),
    /// which only an empty selector is sure to select.
    /// </summary>
    public static bool Matches(V1LabelSelector? selector, IReadOnlyDictionary<string, string>? labels) =>
        IsEmpty(selector) || (labels is not null && RbacAggregation.Matches(selector!, labels));

    /// <summary>"{}" or "k=v,k2 In (a,b)" for evidence.</summary>
    public static string Describe(V1LabelSelector? selector)
    {
        if (IsEmpty(selector)) return "{}";
        var parts = new List<string>();
        foreach (var (k, v) in (selector!.MatchLabels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal)) parts.Add($"{k}={v}");
        foreach (var e in selector.MatchExpressions ?? [])
            parts.Add(e.OperatorProperty is "Exists" or "DoesNotExist" ? $"{e.Key} {e.OperatorProperty}" : $"{e.Key} {e.OperatorProperty} ({string.Join(",", e.Values ?? [])})");
        return string.Join(",", parts);
    }
}
