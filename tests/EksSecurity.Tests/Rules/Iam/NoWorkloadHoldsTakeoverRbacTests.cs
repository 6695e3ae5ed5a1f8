using EksSecurity.Engine.Rules.Iam;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.RbacRuleFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class NoWorkloadHoldsTakeoverRbacTests
{
    private static IReadOnlyList<EksSecurityFinding> Run(params object[] objects) => TestSnapshots.Run<NoWorkloadHoldsTakeoverRbac>(Cluster(objects));

    [Fact]
    public void A_workload_running_as_cluster_admin_fails_high()
    {
        var finding = Assert.Single(Run(
            Deployment("ci", "runner", "deployer"),
            ClusterRole("cluster-admin", Rule(["*"], ["*"], "*")),
            Crb("ci-admin", ClusterRoleRef("cluster-admin"), ServiceAccount("ci", "deployer"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(("Deployment", "ci", "runner"), (finding.ResourceType, finding.Namespace, finding.ResourceName));
        Assert.StartsWith("Deployment ci/runner runs as ServiceAccount ci/deployer, which can every verb on every resource; get, list, watch secrets; create pods;", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("ClusterRoleBinding/ci-admin -> ClusterRole/cluster-admin rules[0]"));
    }

    [Fact]
    public void Takeover_rights_in_the_workloads_own_namespace_fail_medium()
    {
        var finding = Assert.Single(Run(
            Deployment("jobs", "launcher", "launcher"),
            Role("jobs", "pods", Rule([""], ["pods"], "create", "delete")),
            Rb("jobs", "launcher", RoleRef("pods"), ServiceAccount("jobs", "launcher"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.EndsWith("which can create pods in namespace jobs: compromising the workload gives these rights.", finding.Message);
    }

    [Fact]
    public void Rights_through_the_ServiceAccount_groups_count()
    {
        var finding = Assert.Single(Run(
            BarePod("shop", "web", "web"),
            ClusterRole("secret-reader", Rule([""], ["secrets"], "list")),
            Crb("all-accounts", ClusterRoleRef("secret-reader"), Group("system:serviceaccounts"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("list secrets: via Group system:serviceaccounts: ClusterRoleBinding/all-accounts", StringComparison.Ordinal));
    }

    [Fact]
    public void Namespaced_secret_reads_and_views_pass()
    {
        var finding = Assert.Single(Run(
            Deployment("shop", "api", "api"),
            ClusterRole("view", Rule([""], ["pods", "configmaps"], "get", "list")),
            ClusterRole("secret-reader", Rule([""], ["secrets"], "get", "list")),
            Rb("shop", "api-view", ClusterRoleRef("view"), ServiceAccount("shop", "api")),
            Rb("shop", "api-secrets", ClusterRoleRef("secret-reader"), ServiceAccount("shop", "api"))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void A_workload_that_mounts_no_token_passes_unless_it_projects_one()
    {
        object[] rbac = [ClusterRole("nodes", Rule([""], ["nodes/proxy"], "get")), Crb("agent", ClusterRoleRef("nodes"), ServiceAccount("mon", "agent"))];
        var unmounted = Assert.Single(Run([Deployment("mon", "agent", "agent", automount: false), .. rbac]));
        Assert.Equal(FindingStatus.Pass, unmounted.Status);
        Assert.Contains("mounts no token", unmounted.Message);

        var projectedWorkload = Deployment("mon", "agent", "agent", automount: false);
        projectedWorkload.Spec.Template.Spec.Volumes =
        [
            new V1Volume { Name = "token", Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token" } }] } },
        ];
        var projected = Assert.Single(Run([projectedWorkload, .. rbac]));
        Assert.Equal(FindingStatus.Fail, projected.Status);
        Assert.Contains("spec.template.spec.volumes[token] projects a ServiceAccount token", projected.Evidence);
    }

    [Fact]
    public void The_platforms_own_workloads_are_not_judged()
    {
        var findings = Run(
            BarePod("kube-system", "aws-node-x", "aws-node"),
            ClusterRole("aws-node", Rule([""], ["pods"], "create")),
            Crb("aws-node", ClusterRoleRef("aws-node"), ServiceAccount("kube-system", "aws-node")));
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(findings).Status);
    }
}
