using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class ClusterAdminBoundOnlyWhereRequiredTests
{
    [Fact]
    public void Cluster_admin_for_a_user_fails_and_names_the_subject()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(
            Crb("alice-admin", ClusterRoleRef("cluster-admin"), User("alice"), ServiceAccount("ci", "deployer")));
        var finding = Assert.Single(TestSnapshots.Run<ClusterAdminBoundOnlyWhereRequired>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("ClusterRoleBinding", finding.ResourceType);
        Assert.Equal("alice-admin", finding.ResourceName);
        Assert.Contains("User alice, ServiceAccount ci/deployer", finding.Message);
        Assert.Contains("subjects[0] = User alice", finding.Evidence);
        Assert.Contains("subjects[1] = ServiceAccount ci/deployer", finding.Evidence);
    }

    [Fact]
    public void Default_system_masters_binding_passes_and_other_roles_are_not_judged()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(
            Crb("cluster-admin", ClusterRoleRef("cluster-admin"), Group("system:masters")),
            Crb("ops-view", ClusterRoleRef("view"), User("alice")),
            Rb("team-a", "not-the-builtin", RoleRef("cluster-admin"), User("bob")));
        var finding = Assert.Single(TestSnapshots.Run<ClusterAdminBoundOnlyWhereRequired>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("cluster-admin", finding.ResourceName);
        Assert.Contains(finding.Evidence, e => e.StartsWith("subjects[0] = Group system:masters"));
    }

    [Fact]
    public void Allow_listed_subject_is_suppressed_with_the_pattern()
    {
        var settings = new RuleSettings { ClusterAdminAllowedSubjects = ["Group:system:masters", "ServiceAccount:argocd/*"] };
        var snapshot = TestSnapshots.Empty().WithBindings(
            Crb("argocd-admin", ClusterRoleRef("cluster-admin"), ServiceAccount("argocd", "argocd-application-controller")));
        var finding = Assert.Single(TestSnapshots.Run<ClusterAdminBoundOnlyWhereRequired>(snapshot, settings));
        Assert.Equal(FindingStatus.Suppressed, finding.Status);
        Assert.Contains("ServiceAccount:argocd/*", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("allowed by ClusterAdminAllowedSubjects pattern 'ServiceAccount:argocd/*'"));

        // The same binding without the allow-list fails; an extra subject next to the allowed one fails too.
        Assert.Equal(FindingStatus.Fail, TestSnapshots.Run<ClusterAdminBoundOnlyWhereRequired>(snapshot)[0].Status);
        var mixed = TestSnapshots.Empty().WithBindings(
            Crb("argocd-admin", ClusterRoleRef("cluster-admin"), ServiceAccount("argocd", "argocd-application-controller"), User("mallory")));
        var mixedFinding = Assert.Single(TestSnapshots.Run<ClusterAdminBoundOnlyWhereRequired>(mixed, settings));
        Assert.Equal(FindingStatus.Fail, mixedFinding.Status);
        Assert.Contains("User mallory", mixedFinding.Message);
        Assert.DoesNotContain("argocd", mixedFinding.Message);
    }

    [Fact]
    public void The_eks_addon_manager_binding_is_suppressed_by_default()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(Crb("eks:addon-cluster-admin", ClusterRoleRef("cluster-admin"), User("eks:addon-manager")));
        var finding = Assert.Single(TestSnapshots.Run<ClusterAdminBoundOnlyWhereRequired>(snapshot));
        Assert.Equal(FindingStatus.Suppressed, finding.Status);
        Assert.Equal("eks:addon-cluster-admin", finding.ResourceName);
        Assert.Contains("'User:eks:addon-manager'", finding.Message);
    }

    [Fact]
    public void Role_binding_to_cluster_admin_fails_for_its_namespace_with_medium_severity()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(Rb("team-a", "team-admin", ClusterRoleRef("cluster-admin"), Group("team-a-admins")));
        var finding = Assert.Single(TestSnapshots.Run<ClusterAdminBoundOnlyWhereRequired>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("team-a", finding.Namespace);
        Assert.Contains("in namespace team-a", finding.Message);
    }

    [Fact]
    public void Binding_without_subjects_passes()
    {
        var snapshot = TestSnapshots.Empty().WithBindings(Crb("empty", ClusterRoleRef("cluster-admin")));
        var finding = Assert.Single(TestSnapshots.Run<ClusterAdminBoundOnlyWhereRequired>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("subjects = (none)", finding.Evidence);
    }

    [Fact]
    public void Denied_role_bindings_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.RoleBindings = Section<V1RoleBinding>.Denied("list rolebindings"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ClusterAdminBoundOnlyWhereRequired>(snapshot)).Status);
    }
}
