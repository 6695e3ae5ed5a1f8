using EksSecurity.KubeTestServer.Api;

namespace EksSecurity.KubeTestServer.Tests;

public sealed class DiscoveryAndRepresentationTests
{
    private const string KubectlDiscoveryAccept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    [Fact]
    public async Task AggregatedDiscoveryWhenAskedLegacyOtherwise()
    {
        var scenario = TestScenarios.Small();
        scenario.Set(ResourceCatalog.SecurityGroupPolicies, []);
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient();

        var (s1, apis, r1) = await client.GetJson("/apis", KubectlDiscoveryAccept);
        Assert.Equal(200, s1);
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", r1.Content.Headers.ContentType!.ToString().Replace(" ", ""));
        Assert.Equal("APIGroupDiscoveryList", (string?)apis!["kind"]);
        Assert.Equal("apidiscovery.k8s.io/v2", (string?)apis["apiVersion"]);
        var apps = apis["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "apps")!;
        var deployments = apps["versions"]![0]!["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "deployments")!;
        Assert.Equal("Namespaced", (string?)deployments["scope"]);
        Assert.Equal("Deployment", (string?)deployments["responseKind"]!["kind"]);
        Assert.Contains("scale", deployments["subresources"]!.AsArray().Select(s => (string?)s!["subresource"]));
        var sgp = apis["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "vpcresources.k8s.aws")!;
        Assert.Equal("v1beta1", (string?)sgp["versions"]![0]!["version"]);

        var (_, core, _) = await client.GetJson("/api", KubectlDiscoveryAccept);
        var pods = core!["items"]![0]!["versions"]![0]!["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "pods")!;
        Assert.Equal(["po"], pods["shortNames"]!.AsArray().Select(s => (string?)s));

        var (_, legacy, r2) = await client.GetJson("/apis", "application/json");
        Assert.Equal("application/json", r2.Content.Headers.ContentType!.MediaType);
        Assert.Equal("APIGroupList", (string?)legacy!["kind"]);
        var (_, versions, _) = await client.GetJson("/api");
        Assert.Equal("APIVersions", (string?)versions!["kind"]);
        var (_, v1, _) = await client.GetJson("/api/v1");
        Assert.Equal("APIResourceList", (string?)v1!["kind"]);
        Assert.Contains("nodes/proxy", v1["resources"]!.AsArray().Select(r => (string?)r!["name"]));
        var (_, appsV1, _) = await client.GetJson("/apis/apps/v1");
        Assert.Equal("apps/v1", (string?)appsV1!["groupVersion"]);
        var (_, group, _) = await client.GetJson("/apis/rbac.authorization.k8s.io");
        Assert.Equal("rbac.authorization.k8s.io/v1", (string?)group!["preferredVersion"]!["groupVersion"]);
        Assert.Equal(404, (await client.GetJson("/apis/no.such.group/v1")).Status);
        Assert.Equal(404, (await client.GetJson("/api/v1/nosuchresources")).Status);
    }

    [Fact]
    public async Task ServersWithoutAggregatedDiscoveryAnswerLegacyDocuments()
    {
        var scenario = TestScenarios.Small();
        scenario.AggregatedDiscovery = false;
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient();
        var (_, apis, response) = await client.GetJson("/apis", KubectlDiscoveryAccept);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("APIGroupList", (string?)apis!["kind"]);
    }

    [Fact]
    public async Task KubectlWorksWithLegacyDiscovery()
    {
        var scenario = TestScenarios.Small();
        scenario.AggregatedDiscovery = false;
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var dir = new TempDir();
        var r = new Kubectl(server, dir.Path).Run("get", "pods", "-n", "payments", "-o", "name").Ok();
        Assert.Equal(8, r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains(server.RequestLog, e => e.Path == "/api/v1");
    }

    [Fact]
    public async Task TableRowsCarryPartialObjectMetadata()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (status, table, response) = await client.GetJson("/api/v1/namespaces/payments/pods?limit=3",
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json");
        Assert.Equal(200, status);
        Assert.Equal("application/json;as=Table;v=v1;g=meta.k8s.io", response.Content.Headers.ContentType!.ToString().Replace(" ", ""));
        Assert.Equal("Table", (string?)table!["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)table["apiVersion"]);
        Assert.NotNull((string?)table["metadata"]!["continue"]);
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"],
            table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        var row = table["rows"]![0]!;
        Assert.Equal("pod-02", (string?)row["cells"]![0]);
        Assert.Equal("0/1", (string?)row["cells"]![1]);
        Assert.Equal("PartialObjectMetadata", (string?)row["object"]!["kind"]);
        Assert.Equal("payments", (string?)row["object"]!["metadata"]!["namespace"]);
        var (_, none, _) = await client.GetJson("/api/v1/namespaces/payments/pods?includeObject=None", "application/json;as=Table;v=v1;g=meta.k8s.io");
        Assert.Null(none!["rows"]![0]!["object"]);
    }

    [Fact]
    public async Task PartialObjectMetadataListAndSecretDataCounting()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (_, partial, response) = await client.GetJson("/api/v1/secrets", "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json");
        Assert.Equal("PartialObjectMetadataList", (string?)partial!["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)partial["apiVersion"]);
        Assert.StartsWith("application/json;as=PartialObjectMetadataList", response.Content.Headers.ContentType!.ToString().Replace(" ", ""));
        Assert.Equal(3, partial["items"]!.AsArray().Count);
        Assert.All(partial["items"]!.AsArray(), i => Assert.Null(i!["data"]));
        Assert.Equal(0, server.SecretDataRequests);
        var (_, table, _) = await client.GetJson("/api/v1/namespaces/payments/secrets", "application/json;as=Table;v=v1;g=meta.k8s.io");
        Assert.Equal(["Name", "Type", "Data", "Age"], table!["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        Assert.Equal(0, server.SecretDataRequests);
        var (_, one, _) = await client.GetJson("/api/v1/namespaces/payments/secrets/tls", "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io");
        Assert.Equal("PartialObjectMetadata", (string?)one!["kind"]);
        Assert.Equal(0, server.SecretDataRequests);

        // Full objects: counted, logged, and they carry (placeholder) data as a real secret does.
        var (_, full, _) = await client.GetJson("/api/v1/namespaces/payments/secrets/tls");
        Assert.NotNull(full!["data"]!["tls.key"]);
        var (_, list, _) = await client.GetJson("/api/v1/secrets");
        Assert.All(list!["items"]!.AsArray(), i => Assert.NotNull(i!["data"]));
        Assert.Equal(2, server.SecretDataRequests);
        Assert.Equal(2, server.RequestLog.Count(e => e.SecretData));
        var (_, count, _) = await client.GetJson("/_test/secret-data-requests");
        Assert.Equal(2, (int)count!["count"]!);
    }

    [Fact]
    public async Task NotAcceptableWhenNoRepresentationFits()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (status, body, _) = await client.GetJson("/api/v1/pods", "application/vnd.kubernetes.protobuf");
        Assert.Equal(406, status);
        Assert.Equal("NotAcceptable", (string?)body!["reason"]);
        Assert.Equal(200, (await client.GetJson("/api/v1/pods", "application/vnd.kubernetes.protobuf, application/json")).Status);
    }

    [Fact]
    public async Task GetSingleObjectsAndNotFound()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (s, pod, _) = await client.GetJson("/api/v1/namespaces/payments/pods/pod-02");
        Assert.Equal(200, s);
        Assert.Equal("Pod", (string?)pod!["kind"]);
        Assert.Equal("v1", (string?)pod["apiVersion"]);
        var (nf, body, _) = await client.GetJson("/api/v1/namespaces/default/pods/pod-02");
        Assert.Equal(404, nf);
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"pod-02\" not found","reason":"NotFound","details":{"name":"pod-02","kind":"pods"},"code":404}""", body!.Compact());
        var (_, node, _) = await client.GetJson("/api/v1/nodes/node-a");
        Assert.Equal("Node", (string?)node!["kind"]);
        var (_, ns, _) = await client.GetJson("/api/v1/namespaces/payments");
        Assert.Equal("Namespace", (string?)ns!["kind"]);
        var (_, rbacNf, _) = await client.GetJson("/apis/rbac.authorization.k8s.io/v1/clusterroles/nope");
        Assert.Equal("clusterroles.rbac.authorization.k8s.io \"nope\" not found", (string?)rbacNf!["message"]);
    }

    [Fact]
    public async Task WatchSendsInitialEvents()
    {
        await using var server = new KubeTestServer(TestScenarios.Small(), new KubeTestServerOptions { MaxWatch = TimeSpan.FromMilliseconds(100) });
        server.Start();
        using var client = server.CreateHttpClient();
        var text = await client.GetStringAsync("/api/v1/namespaces/payments/pods?watch=true&timeoutSeconds=1");
        var events = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToList();
        Assert.Equal(8, events.Count);
        Assert.All(events, e => Assert.Equal("ADDED", (string?)e["type"]));
        Assert.All(events, e => Assert.Equal("Pod", (string?)e["object"]!["kind"]));
        Assert.Equal("watch", server.RequestLog.Single().Verb);
    }

    [Fact]
    public async Task MetricsApiWhenEnabled()
    {
        var scenario = TestScenarios.Small();
        scenario.MetricsApi = true;
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient();
        var (s, list, _) = await client.GetJson("/apis/metrics.k8s.io/v1beta1/nodes");
        Assert.Equal(200, s);
        Assert.Equal("NodeMetricsList", (string?)list!["kind"]);
        Assert.Equal("metrics.k8s.io/v1beta1", (string?)list["apiVersion"]);
        var item = list["items"]![0]!;
        Assert.EndsWith("n", (string?)item["usage"]!["cpu"]);
        Assert.EndsWith("Ki", (string?)item["usage"]!["memory"]);
        var (_, one, _) = await client.GetJson("/apis/metrics.k8s.io/v1beta1/nodes/node-b");
        Assert.Equal("NodeMetrics", (string?)one!["kind"]);
        var (_, pods, _) = await client.GetJson("/apis/metrics.k8s.io/v1beta1/namespaces/payments/pods");
        Assert.Equal(8, pods!["items"]!.AsArray().Count);

        await using var off = new KubeTestServer(TestScenarios.Small());
        off.Start();
        using var c2 = off.CreateHttpClient();
        Assert.Equal(404, (await c2.GetJson("/apis/metrics.k8s.io/v1beta1/nodes")).Status);
    }

    [Fact]
    public async Task HttpsWithTheExposedCaOnly()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        var uri = server.Start();
        Assert.Equal("https", uri.Scheme);
        Assert.Equal("127.0.0.1", uri.Host);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", server.CaPem);
        using var untrusting = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = uri };
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync("/version"));
        using var trusting = server.CreateHttpClient();
        var response = await trusting.GetAsync("/version");
        Assert.Equal(200, (int)response.StatusCode);
    }
}
