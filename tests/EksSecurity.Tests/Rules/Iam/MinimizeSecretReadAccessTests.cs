using EksSecurity.Engine.Rules.Iam;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.RbacRuleFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class MinimizeSecretReadAccessTests
{
    private static IReadOnlyList<EksSecurityFinding> Run(params object[] objects) => TestSnapshots.Run<MinimizeSecretReadAccess>(Cluster(objects));

    [Fact]
    public void Cluster_wide_read_fails_medium_with_the_path()
    {
        var finding = Assert.Single(Run(
            ClusterRole("secret-reader", Rule([""], ["secrets"], "get", "list")),
            Crb("ci-reads", ClusterRoleRef("secret-reader"), ServiceAccount("ci", "deployer"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal(("ServiceAccount", "ci", "deployer"), (finding.ResourceType, finding.Namespace, finding.ResourceName));
        Assert.Equal("ServiceAccount ci/deployer can get, list secrets cluster-wide.", finding.Message);
        Assert.Equal(["get, list secrets: ClusterRoleBinding/ci-reads -> ClusterRole/secret-reader rules[0]: apiGroups=[\"\"] resources=[secrets] verbs=[get, list]"], finding.Evidence);
    }

    [Fact]
    public void Namespaced_read_through_a_Role_fails_low()
    {
        // Prowler judged namespaced Roles with the wrong rule set; here the Role's own rules count.
        var findings = Run(
            Role("team-a", "reader", Rule([""], ["configmaps"], "get"), Rule([""], ["secrets"], "watch")),
            Rb("team-a", "alice-reads", RoleRef("reader"), User("alice")),
            Role("team-b", "reader", Rule([""], ["configmaps"], "get")),
            Rb("team-b", "bob-reads", RoleRef("reader"), User("bob")));
        var finding = Assert.Single(findings);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Equal("alice", finding.ResourceName);
        Assert.Equal("User alice can watch secrets in namespace team-a.", finding.Message);
        Assert.Contains("Role/team-a/reader rules[1]", finding.Evidence.Single());
    }

    [Fact]
    public void A_subject_with_both_scopes_is_judged_cluster_wide()
    {
        var finding = Assert.Single(Run(
            ClusterRole("secret-reader", Rule([""], ["secrets"], "list")),
            Rb("team-a", "devs-a", ClusterRoleRef("secret-reader"), Group("devs")),
            Crb("devs", ClusterRoleRef("secret-reader"), Group("devs"))));
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal(2, finding.Evidence.Count);
        Assert.StartsWith("list secrets: ClusterRoleBinding/devs", finding.Evidence[0]);
    }

    [Fact]
    public void Rights_through_an_aggregated_role_are_found()
    {
        var source = ClusterRole("read-secrets", Rule([""], ["secrets"], "get"));
        source.Metadata.Labels = new Dictionary<string, string> { ["rbac.example.com/aggregate-to-ops"] = "true" };
        var ops = ClusterRole("ops");
        ops.AggregationRule = new V1AggregationRule
        {
            ClusterRoleSelectors = [new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["rbac.example.com/aggregate-to-ops"] = "true" } }],
        };
        var finding = Assert.Single(Run(source, ops, Crb("ops", ClusterRoleRef("ops"), Group("ops"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("ClusterRole/ops (by aggregation) from ClusterRole/read-secrets rules[0]", finding.Evidence.Single());
    }

    [Fact]
    public void Name_restricted_reads_and_system_subjects_pass()
    {
        var finding = Assert.Single(Run(
            Role("shop", "db-secret", new V1PolicyRule { ApiGroups = [""], Resources = ["secrets"], ResourceNames = ["orders-db"], Verbs = ["get", "list"] }),
            Rb("shop", "orders", RoleRef("db-secret"), ServiceAccount("shop", "orders")),
            ClusterRole("system:controller:namespace-controller", Rule(["*"], ["*"], "get", "list", "delete")),
            Crb("system:controller:namespace-controller", ClusterRoleRef("system:controller:namespace-controller"), ServiceAccount("kube-system", "namespace-controller"))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("Cluster", finding.ResourceType);
        Assert.Contains(finding.Evidence, e => e.Contains("ServiceAccount kube-system/namespace-controller") && e.Contains("not judged"));
    }

    [Fact]
    public void Groups_that_stand_for_every_workload_are_judged()
    {
        var finding = Assert.Single(Run(
            ClusterRole("secret-reader", Rule([""], ["secrets"], "list")),
            Crb("all-accounts", ClusterRoleRef("secret-reader"), Group("system:serviceaccounts"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(("Group", "system:serviceaccounts"), (finding.ResourceType, finding.ResourceName));
    }
}
