using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.RbacRuleFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class LimitExecAttachPortForwardTests
{
    private static IReadOnlyList<EksSecurityFinding> Run(params object[] objects) => TestSnapshots.Run<LimitExecAttachPortForward>(Cluster(objects));

    [Fact]
    public void Cluster_wide_exec_fails()
    {
        var finding = Assert.Single(Run(ClusterRole("exec", Rule([""], ["pods/exec", "pods/portforward"], "create")), Crb("oncall", ClusterRoleRef("exec"), Group("oncall"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("Group oncall can create pods/exec, pods/portforward cluster-wide.", finding.Message);
    }

    [Fact]
    public void Namespaced_exec_warns()
    {
        var finding = Assert.Single(Run(Role("team-a", "debug", Rule([""], ["pods/attach"], "create")), Rb("team-a", "debug", RoleRef("debug"), User("dev"))));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.StartsWith("User dev can create pods/attach in namespace team-a.", finding.Message);
    }

    [Fact]
    public void Get_is_enough_before_kubernetes_1_35()
    {
        object[] objects = [ClusterRole("ws", Rule([""], ["pods/exec"], "get")), Crb("ws", ClusterRoleRef("ws"), User("dev"))];
        var before = Assert.Single(TestSnapshots.Run<LimitExecAttachPortForward>(Cluster(objects)));   // the test cluster runs 1.33
        Assert.Equal(FindingStatus.Fail, before.Status);
        Assert.Equal("User dev can get pods/exec cluster-wide.", before.Message);

        var after = Assert.Single(TestSnapshots.Run<LimitExecAttachPortForward>(Cluster(objects).With(s => s.Cluster().Version = "1.35")));
        Assert.Equal(FindingStatus.Pass, after.Status);
    }

    [Fact]
    public void Listed_administrators_are_suppressed_not_passed()
    {
        var settings = new RuleSettings { ClusterAdminAllowedSubjects = ["Group:platform-admins"] };
        var findings = TestSnapshots.Run<LimitExecAttachPortForward>(
            Cluster(ClusterRole("exec", Rule([""], ["pods/exec"], "create")), Crb("admins", ClusterRoleRef("exec"), Group("platform-admins"))), settings);
        Assert.Equal(FindingStatus.Suppressed, Assert.Single(findings, f => f.ResourceName == "platform-admins").Status);
        Assert.Equal(FindingStatus.Pass, Assert.Single(findings, f => f.ResourceType == "Cluster").Status);
    }

    [Fact]
    public void Reading_pods_and_logs_passes()
    {
        var finding = Assert.Single(Run(ClusterRole("view", Rule([""], ["pods", "pods/log"], "get", "list")), Crb("devs", ClusterRoleRef("view"), Group("devs"))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }
}
