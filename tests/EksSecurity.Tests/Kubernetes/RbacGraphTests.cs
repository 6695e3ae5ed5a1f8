using EksSecurity.Engine.Kubernetes.Rbac;
using EksSecurity.Engine.Rules;
using EksSecurity.Tests.Rules.Iam;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;

namespace EksSecurity.Tests.Kubernetes;

public class RbacGraphTests
{
    private static RbacGraph Graph(params object[] objects) =>
        RbacGraph.From(TestSnapshots.Empty().WithBindings(objects.Where(o => o is not V1ServiceAccount).ToArray())
            .With(s => s.Kubernetes.ServiceAccounts!.Items!.AddRange(objects.OfType<V1ServiceAccount>())));

    private static V1ClusterRole Labelled(string name, IDictionary<string, string> labels, params V1PolicyRule[] rules)
    {
        var role = ClusterRole(name, rules);
        role.Metadata.Labels = labels;
        return role;
    }

    private static V1ClusterRole Aggregated(string name, IEnumerable<V1LabelSelector> selectors, params V1PolicyRule[] ownRules)
    {
        var role = ClusterRole(name, ownRules);
        role.AggregationRule = new V1AggregationRule { ClusterRoleSelectors = selectors.ToList() };
        return role;
    }

    private static V1LabelSelector Selector(string key, string value) => new() { MatchLabels = new Dictionary<string, string> { [key] = value } };

    private static readonly RbacSubject Alice = RbacSubject.User("alice");

    // ---- Aggregation ----

    [Fact]
    public void Aggregated_role_gets_the_rules_of_matching_roles_transitively_and_keeps_its_own()
    {
        var graph = Graph(
            Labelled("view", new Dictionary<string, string> { ["agg/edit"] = "true" }, Rule([""], ["pods"], "get", "list")),
            Aggregated("edit", [Selector("agg/edit", "true")], Rule([""], ["configmaps"], "update")),
            Aggregated("admin", [Selector("agg/admin", "true")]),
            // edit is itself aggregated and labelled for admin: admin must end up with view's rules too.
            Labelled("edit-extra", new Dictionary<string, string> { ["agg/admin"] = "true" }, Rule(["apps"], ["deployments"], "create")),
            Crb("alice-admin", ClusterRoleRef("admin"), User("alice")));
        var edit = graph.FindClusterRole("edit")!;
        Assert.Equal(2, edit.Rules.Count);
        Assert.Equal(0, edit.Rules[0].Index);                  // own rule first
        Assert.Equal(-1, edit.Rules[1].Index);                 // then the aggregated one
        Assert.Equal("ClusterRole/view rules[0]", edit.Rules[1].AggregatedFrom);

        // admin's selector matches edit-extra only (edit is not labelled for it).
        Assert.False(graph.Can(Alice, "get", "pods", null, "").Allowed);
        Assert.True(graph.Can(Alice, "create", "deployments", null, "apps").Allowed);
    }

    [Fact]
    public void Aggregation_is_a_fixed_point_over_chains_of_aggregated_roles()
    {
        var graph = Graph(
            Labelled("view", new Dictionary<string, string> { ["agg/edit"] = "true" }, Rule([""], ["pods"], "get")),
            Aggregated("admin", [Selector("agg/admin", "true")]),
            // Sorted by name "admin" < "edit": one pass would miss view's rule in admin.
            LabelledAggregated("edit", new Dictionary<string, string> { ["agg/admin"] = "true" }, [Selector("agg/edit", "true")]),
            Crb("alice-admin", ClusterRoleRef("admin"), User("alice")));
        var decision = graph.Can(Alice, "get", "pods", null, "");
        Assert.True(decision.Allowed);
        var grant = Assert.Single(decision.Grants);
        Assert.Equal("ClusterRoleBinding/alice-admin -> ClusterRole/admin (by aggregation) from ClusterRole/view rules[0]: apiGroups=[\"\"] resources=[pods] verbs=[get]", grant.Path);
    }

