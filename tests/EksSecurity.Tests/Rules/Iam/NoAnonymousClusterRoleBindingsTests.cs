using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class NoAnonymousClusterRoleBindingsTests
{
    [Fact]
    public void Binding_for_anonymous_user_fails()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(
            Crb("anon-admin", ClusterRoleRef("cluster-admin"), Group("ops"), User("system:anonymous")));
        var finding = Assert.Single(TestSnapshots.Run<NoAnonymousClusterRoleBindings>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("ClusterRoleBinding", finding.ResourceType);
        Assert.Equal("anon-admin", finding.ResourceName);
        Assert.Contains("subjects[1] = User system:anonymous", finding.Evidence);
        Assert.Contains("roleRef = ClusterRole/cluster-admin", finding.Evidence);
    }

    [Fact]
    public void Leftover_discovery_binding_for_unauthenticated_fails()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(
            Crb("system:discovery", ClusterRoleRef("system:discovery"), Group("system:authenticated"), Group("system:unauthenticated")));
        var finding = Assert.Single(TestSnapshots.Run<NoAnonymousClusterRoleBindings>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("1.14", finding.Message);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("subjects[1] = Group system:unauthenticated", finding.Evidence);
    }

    [Fact]
    public void Default_public_info_viewer_and_ordinary_bindings_pass()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(
            Crb("system:public-info-viewer", ClusterRoleRef("system:public-info-viewer"), Group("system:authenticated"), Group("system:unauthenticated")),
            Crb("ops-view", ClusterRoleRef("view"), Group("ops")));
        var findings = TestSnapshots.Run<NoAnonymousClusterRoleBindings>(snapshot);
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
        Assert.Contains(findings, f => f.ResourceName == "ops-view" && f.Evidence.Contains("subjects = [Group ops]"));
    }

    [Fact]
    public void The_exception_follows_the_role_not_the_binding_name()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(
            Crb("system:public-info-viewer", ClusterRoleRef("cluster-admin"), Group("system:unauthenticated")));
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<NoAnonymousClusterRoleBindings>(snapshot)).Status);
    }

    [Fact]
    public void Subject_kind_matters()
    {
        // A Group named system:anonymous has no members: the anonymous identity is a User.
        var snapshot = TestSnapshots.Empty().WithBindings(Crb("odd", ClusterRoleRef("view"), Group("system:anonymous")));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<NoAnonymousClusterRoleBindings>(snapshot)).Status);
    }

    [Fact]
    public void Denied_bindings_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.ClusterRoleBindings = Section<V1ClusterRoleBinding>.Denied("list clusterrolebindings"));
        var finding = Assert.Single(TestSnapshots.Run<NoAnonymousClusterRoleBindings>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("list clusterrolebindings", string.Join(" ", finding.Evidence));
    }
}
