using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Iam;

/// <summary>Builders for the RBAC objects and aws-auth ConfigMaps the IAM rule tests put into snapshots.</summary>
internal static class IamFixtures
{
    public const string NodeRole = """
        - rolearn: arn:aws:iam::111122223333:role/eks-node-role
          username: system:node:{{EC2PrivateDNSName}}
          groups:
            - system:bootstrappers
            - system:nodes
        """;

    public static Rbacv1Subject User(string name) => new() { Kind = "User", Name = name, ApiGroup = "rbac.authorization.k8s.io" };
    public static Rbacv1Subject Group(string name) => new() { Kind = "Group", Name = name, ApiGroup = "rbac.authorization.k8s.io" };
    public static Rbacv1Subject ServiceAccount(string ns, string name) => new() { Kind = "ServiceAccount", Name = name, NamespaceProperty = ns };

    public static V1RoleRef ClusterRoleRef(string name) => new() { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = name };
    public static V1RoleRef RoleRef(string name) => new() { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name };

    public static V1ClusterRoleBinding Crb(string name, V1RoleRef roleRef, params Rbacv1Subject[] subjects) =>
        new() { Metadata = TestSnapshots.Meta(name), RoleRef = roleRef, Subjects = subjects.ToList() };

    public static V1RoleBinding Rb(string ns, string name, V1RoleRef roleRef, params Rbacv1Subject[] subjects) =>
        new() { Metadata = TestSnapshots.Meta(name, ns), RoleRef = roleRef, Subjects = subjects.ToList() };

    public static V1PolicyRule Rule(string[] apiGroups, string[] resources, params string[] verbs) =>
        new() { ApiGroups = apiGroups, Resources = resources, Verbs = verbs };

    public static V1ClusterRole ClusterRole(string name, params V1PolicyRule[] rules) =>
        new() { Metadata = TestSnapshots.Meta(name), Rules = rules.ToList() };

    public static V1Role Role(string ns, string name, params V1PolicyRule[] rules) =>
        new() { Metadata = TestSnapshots.Meta(name, ns), Rules = rules.ToList() };

    public static V1ConfigMap AwsAuth(string? mapRoles = null, string? mapUsers = null, string? mapAccounts = null)
    {
        var data = new Dictionary<string, string>();
        if (mapRoles is not null) data["mapRoles"] = mapRoles;
        if (mapUsers is not null) data["mapUsers"] = mapUsers;
        if (mapAccounts is not null) data["mapAccounts"] = mapAccounts;
        return new V1ConfigMap { Metadata = TestSnapshots.Meta("aws-auth", "kube-system"), Data = data };
    }

    public static ClusterSnapshot WithAwsAuth(this ClusterSnapshot snapshot, V1ConfigMap configMap) =>
        snapshot.With(s => s.Kubernetes.ConfigMaps!.Items!.Add(configMap));

    public static ClusterSnapshot WithBindings(this ClusterSnapshot snapshot, params object[] objects) => snapshot.With(s =>
    {
        foreach (var o in objects)
        {
            switch (o)
            {
                case V1ClusterRoleBinding crb: s.Kubernetes.ClusterRoleBindings!.Items!.Add(crb); break;
                case V1RoleBinding rb: s.Kubernetes.RoleBindings!.Items!.Add(rb); break;
                case V1ClusterRole cr: s.Kubernetes.ClusterRoles!.Items!.Add(cr); break;
                case V1Role r: s.Kubernetes.Roles!.Items!.Add(r); break;
                default: throw new ArgumentException($"Unexpected object {o.GetType().Name}");
            }
        }
    });
}