    private static V1ClusterRole LabelledAggregated(string name, IDictionary<string, string> labels, IEnumerable<V1LabelSelector> selectors)
    {
        var role = Aggregated(name, selectors);
        role.Metadata.Labels = labels;
        return role;
    }

    [Fact]
    public void Aggregated_rules_already_in_the_snapshot_are_not_duplicated_and_name_their_origin()
    {
        var graph = Graph(
            Labelled("secret-reader", new Dictionary<string, string> { ["agg"] = "x" }, Rule([""], ["secrets"], "get")),
            // The controller already copied the rule: the live object carries it.
            Aggregated("combined", [Selector("agg", "x")], Rule([""], ["secrets"], "get")));
        var rule = Assert.Single(graph.FindClusterRole("combined")!.Rules);
        Assert.Equal(0, rule.Index);
        Assert.Equal("ClusterRole/secret-reader rules[0]", rule.AggregatedFrom);
        Assert.StartsWith("ClusterRole/combined rules[0] (aggregated from ClusterRole/secret-reader rules[0]):", rule.Describe());
    }

    [Fact]
    public void Selector_expressions_follow_kubernetes_semantics()
    {
        var labels = new Dictionary<string, string> { ["tier"] = "web", ["team"] = "a" };
        bool Match(V1LabelSelectorRequirement r) => SelectorMatches(new V1LabelSelector { MatchExpressions = [r] }, labels);
        Assert.True(Match(Req("tier", "In", ["web", "api"])));
        Assert.False(Match(Req("tier", "In", ["api"])));
        Assert.True(Match(Req("env", "NotIn", ["prod"])));   // absent key satisfies NotIn
        Assert.False(Match(Req("team", "NotIn", ["a"])));
        Assert.True(Match(Req("team", "Exists")));
        Assert.True(Match(Req("env", "DoesNotExist")));
        Assert.False(Match(Req("team", "Bogus")));
        Assert.True(SelectorMatches(new V1LabelSelector(), labels));            // empty selector: everything
    }

    private static V1LabelSelectorRequirement Req(string key, string op, string[]? values = null) =>
        new() { Key = key, OperatorProperty = op, Values = values };

    private static bool SelectorMatches(V1LabelSelector selector, Dictionary<string, string> labels)
    {
        // Through the public surface: a role aggregating with this selector picks up a labelled role's rule.
        var source = Labelled("source", labels, Rule([""], ["pods"], "get"));
        var graph = Graph(source, Aggregated("target", [selector]));
        return graph.FindClusterRole("target")!.Rules.Count == 1;
    }

    [Fact]
    public void An_aggregated_role_does_not_aggregate_itself_and_cycles_end()
    {
        var graph = Graph(
            LabelledAggregated("a", new Dictionary<string, string> { ["x"] = "1" }, [Selector("y", "1")]),
            LabelledAggregated("b", new Dictionary<string, string> { ["y"] = "1" }, [Selector("x", "1")]));
        Assert.Empty(graph.FindClusterRole("a")!.Rules);
        var withRules = Graph(
            Aggregated("a", [Selector("y", "1")], Rule([""], ["pods"], "get")),
            LabelledAggregated("b", new Dictionary<string, string> { ["y"] = "1" }, [Selector("x", "1")]));
        Assert.Single(withRules.FindClusterRole("a")!.Rules);
    }

    // ---- resourceNames ----

