using EksSecurity.Engine.Kubernetes.Collection;
using EksSecurity.Engine.Snapshot;
using EksSecurity.KubeTestServer.Api;
using EksSecurity.KubeTestServer.Scenario;
using k8s;

namespace EksSecurity.KubeTestServer.Tests;

/// <summary>The module's own Kubernetes collector against the test server: what it asks for, and that it never asks for secret data.</summary>
public sealed class CollectorTests
{
    private static async Task<ClusterSnapshot> Collect(KubeTestServer server, string token, int pageSize)
    {
        using var dir = new TempDir();
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(server.WriteKubeconfig(dir.File("kubeconfig"), token));
        using var client = new Kubernetes(config);
        var snapshot = new ClusterSnapshot();
        await new KubernetesCollector(client, pageSize).CollectAsync(snapshot, CancellationToken.None);
        return snapshot;
    }

    [Fact]
    public async Task CollectsTheDemoSnapshotBackWithoutSecretData()
    {
        var scenario = DemoServerFixture.CreateScenario();
        await using var server = new KubeTestServer(scenario);
        server.Start();
        var snapshot = await Collect(server, KubeScenario.AdminToken, pageSize: 4);

        Assert.Equal(0, server.SecretDataRequests);
        var k = snapshot.Kubernetes;
        Assert.Equal(scenario.ServerVersion.GitVersion, k.ServerVersion!.Value!.GitVersion);
        Assert.Equal(scenario.Store(ResourceCatalog.Pods)!.Count, k.Pods!.Count);
        Assert.Equal(scenario.Store(ResourceCatalog.ConfigMaps)!.Count, k.ConfigMaps!.Count);
        Assert.Equal(scenario.Store(ResourceCatalog.ClusterRoleBindings)!.Count, k.ClusterRoleBindings!.Count);
        Assert.Equal(SectionStatus.Collected, k.Secrets!.Status);
        Assert.Equal(scenario.Store(ResourceCatalog.Secrets)!.Count, k.Secrets.Count);
        Assert.All(k.Secrets.All, s => Assert.Null(s.Data));
        Assert.Equal(SectionStatus.Collected, k.SecurityGroupPolicies!.Status);
        // One kubelet configz sample per node group, read through the node proxy.
        Assert.Equal(SectionStatus.Collected, k.KubeletConfigs!.Status);
        Assert.NotEmpty(k.KubeletConfigs.All);
        Assert.All(k.KubeletConfigs.All, c => Assert.NotNull(c.KubeletConfig));
        Assert.Equal(k.KubeletConfigs.All.Select(c => c.GroupKey).Distinct().Count(), k.KubeletConfigs.Count);
        Assert.Contains(server.RequestLog, e => e.Path.EndsWith("/proxy/configz", StringComparison.Ordinal));
        // Paged: several requests carried a continue token, every one answered 200.
        var log = server.RequestLog;
        Assert.Contains(log, e => e.Path == "/api/v1/pods" && e.QueryValue("continue") is not null);
        Assert.All(log, e => Assert.Equal(200, e.Status));
        Assert.Equal(scenario.Store(ResourceCatalog.NodeMetrics)!.Count, k.NodeMetrics!.Count);
        Assert.All(log.Where(e => e.Resource == "secrets"), e => Assert.Contains("as=PartialObjectMetadataList", e.Accept));
    }

    [Fact]
    public async Task ForbiddenSecretsBecomeADeniedSection()
    {
        var scenario = DemoServerFixture.CreateScenario();
        await using var server = new KubeTestServer(scenario);
        server.Start();
        var snapshot = await Collect(server, Tokens.Viewer, pageSize: 500);
        Assert.Equal(SectionStatus.Denied, snapshot.Kubernetes.Secrets!.Status);
        Assert.Equal("list secrets", snapshot.Kubernetes.Secrets.Permission);
        Assert.Contains("cannot list resource \"secrets\"", snapshot.Kubernetes.Secrets.Reason);
        Assert.Equal(SectionStatus.Collected, snapshot.Kubernetes.Pods!.Status);
    }

    [Fact]
    public async Task AnExpiredContinueTokenRestartsTheList()
    {
        var scenario = KubeScenario.FromSynthetic(EksSecurity.TestData.SyntheticClusterOptions.Tiny);
        scenario.Paging = new PagingOptions { ExpireContinueAfterPages = 2, ExpireTimes = 1, ExpireResources = ["pods"] };
        await using var server = new KubeTestServer(scenario);
        server.Start();
        var snapshot = await Collect(server, KubeScenario.AdminToken, pageSize: 20);
        var pods = server.RequestLog.Where(e => e.Path == "/api/v1/pods").ToList();
        Assert.Single(pods, e => e.Status == 410);
        Assert.Equal(scenario.Store(ResourceCatalog.Pods)!.Count, snapshot.Kubernetes.Pods!.Count);
        Assert.Equal(SectionStatus.Collected, snapshot.Kubernetes.Pods.Status);
    }

    [Fact]
    public async Task CollectsNodeMetricsWhenTheMetricsApiIsServed()
    {
        var scenario = KubeScenario.FromSynthetic(EksSecurity.TestData.SyntheticClusterOptions.Tiny);
        scenario.MetricsApi = true;
        await using var server = new KubeTestServer(scenario);
        server.Start();
        var snapshot = await Collect(server, KubeScenario.AdminToken, pageSize: 500);
        var metrics = snapshot.Kubernetes.NodeMetrics!;
        Assert.Equal(SectionStatus.Collected, metrics.Status);
        Assert.Equal(snapshot.Kubernetes.Nodes!.All.Select(n => n.Metadata.Name).Order(), metrics.All.Select(m => m.Metadata.Name).Order());
        Assert.All(metrics.All, m => Assert.True(m.Usage.ContainsKey("cpu") && m.Usage.ContainsKey("memory")));
        Assert.Contains(server.RequestLog, e => e.Path == "/apis/metrics.k8s.io/v1beta1/nodes" && e.Status == 200);
    }

    [Fact]
    public async Task AnAbsentMetricsApiLeavesTheSectionNotCollectedWithTheReason()
    {
        var scenario = KubeScenario.FromSynthetic(EksSecurity.TestData.SyntheticClusterOptions.Tiny);
        scenario.MetricsApi = false;
        await using var server = new KubeTestServer(scenario);
        server.Start();
        var snapshot = await Collect(server, KubeScenario.AdminToken, pageSize: 500);
        Assert.Equal(SectionStatus.NotCollected, snapshot.Kubernetes.NodeMetrics!.Status);
        Assert.Contains("metrics API", snapshot.Kubernetes.NodeMetrics.Reason);
        Assert.Equal(SectionStatus.Collected, snapshot.Kubernetes.Nodes!.Status);
    }

    [Fact]
    public async Task ForbiddenMetricsBecomeADeniedSection()
    {
        var scenario = KubeScenario.FromSynthetic(EksSecurity.TestData.SyntheticClusterOptions.Tiny);
        scenario.MetricsApi = true;
        scenario.AddUser("no-metrics-token", "no-metrics", deny: ["list nodes.metrics.k8s.io"]);
        await using var server = new KubeTestServer(scenario);
        server.Start();
        var snapshot = await Collect(server, "no-metrics-token", pageSize: 500);
        Assert.Equal(SectionStatus.Denied, snapshot.Kubernetes.NodeMetrics!.Status);
        Assert.Equal("list nodes.metrics.k8s.io", snapshot.Kubernetes.NodeMetrics.Permission);
    }
}
