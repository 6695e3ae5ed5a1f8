using EksSecurity.Engine.Rules.Iam;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.RbacRuleFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class DefaultServiceAccountNoBindingsTests
{
    private static IReadOnlyList<EksSecurityFinding> Run(params object[] objects) => TestSnapshots.Run<DefaultServiceAccountNoBindings>(Cluster(objects));

    [Fact]
    public void A_binding_naming_the_default_account_fails_with_its_rules()
    {
        var findings = Run(
            Account("shop", "default"),
            Role("shop", "reader", Rule([""], ["configmaps"], "get")),
            Rb("shop", "legacy", RoleRef("reader"), ServiceAccount("shop", "default")));
        var finding = Assert.Single(findings);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal(("ServiceAccount", "shop", "default"), (finding.ResourceType, finding.Namespace, finding.ResourceName));
        Assert.Equal(["RoleBinding/shop/legacy -> Role/shop/reader", "  Role/shop/reader rules[0]: apiGroups=[\"\"] resources=[configmaps] verbs=[get]"], finding.Evidence);
    }

    [Fact]
    public void The_user_name_form_and_cluster_role_bindings_count()
    {
        var finding = Assert.Single(Run(
            ClusterRole("view"),
            Crb("cluster-view", ClusterRoleRef("view"), User("system:serviceaccount:team-a:default"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("team-a", finding.Namespace);
        Assert.Contains("ClusterRoleBinding/cluster-view -> ClusterRole/view", finding.Evidence);
    }

    [Fact]
    public void Kubernetes_default_bindings_and_unbound_accounts_pass()
    {
        var findings = Run(
            Account("shop", "default"),
            Account("shop", "orders"),
            ClusterRole("r"),
            Crb("bootstrap", ClusterRoleRef("r"), ServiceAccount("kube-system", "default")).Labelled("kubernetes.io/bootstrapping", "rbac-defaults"),
            Rb("shop", "orders", ClusterRoleRef("r"), ServiceAccount("shop", "orders")));
        Assert.Equal(["kube-system", "shop"], findings.Select(f => f.Namespace));
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
        Assert.Contains("Only Kubernetes default bindings", findings[0].Message);
    }

    [Fact]
    public void A_missing_role_is_named_in_the_evidence()
    {
        var finding = Assert.Single(Run(Rb("shop", "ghost", ClusterRoleRef("gone"), ServiceAccount("shop", "default"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(["RoleBinding/shop/ghost -> ClusterRole/gone (role not in the snapshot)"], finding.Evidence);
    }

    [Fact]
    public void Nothing_to_judge_is_not_applicable()
    {
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(Run()).Status);
    }
}
