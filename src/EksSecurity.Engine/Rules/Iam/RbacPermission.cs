using EksSecurity.Engine.Kubernetes.Rbac;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>
/// One right the RBAC rules look for, asked of the permission graph. <see cref="Namespace"/> follows
/// <see cref="RbacRequest"/>: null for cluster-scoped resources (only ClusterRoleBindings can grant
/// them), <see cref="RbacGraph.AnyNamespace"/> (the default) for namespaced ones, granted in any scope.
/// </summary>
internal sealed record RbacPermission(string Verb, string ApiGroup, string Resource, string? Subresource = null)
{
    public string? Namespace { get; init; } = RbacGraph.AnyNamespace;
    public string? ResourceName { get; init; }
    public bool AnyResourceName { get; init; }
    /// <summary>Words for the right in messages, instead of "verb target" ("every verb on every resource").</summary>
    public string? Label { get; init; }

    public RbacRequest Request => new(Verb, ApiGroup, Resource, Subresource)
    {
        Namespace = Namespace,
        ResourceName = ResourceName,
        AnyResourceName = AnyResourceName,
    };

    /// <summary>"pods/exec", "validatingwebhookconfigurations": what the verb applies to.</summary>
    public string Target => string.IsNullOrEmpty(Subresource) ? Resource : $"{Resource}/{Subresource}";

    /// <summary>Each verb on one resource.</summary>
    public static IEnumerable<RbacPermission> Verbs(string apiGroup, string resource, string? subresource, string? @namespace, params string[] verbs) =>
        verbs.Select(v => new RbacPermission(v, apiGroup, resource, subresource) { Namespace = @namespace });

    /// <summary>One verb on each resource of a group.</summary>
    public static IEnumerable<RbacPermission> Resources(string verb, string apiGroup, string? @namespace, params string[] resources) =>
        resources.Select(r => new RbacPermission(verb, apiGroup, r) { Namespace = @namespace });

    public override string ToString() => Request.ToString();
}

/// <summary>What one subject holds of a set of <see cref="RbacPermission"/>s, with every path.</summary>
internal sealed class RbacHolding
{
    public RbacHolding(RbacSubject subject) => Subject = subject;

    public RbacSubject Subject { get; }
    public List<(RbacPermission Permission, RbacGrant Grant)> Grants { get; } = [];

    public ResourceRef Ref => RbacHoldings.Ref(Subject);
    public bool IsClusterWide => Grants.Any(g => g.Grant.IsClusterWide);
    public IReadOnlyList<string> Namespaces =>
        Grants.Where(g => g.Grant.Namespace is not null).Select(g => g.Grant.Namespace!).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>"get, list secrets; create pods/exec": verbs grouped by target, in the order the rule asks.</summary>
    public string Rights => RbacHoldings.Rights(Grants.Select(g => g.Permission));

    /// <summary>"cluster-wide", or "in namespace a" / "in namespaces a, b and 3 more".</summary>
    public string Scope => IsClusterWide ? "cluster-wide" : RbacHoldings.InNamespaces(Namespaces);

    /// <summary>One line per path (verbs that share a path are joined), cluster-wide first, at most <paramref name="max"/> lines.</summary>
    public List<string> Evidence(int max = 20) => RbacHoldings.Evidence(Subject, Grants, max);
}

/// <summary>Collects holdings from the graph and words them for findings.</summary>
internal static class RbacHoldings
{
    /// <summary>The four RBAC sections every graph rule reads.</summary>
    public static readonly SnapshotSection[] Sections =
        [SnapshotSection.ClusterRoles, SnapshotSection.Roles, SnapshotSection.ClusterRoleBindings, SnapshotSection.RoleBindings];

    /// <summary>Every binding subject that directly holds at least one of <paramref name="permissions"/>, in subject order.</summary>
    public static List<RbacHolding> WhoHolds(RbacGraph graph, IEnumerable<RbacPermission> permissions)
    {
        var bySubject = new Dictionary<RbacSubject, RbacHolding>();
        foreach (var permission in permissions)
            foreach (var access in graph.WhoCan(permission.Request))
            {
                if (!bySubject.TryGetValue(access.Subject, out var holding)) bySubject[access.Subject] = holding = new RbacHolding(access.Subject);
                foreach (var grant in access.Grants) holding.Grants.Add((permission, grant));
            }
        return bySubject.Values.OrderBy(h => h.Subject, RbacGraph.SubjectOrder.Instance).ToList();
    }