    [Fact]
    public void ResourceNames_rules_grant_only_the_named_objects()
    {
        var graph = Graph(
            Role("kube-system", "aws-auth-editor", new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps"], ResourceNames = ["aws-auth"], Verbs = ["get", "update", "list", "create"] }),
            Rb("kube-system", "alice", RoleRef("aws-auth-editor"), User("alice")));
        Assert.True(graph.Can(Alice, "update", "configmaps", null, "", "kube-system", "aws-auth"));
        Assert.False(graph.Can(Alice, "update", "configmaps", null, "", "kube-system", "coredns"));
        Assert.False(graph.Can(Alice, "update", "configmaps", null, "", "kube-system"));          // any object: no
        Assert.False(graph.Can(Alice, "list", "configmaps", null, "", "kube-system"));            // the collection: no
        Assert.False(graph.Can(Alice, "create", "configmaps", null, "", "kube-system", "aws-auth")); // create is never named
        Assert.Empty(graph.WhoCan("update", "configmaps", null, "", "kube-system"));
        var who = Assert.Single(graph.WhoCan(new RbacRequest("update", "", "configmaps") { Namespace = "kube-system", AnyResourceName = true }));
        Assert.True(Assert.Single(who.Grants).Rule.IsNameRestricted);
        Assert.Equal(["aws-auth"], who.Grants[0].Rule.ResourceNames);
    }

    [Fact]
    public void A_subresource_request_carries_its_parent_objects_name()
    {
        var graph = Graph(
            Role("team-a", "debug-one", new V1PolicyRule { ApiGroups = [""], Resources = ["pods/exec"], ResourceNames = ["debug"], Verbs = ["create"] }),
            Rb("team-a", "alice", RoleRef("debug-one"), User("alice")));
        Assert.True(graph.Can(Alice, "create", "pods", "exec", "", "team-a", "debug"));
        Assert.False(graph.Can(Alice, "create", "pods", "exec", "", "team-a", "web"));
        Assert.False(graph.Can(Alice, "create", "pods", "exec", "", "team-a"));
    }

    // ---- Wildcards ----

    [Theory]
    [InlineData("*", "*", "*", "delete", "apps", "deployments", null, true)]
    [InlineData("get", "*", "*", "delete", "apps", "deployments", null, false)]
    [InlineData("*", "", "*", "get", "apps", "deployments", null, false)]
    [InlineData("get", "apps", "*", "get", "apps", "deployments", "scale", true)]
    [InlineData("get", "apps", "*/scale", "get", "apps", "deployments", "scale", true)]
    [InlineData("get", "apps", "*/scale", "get", "apps", "deployments", null, false)]
    [InlineData("create", "", "pods/*", "create", "", "pods", "exec", false)]  // pods/* is not a wildcard in RBAC
    [InlineData("create", "", "pods", "create", "", "pods", "exec", false)]    // the resource does not grant its subresources
    [InlineData("create", "", "pods/exec", "create", "", "pods", "exec", true)]
    [InlineData("get", "*", "*", "*", "*", "*", null, false)]                  // asking for "*" needs a rule granting literally everything
    [InlineData("*", "*", "*", "*", "*", "*", null, true)]
    public void Wildcards_match_as_the_authorizer_does(string ruleVerb, string ruleGroup, string ruleResource,
        string verb, string group, string resource, string? subresource, bool expected)
    {
        var graph = Graph(ClusterRole("r", Rule([ruleGroup], [ruleResource], ruleVerb)), Crb("b", ClusterRoleRef("r"), User("alice")));
        Assert.Equal(expected, graph.Can(Alice, verb, resource, subresource, group, RbacGraph.AnyNamespace).Allowed);
        // WhoCan, through the resource index, must agree with Can.
        Assert.Equal(expected, graph.WhoCan(verb, resource, subresource, group, RbacGraph.AnyNamespace).Any());
    }

    [Fact]
    public void Non_resource_rules_grant_no_resources()
    {
        var graph = Graph(ClusterRole("r", new V1PolicyRule { NonResourceURLs = ["*"], Verbs = ["*"] }), Crb("b", ClusterRoleRef("r"), User("alice")));
        Assert.False(graph.Can(Alice, "get", "secrets", null, ""));
        Assert.Single(Assert.Single(graph.Rules(Alice)).Grants);
    }

    // ---- Subjects and group membership ----

    [Fact]
    public void ServiceAccounts_are_in_their_namespace_group_the_all_accounts_group_and_authenticated()
    {
        var graph = Graph(
            ClusterRole("secret-reader", Rule([""], ["secrets"], "get")),
            ClusterRole("pod-creator", Rule([""], ["pods"], "create")),
            ClusterRole("cm-reader", Rule([""], ["configmaps"], "get")),
            Rb("team-a", "team-a-accounts", ClusterRoleRef("secret-reader"), Group("system:serviceaccounts:team-a")),
            Crb("all-accounts", ClusterRoleRef("pod-creator"), Group("system:serviceaccounts")),
            Crb("everyone", ClusterRoleRef("cm-reader"), Group("system:authenticated")));
        var a = RbacSubject.ServiceAccount("team-a", "app");
        var b = RbacSubject.ServiceAccount("team-b", "app");

        var decision = graph.Can(a, "get", "secrets", null, "", "team-a");
        Assert.True(decision);
        Assert.Equal("via Group system:serviceaccounts:team-a: RoleBinding/team-a/team-a-accounts -> ClusterRole/secret-reader rules[0]: apiGroups=[\"\"] resources=[secrets] verbs=[get]",
            Assert.Single(decision.Grants).DescribeFor(a));
        Assert.False(graph.Can(b, "get", "secrets", null, "", "team-b"));
        Assert.True(graph.Can(b, "create", "pods", null, "", "team-b"));
        Assert.True(graph.Can(b, "get", "configmaps", null, "", null));
        Assert.True(graph.Can(Alice, "get", "configmaps", null, "", null));
        Assert.False(graph.Can(Alice, "create", "pods", null, "", "team-a"));
        Assert.False(graph.Can(RbacSubject.User("system:anonymous"), "get", "configmaps", null, ""));
        // A member of a namespace's account group is in the all-accounts group too.
        Assert.True(graph.Can(RbacSubject.Group("system:serviceaccounts:team-c"), "create", "pods", null, "", "team-c"));
    }

    [Fact]
    public void Extra_groups_from_the_authenticator_count()
    {
        var graph = Graph(ClusterRole("r", Rule([""], ["nodes"], "get")), Crb("ops", ClusterRoleRef("r"), Group("ops")));
        Assert.False(graph.Can(Alice, "get", "nodes", null, ""));
        Assert.True(graph.Can(RbacIdentity.Of(Alice, ["ops"]), new RbacRequest("get", "", "nodes")));
    }

    [Fact]
    public void A_user_subject_named_like_a_ServiceAccount_is_that_ServiceAccount()
    {
        var graph = Graph(
            ClusterRole("r", Rule([""], ["secrets"], "list")),
            Crb("by-user-name", ClusterRoleRef("r"), User("system:serviceaccount:ci:deployer")),
            Rb("ci", "no-namespace", ClusterRoleRef("r"), new Rbacv1Subject { Kind = "ServiceAccount", Name = "builder" }),
            Crb("invalid", ClusterRoleRef("r"), new Rbacv1Subject { Kind = "ServiceAccount", Name = "nowhere" }));
        Assert.True(graph.Can(RbacSubject.ServiceAccount("ci", "deployer"), "list", "secrets", null, ""));
        // A RoleBinding's ServiceAccount without namespace is in the binding's namespace.
        Assert.True(graph.Can(RbacSubject.ServiceAccount("ci", "builder"), "list", "secrets", null, "", "ci"));
        Assert.Equal(
            ["ServiceAccount ci/builder", "ServiceAccount ci/deployer"],
            graph.WhoCan("list", "secrets", null, "", RbacGraph.AnyNamespace).Select(a => a.Subject.ToString()));
        Assert.Empty(graph.Bindings.Single(b => b.Name == "invalid").Subjects);
    }

    // ---- Scope ----

    [Fact]
    public void A_RoleBinding_to_a_ClusterRole_grants_only_in_its_namespace()
    {
        var graph = Graph(
            ClusterRole("secret-reader", Rule([""], ["secrets"], "get", "list")),
            Rb("team-a", "alice-reads", ClusterRoleRef("secret-reader"), User("alice")));
        Assert.True(graph.Can(Alice, "list", "secrets", null, "", "team-a"));
        Assert.False(graph.Can(Alice, "list", "secrets", null, "", "team-b"));
        Assert.False(graph.Can(Alice, "list", "secrets", null, ""));                  // cluster-wide: no
        var grant = Assert.Single(graph.Can(Alice, "list", "secrets", null, "", RbacGraph.AnyNamespace).Grants);
        Assert.Equal("team-a", grant.Namespace);
        Assert.False(grant.IsClusterWide);
        var access = Assert.Single(graph.WhoCan("list", "secrets", null, "", RbacGraph.AnyNamespace));
        Assert.False(access.IsClusterWide);
        Assert.Equal(["team-a"], access.Namespaces);
        Assert.Empty(graph.WhoCan("list", "secrets", null, "", "team-b"));
        Assert.Empty(graph.WhoCan("list", "secrets", null, ""));
    }

    [Fact]
    public void A_RoleBinding_resolves_its_Role_in_its_own_namespace_and_a_ClusterRoleBinding_cannot_use_a_Role()
    {
        var graph = Graph(
            Role("team-a", "reader", Rule([""], ["secrets"], "get")),
            Role("team-b", "reader", Rule([""], ["configmaps"], "get")),
            Rb("team-b", "alice", RoleRef("reader"), User("alice")),
            Crb("bogus", RoleRef("reader"), User("alice")));
        Assert.False(graph.Can(Alice, "get", "secrets", null, "", RbacGraph.AnyNamespace));
        Assert.True(graph.Can(Alice, "get", "configmaps", null, "", "team-b"));
        Assert.Equal(["ClusterRoleBinding/bogus"], graph.DanglingBindings.Select(b => b.Ref));
    }

    [Fact]
    public void A_ClusterRoleBinding_grants_everywhere()
    {
        var graph = Graph(ClusterRole("r", Rule([""], ["pods"], "create")), Crb("b", ClusterRoleRef("r"), Group("devs")));
        var devs = RbacSubject.Group("devs");
        Assert.True(graph.Can(devs, "create", "pods", null, "", "any-namespace"));
        Assert.True(graph.Can(devs, "create", "pods", null, "", null));
        Assert.True(Assert.Single(graph.WhoCan("create", "pods", null, "", "x")).IsClusterWide);
    }

    // ---- WhoCan and Rules ----

    [Fact]
    public void WhoCan_lists_direct_holders_and_with_expansion_the_known_members_of_groups()
    {
        var graph = Graph(
            ClusterRole("r", Rule([""], ["secrets"], "get")),
            Crb("accounts", ClusterRoleRef("r"), Group("system:serviceaccounts:team-a")),
            Crb("bob", ClusterRoleRef("r"), User("bob")),
            new V1ServiceAccount { Metadata = TestSnapshots.Meta("app", "team-a") },
            new V1ServiceAccount { Metadata = TestSnapshots.Meta("app", "team-b") });
        var request = new RbacRequest("get", "", "secrets") { Namespace = "team-a" };
        Assert.Equal(["User bob", "Group system:serviceaccounts:team-a"], graph.WhoCan(request).Select(a => a.Subject.ToString()));
        var expanded = graph.WhoCan(request, expandGroups: true);
        var member = Assert.Single(expanded, a => a.Subject.IsServiceAccount);
        Assert.Equal("ServiceAccount team-a/app", member.Subject.ToString());
        Assert.True(member.IsThroughGroupOnly);
        Assert.StartsWith("via Group system:serviceaccounts:team-a: ClusterRoleBinding/accounts", member.Grants[0].DescribeFor(member.Subject));
    }

    [Fact]
    public void Rules_are_grouped_by_scope_cluster_wide_first()
    {
        var graph = Graph(
            ClusterRole("view", Rule([""], ["pods"], "get"), Rule([""], ["services"], "get")),
            Role("team-b", "debug", Rule([""], ["pods/exec"], "create")),
            Crb("alice-view", ClusterRoleRef("view"), User("alice")),
            Rb("team-b", "alice-debug", RoleRef("debug"), User("alice")),
            Rb("team-a", "alice-view-a", ClusterRoleRef("view"), User("alice")),
            Crb("everyone", ClusterRoleRef("view"), Group("system:authenticated")));
        var scopes = graph.Rules(Alice);
        Assert.Equal([null, "team-a", "team-b"], scopes.Select(s => s.Namespace));
        Assert.Equal(4, scopes[0].Grants.Count);                       // view through alice-view and through system:authenticated
        Assert.Contains(scopes[0].Grants, g => g.Holder == RbacSubject.Group("system:authenticated"));
        Assert.Equal("create", Assert.Single(scopes[2].Policies).Verbs.Single());
    }

    [Fact]
    public void A_snapshot_without_RBAC_sections_gives_an_empty_graph()
    {
        var snapshot = TestSnapshots.Empty().With(s =>
        {
            s.Kubernetes.ClusterRoles = null;
            s.Kubernetes.RoleBindings = null;
        });
        var graph = snapshot.Index.Rbac;
        Assert.Empty(graph.Bindings);
        Assert.False(graph.Can(Alice, "get", "pods", null, "", RbacGraph.AnyNamespace));
        Assert.Same(graph, snapshot.Index.Rbac);   // built once
    }

    // ---- System subjects ----

    [Theory]
    [InlineData(RbacSubjectKind.User, "system:kube-controller-manager", null, true)]
    [InlineData(RbacSubjectKind.User, "system:node:ip-10-0-1-2.ec2.internal", null, true)]
    [InlineData(RbacSubjectKind.Group, "system:masters", null, true)]
    [InlineData(RbacSubjectKind.Group, "system:nodes", null, true)]
    [InlineData(RbacSubjectKind.User, "eks:addon-manager", null, true)]
    [InlineData(RbacSubjectKind.ServiceAccount, "namespace-controller", "kube-system", true)]
    [InlineData(RbacSubjectKind.ServiceAccount, "aws-node", "kube-system", true)]
    [InlineData(RbacSubjectKind.ServiceAccount, "ebs-csi-controller-sa", "kube-system", true)]
    [InlineData(RbacSubjectKind.ServiceAccount, "my-operator", "kube-system", false)]
    [InlineData(RbacSubjectKind.ServiceAccount, "aws-node", "team-a", false)]
    [InlineData(RbacSubjectKind.User, "system:anonymous", null, false)]
    [InlineData(RbacSubjectKind.Group, "system:authenticated", null, false)]
    [InlineData(RbacSubjectKind.Group, "system:unauthenticated", null, false)]
    [InlineData(RbacSubjectKind.Group, "system:serviceaccounts", null, false)]
    [InlineData(RbacSubjectKind.Group, "system:serviceaccounts:kube-system", null, false)]
    [InlineData(RbacSubjectKind.User, "alice", null, false)]
    [InlineData(RbacSubjectKind.Group, "devs", null, false)]
    public void System_subjects_follow_the_EKS_defaults(RbacSubjectKind kind, string name, string? ns, bool expected)
    {
        Assert.Equal(expected, RuleSettings.Default.IsSystemSubject(new RbacSubject(kind, name, ns)));
    }

    [Fact]
    public void System_subjects_are_configurable()
    {
        var settings = new RuleSettings
        {
            SystemSubjects = [.. RuleSettings.Default.SystemSubjects, "ServiceAccount:platform/*"],
            NonSystemSubjects = [.. RuleSettings.Default.NonSystemSubjects, "User:eks:support-engineer"],
        };
        Assert.True(settings.IsSystemSubject(RbacSubject.ServiceAccount("platform", "argocd")));
        Assert.False(settings.IsSystemSubject(RbacSubject.User("eks:support-engineer")));
        Assert.True(settings.IsSystemSubject(RbacSubject.User("eks:addon-manager")));
        Assert.False(RuleSettings.Default.IsSystemSubject(RbacSubject.ServiceAccount("platform", "argocd")));
    }
}
