using EksSecurity.Engine.Rules.Iam;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.RbacRuleFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class LimitBindEscalateImpersonateTests
{
    private const string RbacGroup = "rbac.authorization.k8s.io";

    private static IReadOnlyList<EksSecurityFinding> Run(params object[] objects) => TestSnapshots.Run<LimitBindEscalateImpersonate>(Cluster(objects));

    [Fact]
    public void Impersonating_users_cluster_wide_fails_high()
    {
        var finding = Assert.Single(Run(ClusterRole("imp", Rule([""], ["users", "groups"], "impersonate")), Crb("support", ClusterRoleRef("imp"), User("support"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("User support can impersonate users, groups cluster-wide.", finding.Message);
    }

    [Fact]
    public void Bind_in_a_namespace_and_impersonating_its_ServiceAccounts_fail()
    {
        var finding = Assert.Single(Run(
            ClusterRole("delegate", Rule([RbacGroup], ["clusterroles"], "bind"), Rule([""], ["serviceaccounts"], "impersonate")),
            Rb("team-a", "lead", ClusterRoleRef("delegate"), User("lead"))));
        Assert.Equal("User lead can bind clusterroles; impersonate serviceaccounts in namespace team-a.", finding.Message);
    }

    [Fact]
    public void Cluster_scoped_verbs_granted_by_a_RoleBinding_have_no_effect()
    {
        // escalate on clusterroles and impersonation of users are checked without a namespace: a RoleBinding cannot grant them.
        var finding = Assert.Single(Run(
            ClusterRole("odd", Rule([RbacGroup], ["clusterroles"], "escalate"), Rule([""], ["users"], "impersonate")),
            Rb("team-a", "odd", ClusterRoleRef("odd"), User("lead"))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Bind_limited_to_named_roles_passes()
    {
        var finding = Assert.Single(Run(
            ClusterRole("delegate", new V1PolicyRule { ApiGroups = [RbacGroup], Resources = ["clusterroles"], Verbs = ["bind"], ResourceNames = ["view", "edit"] }),
            Rb("team-a", "lead", ClusterRoleRef("delegate"), User("lead"))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Wildcard_verbs_include_escalate()
    {
        var finding = Assert.Single(Run(ClusterRole("rbac-admin", Rule([RbacGroup], ["*"], "*")), Crb("x", ClusterRoleRef("rbac-admin"), Group("platform"))));
        Assert.Equal("Group platform can bind, escalate roles, clusterroles cluster-wide.", finding.Message);
    }
}
