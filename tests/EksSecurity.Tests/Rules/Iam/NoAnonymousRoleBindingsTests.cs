using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class NoAnonymousRoleBindingsTests
{
    [Fact]
    public void Role_binding_for_unauthenticated_fails_in_its_namespace()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(
            Rb("team-a", "open-reader", RoleRef("reader"), Group("system:unauthenticated")),
            Rb("team-b", "app", RoleRef("reader"), ServiceAccount("team-b", "app")));
        var findings = TestSnapshots.Run<NoAnonymousRoleBindings>(snapshot);
        Assert.Equal(2, findings.Count);
        var fail = Assert.Single(findings, f => f.Status == FindingStatus.Fail);
        Assert.Equal("RoleBinding", fail.ResourceType);
        Assert.Equal("team-a", fail.Namespace);
        Assert.Equal("open-reader", fail.ResourceName);
        Assert.Equal(Severity.High, fail.Severity);
        Assert.Contains("subjects[0] = Group system:unauthenticated", fail.Evidence);
        var pass = Assert.Single(findings, f => f.Status == FindingStatus.Pass);
        Assert.Equal("team-b", pass.Namespace);
        Assert.Contains("subjects = [ServiceAccount team-b/app]", pass.Evidence);
    }

    [Fact]
    public void Anonymous_user_fails()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(Rb("team-a", "anon", ClusterRoleRef("edit"), User("system:anonymous")));
        var finding = Assert.Single(TestSnapshots.Run<NoAnonymousRoleBindings>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("ClusterRole/edit", finding.Message);
    }

    [Fact]
    public void No_role_bindings_is_not_applicable()
    {
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<NoAnonymousRoleBindings>(TestSnapshots.Empty())).Status);
    }

    [Fact]
    public void Denied_role_bindings_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.RoleBindings = Section<V1RoleBinding>.Denied("list rolebindings"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NoAnonymousRoleBindings>(snapshot)).Status);
    }
}
