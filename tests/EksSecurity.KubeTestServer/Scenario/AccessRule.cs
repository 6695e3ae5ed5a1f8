using EksSecurity.KubeTestServer.Api;

namespace EksSecurity.KubeTestServer.Scenario;

/// <summary>
/// Verbs on resources, optionally limited to namespaces. Written as text:
/// <c>"list secrets"</c>, <c>"get,list secrets,configmaps in kube-system"</c>,
/// <c>"get nodes/proxy"</c>, <c>"list securitygrouppolicies.vpcresources.k8s.aws"</c>,
/// <c>"* *"</c>. A resource without a group matches it in any group; <c>*</c> matches any verb,
/// resource or subresource (<c>pods/*</c>: every pod subresource; <c>pods</c> alone: the
/// resource, not its subresources).
/// </summary>
public sealed class AccessRule
{
    public IReadOnlyList<string> Verbs { get; init; } = ["*"];
    /// <summary>resource, resource/subresource, resource.group, resource.group/subresource or *.</summary>
    public IReadOnlyList<string> Resources { get; init; } = ["*"];
    /// <summary>Null: every namespace and the cluster scope.</summary>
    public IReadOnlyList<string>? Namespaces { get; init; }

    public static AccessRule Parse(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length is not (2 or 4) || (words.Length == 4 && words[2] != "in"))
            throw new FormatException($"Access rule '{text}': expected 'VERBS RESOURCES' or 'VERBS RESOURCES in NAMESPACES' (comma-separated lists, * for any).");
        static string[] List(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new AccessRule
        {
            Verbs = List(words[0]),
            Resources = List(words[1]),
            Namespaces = words.Length == 4 ? List(words[3]) : null,
        };
    }

    public bool Matches(string verb, ResourceType type, string? subresource, string? @namespace)
    {
        if (!Verbs.Contains("*") && !Verbs.Contains(verb)) return false;
        if (Namespaces is not null && (@namespace is null || !Namespaces.Contains(@namespace) && !Namespaces.Contains("*"))) return false;
        foreach (var r in Resources)
            if (MatchesResource(r, type, subresource)) return true;
        return false;
    }

    private static bool MatchesResource(string pattern, ResourceType type, string? subresource)
    {
        if (pattern == "*") return true;
        var slash = pattern.IndexOf('/');
        var resourcePart = slash < 0 ? pattern : pattern[..slash];
        var subPart = slash < 0 ? null : pattern[(slash + 1)..];
        var dot = resourcePart.IndexOf('.');
        var plural = dot < 0 ? resourcePart : resourcePart[..dot];
        var group = dot < 0 ? null : resourcePart[(dot + 1)..];
        if (plural != "*" && plural != type.Plural) return false;
        if (group is not null && group != "*" && group != type.Group && !(group == "core" && type.Group.Length == 0)) return false;
        if (subPart is null) return subresource is null;
        return subPart == "*" || subPart == subresource;
    }

    public override string ToString() =>
        $"{string.Join(',', Verbs)} {string.Join(',', Resources)}" + (Namespaces is null ? "" : " in " + string.Join(',', Namespaces));
}

/// <summary>A bearer token of the scenario and whom it authenticates, with what it may do.</summary>
public sealed class ScenarioUser
{
    /// <summary>The bearer token; null for rules that apply to a user authenticated otherwise (an EKS token validated by the callback).</summary>
    public string? Token { get; init; }
    public required string Name { get; init; }
    public IReadOnlyList<string> Groups { get; init; } = [];
    /// <summary>Requests matching any of these are refused with 403.</summary>
    public IReadOnlyList<AccessRule> Deny { get; init; } = [];
    /// <summary>When set, only requests matching one of these are allowed (discovery and /version always are).</summary>
    public IReadOnlyList<AccessRule>? Allow { get; init; }
}
