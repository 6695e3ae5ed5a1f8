using k8s.Models;

namespace EksSecurity.Engine.Kubernetes.Rbac;

/// <summary>
/// A request as the RBAC authorizer sees it: verb, API group, resource, optional subresource,
/// namespace and object name.
/// <list type="bullet">
/// <item><see cref="Namespace"/>: null asks about cluster-wide access (a cluster-scoped resource such as
/// nodes, or a namespaced one across all namespaces), which only ClusterRoleBindings grant; a name asks
/// about that namespace (ClusterRoleBindings and the namespace's RoleBindings);
/// <see cref="RbacGraph.AnyNamespace"/> asks about at least one namespace (ClusterRoleBindings and
/// every RoleBinding; each path carries its scope).</item>
/// <item><see cref="ResourceName"/>: null asks about the resource as a whole (a collection, a create, or
/// any object); only rules without resourceNames grant that. A name asks about that object: rules
/// without resourceNames, or listing it. create and deletecollection of a resource never carry a name (the API
/// server authorizes them without one), so for them a name is ignored; on a subresource (pods/exec,
/// serviceaccounts/token) the name is the parent object's.</item>
/// <item><see cref="AnyResourceName"/>: also accept name-restricted rules whatever names they list (the
/// grants say which); for rights such as <c>approve</c> on <c>signers</c>, always given by name.</item>
/// </list>
/// Verbs, groups and resources compare exactly, as Kubernetes does; <c>*</c> in a rule matches
/// everything, and <c>*/sub</c> matches that subresource of any resource. A request for <c>*</c>
/// asks for a rule that grants literally everything.
/// </summary>
public sealed record RbacRequest(string Verb, string ApiGroup, string Resource, string? Subresource = null)
{
    public string? Namespace { get; init; }
    public string? ResourceName { get; init; }
    public bool AnyResourceName { get; init; }

    /// <summary>"pods/exec" for a subresource, else the resource.</summary>
    public string CombinedResource => string.IsNullOrEmpty(Subresource) ? Resource : $"{Resource}/{Subresource}";

    /// <summary>
    /// The object name the authorizer would see: none for a create or deletecollection on a collection (the object's name is
    /// not part of the request); a subresource request (create pods/exec, serviceaccounts/token) names its parent object.
    /// </summary>
    internal string? EffectiveName => Verb is "create" or "deletecollection" && string.IsNullOrEmpty(Subresource) ? null : ResourceName;

    /// <summary>Whether a binding in <paramref name="bindingNamespace"/> (null = ClusterRoleBinding) applies to this request.</summary>
    internal bool InScope(string? bindingNamespace) =>
        bindingNamespace is null || Namespace == RbacGraph.AnyNamespace || (Namespace is not null && Namespace == bindingNamespace);

    /// <summary>Whether <paramref name="rule"/> grants this request (ignoring scope).</summary>
    public bool IsGrantedBy(V1PolicyRule rule)
    {
        if (rule.Resources is not { Count: > 0 }) return false;
        if (!Contains(rule.Verbs, Verb)) return false;
        if (!Contains(rule.ApiGroups, ApiGroup)) return false;
        if (!ResourceMatches(rule.Resources)) return false;
        if (rule.ResourceNames is not { Count: > 0 } || AnyResourceName) return true;
        var name = EffectiveName;
        return name is not null && rule.ResourceNames.Contains(name);
    }

    private static bool Contains(IList<string>? values, string wanted)
    {
        if (values is null) return false;
        foreach (var v in values)
            if (v == "*" || v == wanted) return true;
        return false;
    }

    private bool ResourceMatches(IList<string> resources)
    {
        var combined = CombinedResource;
        foreach (var r in resources)
        {
            if (r == "*" || r == combined) return true;
            if (!string.IsNullOrEmpty(Subresource) && r.Length == Subresource.Length + 2 && r.StartsWith("*/", StringComparison.Ordinal) && r.EndsWith(Subresource, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>"create pods/exec in namespace team-a", "list secrets cluster-wide", "update configmaps named aws-auth in namespace kube-system".</summary>
    public override string ToString()
    {
        var what = $"{Verb} {CombinedResource}{(string.IsNullOrEmpty(ApiGroup) ? "" : "." + ApiGroup)}";
        if (ResourceName is not null) what += $" named {ResourceName}";
        var where = Namespace switch
        {
            null => "cluster-wide",
            RbacGraph.AnyNamespace => "in any namespace",
            _ => $"in namespace {Namespace}",
        };
        return $"{what} {where}";
    }
}

/// <summary>Text forms of RBAC rules, for evidence.</summary>
public static class RbacFormat
{
    public static string List(IEnumerable<string>? values) =>
        "[" + string.Join(", ", (values ?? []).Select(v => v.Length == 0 ? "\"\"" : v)) + "]";

    /// <summary>`apiGroups=[""] resources=[pods] verbs=[get, list]`, plus resourceNames and nonResourceURLs when set.</summary>
    public static string Describe(V1PolicyRule rule)
    {
        var text = $"apiGroups={List(rule.ApiGroups)} resources={List(rule.Resources)} verbs={List(rule.Verbs)}";
        if (rule.ResourceNames is { Count: > 0 }) text += $" resourceNames={List(rule.ResourceNames)}";
        if (rule.NonResourceURLs is { Count: > 0 }) text += $" nonResourceURLs={List(rule.NonResourceURLs)}";
        return text;
    }

    /// <summary>An order-insensitive identity of a rule: two rules with the same key grant the same.</summary>
    internal static string CanonicalKey(V1PolicyRule rule)
    {
        static string Part(IList<string>? values) => values is null ? "" : string.Join('\u0001', values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return string.Join('\u0002', Part(rule.Verbs), Part(rule.ApiGroups), Part(rule.Resources), Part(rule.ResourceNames), Part(rule.NonResourceURLs));
    }
}
