using EksSecurity.Engine.Kubernetes.Rbac;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;

namespace EksSecurity.Tests.Kubernetes;

/// <summary>
/// The graph at the design's scale target: 50,000 RoleBindings over 2,500 namespaces, plus ClusterRoleBindings
/// and an aggregated ClusterRole. The answers are known by construction. No timing is asserted (benchmarks
/// live in tests/EksSecurity.Benchmarks); the indexes are what keeps these queries from touching every binding.
/// </summary>
public class RbacGraphScaleTests
{
    private const int Namespaces = 2_500;
    private const int AccountsPerNamespace = 10;
    private const int UsersPerNamespace = 5;
    private const int GroupsPerNamespace = 5;
    private const int ClusterAdmins = 199;

    private static readonly Lazy<RbacGraph> s_graph = new(Build);

    private static RbacGraph Build()
    {
        var clusterRoles = new List<V1ClusterRole>
        {
            ClusterRole("view", Rule([""], ["pods"], "get", "list")),
            ClusterRole("ns-lister", Rule([""], ["namespaces"], "list")),
            Labelled("edit-pods", Rule([""], ["pods"], "create")),
            Labelled("edit-secrets", Rule([""], ["secrets"], "get", "list")),
            new()
            {
                Metadata = TestSnapshots.Meta("edit"),
                AggregationRule = new V1AggregationRule
                {
                    ClusterRoleSelectors = [new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["agg-edit"] = "true" } }],
                },
            },
        };
        var roles = new List<V1Role>();
        var roleBindings = new List<V1RoleBinding>();
        for (var n = 0; n < Namespaces; n++)
        {
            var ns = $"ns-{n}";
            roles.Add(Role(ns, "app", Rule([""], ["configmaps"], "get", "list"),
                new V1PolicyRule { ApiGroups = [""], Resources = ["secrets"], ResourceNames = ["app-secret"], Verbs = ["get"] }));
            for (var i = 0; i < AccountsPerNamespace; i++) roleBindings.Add(Rb(ns, $"app-{i}", RoleRef("app"), ServiceAccount(ns, $"app-{i}")));
            for (var i = 0; i < UsersPerNamespace; i++) roleBindings.Add(Rb(ns, $"view-{i}", ClusterRoleRef("view"), User($"u-{n}-{i}")));
            for (var i = 0; i < GroupsPerNamespace; i++) roleBindings.Add(Rb(ns, $"edit-{i}", ClusterRoleRef("edit"), Group($"g-{n}-{i}")));
        }
        var clusterRoleBindings = new List<V1ClusterRoleBinding>();
        for (var i = 0; i < ClusterAdmins; i++) clusterRoleBindings.Add(Crb($"lister-{i}", ClusterRoleRef("ns-lister"), User($"admin-{i}")));
        clusterRoleBindings.Add(Crb("platform-edit", ClusterRoleRef("edit"), Group("platform")));
        return RbacGraph.Build(clusterRoles, roles, clusterRoleBindings, roleBindings);
    }

    private static V1ClusterRole Labelled(string name, params V1PolicyRule[] rules)
    {
        var role = ClusterRole(name, rules);
        role.Metadata.Labels = new Dictionary<string, string> { ["agg-edit"] = "true" };
        return role;
    }

    private static RbacGraph Graph => s_graph.Value;

    [Fact]
    public void The_graph_holds_fifty_thousand_bindings()
    {
        Assert.Equal(Namespaces * (AccountsPerNamespace + UsersPerNamespace + GroupsPerNamespace) + ClusterAdmins + 1, Graph.Bindings.Count);
        Assert.True(Graph.Bindings.Count >= 50_000);
        Assert.Empty(Graph.DanglingBindings);
        Assert.Equal(2, Graph.FindClusterRole("edit")!.Rules.Count);
    }

    [Fact]
    public void Who_can_read_secrets_in_one_namespace()
    {
        var who = Graph.WhoCan("list", "secrets", null, "", "ns-42");
        Assert.Equal(["Group g-42-0", "Group g-42-1", "Group g-42-2", "Group g-42-3", "Group g-42-4", "Group platform"],
            who.Select(a => a.Subject.ToString()).Order(StringComparer.Ordinal));
        Assert.True(who.Single(a => a.Subject.Name == "platform").IsClusterWide);
    }

    [Fact]
    public void Who_can_read_secrets_anywhere()
    {
        var who = Graph.WhoCan("list", "secrets", null, "", RbacGraph.AnyNamespace);
        Assert.Equal(Namespaces * GroupsPerNamespace + 1, who.Count);
        Assert.Single(who, a => a.IsClusterWide);
    }

    [Fact]
    public void Who_can_get_a_named_secret_includes_the_name_restricted_grants()
    {
        var who = Graph.WhoCan("get", "secrets", null, "", "ns-7", "app-secret");
        Assert.Equal(AccountsPerNamespace + GroupsPerNamespace + 1, who.Count);
        Assert.Equal(AccountsPerNamespace, who.Count(a => a.Subject.IsServiceAccount));
    }

    [Fact]
    public void Can_answers_for_one_account_among_fifty_thousand_bindings()
    {
        var account = RbacSubject.ServiceAccount("ns-7", "app-3");
        Assert.True(Graph.Can(account, "get", "secrets", null, "", "ns-7", "app-secret"));
        Assert.False(Graph.Can(account, "get", "secrets", null, "", "ns-7", "other"));
        Assert.False(Graph.Can(account, "get", "secrets", null, "", "ns-8", "app-secret"));
        Assert.True(Graph.Can(account, "list", "configmaps", null, "", "ns-7"));
        Assert.False(Graph.Can(account, "create", "pods", null, "", RbacGraph.AnyNamespace));
        Assert.True(Graph.Can(RbacSubject.Group("platform"), "create", "pods", null, "", null));
    }

    [Fact]
    public void Cluster_scoped_questions_see_only_cluster_role_bindings()
    {
        Assert.Equal(ClusterAdmins, Graph.WhoCan("list", "namespaces", null, "", null).Count);
        Assert.Equal(["Group platform"], Graph.WhoCan("create", "pods", null, "", null).Select(a => a.Subject.ToString()));
    }

    [Fact]
    public void Rules_of_one_user()
    {
        var scope = Assert.Single(Graph.Rules(RbacSubject.User("u-100-2")));
        Assert.Equal("ns-100", scope.Namespace);
        Assert.Equal("RoleBinding/ns-100/view-2", Assert.Single(scope.Grants).Binding.Ref);
    }
}
