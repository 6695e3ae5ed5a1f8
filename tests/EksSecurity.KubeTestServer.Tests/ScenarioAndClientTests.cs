using EksSecurity.Engine.Snapshot;
using EksSecurity.KubeTestServer.Api;
using EksSecurity.KubeTestServer.Scenario;
using k8s;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Tests;

public sealed class ScenarioAndClientTests
{
    [Fact]
    public void SampleScenarioFileHasEveryMember()
    {
        var s = KubeScenario.Load(RepoPaths.Scenario("sample.json"));
        Assert.Equal("30", s.ServerVersion.Minor);
        Assert.Contains(s.Users, u => u.Token == KubeScenario.AdminToken);
        var viewer = s.Users.Single(u => u.Token == "viewer-token");
        Assert.Equal(2, viewer.Deny.Count);
        Assert.NotNull(s.Users.Single(u => u.Name == "ns-reader").Allow);
        Assert.Null(s.Users.Single(u => u.Name.StartsWith("arn:", StringComparison.Ordinal)).Token);
        Assert.True(s.MetricsApi);
        Assert.Equal(7, s.Seed);
        Assert.Equal(2, s.Faults.Count);
        Assert.Equal(FaultKind.Throttle, s.Faults[1].Kind);
        Assert.Equal(["pods"], s.Paging.ExpireResources);
        Assert.Equal(2, s.Store(ResourceCatalog.Pods)!.Count);
        Assert.Equal(1, s.Store(ResourceCatalog.SecurityGroupPolicies)!.Count);
        Assert.Equal(0, s.Store(ResourceCatalog.Deployments)!.Count);
        var node = (V1Node)s.Store(ResourceCatalog.Nodes)!.Enumerate().Single();
        var config = KubeletConfig.For(node, s.KubeletDefaults, s.KubeletPatches);
        Assert.Equal(10255, (int)config["readOnlyPort"]!);
        Assert.Equal("AlwaysAllow", (string?)config["authorization"]!["mode"]);
        Assert.Equal(58, (int)config["maxPods"]!);
        Assert.Equal("aws:///us-west-2a/i-0123456789abcdef0", (string?)config["providerID"]);
    }

    [Fact]
    public void DemoScenarioFileServesTheDemoSnapshot()
    {
        var s = KubeScenario.Load(RepoPaths.Scenario("demo.json"));
        var snapshot = SnapshotReader.Read(RepoPaths.DemoSnapshot);
        Assert.Equal(snapshot.Kubernetes.Pods!.Count, s.Store(ResourceCatalog.Pods)!.Count);
        Assert.Equal(snapshot.Kubernetes.ServerVersion!.Value!.GitVersion, s.ServerVersion.GitVersion);
        Assert.Contains(s.Users, u => u.Name == "viewer");
    }

    [Fact]
    public void ScenarioFilesRejectUnknownMembers()
    {
        var e = Assert.Throws<FormatException>(() => KubeScenario.Parse("""{ "pagin": {} }"""));
        Assert.Contains("unknown member 'pagin'", e.Message);
        Assert.Throws<FormatException>(() => KubeScenario.Parse("""{ "users": [ { "token": "t", "user": "u", "deny": ["list"] } ] }"""));
        Assert.Throws<FormatException>(() => KubeScenario.Parse("""{ "objects": [ { "apiVersion": "v1", "kind": "Gadget", "metadata": { "name": "g" } } ] }"""));
    }

    [Fact]
    public void SnapshotScenarioServesEverySection()
    {
        var snapshot = SnapshotReader.Read(RepoPaths.DemoSnapshot);
        var s = KubeScenario.FromSnapshot(snapshot);
        var k = snapshot.Kubernetes;
        void Same(ResourceType type, SectionBase? section) => Assert.Equal(section?.Count ?? 0, s.Store(type)!.Count);
        Same(ResourceCatalog.Namespaces, k.Namespaces);
        Same(ResourceCatalog.Pods, k.Pods);
        Same(ResourceCatalog.Deployments, k.Deployments);
        Same(ResourceCatalog.ReplicaSets, k.ReplicaSets);
        Same(ResourceCatalog.DaemonSets, k.DaemonSets);
        Same(ResourceCatalog.Jobs, k.Jobs);
        Same(ResourceCatalog.CronJobs, k.CronJobs);
        Same(ResourceCatalog.ServiceAccounts, k.ServiceAccounts);
        Same(ResourceCatalog.Roles, k.Roles);
        Same(ResourceCatalog.ClusterRoles, k.ClusterRoles);
        Same(ResourceCatalog.RoleBindings, k.RoleBindings);
        Same(ResourceCatalog.ClusterRoleBindings, k.ClusterRoleBindings);
        Same(ResourceCatalog.NetworkPolicies, k.NetworkPolicies);
        Same(ResourceCatalog.ConfigMaps, k.ConfigMaps);
        Same(ResourceCatalog.Secrets, k.Secrets);
        Same(ResourceCatalog.Nodes, k.Nodes);
        Same(ResourceCatalog.Services, k.Services);
        Same(ResourceCatalog.ValidatingWebhookConfigurations, k.ValidatingWebhookConfigurations);
        Same(ResourceCatalog.MutatingWebhookConfigurations, k.MutatingWebhookConfigurations);
        Same(ResourceCatalog.ResourceQuotas, k.ResourceQuotas);
        Same(ResourceCatalog.LimitRanges, k.LimitRanges);
        Same(ResourceCatalog.PriorityClasses, k.PriorityClasses);
    }

