using k8s.Models;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>Small RBAC helpers shared by the IAM rules: subject and rule descriptions, roleRef resolution.</summary>
internal static class Rbac
{
    public const string AnonymousUser = "system:anonymous";
    public const string UnauthenticatedGroup = "system:unauthenticated";
    public const string AuthenticatedGroup = "system:authenticated";

    public static bool IsUser(Rbacv1Subject s, string name) => s.Kind == "User" && s.Name == name;
    public static bool IsGroup(Rbacv1Subject s, string name) => s.Kind == "Group" && s.Name == name;

    /// <summary>The anonymous user or the unauthenticated group: requests that carry no credentials at all.</summary>
    public static bool IsAnonymous(Rbacv1Subject s) => IsUser(s, AnonymousUser) || IsGroup(s, UnauthenticatedGroup);

    /// <summary>"Group system:masters", "User alice", "ServiceAccount ns/name".</summary>
    public static string Describe(Rbacv1Subject s) =>
        s.Kind == "ServiceAccount" ? $"ServiceAccount {s.NamespaceProperty ?? "(no namespace)"}/{s.Name}" : $"{s.Kind} {s.Name}";

    /// <summary>The "Kind:name" key allow-lists match against ("ServiceAccount:ns/name" for service accounts).</summary>
    public static string Key(Rbacv1Subject s) =>
        s.Kind == "ServiceAccount" ? $"ServiceAccount:{s.NamespaceProperty}/{s.Name}" : $"{s.Kind}:{s.Name}";

    public static string Describe(V1RoleRef? r) => r is null ? "(none)" : $"{r.Kind}/{r.Name}";

    public static IReadOnlyList<Rbacv1Subject> Subjects(IList<Rbacv1Subject>? subjects) => (IReadOnlyList<Rbacv1Subject>?)subjects?.ToList() ?? [];

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

    /// <summary>Looks up the Role or ClusterRole a binding refers to; a RoleBinding's Role lives in the binding's namespace.</summary>
    public sealed class RoleIndex
    {
        private readonly Dictionary<string, V1ClusterRole> _clusterRoles;
        private readonly Dictionary<(string Ns, string Name), V1Role> _roles;

        public RoleIndex(IEnumerable<V1ClusterRole> clusterRoles, IEnumerable<V1Role> roles)
        {
            _clusterRoles = new(StringComparer.Ordinal);
            foreach (var c in clusterRoles)
                if (c.Metadata?.Name is { } name) _clusterRoles[name] = c;
            _roles = new();
            foreach (var r in roles)
                if (r.Metadata?.Name is { } name) _roles[(r.Metadata.NamespaceProperty ?? "", name)] = r;
        }

        /// <summary>The rules of the referenced role, or null when it does not exist in the snapshot.</summary>
        public IList<V1PolicyRule>? Resolve(V1RoleRef? roleRef, string? bindingNamespace)
        {
            if (roleRef?.Name is not { } name) return null;
            if (roleRef.Kind == "ClusterRole")
                return _clusterRoles.TryGetValue(name, out var c) ? c.Rules ?? [] : null;
            if (roleRef.Kind == "Role" && bindingNamespace is not null)
                return _roles.TryGetValue((bindingNamespace, name), out var r) ? r.Rules ?? [] : null;
            return null;
        }
    }
}
