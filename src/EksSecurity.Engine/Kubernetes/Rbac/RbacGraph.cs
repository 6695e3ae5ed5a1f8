using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Engine.Kubernetes.Rbac;

/// <summary>
/// The effective-permission graph of a cluster: subjects → (Cluster)RoleBindings → (Cluster)Roles
/// (aggregation applied) → rules. Built once per snapshot (<see cref="SnapshotIndex.Rbac"/>), then
/// read-only and safe to query from many threads.
/// <para>
/// Indexes: bindings by subject (for <see cref="Can(RbacIdentity, RbacRequest)"/> and
/// <see cref="Rules(RbacIdentity)"/>), bindings by role and by (role, namespace), and the rules of
/// bound roles by (apiGroup, resource) as written, wildcards included (for
/// <see cref="WhoCan(RbacRequest, bool)"/>). A query touches only the bindings of the asked
/// identity, or only the rules that can match the asked resource and the bindings of their roles:
/// never every binding times every rule.
/// </para>
/// <para>
/// A Role, RoleBinding or ServiceAccount without metadata.namespace (as manifest files often are) is placed in
/// <see cref="DefaultNamespace"/>, where kubectl would apply it.
/// </para>
/// </summary>
public sealed class RbacGraph
{
    /// <summary>The <see cref="RbacRequest.Namespace"/> that asks about "at least one namespace". Not a valid namespace name.</summary>
    public const string AnyNamespace = "*";

    /// <summary>Where a namespaced object without metadata.namespace (a manifest file) lands: kubectl applies it to "default" unless told otherwise.</summary>
    public const string DefaultNamespace = "default";

