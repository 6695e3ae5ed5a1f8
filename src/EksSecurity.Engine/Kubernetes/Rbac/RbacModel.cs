using k8s.Models;

namespace EksSecurity.Engine.Kubernetes.Rbac;

/// <summary>A Role or ClusterRole with its effective rules (a ClusterRole's own rules plus, with an aggregationRule, the rules it aggregates).</summary>
public sealed class RbacRole
{
    internal readonly List<RbacRule> RuleList = [];
    internal readonly HashSet<string> RuleKeys = new(StringComparer.Ordinal);

    internal RbacRole(string kind, string? @namespace, string name, IDictionary<string, string>? labels, V1AggregationRule? aggregation)
    {
        Kind = kind;
        Namespace = @namespace;
        Name = name;
        Labels = labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(labels);
        Aggregation = aggregation;
    }

    /// <summary>"ClusterRole" or "Role".</summary>
    public string Kind { get; }
    /// <summary>The namespace of a Role; null for a ClusterRole.</summary>
    public string? Namespace { get; }
    public string Name { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    /// <summary>The ClusterRole's aggregationRule, or null.</summary>
    public V1AggregationRule? Aggregation { get; }
    public bool IsAggregated => Aggregation is not null;
    public bool IsClusterRole => Kind == "ClusterRole";

    /// <summary>The effective rules: own rules first (in order), then aggregated ones not already among them.</summary>
    public IReadOnlyList<RbacRule> Rules => RuleList;

    /// <summary>"ClusterRole/name" or "Role/namespace/name".</summary>
    public string Ref => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";

    public override string ToString() => Ref;

    internal bool TryAdd(RbacRule rule)
    {
        if (!RuleKeys.Add(RbacFormat.CanonicalKey(rule.Policy))) return false;
        rule.Position = RuleList.Count;
        RuleList.Add(rule);
        return true;
    }
}

/// <summary>One effective rule of a role, with where it came from.</summary>
public sealed class RbacRule
{
    internal RbacRule(RbacRole role, int index, V1PolicyRule policy, string? aggregatedFrom)
    {
        Role = role;
        Index = index;
        Policy = policy;
        AggregatedFrom = aggregatedFrom;
    }

    public RbacRole Role { get; }
    /// <summary>The position in the role's own <c>rules</c>; -1 for a rule the role has only through aggregation.</summary>
    public int Index { get; }
    public V1PolicyRule Policy { get; }
    /// <summary>For aggregated rules: the ClusterRole rule it comes from ("ClusterRole/x rules[2]"); null otherwise.</summary>
    public string? AggregatedFrom { get; internal set; }
    /// <summary>The position among the role's effective rules.</summary>
    internal int Position { get; set; }

    /// <summary>True when the rule lists resourceNames: it grants only those objects, never a collection or a create.</summary>
    public bool IsNameRestricted => Policy.ResourceNames is { Count: > 0 };
    public IReadOnlyList<string> ResourceNames => (IReadOnlyList<string>?)Policy.ResourceNames?.ToList() ?? [];

    /// <summary>"ClusterRole/admin rules[3] (aggregated from ClusterRole/edit rules[1]): apiGroups=[""] resources=[pods] verbs=[create]".</summary>
    public string Describe()
    {
        var where = Index >= 0 ? $"{Role.Ref} rules[{Index}]" : $"{Role.Ref} (by aggregation)";
        if (AggregatedFrom is not null) where += Index >= 0 ? $" (aggregated from {AggregatedFrom})" : $" from {AggregatedFrom}";
        return $"{where}: {RbacFormat.Describe(Policy)}";
    }

    public override string ToString() => Describe();
}

/// <summary>A RoleBinding or ClusterRoleBinding, resolved to its role.</summary>
public sealed class RbacBinding
{
    internal RbacBinding(string kind, string? @namespace, string name, V1RoleRef? roleRef, RbacRole? role,
        IReadOnlyList<RbacSubject> subjects, IDictionary<string, string>? labels)
    {
        Kind = kind;
        Namespace = @namespace;
        Name = name;
        RoleRefKind = roleRef?.Kind ?? "";
        RoleRefName = roleRef?.Name ?? "";
        Role = role;
        Subjects = subjects;
        Labels = labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(labels);
    }

    /// <summary>"ClusterRoleBinding" or "RoleBinding".</summary>
    public string Kind { get; }
    /// <summary>The namespace a RoleBinding grants in; null for a ClusterRoleBinding (cluster-wide).</summary>
    public string? Namespace { get; }
    public string Name { get; }
    public string RoleRefKind { get; }
    public string RoleRefName { get; }
    /// <summary>The role the binding refers to; null when it is not in the snapshot (the binding then grants nothing).</summary>
    public RbacRole? Role { get; }
    /// <summary>The subjects the binding applies to, canonical (a User system:serviceaccount:ns:n is the ServiceAccount).</summary>
    public IReadOnlyList<RbacSubject> Subjects { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }

