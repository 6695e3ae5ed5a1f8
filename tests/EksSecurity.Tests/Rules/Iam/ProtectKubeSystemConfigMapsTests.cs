using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Iam;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.RbacRuleFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class ProtectKubeSystemConfigMapsTests
{
    private static IReadOnlyList<EksSecurityFinding> Run(params object[] objects) => TestSnapshots.Run<ProtectKubeSystemConfigMaps>(Cluster(objects));

    private static V1PolicyRule Named(params string[] names) =>
        new() { ApiGroups = [""], Resources = ["configmaps"], ResourceNames = names, Verbs = ["get", "update", "patch"] };

    [Fact]
    public void Editing_every_kube_system_configmap_fails_and_names_aws_auth_and_coredns()
    {
        var finding = Assert.Single(Run(
            Role("kube-system", "cm-editor", Rule([""], ["configmaps"], "get", "patch")),
            Rb("kube-system", "ops", RoleRef("cm-editor"), Group("ops"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("Group ops can patch every ConfigMap in kube-system, including aws-auth and coredns (through a RoleBinding in kube-system).", finding.Message);
        Assert.Equal("reaches: aws-auth (IAM principal to Kubernetes group mappings), coredns (cluster DNS configuration)", finding.Evidence[0]);
        Assert.Single(finding.Evidence, e => e.Contains("Role/kube-system/cm-editor rules[0]"));
    }

    [Fact]
    public void A_grant_naming_aws_auth_counts_and_says_so()
    {
        var finding = Assert.Single(Run(
            ClusterRole("aws-auth-editor", Named("aws-auth")),
            Crb("mapper", ClusterRoleRef("aws-auth-editor"), ServiceAccount("gitops", "flux"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("ServiceAccount gitops/flux can update, patch the kube-system ConfigMap(s) aws-auth (through a ClusterRoleBinding).", finding.Message);
        Assert.Equal("reaches: aws-auth (IAM principal to Kubernetes group mappings)", finding.Evidence[0]);
        Assert.DoesNotContain(finding.Evidence, e => e.StartsWith("authentication mode", StringComparison.Ordinal));   // not described in this snapshot
    }

    [Fact]
    public void The_authentication_mode_is_noted()
    {
        var snapshot = Cluster(ClusterRole("e", Rule([""], ["configmaps"], "update")), Crb("e", ClusterRoleRef("e"), User("alice")))
            .With(s => s.Cluster().AccessConfig = new EksAccessConfig { AuthenticationMode = "API" });
        var finding = Assert.Single(TestSnapshots.Run<ProtectKubeSystemConfigMaps>(snapshot));
        Assert.Contains("authentication mode API: aws-auth is not read, but the other ConfigMaps still matter", finding.Evidence);
    }

    [Fact]
    public void Grants_limited_to_other_configmaps_or_other_namespaces_pass()
    {
        var finding = Assert.Single(Run(
            Role("kube-system", "leader", Named("cluster-autoscaler-status")),
            Rb("kube-system", "ca", RoleRef("leader"), ServiceAccount("autoscaling", "cluster-autoscaler")),
            Role("team-a", "cm", Rule([""], ["configmaps"], "update", "patch")),
            Rb("team-a", "cm", RoleRef("cm"), User("alice"))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }
}
