using System.Text.Json.Nodes;
using EksSecurity.KubeTestServer.Scenario;

namespace EksSecurity.KubeTestServer.Tests;

public sealed class AuthTests
{
    [Fact]
    public async Task MissingOrBadTokenIsA401Status()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        const string unauthorized = """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""";
        using (var anonymous = server.CreateHttpClient(token: null))
        {
            var (status, body, _) = await anonymous.GetJson("/api/v1/pods");
            Assert.Equal(401, status);
            Assert.Equal(unauthorized, body!.Compact());
            var (d, _, _) = await anonymous.GetJson("/apis");
            Assert.Equal(401, d);
            // /version is public information on EKS (system:public-info-viewer).
            var (v, version, _) = await anonymous.GetJson("/version");
            Assert.Equal(200, v);
            Assert.Equal(server.Scenario.ServerVersion.GitVersion, (string?)version!["gitVersion"]);
        }
        using (var bad = server.CreateHttpClient("wrong"))
        {
            var (status, body, _) = await bad.GetJson("/api/v1/pods");
            Assert.Equal(401, status);
            Assert.Equal(unauthorized, body!.Compact());
            var (v, _, _) = await bad.GetJson("/version");
            Assert.Equal(401, v);
        }
        Assert.All(server.RequestLog.Where(e => e.Status == 401), e => Assert.Null(e.User));
    }

    [Fact]
    public async Task ForbiddenIsTheRbacStatusWordForWord()
    {
        var scenario = TestScenarios.Small();
        scenario.AddUser("x-token", "x", deny: ["list pods"]);
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient("x-token");
        var (status, body, _) = await client.GetJson("/api/v1/pods");
        Assert.Equal(403, status);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \"x\" cannot list resource \"pods\" in API group \"\" at the cluster scope","reason":"Forbidden","details":{"kind":"pods"},"code":403}""",
            body!.Compact());
        var (ns, nsBody, _) = await client.GetJson("/api/v1/namespaces/payments/pods");
        Assert.Equal(403, ns);
        Assert.Equal("pods is forbidden: User \"x\" cannot list resource \"pods\" in API group \"\" in the namespace \"payments\"", (string?)nsBody!["message"]);
        // Only list is denied: get works.
        var (get, _, _) = await client.GetJson("/api/v1/namespaces/payments/pods/pod-02");
        Assert.Equal(200, get);
        var entry = server.RequestLog.First(e => e.Status == 403);
        Assert.Equal(("x", "list", "pods", "Forbidden"), (entry.User, entry.Verb, entry.Resource, entry.Reason));
    }

    [Fact]
    public async Task ForbiddenNamesTheGroupSubresourceAndObject()
    {
        var scenario = TestScenarios.Small();
        scenario.AddUser("y-token", "y", deny: ["get deployments.apps", "get nodes/proxy", "list networkpolicies in payments"]);
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient("y-token");
        var (_, d, _) = await client.GetJson("/apis/apps/v1/namespaces/payments/deployments/api");
        Assert.Equal("deployments.apps \"api\" is forbidden: User \"y\" cannot get resource \"deployments\" in API group \"apps\" in the namespace \"payments\"", (string?)d!["message"]);
        Assert.Equal("""{"name":"api","group":"apps","kind":"deployments"}""", d["details"]!.Compact());
        var (_, p, _) = await client.GetJson("/api/v1/nodes/node-a/proxy/configz");
        Assert.Equal("nodes \"node-a\" is forbidden: User \"y\" cannot get resource \"nodes/proxy\" in API group \"\" at the cluster scope", (string?)p!["message"]);
        var (n, _, _) = await client.GetJson("/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies");
        Assert.Equal(403, n);
        var (other, _, _) = await client.GetJson("/apis/networking.k8s.io/v1/namespaces/default/networkpolicies");
        Assert.Equal(200, other);
        // Getting the node itself is not the proxy subresource.
        var (node, _, _) = await client.GetJson("/api/v1/nodes/node-a");
        Assert.Equal(200, node);
    }

    [Fact]
    public async Task AllowListPermitsOnlyWhatItNamesButAlwaysDiscovery()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient("ns-reader-token");
        Assert.Equal(200, (await client.GetJson("/api/v1/namespaces")).Status);
        Assert.Equal(200, (await client.GetJson("/api/v1/namespaces/payments")).Status);
        Assert.Equal(200, (await client.GetJson("/api/v1/namespaces/payments/pods")).Status);
        Assert.Equal(403, (await client.GetJson("/api/v1/namespaces/default/pods")).Status);
        Assert.Equal(403, (await client.GetJson("/api/v1/pods")).Status);
        Assert.Equal(403, (await client.GetJson("/api/v1/nodes")).Status);
        Assert.Equal(200, (await client.GetJson("/api")).Status);
        Assert.Equal(200, (await client.GetJson("/apis/apps/v1")).Status);
        Assert.Equal(200, (await client.GetJson("/version")).Status);
    }

    [Fact]
    public async Task EksTokensAreValidatedByTheCallback()
    {
        var scenario = TestScenarios.Small();
        // Rules for a user the callback names (no token of its own).
        scenario.Users.Add(new ScenarioUser { Name = "arn:aws:iam::111122223333:role/auditor", Groups = ["auditors"], Deny = [AccessRule.Parse("* secrets")] });
        var seen = new List<string>();
        var options = new KubeTestServerOptions
        {
            EksTokenValidator = token =>
            {
                lock (seen) seen.Add(token);
                return token == "k8s-aws-v1.good" ? ("arn:aws:iam::111122223333:role/auditor", ["system:masters"]) : null;
            },
        };
        await using var server = new KubeTestServer(scenario, options);
        server.Start();
        using (var good = server.CreateHttpClient("k8s-aws-v1.good"))
        {
            Assert.Equal(200, (await good.GetJson("/api/v1/pods")).Status);
            var (forbidden, body, _) = await good.GetJson("/api/v1/secrets");
            Assert.Equal(403, forbidden);
            Assert.Contains("User \"arn:aws:iam::111122223333:role/auditor\" cannot list resource \"secrets\"", (string?)body!["message"]);
            var (_, review) = await good.Send(HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""");
            var groups = review!["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => (string?)g).ToList();
            Assert.Equal(["system:masters", "auditors", "system:authenticated"], groups);
        }
        using (var bad = server.CreateHttpClient("k8s-aws-v1.bad"))
            Assert.Equal(401, (await bad.GetJson("/api/v1/pods")).Status);
        Assert.Contains("k8s-aws-v1.bad", seen);
        Assert.Equal("arn:aws:iam::111122223333:role/auditor", server.RequestLog.First(e => e.Status == 200).User);
    }

    [Fact]
    public async Task EksTokensWithoutAValidatorAreRefused()
    {
        await using var server = new KubeTestServer(TestScenarios.Small(), new KubeTestServerOptions { EksTokenValidator = _ => throw new InvalidOperationException("boom") });
        server.Start();
        using var client = server.CreateHttpClient("k8s-aws-v1.anything");
        Assert.Equal(401, (await client.GetJson("/api/v1/pods")).Status);
        await using var plain = new KubeTestServer(TestScenarios.Small());
        plain.Start();
        using var c2 = plain.CreateHttpClient("k8s-aws-v1.anything");
        Assert.Equal(401, (await c2.GetJson("/api/v1/pods")).Status);
    }

    [Fact]
    public async Task SnapshotSectionsDeniedAtCollectionAreDeniedForEveryone()
    {
        var snapshot = new Engine.Snapshot.ClusterSnapshot();
        snapshot.Kubernetes.Namespaces = Engine.Snapshot.Section<k8s.Models.V1Namespace>.Collected([new k8s.Models.V1Namespace { Metadata = new() { Name = "default" } }]);
        snapshot.Kubernetes.Secrets = Engine.Snapshot.Section<k8s.Models.V1Secret>.Denied("list secrets", "forbidden");
        snapshot.Kubernetes.Nodes = Engine.Snapshot.Section<k8s.Models.V1Node>.Failed("timeout");
        await using var server = new KubeTestServer(KubeScenario.FromSnapshot(snapshot));
        server.Start();
        using var client = server.CreateHttpClient();
        var (s, body, _) = await client.GetJson("/api/v1/secrets");
        Assert.Equal(403, s);
        Assert.Equal("secrets is forbidden: User \"kubernetes-admin\" cannot list resource \"secrets\" in API group \"\" at the cluster scope", (string?)body!["message"]);
        var (n, nodes, _) = await client.GetJson("/api/v1/nodes");
        Assert.Equal(500, n);
        Assert.Equal("InternalError", (string?)nodes!["reason"]);
        // Not collected at all (absent SGP section): the CRD is not installed.
        var (sgp, _, _) = await client.GetJson("/apis/vpcresources.k8s.aws/v1beta1/securitygrouppolicies");
        Assert.Equal(404, sgp);
    }

    [Fact]
    public async Task SelfSubjectAccessReviewAnswersFromTheRules()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient("viewer-token");
        async Task<bool> Can(string verb, string resource, string? ns = null, string? sub = null)
        {
            var ra = new JsonObject { ["verb"] = verb, ["resource"] = resource };
            if (ns is not null) ra["namespace"] = ns;
            if (sub is not null) ra["subresource"] = sub;
            var body = new JsonObject { ["apiVersion"] = "authorization.k8s.io/v1", ["kind"] = "SelfSubjectAccessReview", ["spec"] = new JsonObject { ["resourceAttributes"] = ra } };
            var (status, review) = await client.Send(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body.ToJsonString());
            Assert.Equal(201, status);
            return (bool)review!["status"]!["allowed"]!;
        }
        Assert.False(await Can("list", "secrets", "kube-system"));
        Assert.True(await Can("list", "pods"));
        Assert.False(await Can("get", "nodes", sub: "proxy"));
        Assert.True(await Can("get", "nodes"));
    }
}