    public bool IsClusterWide => Namespace is null;

    /// <summary>True for the bindings Kubernetes creates and reconciles itself (label kubernetes.io/bootstrapping=rbac-defaults).</summary>
    public bool IsKubernetesDefault => Labels.TryGetValue("kubernetes.io/bootstrapping", out var v) && v == "rbac-defaults";

    /// <summary>"ClusterRoleBinding/name" or "RoleBinding/namespace/name".</summary>
    public string Ref => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";

    /// <summary>The roleRef as written: "ClusterRole/name", or "Role/namespace/name" for a RoleBinding's Role.</summary>
    public string RoleRefDescription => RoleRefKind == "Role" && Namespace is not null ? $"Role/{Namespace}/{RoleRefName}" : $"{RoleRefKind}/{RoleRefName}";

    public override string ToString() => Ref;
}

/// <summary>
/// One path by which a subject holds a right: the binding subject that holds it (the subject itself,
/// or a group it is in), the binding, and the role's rule. Its scope is the binding's: cluster-wide
/// for a ClusterRoleBinding, the namespace for a RoleBinding.
/// </summary>
public sealed class RbacGrant
{
    internal RbacGrant(RbacSubject holder, RbacBinding binding, RbacRule rule)
    {
        Holder = holder;
        Binding = binding;
        Rule = rule;
    }

    /// <summary>The binding subject the right is granted to.</summary>
    public RbacSubject Holder { get; }
    public RbacBinding Binding { get; }
    public RbacRule Rule { get; }

    /// <summary>Where the right applies: null = cluster-wide (ClusterRoleBinding), otherwise the RoleBinding's namespace.</summary>
    public string? Namespace => Binding.Namespace;
    public bool IsClusterWide => Binding.Namespace is null;

    /// <summary>"ClusterRoleBinding/x -> ClusterRole/y rules[0]: apiGroups=... resources=... verbs=...".</summary>
    public string Path => $"{Binding.Ref} -> {Rule.Describe()}";

    /// <summary>The path, prefixed with "via Group g:" when <paramref name="subject"/> holds it through a group.</summary>
    public string DescribeFor(RbacSubject subject) => Holder == subject ? Path : $"via {Holder}: {Path}";

    public override string ToString() => $"{Holder}: {Path}";
}

/// <summary>The answer to "can this identity do this": allowed when at least one path grants it; the paths are the evidence.</summary>
public sealed class RbacDecision
{
    internal RbacDecision(RbacIdentity identity, RbacRequest request, IReadOnlyList<RbacGrant> grants)
    {
        Identity = identity;
        Request = request;
        Grants = grants;
    }

    public RbacIdentity Identity { get; }
    public RbacRequest Request { get; }
    /// <summary>Every path that grants the request; cluster-wide ones first.</summary>
    public IReadOnlyList<RbacGrant> Grants { get; }
    public bool Allowed => Grants.Count > 0;

    public static implicit operator bool(RbacDecision decision) => decision.Allowed;

    public override string ToString() => $"{Identity.Subject} {(Allowed ? "can" : "cannot")} {Request}";
}

/// <summary>One subject that holds a right, with every path that grants it.</summary>
public sealed class RbacAccess
{
    internal RbacAccess(RbacSubject subject, IReadOnlyList<RbacGrant> grants)
    {
        Subject = subject;
        Grants = grants;
    }

    public RbacSubject Subject { get; }
    /// <summary>Cluster-wide paths first, then by namespace and binding.</summary>
    public IReadOnlyList<RbacGrant> Grants { get; }

    /// <summary>True when at least one path is a ClusterRoleBinding.</summary>
    public bool IsClusterWide => Grants.Any(g => g.IsClusterWide);

    /// <summary>The namespaces of the RoleBinding paths, sorted.</summary>
    public IReadOnlyList<string> Namespaces => Grants.Where(g => g.Namespace is not null).Select(g => g.Namespace!).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>True when the subject has the right only through a group it is a member of (<see cref="RbacGraph.WhoCan(RbacRequest, bool)"/> with expandGroups).</summary>
    public bool IsThroughGroupOnly => Grants.All(g => g.Holder != Subject);

    public override string ToString() => $"{Subject} ({Grants.Count} path(s))";
}

/// <summary>A subject's effective rules in one scope: cluster-wide (Namespace null) or one namespace.</summary>
public sealed class RbacScopedRules
{
    internal RbacScopedRules(string? @namespace, IReadOnlyList<RbacGrant> grants)
    {
        Namespace = @namespace;
        Grants = grants;
    }

    /// <summary>null = cluster-wide (ClusterRoleBindings); otherwise the namespace of the RoleBindings.</summary>
    public string? Namespace { get; }
    public IReadOnlyList<RbacGrant> Grants { get; }
    public IEnumerable<V1PolicyRule> Policies => Grants.Select(g => g.Rule.Policy);

    public override string ToString() => $"{Namespace ?? "(cluster-wide)"}: {Grants.Count} rule(s)";
}
