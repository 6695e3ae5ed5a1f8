using EksSecurity.Engine.Rules.Iam;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.RbacRuleFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class MinimizeNodeProxyAccessTests
{
    private static IReadOnlyList<EksSecurityFinding> Run(params object[] objects) => TestSnapshots.Run<MinimizeNodeProxyAccess>(Cluster(objects));

    [Fact]
    public void Get_on_nodes_proxy_fails_high()
    {
        var finding = Assert.Single(Run(
            ClusterRole("monitoring", Rule([""], ["nodes", "nodes/proxy", "nodes/metrics"], "get", "list")),
            Crb("prometheus", ClusterRoleRef("monitoring"), ServiceAccount("monitoring", "prometheus"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("ServiceAccount monitoring/prometheus can get nodes/proxy cluster-wide.", finding.Message);
    }

    [Fact]
    public void Wildcard_subresources_count()
    {
        var finding = Assert.Single(Run(ClusterRole("proxy-all", Rule([""], ["*/proxy"], "create")), Crb("x", ClusterRoleRef("proxy-all"), User("alice"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
    }

    [Fact]
    public void Metrics_and_stats_pass()
    {
        var finding = Assert.Single(Run(
            ClusterRole("monitoring", Rule([""], ["nodes", "nodes/metrics", "nodes/stats", "nodes/*"], "get")),
            Crb("prometheus", ClusterRoleRef("monitoring"), ServiceAccount("monitoring", "prometheus"))));
        // "nodes/*" is not a wildcard in RBAC: it names a subresource called "*".
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }
}
