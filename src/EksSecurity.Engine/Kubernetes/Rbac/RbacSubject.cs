using k8s.Models;

namespace EksSecurity.Engine.Kubernetes.Rbac;

public enum RbacSubjectKind
{
    User,
    Group,
    ServiceAccount,
}

/// <summary>
/// A subject RBAC grants rights to: a user, a group, or a ServiceAccount (with its namespace).
/// Value-equal, so it can key dictionaries. A binding subject of kind User named
/// <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c> is that ServiceAccount (the API server knows a
/// ServiceAccount only by that user name), so <see cref="FromBinding"/> returns it as one.
/// </summary>
public readonly record struct RbacSubject(RbacSubjectKind Kind, string Name, string? Namespace = null)
{
    public const string ServiceAccountUserPrefix = "system:serviceaccount:";
    public const string AllServiceAccountsGroup = "system:serviceaccounts";
    public const string ServiceAccountGroupPrefix = "system:serviceaccounts:";
    public const string AuthenticatedGroup = "system:authenticated";
    public const string UnauthenticatedGroup = "system:unauthenticated";
    public const string AnonymousUser = "system:anonymous";

    public static RbacSubject User(string name) => new(RbacSubjectKind.User, name);
    public static RbacSubject Group(string name) => new(RbacSubjectKind.Group, name);
    public static RbacSubject ServiceAccount(string @namespace, string name) => new(RbacSubjectKind.ServiceAccount, name, @namespace);

    public bool IsServiceAccount => Kind == RbacSubjectKind.ServiceAccount;

    /// <summary>The user name the API server authenticates this subject as (system:serviceaccount:ns:name for a ServiceAccount); a group's name for a group.</summary>
    public string UserName => IsServiceAccount ? $"{ServiceAccountUserPrefix}{Namespace}:{Name}" : Name;

    /// <summary>"User:alice", "Group:devs", "ServiceAccount:ns/name": the form allow-lists in the settings match against.</summary>
    public string Key => IsServiceAccount ? $"ServiceAccount:{Namespace}/{Name}" : $"{Kind}:{Name}";

    /// <summary>"User alice", "Group devs", "ServiceAccount ns/name".</summary>
    public override string ToString() => IsServiceAccount ? $"ServiceAccount {Namespace}/{Name}" : $"{Kind} {Name}";

    /// <summary>
    /// A binding's subject as the RBAC authorizer reads it, or null when it can never match anyone
    /// (unknown kind, no name, a ServiceAccount without namespace in a ClusterRoleBinding). A
    /// ServiceAccount without namespace in a RoleBinding is in the binding's namespace.
    /// </summary>
    public static RbacSubject? FromBinding(Rbacv1Subject? subject, string? bindingNamespace)
    {
        if (subject is null || string.IsNullOrEmpty(subject.Name)) return null;
        switch (subject.Kind)
        {
            case "User":
                return TryParseServiceAccountUser(subject.Name, out var sa) ? sa : User(subject.Name);
            case "Group":
                return Group(subject.Name);
            case "ServiceAccount":
                var ns = string.IsNullOrEmpty(subject.NamespaceProperty) ? bindingNamespace : subject.NamespaceProperty;
                return string.IsNullOrEmpty(ns) ? null : ServiceAccount(ns, subject.Name);
            default:
                return null;
        }
    }

    /// <summary>system:serviceaccount:ns:name → the ServiceAccount; false for any other user name.</summary>
    public static bool TryParseServiceAccountUser(string userName, out RbacSubject serviceAccount)
    {
        serviceAccount = default;
        if (!userName.StartsWith(ServiceAccountUserPrefix, StringComparison.Ordinal)) return false;
        var parts = userName[ServiceAccountUserPrefix.Length..].Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) return false;
        serviceAccount = ServiceAccount(parts[0], parts[1]);
        return true;
    }
}

/// <summary>
/// Who a request runs as: a subject together with every group it is in. Group membership is
/// what makes "can this ServiceAccount ..." right: a ServiceAccount is also in
/// system:serviceaccounts, system:serviceaccounts:&lt;ns&gt; and system:authenticated, so bindings to
/// those groups reach it. Users are in system:authenticated (system:anonymous is in
/// system:unauthenticated instead); their other groups come from the authenticator (aws-auth,
/// access entries) and can be passed as <c>extraGroups</c>. A group stands for "any member of
/// it", who is also authenticated.
/// </summary>
public sealed class RbacIdentity
{
    private RbacIdentity(RbacSubject subject, IReadOnlyList<string> groups)
    {
        Subject = subject;
        Groups = groups;
    }

    public RbacSubject Subject { get; }

    /// <summary>The groups the subject is in, implied and extra, without duplicates; a group subject lists itself first.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>The subject as a binding would name it, then each of its groups: every binding subject that applies to this identity.</summary>
    public IEnumerable<RbacSubject> Principals
    {
        get
        {
            if (Subject.Kind != RbacSubjectKind.Group) yield return Subject;
            foreach (var g in Groups) yield return RbacSubject.Group(g);
        }
    }

    public static RbacIdentity Of(RbacSubject subject, IEnumerable<string>? extraGroups = null)
    {
        var groups = new List<string>();
        void Add(string g)
        {
            if (!string.IsNullOrEmpty(g) && !groups.Contains(g, StringComparer.Ordinal)) groups.Add(g);
        }
        switch (subject.Kind)
        {
            case RbacSubjectKind.ServiceAccount:
                Add(RbacSubject.AllServiceAccountsGroup);
                Add(RbacSubject.ServiceAccountGroupPrefix + subject.Namespace);
                Add(RbacSubject.AuthenticatedGroup);
                break;
            case RbacSubjectKind.User:
                Add(subject.Name == RbacSubject.AnonymousUser ? RbacSubject.UnauthenticatedGroup : RbacSubject.AuthenticatedGroup);
                break;
            case RbacSubjectKind.Group:
                Add(subject.Name);
                if (subject.Name.StartsWith(RbacSubject.ServiceAccountGroupPrefix, StringComparison.Ordinal))
                    Add(RbacSubject.AllServiceAccountsGroup);
                if (subject.Name != RbacSubject.UnauthenticatedGroup) Add(RbacSubject.AuthenticatedGroup);
                break;
        }
        foreach (var g in extraGroups ?? []) Add(g);
        return new RbacIdentity(subject, groups);
    }

    public override string ToString() => $"{Subject} (groups: {string.Join(", ", Groups)})";
}
