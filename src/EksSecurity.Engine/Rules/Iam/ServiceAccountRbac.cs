using EksSecurity.Engine.Kubernetes;
using EksSecurity.Engine.Kubernetes.Rbac;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>What the ServiceAccount rules share: a pod spec's account, whether its token is mounted, and the bindings that give the token a use.</summary>
internal static class ServiceAccountRbac
{
    public const string IrsaRoleAnnotation = "eks.amazonaws.com/role-arn";
    public const string LegacyTokenType = "kubernetes.io/service-account-token";
    public const string TokenAccountAnnotation = "kubernetes.io/service-account.name";

    /// <summary>The ServiceAccount a pod spec runs as (a manifest without namespace goes to "default", as kubectl applies it), and how we know.</summary>
    public static (RbacSubject Account, string Evidence) AccountOf(PodSpecSource source)
    {
        var (name, evidence) = WorkloadsAvoidDefaultServiceAccount.EffectiveServiceAccount(source);
        var ns = string.IsNullOrEmpty(source.Namespace) ? RbacGraph.DefaultNamespace : source.Namespace;
        return (RbacSubject.ServiceAccount(ns, name), evidence);
    }

    public static Dictionary<(string Ns, string Name), V1ServiceAccount> Index(IEnumerable<V1ServiceAccount>? accounts)
    {
        var index = new Dictionary<(string, string), V1ServiceAccount>();
        foreach (var a in accounts ?? [])
            if (a?.Metadata is { Name: { } name }) index[(RbacGraph.NamespaceOf(a.Metadata), name)] = a;
        return index;
    }

    /// <summary>
    /// Whether Kubernetes mounts the account's token into the pod: the pod spec's automountServiceAccountToken wins, then the
    /// ServiceAccount's, and unset means mounted.
    /// </summary>
    public static (bool Mounted, string Evidence) Automount(PodSpecSource source, RbacSubject account, V1ServiceAccount? serviceAccount)
    {
        if (source.Spec.AutomountServiceAccountToken is { } pod)
            return (pod, $"{source.SpecPath}.automountServiceAccountToken = {Bool(pod)}");
        if (serviceAccount?.AutomountServiceAccountToken is { } sa)
            return (sa, $"{account} automountServiceAccountToken = {Bool(sa)} ({source.SpecPath}.automountServiceAccountToken not set)");
        return (true, $"automountServiceAccountToken set neither in {source.SpecPath} nor on {account} (Kubernetes mounts the token)");
    }

    /// <summary>The name of a projected volume that mounts a ServiceAccount token explicitly, or null.</summary>
    public static string? ProjectedTokenVolume(PodSpecSource source) =>
        source.Spec.Volumes?.FirstOrDefault(v => v.Projected?.Sources?.Any(s => s.ServiceAccountToken is not null) == true)?.Name;

    /// <summary>
    /// The bindings that give the account's token a use: those naming the account, and those naming its groups
    /// (system:serviceaccounts, system:serviceaccounts:&lt;ns&gt;) other than Kubernetes' own defaults. Bindings to
    /// system:authenticated are left out: they reach every identity and are judged by EKS-IAM-009.
    /// </summary>
    public static List<(RbacSubject Holder, RbacBinding Binding)> Bindings(RbacGraph graph, RbacSubject account) =>
        graph.BindingsOf(RbacIdentity.Of(account))
            .Where(x => x.Holder == account ||
                        (x.Holder.Name != RbacSubject.AuthenticatedGroup && x.Holder.Name != RbacSubject.UnauthenticatedGroup && !x.Binding.IsKubernetesDefault))
            .ToList();

    /// <summary>"RoleBinding/ns/name -> ClusterRole/edit", with "via Group g" when the binding names a group.</summary>
    public static string Describe(RbacSubject account, RbacSubject holder, RbacBinding binding)
    {
        var text = $"{binding.Ref} -> {binding.RoleRefDescription}" + (binding.Role is null ? " (role not in the snapshot)" : "");
        return holder == account ? text : $"via {holder}: {text}";
    }

    public static string? IrsaRole(V1ServiceAccount? account) =>
        account?.Metadata?.Annotations is { } a && a.TryGetValue(IrsaRoleAnnotation, out var arn) && !string.IsNullOrWhiteSpace(arn) ? arn : null;

    private static string Bool(bool value) => value ? "true" : "false";
}