    /// <summary>What <paramref name="identity"/> holds of <paramref name="permissions"/>, through its own bindings and its groups'.</summary>
    public static RbacHolding Of(RbacGraph graph, RbacIdentity identity, IEnumerable<RbacPermission> permissions)
    {
        var holding = new RbacHolding(identity.Subject);
        foreach (var permission in permissions)
            foreach (var grant in graph.Can(identity, permission.Request).Grants)
                holding.Grants.Add((permission, grant));
        return holding;
    }

    public static ResourceRef Ref(RbacSubject subject) => new(subject.Kind.ToString(), subject.Namespace, subject.Name);

    /// <summary>
    /// "get, list, watch secrets; create pods, deployments": the verbs of each target, targets with the same verbs joined, in the
    /// order asked. Object names are left out (the paths show a rule's resourceNames); a permission's Label stands for itself.
    /// </summary>
    public static string Rights(IEnumerable<RbacPermission> permissions)
    {
        var byTarget = new List<(string Target, List<string> Verbs)>();
        foreach (var p in permissions)
        {
            var target = p.Label ?? p.Target;
            var entry = byTarget.FirstOrDefault(e => e.Target == target);
            if (entry.Verbs is null) byTarget.Add(entry = (target, []));
            if (p.Label is null && !entry.Verbs.Contains(p.Verb)) entry.Verbs.Add(p.Verb);
        }
        var byVerbs = new List<(string Verbs, List<string> Targets)>();
        foreach (var (target, verbs) in byTarget)
        {
            var key = string.Join(", ", verbs);
            var entry = byVerbs.FirstOrDefault(e => e.Verbs == key);
            if (entry.Targets is null) byVerbs.Add(entry = (key, []));
            entry.Targets.Add(target);
        }
        return string.Join("; ", byVerbs.Select(e => e.Verbs.Length == 0 ? string.Join(", ", e.Targets) : $"{e.Verbs} {string.Join(", ", e.Targets)}"));
    }

    public static string InNamespaces(IReadOnlyList<string> namespaces, int max = 5)
    {
        if (namespaces.Count == 0) return "in no namespace";
        var shown = string.Join(", ", namespaces.Take(max));
        var more = namespaces.Count > max ? $" and {namespaces.Count - max} more" : "";
        return namespaces.Count == 1 ? $"in namespace {shown}" : $"in namespaces {shown}{more}";
    }

    public static List<string> Evidence(RbacSubject subject, IEnumerable<(RbacPermission Permission, RbacGrant Grant)> grants, int max = 20)
    {
        var lines = new List<(RbacGrant Grant, List<RbacPermission> Permissions)>();
        var byPath = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (permission, grant) in grants)
        {
            var key = grant.DescribeFor(subject);
            if (byPath.TryGetValue(key, out var i)) lines[i].Permissions.Add(permission);
            else
            {
                byPath[key] = lines.Count;
                lines.Add((grant, [permission]));
            }
        }
        var ordered = lines.OrderByDescending(l => l.Grant.IsClusterWide).ThenBy(l => l.Grant.Namespace, StringComparer.Ordinal).ToList();
        var result = ordered.Take(max).Select(l => $"{Rights(l.Permissions)}: {l.Grant.DescribeFor(subject)}").ToList();
        if (ordered.Count > max) result.Add($"... and {ordered.Count - max} more path(s)");
        return result;
    }

    /// <summary>The evidence of a Pass: what was asked, and the system subjects that hold it without being judged.</summary>
    public static List<string> PassEvidence(IEnumerable<RbacPermission> permissions, IReadOnlyCollection<RbacSubject> systemHolders, int max = 10)
    {
        var evidence = new List<string> { $"checked: {Rights(permissions)}" };
        if (systemHolders.Count > 0)
            evidence.Add($"{systemHolders.Count} system subject(s) hold it and are not judged (setting SystemSubjects): " +
                         string.Join(", ", systemHolders.Take(max)) + (systemHolders.Count > max ? ", ..." : ""));
        return evidence;
    }
}
