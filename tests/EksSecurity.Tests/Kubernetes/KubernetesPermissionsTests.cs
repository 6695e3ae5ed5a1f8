using EksSecurity.Engine.Kubernetes.Collection;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;
using k8s;
using k8s.Models;

namespace EksSecurity.Tests.Kubernetes;

public class KubernetesPermissionsTests
{
    private static readonly string ShippedRolePath = Path.Combine(RepoPaths.Root, "examples", "scanner-clusterrole.yaml");

    [Fact]
    public void Every_kubernetes_section_declares_its_permissions()
    {
        var missing = Enum.GetValues<SnapshotSection>().Where(s => !ClusterSnapshot.IsAwsSection(s)).Where(s => !KubernetesPermissions.BySection.ContainsKey(s)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void The_role_is_read_only()
    {
        var role = Role(KubernetesPermissions.ClusterRoleYaml(RuleCatalog.Default.Rules));
        Assert.All(role.Rules, r => Assert.All(r.Verbs, v => Assert.Contains(v, new[] { "list", "get" })));
        Assert.All(role.Rules, r => Assert.DoesNotContain("*", r.Resources));
        // get appears only for the kubelet configuration through the node proxy.
        var gets = role.Rules.Where(r => r.Verbs.Contains("get")).SelectMany(r => r.Resources).ToList();
        Assert.Equal(["nodes/proxy"], gets);
    }

    [Fact]
    public void The_shipped_example_is_the_generated_role()
    {
        // examples/scanner-clusterrole.yaml is generated: regenerate it with
        //   Get-EksSecurityScannerPolicy -Type ClusterRole | Set-Content examples/scanner-clusterrole.yaml
        Assert.True(File.Exists(ShippedRolePath), $"{ShippedRolePath} is missing");
        Assert.Equal(KubernetesPermissions.ClusterRoleYaml(RuleCatalog.Default.Rules).ReplaceLineEndings("\n").TrimEnd(),
            File.ReadAllText(ShippedRolePath).ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public void Pod_rules_need_pods_and_their_workloads_but_not_secrets()
    {
        var podRules = RuleCatalog.Default.Rules.Where(r => r.Metadata.Area == RuleArea.Pod && r.Metadata.Reads.Contains(SnapshotSection.Pods)).ToList();
        Assert.NotEmpty(podRules);
        var permissions = KubernetesPermissions.For(podRules).Select(p => p.ToString()).ToList();
        Assert.Contains("list pods", permissions);
        Assert.Contains("list deployments.apps", permissions);
        Assert.DoesNotContain("list secrets", permissions);
        Assert.DoesNotContain("get nodes/proxy", permissions);
    }

    [Fact]
    public void The_secrets_grant_names_the_rules_that_need_it()
    {
        var yaml = KubernetesPermissions.ClusterRoleYaml(RuleCatalog.Default.Rules);
        var needing = RuleCatalog.Default.Rules.Where(r => r.Metadata.Reads.Concat(r.Metadata.OptionallyReads).Contains(SnapshotSection.Secrets)).Select(r => r.Metadata.Id).ToList();
        Assert.NotEmpty(needing);
        Assert.All(needing, id => Assert.Contains(id, yaml));
    }

    [Theory]
    [InlineData("", "pods", "list", "list pods")]
    [InlineData("apps", "deployments", "list", "list deployments.apps")]
    [InlineData("", "nodes/proxy", "get", "get nodes/proxy")]
    [InlineData("metrics.k8s.io", "nodes", "list", "list nodes.metrics.k8s.io")]
    public void Permissions_are_named_as_denied_sections_name_them(string group, string resource, string verb, string expected) =>
        Assert.Equal(expected, new KubernetesPermission(group, resource, verb).ToString());

    private static V1ClusterRole Role(string yaml) => KubernetesYaml.LoadAllFromString(yaml).OfType<V1ClusterRole>().Single();
}
