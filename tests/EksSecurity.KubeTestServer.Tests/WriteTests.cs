using System.Text.Json.Nodes;
using EksSecurity.Engine.Kubernetes;
using EksSecurity.KubeTestServer.Api;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Tests;

public sealed class WriteTests
{
    private const string DenyImds = """
        {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"deny-imds","namespace":"payments"},
         "spec":{"podSelector":{},"policyTypes":["Egress"],"egress":[{"to":[{"ipBlock":{"cidr":"0.0.0.0/0","except":["169.254.169.254/32"]}}]}]}}
        """;

    [Fact]
    public async Task CreateNetworkPolicyIsStoredAndLogged()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (status, created) = await client.Send(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies?fieldManager=eks-security", DenyImds);
        Assert.Equal(201, status);
        Assert.Equal("NetworkPolicy", (string?)created!["kind"]);
        Assert.False(string.IsNullOrEmpty((string?)created["metadata"]!["uid"]));
        Assert.False(string.IsNullOrEmpty((string?)created["metadata"]!["resourceVersion"]));
        Assert.NotNull(created["metadata"]!["creationTimestamp"]);

        var stored = Assert.IsType<V1NetworkPolicy>(server.Scenario.Store(ResourceCatalog.NetworkPolicies)!.Find("payments", "deny-imds"));
        Assert.Equal("169.254.169.254/32", stored.Spec.Egress[0].To[0].IpBlock.Except[0]);
        var write = Assert.Single(server.WriteLog);
        Assert.Equal(("POST", "create", "networkpolicies.networking.k8s.io", "payments", "deny-imds", false, 201),
            (write.Method, write.Verb, write.Resource, write.Namespace, write.Name, write.DryRun, write.Status));
        Assert.Contains("169.254.169.254/32", write.Body);
        Assert.Contains("\"uid\"", write.Result);

        var (_, list, _) = await client.GetJson("/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies");
        Assert.Single(list!["items"]!.AsArray());
        var (again, conflict) = await client.Send(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies", DenyImds);
        Assert.Equal(409, again);
        Assert.Equal("AlreadyExists", (string?)conflict!["reason"]);
        Assert.Equal("networkpolicies.networking.k8s.io \"deny-imds\" already exists", (string?)conflict["message"]);
        Assert.Equal(409, server.WriteLog[^1].Status);
    }

    [Fact]
    public async Task DryRunAllAnswersButStoresNothing()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (status, created) = await client.Send(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies?dryRun=All", DenyImds);
        Assert.Equal(201, status);
        Assert.Equal("deny-imds", (string?)created!["metadata"]!["name"]);
        Assert.Null(server.Scenario.Store(ResourceCatalog.NetworkPolicies)!.Find("payments", "deny-imds"));
        Assert.True(Assert.Single(server.WriteLog).DryRun);
        var (bad, body) = await client.Send(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies?dryRun=Some", DenyImds);
        Assert.Equal(400, bad);
        Assert.Contains("supported values: \"All\"", (string?)body!["message"]);
    }

    [Fact]
    public async Task CreateChecksNamespaceKindAndName()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (missing, m) = await client.Send(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/nope/networkpolicies", DenyImds.Replace("payments", "nope"));
        Assert.Equal(404, missing);
        Assert.Equal("namespaces \"nope\" not found", (string?)m!["message"]);
        var (mismatch, mm) = await client.Send(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/default/networkpolicies", DenyImds);
        Assert.Equal(400, mismatch);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", (string?)mm!["message"]);
        var (kind, k) = await client.Send(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies", DenyImds.Replace("\"NetworkPolicy\"", "\"Pod\""));
        Assert.Equal(400, kind);
        Assert.Equal("the kind in the data (Pod) does not match the expected kind (NetworkPolicy)", (string?)k!["message"]);
        var (noName, n) = await client.Send(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies", """{"spec":{"podSelector":{}}}""");
        Assert.Equal(422, noName);
        Assert.Equal("Invalid", (string?)n!["reason"]);
        var (generated, g) = await client.Send(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies", """{"metadata":{"generateName":"np-"},"spec":{"podSelector":{}}}""");
        Assert.Equal(201, generated);
        Assert.Matches("^np-[a-z0-9]{5}$", (string?)g!["metadata"]!["name"]);
    }

    [Fact]
    public async Task UpdateChecksTheResourceVersion()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (_, created) = await client.Send(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies", DenyImds);
        var rv = (string?)created!["metadata"]!["resourceVersion"];
        created["spec"]!["policyTypes"] = new JsonArray("Ingress", "Egress");
        var (ok, updated) = await client.Send(HttpMethod.Put, "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies/deny-imds", created.ToJsonString());
        Assert.Equal(200, ok);
        Assert.NotEqual(rv, (string?)updated!["metadata"]!["resourceVersion"]);
        Assert.Equal((string?)created["metadata"]!["uid"], (string?)updated["metadata"]!["uid"]);
        Assert.Equal(2L, (long)updated["metadata"]!["generation"]!);
        var (conflict, c) = await client.Send(HttpMethod.Put, "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies/deny-imds", created.ToJsonString());
        Assert.Equal(409, conflict);
        Assert.Equal("Conflict", (string?)c!["reason"]);
        var (missing, _) = await client.Send(HttpMethod.Put, "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies/nope", DenyImds.Replace("deny-imds", "nope"));
        Assert.Equal(404, missing);
    }

    [Fact]
    public async Task NamespaceLabelsByMergeStrategicAndJsonPatch()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (s1, p1) = await client.Send(HttpMethod.Patch, "/api/v1/namespaces/payments",
            """{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"restricted","pod-security.kubernetes.io/enforce-version":"latest"}}}""", "application/merge-patch+json");
        Assert.Equal(200, s1);
        Assert.Equal("restricted", (string?)p1!["metadata"]!["labels"]!["pod-security.kubernetes.io/enforce"]);
        Assert.Equal("payments", (string?)p1["metadata"]!["labels"]!["kubernetes.io/metadata.name"]);
        var (s2, _) = await client.Send(HttpMethod.Patch, "/api/v1/namespaces/payments",
            """{"metadata":{"labels":{"pod-security.kubernetes.io/enforce-version":null,"pod-security.kubernetes.io/warn":"restricted"}}}""", "application/strategic-merge-patch+json");
        Assert.Equal(200, s2);
        var (s3, _) = await client.Send(HttpMethod.Patch, "/api/v1/namespaces/payments",
            """[{"op":"add","path":"/metadata/labels/pod-security.kubernetes.io~1audit","value":"baseline"}]""", "application/json-patch+json");
        Assert.Equal(200, s3);
        var ns = (V1Namespace)server.Scenario.Store(ResourceCatalog.Namespaces)!.Find(null, "payments")!;
        Assert.Equal(new Dictionary<string, string>
        {
            ["kubernetes.io/metadata.name"] = "payments",
            ["pod-security.kubernetes.io/enforce"] = "restricted",
            ["pod-security.kubernetes.io/warn"] = "restricted",
            ["pod-security.kubernetes.io/audit"] = "baseline",
        }, ns.Metadata.Labels);
        Assert.Equal(["patch", "patch", "patch"], server.WriteLog.Select(w => w.Verb));
        var (dry, _) = await client.Send(HttpMethod.Patch, "/api/v1/namespaces/payments?dryRun=All", """{"metadata":{"labels":{"x":"y"}}}""", "application/merge-patch+json");
        Assert.Equal(200, dry);
        Assert.False(((V1Namespace)server.Scenario.Store(ResourceCatalog.Namespaces)!.Find(null, "payments")!).Metadata.Labels.ContainsKey("x"));
        var (missing, _) = await client.Send(HttpMethod.Patch, "/api/v1/namespaces/nope", "{}", "application/merge-patch+json");
        Assert.Equal(404, missing);
        var (badType, _) = await client.Send(HttpMethod.Patch, "/api/v1/namespaces/payments", "{}", "text/plain");
        Assert.Equal(415, badType);
    }

    [Fact]
    public async Task SecurityGroupPoliciesAreCustomResources()
    {
        var scenario = TestScenarios.Small();
        scenario.Set(ResourceCatalog.SecurityGroupPolicies, []);
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient();
        var (status, created) = await client.Send(HttpMethod.Post, "/apis/vpcresources.k8s.aws/v1beta1/namespaces/payments/securitygrouppolicies",
            """{"apiVersion":"vpcresources.k8s.aws/v1beta1","kind":"SecurityGroupPolicy","metadata":{"name":"api"},"spec":{"podSelector":{"matchLabels":{"app":"api"}},"securityGroups":{"groupIds":["sg-0123456789abcdef0"]}}}""");
        Assert.Equal(201, status);
        Assert.Equal("payments", (string?)created!["metadata"]!["namespace"]);
        var stored = Assert.IsType<SecurityGroupPolicy>(server.Scenario.Store(ResourceCatalog.SecurityGroupPolicies)!.Find("payments", "api"));
        Assert.Equal(["sg-0123456789abcdef0"], stored.Spec!.SecurityGroups!.GroupIds);
        // Custom resource list items keep apiVersion and kind.
        var (_, list, _) = await client.GetJson("/apis/vpcresources.k8s.aws/v1beta1/securitygrouppolicies");
        Assert.Equal("SecurityGroupPolicyList", (string?)list!["kind"]);
        Assert.Equal("SecurityGroupPolicy", (string?)list["items"]![0]!["kind"]);
        // The CRD is listed.
        var (_, crds, _) = await client.GetJson("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
        Assert.Equal("securitygrouppolicies.vpcresources.k8s.aws", (string?)crds!["items"]![0]!["metadata"]!["name"]);
    }

    [Fact]
    public async Task WithoutTheCrdSecurityGroupPoliciesAre404()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (status, body, _) = await client.GetJson("/apis/vpcresources.k8s.aws/v1beta1/securitygrouppolicies");
        Assert.Equal(404, status);
        Assert.Equal("the server could not find the requested resource", (string?)body!["message"]);
        var (_, apis, _) = await client.GetJson("/apis");
        Assert.DoesNotContain("vpcresources.k8s.aws", apis!["groups"]!.AsArray().Select(g => (string?)g!["name"]));
    }

    [Fact]
    public async Task DeleteRemovesTheObject()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        await client.Send(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies", DenyImds);
        var response = await client.DeleteAsync("/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies/deny-imds");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Null(server.Scenario.Store(ResourceCatalog.NetworkPolicies)!.Find("payments", "deny-imds"));
        Assert.Equal(404, (int)(await client.DeleteAsync("/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies/deny-imds")).StatusCode);
    }
}
