using EksSecurity.Engine.Kubernetes.Collection;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;
using EksSecurity.KubeTestServer.Scenario;
using k8s;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Tests;

/// <summary>
/// The ClusterRole shipped in examples/ is exactly enough: a collection as a user holding only its rules is
/// denied nothing, and withholding any one of its permissions makes a section denied (so none is superfluous).
/// </summary>
public sealed class ScannerRoleTests
{
    private static readonly string ShippedRolePath = Path.Combine(RepoPaths.Root, "examples", "scanner-clusterrole.yaml");

    /// <summary>The role's RBAC rules as the test server's access rules: "list deployments.apps", "get nodes.core/proxy".</summary>
    private static List<string> AccessRules(V1ClusterRole role) =>
        [.. from rule in role.Rules
            from verb in rule.Verbs
            from apiGroup in rule.ApiGroups
            from resource in rule.Resources
            let slash = resource.IndexOf('/')
            let main = slash < 0 ? resource : resource[..slash]
            let sub = slash < 0 ? "" : resource[slash..]
            select $"{verb} {main}.{(apiGroup.Length == 0 ? "core" : apiGroup)}{sub}"];

    private static async Task<ClusterSnapshot> CollectAs(IEnumerable<string> allow)
    {
        var scenario = DemoServerFixture.CreateScenario();
        scenario.MetricsApi = true;
        scenario.AddUser("scanner-token", "scanner", ["eks-security-scanner"], allow: allow);
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var dir = new TempDir();
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(server.WriteKubeconfig(dir.File("kubeconfig"), "scanner-token"));
        using var client = new k8s.Kubernetes(config);
        var snapshot = new ClusterSnapshot();
        await new KubernetesCollector(client).CollectAsync(snapshot, CancellationToken.None);
        return snapshot;
    }

    private static List<string> Problems(ClusterSnapshot snapshot) =>
        [.. Enum.GetValues<SnapshotSection>().Where(s => !ClusterSnapshot.IsAwsSection(s))
            .Select(s => (Section: s, Info: snapshot.GetSection(s)))
            .Where(x => x.Info is { Status: SectionStatus.Denied or SectionStatus.Failed })
            .Select(x => $"{x.Section}: {x.Info!.Status} {x.Info.Permission} {x.Info.Reason}")];

    [Fact]
    public async Task ScanningWithExactlyTheShippedRoleIsDeniedNothing()
    {
        var role = KubernetesYaml.LoadAllFromString(File.ReadAllText(ShippedRolePath)).OfType<V1ClusterRole>().Single();
        var snapshot = await CollectAs(AccessRules(role));
        Assert.Empty(Problems(snapshot));
        Assert.Equal(SectionStatus.Collected, snapshot.Kubernetes.Secrets!.Status);
        Assert.Equal(SectionStatus.Collected, snapshot.Kubernetes.KubeletConfigs!.Status);
        Assert.Equal(SectionStatus.Collected, snapshot.Kubernetes.NodeMetrics!.Status);
    }

    [Fact]
    public async Task EveryPermissionOfTheRoleIsNeeded()
    {
        var all = AccessRules(KubernetesYaml.LoadAllFromString(KubernetesPermissions.ClusterRoleYaml(RuleCatalog.Default.Rules)).OfType<V1ClusterRole>().Single());
        var superfluous = new List<string>();
        foreach (var withheld in all)
        {
            var snapshot = await CollectAs(all.Where(r => r != withheld));
            if (Problems(snapshot).Count == 0) superfluous.Add(withheld);
        }
        Assert.Empty(superfluous);
    }

    [Fact]
    public async Task AUserWithoutTheRoleIsDeniedAndTheSectionsSaySo()
    {
        var snapshot = await CollectAs(["list pods.core"]);
        Assert.Equal(SectionStatus.Collected, snapshot.Kubernetes.Pods!.Status);
        Assert.Equal(SectionStatus.Denied, snapshot.Kubernetes.Deployments!.Status);
        Assert.Equal("list deployments.apps", snapshot.Kubernetes.Deployments.Permission);
    }
}
