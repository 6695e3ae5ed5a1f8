using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class NoWildcardsInRolesTests
{
    [Fact]
    public void Wildcard_verbs_fail()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(
            ClusterRole("deploy-bot", Rule(["apps"], ["deployments"], "get"), Rule(["apps"], ["deployments"], "*")));
        var finding = Assert.Single(TestSnapshots.Run<NoWildcardsInRoles>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("ClusterRole", finding.ResourceType);
        Assert.Equal("deploy-bot", finding.ResourceName);
        Assert.Contains("1 rule(s)", finding.Message);
        Assert.Contains(finding.Evidence, e => e.StartsWith("rules[1]: verbs contains *"));
        Assert.DoesNotContain(finding.Evidence, e => e.StartsWith("rules[0]"));
    }

    [Fact]
    public void Wildcard_resources_in_a_namespaced_role_fail()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(Role("team-a", "ops", Rule([""], ["pods/*"], "get")));
        var finding = Assert.Single(TestSnapshots.Run<NoWildcardsInRoles>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("team-a", finding.Namespace);
        Assert.Contains(finding.Evidence, e => e.StartsWith("rules[0]: resources contains pods/*"));
    }

    [Fact]
    public void Explicit_rules_pass()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(ClusterRole("reader", Rule(["", "apps"], ["pods", "deployments"], "get", "list", "watch")));
        var finding = Assert.Single(TestSnapshots.Run<NoWildcardsInRoles>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("reader", finding.ResourceName);
    }

    [Fact]
    public void Excluded_platform_roles_are_suppressed_never_passed()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(
            ClusterRole("system:controller:generic-garbage-collector", Rule(["*"], ["*"], "get", "list", "delete")),
            ClusterRole("eks:addon-manager", Rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], "*")),
            ClusterRole("system:clean", Rule([""], ["pods"], "get")));
        var findings = TestSnapshots.Run<NoWildcardsInRoles>(snapshot);
        var gc = Assert.Single(findings, f => f.ResourceName == "system:controller:generic-garbage-collector");
        Assert.Equal(FindingStatus.Suppressed, gc.Status);
        Assert.Contains("'system:*'", gc.Message);
        Assert.Contains(gc.Evidence, e => e.Contains("apiGroups contains *"));
        Assert.Equal(FindingStatus.Suppressed, Assert.Single(findings, f => f.ResourceName == "eks:addon-manager").Status);
        // An excluded name without wildcards passes on its own merits.
        Assert.Equal(FindingStatus.Pass, Assert.Single(findings, f => f.ResourceName == "system:clean").Status);
    }

    [Fact]
    public void Namespace_qualified_exclusion_applies_only_to_that_namespace()
    {
        var settings = new RuleSettings { WildcardRoleExclusions = ["team-a/ops"] };
        var snapshot = TestSnapshots.Empty().WithBindings(
            Role("team-a", "ops", Rule([""], ["*"], "get")),
            Role("team-b", "ops", Rule([""], ["*"], "get")),
            ClusterRole("ops", Rule([""], ["*"], "get")));
        var findings = TestSnapshots.Run<NoWildcardsInRoles>(snapshot, settings);
        Assert.Equal(FindingStatus.Suppressed, Assert.Single(findings, f => f.Namespace == "team-a").Status);
        Assert.Equal(FindingStatus.Fail, Assert.Single(findings, f => f.Namespace == "team-b").Status);
        Assert.Equal(FindingStatus.Fail, Assert.Single(findings, f => f.ResourceType == "ClusterRole").Status);
    }

    [Fact]
    public void Denied_cluster_roles_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.ClusterRoles = Section<V1ClusterRole>.Denied("list clusterroles"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NoWildcardsInRoles>(snapshot)).Status);
    }
}