    private readonly Dictionary<string, RbacRole> _clusterRoles = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Ns, string Name), RbacRole> _roles = new();
    private readonly List<RbacBinding> _bindings = [];
    private readonly Dictionary<RbacSubject, List<RbacBinding>> _bySubject = new();
    private readonly Dictionary<RbacRole, List<RbacBinding>> _clusterBindingsByRole = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<RbacRole, List<RbacBinding>> _roleBindingsByRole = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(RbacRole Role, string Ns), List<RbacBinding>> _roleBindingsByRoleAndNamespace = new();
    private readonly Dictionary<(string Group, string Resource), List<RbacRule>> _rulesByResource = new();
    private readonly HashSet<RbacSubject> _knownServiceAccounts = [];
    private readonly HashSet<RbacSubject> _knownUsers = [];

    private RbacGraph() { }

    public static RbacGraph Empty { get; } = new();

    /// <summary>All ClusterRoles, by name.</summary>
    public IReadOnlyCollection<RbacRole> ClusterRoles => _clusterRoles.Values;
    /// <summary>All Roles.</summary>
    public IReadOnlyCollection<RbacRole> Roles => _roles.Values;
    /// <summary>Every binding, ClusterRoleBindings first, each kind in snapshot order.</summary>
    public IReadOnlyList<RbacBinding> Bindings => _bindings;
    /// <summary>Bindings whose role is not in the snapshot: they grant nothing now, and grant whatever a role created later under that name does.</summary>
    public IEnumerable<RbacBinding> DanglingBindings => _bindings.Where(b => b.Role is null);
    /// <summary>Every subject some binding names, ordered by kind, namespace and name.</summary>
    public IReadOnlyList<RbacSubject> Subjects => _bySubject.Keys.OrderBy(s => s, SubjectOrder.Instance).ToList();

    public RbacRole? FindClusterRole(string name) => _clusterRoles.GetValueOrDefault(name);
    public RbacRole? FindRole(string @namespace, string name) => _roles.GetValueOrDefault((@namespace, name));

    /// <summary>The graph of a snapshot's RBAC sections (and ServiceAccounts, for group expansion); missing sections count as empty.</summary>
    public static RbacGraph From(ClusterSnapshot snapshot)
    {
        var k = snapshot.Kubernetes;
        return Build(k.ClusterRoles?.Items, k.Roles?.Items, k.ClusterRoleBindings?.Items, k.RoleBindings?.Items, k.ServiceAccounts?.Items);
    }

    public static RbacGraph Build(
        IEnumerable<V1ClusterRole>? clusterRoles,
        IEnumerable<V1Role>? roles,
        IEnumerable<V1ClusterRoleBinding>? clusterRoleBindings,
        IEnumerable<V1RoleBinding>? roleBindings,
        IEnumerable<V1ServiceAccount>? serviceAccounts = null)
    {
        var graph = new RbacGraph();

        foreach (var c in clusterRoles ?? [])
        {
            if (c?.Metadata?.Name is not { Length: > 0 } name) continue;
            var role = new RbacRole("ClusterRole", null, name, c.Metadata.Labels, c.AggregationRule);
            AddOwnRules(role, c.Rules);
            graph._clusterRoles[name] = role;
        }
        foreach (var r in roles ?? [])
        {
            if (r?.Metadata?.Name is not { Length: > 0 } name) continue;
            var ns = NamespaceOf(r.Metadata);
            var role = new RbacRole("Role", ns, name, r.Metadata.Labels, null);
            AddOwnRules(role, r.Rules);
            graph._roles[(ns, name)] = role;
        }
        RbacAggregation.Apply(graph._clusterRoles);

        foreach (var b in clusterRoleBindings ?? [])
        {
            if (b?.Metadata?.Name is not { Length: > 0 } name) continue;
            // A ClusterRoleBinding can only refer to a ClusterRole.
            var role = b.RoleRef?.Kind == "ClusterRole" && b.RoleRef.Name is { } roleName ? graph._clusterRoles.GetValueOrDefault(roleName) : null;
            graph.AddBinding(new RbacBinding("ClusterRoleBinding", null, name, b.RoleRef, role, CanonicalSubjects(b.Subjects, null), b.Metadata.Labels));
        }
        foreach (var b in roleBindings ?? [])
        {
            if (b?.Metadata?.Name is not { Length: > 0 } name) continue;
            var ns = NamespaceOf(b.Metadata);
            // A RoleBinding's Role lives in the binding's namespace; a ClusterRole it refers to is scoped to that namespace.
            var role = b.RoleRef?.Name is not { } roleName ? null : b.RoleRef.Kind switch
            {
                "ClusterRole" => graph._clusterRoles.GetValueOrDefault(roleName),
                "Role" => graph._roles.GetValueOrDefault((ns, roleName)),
                _ => null,
            };
            graph.AddBinding(new RbacBinding("RoleBinding", ns, name, b.RoleRef, role, CanonicalSubjects(b.Subjects, ns), b.Metadata.Labels));
        }

        foreach (var sa in serviceAccounts ?? [])
            if (sa?.Metadata is { Name: { Length: > 0 } saName })
                graph._knownServiceAccounts.Add(RbacSubject.ServiceAccount(NamespaceOf(sa.Metadata), saName));
        foreach (var subject in graph._bySubject.Keys)
        {
            if (subject.IsServiceAccount) graph._knownServiceAccounts.Add(subject);
            else if (subject.Kind == RbacSubjectKind.User && subject.Name != RbacSubject.AnonymousUser) graph._knownUsers.Add(subject);
        }

        graph.IndexRulesOfBoundRoles();
        return graph;
    }

    /// <summary>metadata.namespace, or <see cref="DefaultNamespace"/> when a manifest leaves it out.</summary>
    public static string NamespaceOf(V1ObjectMeta metadata) =>
        string.IsNullOrEmpty(metadata.NamespaceProperty) ? DefaultNamespace : metadata.NamespaceProperty;

    private static void AddOwnRules(RbacRole role, IList<V1PolicyRule>? rules)
    {
        if (rules is null) return;
        for (var i = 0; i < rules.Count; i++)
            if (rules[i] is { } rule)
                role.TryAdd(new RbacRule(role, i, rule, null));
    }

    private static List<RbacSubject> CanonicalSubjects(IList<Rbacv1Subject>? subjects, string? bindingNamespace)
    {
        var list = new List<RbacSubject>();
        foreach (var s in subjects ?? [])
            if (RbacSubject.FromBinding(s, bindingNamespace) is { } subject && !list.Contains(subject))
                list.Add(subject);
        return list;
    }

    private void AddBinding(RbacBinding binding)
    {
        _bindings.Add(binding);
        foreach (var subject in binding.Subjects)
            Append(_bySubject, subject, binding);
        if (binding.Role is not { } role) return;
        if (binding.Namespace is null)
        {
            Append(_clusterBindingsByRole, role, binding);
        }
        else
        {
            Append(_roleBindingsByRole, role, binding);
            Append(_roleBindingsByRoleAndNamespace, (role, binding.Namespace), binding);
        }
    }

    private void IndexRulesOfBoundRoles()
    {
        var bound = new HashSet<RbacRole>(ReferenceEqualityComparer.Instance);
        foreach (var b in _bindings)
            if (b.Role is { } role) bound.Add(role);
        foreach (var role in bound)
            foreach (var rule in role.Rules)
            {
                var p = rule.Policy;
                if (p.Resources is not { Count: > 0 } || p.ApiGroups is not { Count: > 0 } || p.Verbs is not { Count: > 0 }) continue;
                foreach (var group in p.ApiGroups.Distinct(StringComparer.Ordinal))
                    foreach (var resource in p.Resources.Distinct(StringComparer.Ordinal))
                        Append(_rulesByResource, (group ?? "", resource ?? ""), rule);
            }
    }

    private static void Append<TKey>(Dictionary<TKey, List<RbacBinding>> index, TKey key, RbacBinding binding) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list)) index[key] = list = [];
        list.Add(binding);
    }

    private static void Append(Dictionary<(string, string), List<RbacRule>> index, (string, string) key, RbacRule rule)
    {
        if (!index.TryGetValue(key, out var list)) index[key] = list = [];
        list.Add(rule);
    }

    // ---- Queries ----

    /// <summary>Can <paramref name="subject"/> (with the groups it is implicitly in) do this? The decision carries every granting path.</summary>
    public RbacDecision Can(RbacSubject subject, string verb, string resource, string? subresource, string apiGroup,
        string? @namespace = null, string? resourceName = null) =>
        Can(RbacIdentity.Of(subject), new RbacRequest(verb, apiGroup, resource, subresource) { Namespace = @namespace, ResourceName = resourceName });

    public RbacDecision Can(RbacSubject subject, RbacRequest request) => Can(RbacIdentity.Of(subject), request);

    public RbacDecision Can(RbacIdentity identity, RbacRequest request)
    {
        var grants = new List<RbacGrant>();
        foreach (var principal in identity.Principals)
        {
            // Groups (system:authenticated, system:serviceaccounts...) are shared by every identity asked
            // about: what they grant is worked out once per request, not once per service account.
            if (principal.Kind == RbacSubjectKind.Group)
                grants.AddRange(_groupGrants.GetOrAdd((principal, request), key => GrantsOf(key.Subject, key.Request)));
            else
                grants.AddRange(GrantsOf(principal, request));
        }
        grants.Sort(GrantOrder.Instance);
        return new RbacDecision(identity, request, grants);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(RbacSubject Subject, RbacRequest Request), List<RbacGrant>> _groupGrants = new();

    private List<RbacGrant> GrantsOf(RbacSubject principal, RbacRequest request)
    {
        var grants = new List<RbacGrant>();
        if (!_bySubject.TryGetValue(principal, out var bindings)) return grants;
        foreach (var binding in bindings)
        {
            if (binding.Role is not { } role || !request.InScope(binding.Namespace)) continue;
            foreach (var rule in role.Rules)
                if (request.IsGrantedBy(rule.Policy))
                    grants.Add(new RbacGrant(principal, binding, rule));
        }
        return grants;
    }

    /// <summary>Every subject that holds this right through its own bindings, with the paths.</summary>
    public IReadOnlyList<RbacAccess> WhoCan(string verb, string resource, string? subresource, string apiGroup,
        string? @namespace = null, string? resourceName = null) =>
        WhoCan(new RbacRequest(verb, apiGroup, resource, subresource) { Namespace = @namespace, ResourceName = resourceName });

    /// <summary>
    /// Every binding subject that holds the right, with every path. Groups are listed as groups. With
    /// <paramref name="expandGroups"/>, the known members of the groups whose membership Kubernetes
    /// defines are listed too: every ServiceAccount (system:serviceaccounts), the ServiceAccounts of a
    /// namespace (system:serviceaccounts:&lt;ns&gt;), and every ServiceAccount and named user
    /// (system:authenticated). Known means: in the ServiceAccounts section or named by a binding.
    /// </summary>
    public IReadOnlyList<RbacAccess> WhoCan(RbacRequest request, bool expandGroups = false)
    {
        var bySubject = new Dictionary<RbacSubject, List<RbacGrant>>();
        foreach (var rule in CandidateRules(request))
        {
            if (!request.IsGrantedBy(rule.Policy)) continue;
            foreach (var binding in BindingsInScope(rule.Role, request))
                foreach (var subject in binding.Subjects)
                    Add(bySubject, subject, new RbacGrant(subject, binding, rule));
        }

        if (expandGroups)
        {
            var groupGrants = bySubject.Where(kv => kv.Key.Kind == RbacSubjectKind.Group).ToList();
            foreach (var (group, grants) in groupGrants)
                foreach (var member in KnownMembers(group.Name))
                    foreach (var grant in grants)
                        Add(bySubject, member, grant);
        }

        return bySubject
            .OrderBy(kv => kv.Key, SubjectOrder.Instance)
            .Select(kv =>
            {
                kv.Value.Sort(GrantOrder.Instance);
                return new RbacAccess(kv.Key, kv.Value);
            })
            .ToList();
    }

    /// <summary>The effective rules of <paramref name="subject"/> (with its implicit groups), per scope: cluster-wide first, then each namespace.</summary>
    public IReadOnlyList<RbacScopedRules> Rules(RbacSubject subject) => Rules(RbacIdentity.Of(subject));

    public IReadOnlyList<RbacScopedRules> Rules(RbacIdentity identity)
    {
        var byScope = new Dictionary<string, List<RbacGrant>>(StringComparer.Ordinal);
        foreach (var (principal, binding) in BindingsOf(identity))
        {
            if (binding.Role is not { } role) continue;
            var scope = binding.Namespace ?? "";
            if (!byScope.TryGetValue(scope, out var list)) byScope[scope] = list = [];
            foreach (var rule in role.Rules) list.Add(new RbacGrant(principal, binding, rule));
        }
        return byScope
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv =>
            {
                kv.Value.Sort(GrantOrder.Instance);
                return new RbacScopedRules(kv.Key.Length == 0 ? null : kv.Key, kv.Value);
            })
            .ToList();
    }

    /// <summary>The bindings that name <paramref name="subject"/> itself (not through groups).</summary>
    public IReadOnlyList<RbacBinding> BindingsOf(RbacSubject subject) =>
        _bySubject.TryGetValue(subject, out var list) ? list : [];

    /// <summary>The bindings that apply to <paramref name="identity"/>: naming it or one of its groups, with the subject each names.</summary>
    public IEnumerable<(RbacSubject Holder, RbacBinding Binding)> BindingsOf(RbacIdentity identity)
    {
        foreach (var principal in identity.Principals)
            if (_bySubject.TryGetValue(principal, out var bindings))
                foreach (var binding in bindings)
                    yield return (principal, binding);
    }

    private IEnumerable<RbacRule> CandidateRules(RbacRequest request)
    {
        var groups = request.ApiGroup == "*" ? ["*"] : new[] { request.ApiGroup, "*" };
        var resources = new List<string> { request.CombinedResource };
        if (request.CombinedResource != "*") resources.Add("*");
        if (!string.IsNullOrEmpty(request.Subresource)) resources.Add("*/" + request.Subresource);
        var seen = new HashSet<RbacRule>(ReferenceEqualityComparer.Instance);
        foreach (var g in groups)
            foreach (var r in resources)
                if (_rulesByResource.TryGetValue((g, r), out var rules))
                    foreach (var rule in rules)
                        if (seen.Add(rule)) yield return rule;
    }

    private IEnumerable<RbacBinding> BindingsInScope(RbacRole role, RbacRequest request)
    {
        if (role.IsClusterRole && _clusterBindingsByRole.TryGetValue(role, out var cluster))
            foreach (var b in cluster) yield return b;
        if (request.Namespace is null) yield break;
        if (request.Namespace == AnyNamespace)
        {
            if (_roleBindingsByRole.TryGetValue(role, out var all))
                foreach (var b in all) yield return b;
        }
        else if (_roleBindingsByRoleAndNamespace.TryGetValue((role, request.Namespace), out var inNamespace))
        {
            foreach (var b in inNamespace) yield return b;
        }
    }

    private IEnumerable<RbacSubject> KnownMembers(string group)
    {
        if (group == RbacSubject.AllServiceAccountsGroup) return _knownServiceAccounts;
        if (group.StartsWith(RbacSubject.ServiceAccountGroupPrefix, StringComparison.Ordinal))
        {
            var ns = group[RbacSubject.ServiceAccountGroupPrefix.Length..];
            return _knownServiceAccounts.Where(s => s.Namespace == ns);
        }
        if (group == RbacSubject.AuthenticatedGroup) return _knownServiceAccounts.Concat(_knownUsers);
        if (group == RbacSubject.UnauthenticatedGroup) return [RbacSubject.User(RbacSubject.AnonymousUser)];
        return [];
    }

    private static void Add(Dictionary<RbacSubject, List<RbacGrant>> bySubject, RbacSubject subject, RbacGrant grant)
    {
        if (!bySubject.TryGetValue(subject, out var list)) bySubject[subject] = list = [];
        list.Add(grant);
    }

    /// <summary>Users, then groups, then ServiceAccounts; by namespace and name within.</summary>
    public sealed class SubjectOrder : IComparer<RbacSubject>
    {
        public static SubjectOrder Instance { get; } = new();

        public int Compare(RbacSubject x, RbacSubject y)
        {
            var c = ((int)x.Kind).CompareTo((int)y.Kind);
            if (c == 0) c = string.CompareOrdinal(x.Namespace, y.Namespace);
            if (c == 0) c = string.CompareOrdinal(x.Name, y.Name);
            return c;
        }
    }

    /// <summary>Cluster-wide paths first, then by namespace, binding, role and rule.</summary>
    private sealed class GrantOrder : IComparer<RbacGrant>
    {
        public static GrantOrder Instance { get; } = new();

        public int Compare(RbacGrant? x, RbacGrant? y)
        {
            if (ReferenceEquals(x, y)) return 0;
            if (x is null) return -1;
            if (y is null) return 1;
            var c = y.IsClusterWide.CompareTo(x.IsClusterWide);
            if (c == 0) c = string.CompareOrdinal(x.Namespace, y.Namespace);
            if (c == 0) c = string.CompareOrdinal(x.Binding.Name, y.Binding.Name);
            if (c == 0) c = string.CompareOrdinal(x.Holder.Key, y.Holder.Key);
            if (c == 0) c = string.CompareOrdinal(x.Rule.Role.Ref, y.Rule.Role.Ref);
            if (c == 0) c = x.Rule.Position.CompareTo(y.Rule.Position);
            return c;
        }
    }
}
