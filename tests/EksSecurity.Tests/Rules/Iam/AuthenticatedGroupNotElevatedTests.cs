using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class AuthenticatedGroupNotElevatedTests
{
    private static readonly Rbacv1Subject Authenticated = Group("system:authenticated");

    [Fact]
    public void Binding_everyone_to_secret_reading_fails()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(
            ClusterRole("secret-reader", Rule([""], ["configmaps"], "get"), Rule([""], ["secrets"], "get", "list")),
            Crb("everyone-reads-secrets", ClusterRoleRef("secret-reader"), Group("ops"), Authenticated));
        var finding = Assert.Single(TestSnapshots.Run<AuthenticatedGroupNotElevated>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("everyone-reads-secrets", finding.ResourceName);
        Assert.Contains("subjects[1] = Group system:authenticated", finding.Evidence);
        Assert.Contains("ClusterRole/secret-reader rules[1]: apiGroups=[\"\"] resources=[secrets] verbs=[get, list]", finding.Evidence);
        Assert.DoesNotContain(finding.Evidence, e => e.Contains("rules[0]"));
    }

    [Fact]
    public void Default_discovery_bindings_pass()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(
            ClusterRole("system:discovery", new V1PolicyRule { NonResourceURLs = ["/api", "/apis"], Verbs = ["get"] }),
            ClusterRole("system:basic-user", Rule(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], "create")),
            Crb("system:discovery", ClusterRoleRef("system:discovery"), Authenticated),
            Crb("system:basic-user", ClusterRoleRef("system:basic-user"), Authenticated),
            Crb("unrelated", ClusterRoleRef("cluster-admin"), Group("system:masters")));
        var findings = TestSnapshots.Run<AuthenticatedGroupNotElevated>(snapshot);
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
        Assert.Contains(findings, f => f.ResourceName == "system:discovery");
    }

    [Fact]
    public void Non_default_harmless_role_fails_with_lower_severity()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(
            ClusterRole("namespace-lister", Rule([""], ["namespaces"], "list")),
            Crb("everyone-lists-namespaces", ClusterRoleRef("namespace-lister"), Authenticated));
        var finding = Assert.Single(TestSnapshots.Run<AuthenticatedGroupNotElevated>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("not one of the Kubernetes default roles", finding.Message);
    }

    [Fact]
    public void Tampered_default_role_fails()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(
            ClusterRole("system:discovery", Rule(["*"], ["*"], "*")),
            Crb("system:discovery", ClusterRoleRef("system:discovery"), Authenticated));
        var finding = Assert.Single(TestSnapshots.Run<AuthenticatedGroupNotElevated>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("built-in", finding.Message);
    }

    [Fact]
    public void Role_binding_resolves_the_role_in_its_own_namespace()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(
            Role("team-a", "helper", Rule([""], ["pods/exec"], "create")),
            Role("team-b", "helper", Rule([""], ["configmaps"], "get")),
            Rb("team-a", "exec-for-all", RoleRef("helper"), Authenticated),
            Rb("team-b", "configmaps-for-all", RoleRef("helper"), Authenticated));
        var findings = TestSnapshots.Run<AuthenticatedGroupNotElevated>(snapshot);
        var a = Assert.Single(findings, f => f.Namespace == "team-a");
        Assert.Equal(Severity.High, a.Severity);
        Assert.Contains(a.Evidence, e => e.Contains("resources=[pods/exec]"));
        var b = Assert.Single(findings, f => f.Namespace == "team-b");
        Assert.Equal(FindingStatus.Fail, b.Status);
        Assert.Equal(Severity.Medium, b.Severity);
    }

    [Fact]
    public void Missing_role_is_a_warning_not_a_pass()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(Rb("team-a", "ghost", RoleRef("does-not-exist"), Authenticated));
        var finding = Assert.Single(TestSnapshots.Run<AuthenticatedGroupNotElevated>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("does not exist in namespace team-a", finding.Message);
        Assert.Contains("Role/does-not-exist in namespace team-a: not found in the snapshot", finding.Evidence);
    }

    [Fact]
    public void Without_bindings_to_the_group_nothing_applies()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(Crb("ops", ClusterRoleRef("view"), Group("ops")));
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<AuthenticatedGroupNotElevated>(snapshot)).Status);
    }

    [Fact]
    public void Denied_roles_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Roles = Section<V1Role>.Denied("list roles"));
        var finding = Assert.Single(TestSnapshots.Run<AuthenticatedGroupNotElevated>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("list roles", string.Join(" ", finding.Evidence));
    }

    [Theory]
    [InlineData("", "pods", true)]
    [InlineData("", "pods/exec", true)]
    [InlineData("", "nodes/proxy", true)]
    [InlineData("", "secrets", true)]
    [InlineData("apps", "deployments", true)]
    [InlineData("apps", "daemonsets/status", true)]
    [InlineData("batch", "cronjobs", true)]
    [InlineData("*", "statefulsets", true)]
    [InlineData("rbac.authorization.k8s.io", "*", true)]
    [InlineData("", "configmaps", false)]
    [InlineData("example.com", "jobs", false)]
    [InlineData("apps", "pods", false)]
    public void Dangerous_rule_test(string group, string resource, bool dangerous) =>
        Assert.Equal(dangerous, AuthenticatedGroupNotElevated.IsDangerous(Rule([group], [resource], "get")));
}
