using EksSecurity.Engine.Rules.Iam;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.RbacRuleFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class MinimizePodCreationTests
{
    private static IReadOnlyList<EksSecurityFinding> Run(params object[] objects) => TestSnapshots.Run<MinimizePodCreation>(Cluster(objects));

    [Fact]
    public void Creating_workload_controllers_through_a_RoleBinding_fails()
    {
        // A ServiceAccount subject of a RoleBinding: the kind of grant Prowler's subject checks never looked at.
        var finding = Assert.Single(Run(
            Role("shop", "deployer", Rule(["apps"], ["deployments", "statefulsets"], "create", "update"), Rule(["batch"], ["cronjobs"], "create")),
            Rb("shop", "ci", RoleRef("deployer"), ServiceAccount("ci", "runner"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("ServiceAccount ci/runner can create deployments, statefulsets, cronjobs in namespace shop.", finding.Message);
        Assert.Equal(2, finding.Evidence.Count);
    }

    [Fact]
    public void Creating_pods_cluster_wide_fails()
    {
        var finding = Assert.Single(Run(ClusterRole("pods", Rule([""], ["pods"], "create")), Crb("devs", ClusterRoleRef("pods"), Group("devs"))));
        Assert.Equal("Group devs can create pods cluster-wide.", finding.Message);
    }

    [Fact]
    public void Reading_or_updating_workloads_passes()
    {
        var finding = Assert.Single(Run(
            ClusterRole("view", Rule([""], ["pods"], "get", "list"), Rule(["apps"], ["deployments"], "get", "update", "patch")),
            Crb("devs", ClusterRoleRef("view"), Group("devs"))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("No non-system subject can create pods or workload controllers.", finding.Message);
    }

    [Fact]
    public void Controllers_of_the_control_plane_are_not_judged()
    {
        var finding = Assert.Single(Run(
            ClusterRole("system:controller:replicaset-controller", Rule([""], ["pods"], "create", "delete")),
            Crb("system:controller:replicaset-controller", ClusterRoleRef("system:controller:replicaset-controller"), ServiceAccount("kube-system", "replicaset-controller"))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }
}
