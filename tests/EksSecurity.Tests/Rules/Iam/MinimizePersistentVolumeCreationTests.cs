using EksSecurity.Engine.Rules.Iam;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.RbacRuleFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class MinimizePersistentVolumeCreationTests
{
    private static IReadOnlyList<EksSecurityFinding> Run(params object[] objects) => TestSnapshots.Run<MinimizePersistentVolumeCreation>(Cluster(objects));

    [Fact]
    public void Creating_persistent_volumes_fails()
    {
        var finding = Assert.Single(Run(ClusterRole("storage", Rule([""], ["persistentvolumes"], "create", "delete")), Crb("storage", ClusterRoleRef("storage"), User("alice"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("User alice can create persistentvolumes cluster-wide.", finding.Message);
    }

    [Fact]
    public void Full_wildcards_count()
    {
        var finding = Assert.Single(Run(ClusterRole("god", Rule(["*"], ["*"], "*")), Crb("god", ClusterRoleRef("god"), ServiceAccount("tools", "god"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
    }

    [Fact]
    public void Claims_and_RoleBinding_grants_pass()
    {
        var finding = Assert.Single(Run(
            ClusterRole("claims", Rule([""], ["persistentvolumeclaims"], "create")),
            ClusterRole("storage", Rule([""], ["persistentvolumes"], "create")),
            Crb("claims", ClusterRoleRef("claims"), User("alice")),
            // PersistentVolumes are cluster-scoped: a RoleBinding grants nothing on them.
            Rb("team-a", "storage", ClusterRoleRef("storage"), User("bob"))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }
}