    [Fact]
    public async Task SnapshotKubeletConfigsAndNodeMetricsAreServed()
    {
        const string json = """
            {
              "schemaVersion": 1, "clusterName": "demo",
              "kubernetes": {
                "nodes": { "status": "collected", "items": [ { "metadata": { "name": "node-a" } }, { "metadata": { "name": "node-b" } } ] },
                "kubeletConfigs": { "status": "collected", "items": [
                  { "nodeName": "node-a", "kubeletconfig": { "readOnlyPort": 10255, "authorization": { "mode": "AlwaysAllow" } } },
                  { "nodeName": "node-b", "error": "the kubelet did not answer" } ] },
                "nodeMetrics": { "status": "collected", "items": [ { "metadata": { "name": "node-a" }, "window": "20s", "usage": { "cpu": "250m", "memory": "1Gi" } } ] }
              }
            }
            """;
        var snapshot = SnapshotReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "inline");
        await using var server = new KubeTestServer(KubeScenario.FromSnapshot(snapshot));
        server.Start();
        using var client = server.CreateHttpClient();
        var (s1, a, _) = await client.GetJson("/api/v1/nodes/node-a/proxy/configz");
        Assert.Equal(200, s1);
        Assert.Equal(10255, (int)a!["kubeletconfig"]!["readOnlyPort"]!);
        Assert.Equal("AlwaysAllow", (string?)a["kubeletconfig"]!["authorization"]!["mode"]);
        var (s2, b, _) = await client.GetJson("/api/v1/nodes/node-b/proxy/configz");
        Assert.Equal(503, s2);
        Assert.Equal("the kubelet did not answer", (string?)b!["message"]);
        var (s3, metrics, _) = await client.GetJson("/apis/metrics.k8s.io/v1beta1/nodes");
        Assert.Equal(200, s3);
        Assert.Equal("250m", (string?)Assert.Single(metrics!["items"]!.AsArray())!["usage"]!["cpu"]);
    }

    [Fact]
    public async Task KubernetesClientTrustsTheCaAndPagesThroughLists()
    {
        var scenario = KubeScenario.FromSynthetic(EksSecurity.TestData.SyntheticClusterOptions.Tiny);
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var dir = new TempDir();
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(server.WriteKubeconfig(dir.File("kubeconfig"), KubeScenario.AdminToken));
        using var client = new Kubernetes(config);

        var version = await client.Version.GetCodeAsync();
        Assert.Equal(scenario.ServerVersion.GitVersion, version.GitVersion);

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await client.CoreV1.ListPodForAllNamespacesAsync(limit: 25, continueParameter: token);
            names.AddRange(page.Items.Select(p => $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}"));
            token = page.Metadata.ContinueProperty;
            pages++;
        } while (!string.IsNullOrEmpty(token));
        var expected = scenario.Store(ResourceCatalog.Pods)!.Enumerate().Select(p => $"{ObjectAccess.Namespace(p)}/{ObjectAccess.Name(p)}").ToList();
        Assert.Equal(expected, names);
        Assert.Equal((expected.Count + 24) / 25, pages);

        var ns = await client.CoreV1.ReadNamespaceAsync("kube-system");
        Assert.Equal("kube-system", ns.Metadata.Name);
        var roles = await client.RbacAuthorizationV1.ListClusterRoleBindingAsync();
        Assert.Equal(scenario.Store(ResourceCatalog.ClusterRoleBindings)!.Count, roles.Items.Count);

        var e = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CoreV1.ReadNamespaceAsync("no-such-namespace"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, e.Response.StatusCode);

        var created = await client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta { Name = "default-deny" },
            Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), PolicyTypes = ["Ingress", "Egress"] },
        }, "default", dryRun: "All");
        Assert.Equal("default", created.Metadata.NamespaceProperty);
        Assert.True(Assert.Single(server.WriteLog).DryRun);
    }

    [Fact]
    public async Task ExecKubeconfigRunsTheCredentialPlugin()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var dir = new TempDir();
        var script = dir.File("get-token.sh");
        File.WriteAllText(script, "#!/bin/sh\necho '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"status\":{\"token\":\"viewer-token\"}}'\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = server.WriteKubeconfigExec(dir.File("kubeconfig"), "/bin/sh", [script], new Dictionary<string, string> { ["AWS_REGION"] = "us-west-2" });
        var text = File.ReadAllText(path);
        Assert.Contains("client.authentication.k8s.io/v1beta1", text);
        var psi = new System.Diagnostics.ProcessStartInfo(Kubectl.Executable, ["--kubeconfig", path, "--cache-dir", dir.File("cache"), "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, error);
        Assert.Equal("viewer", output.Trim());
    }
}
