using System.Text.Json.Nodes;
using EksSecurity.KubeTestServer.Scenario;
using EksSecurity.TestData;

namespace EksSecurity.KubeTestServer.Tests;

public sealed class PagingTests
{
    private static async Task<(List<string> Names, List<JsonNode> Pages)> ReadAll(HttpClient client, string path, int limit)
    {
        var names = new List<string>();
        var pages = new List<JsonNode>();
        string? token = null;
        do
        {
            var url = $"{path}{(path.Contains('?') ? '&' : '?')}limit={limit}" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token));
            var (status, body, _) = await client.GetJson(url);
            Assert.Equal(200, status);
            pages.Add(body!);
            names.AddRange(body!["items"]!.AsArray().Select(i => $"{(string?)i!["metadata"]!["namespace"]}/{(string?)i["metadata"]!["name"]}"));
            token = (string?)body["metadata"]!["continue"];
        } while (token is not null);
        return (names, pages);
    }

    [Fact]
    public async Task ListIsARealPodListWithResourceVersionAndPages()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (status, body, response) = await client.GetJson("/api/v1/pods?limit=10");
        Assert.Equal(200, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("PodList", (string?)body!["kind"]);
        Assert.Equal("v1", (string?)body["apiVersion"]);
        Assert.False(string.IsNullOrEmpty((string?)body["metadata"]!["resourceVersion"]));
        Assert.NotNull((string?)body["metadata"]!["continue"]);
        Assert.Equal(15, (int)body["metadata"]!["remainingItemCount"]!);
        var items = body["items"]!.AsArray();
        Assert.Equal(10, items.Count);
        // Built-in list items carry no apiVersion/kind, as the API server writes them.
        Assert.All(items, i => Assert.Null(i!["kind"]));
        // Sorted by namespace, then name (etcd key order).
        var keys = items.Select(i => $"{(string?)i!["metadata"]!["namespace"]}/{(string?)i["metadata"]!["name"]}").ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(500)]
    public async Task FollowingContinueReturnsEachObjectOnce(int limit)
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (names, pages) = await ReadAll(client, "/api/v1/pods", limit);
        Assert.Equal(25, names.Count);
        Assert.Equal(25, names.Distinct().Count());
        Assert.Equal((25 + limit - 1) / limit, pages.Count);
        Assert.Null((string?)pages[^1]["metadata"]!["continue"]);
    }

    [Fact]
    public async Task PagingWithSelectorsAndNamespaces()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (web, _) = await ReadAll(client, "/api/v1/pods?labelSelector=" + Uri.EscapeDataString("app in (web,db)"), 3);
        Assert.Equal(17, web.Count);
        var (payments, _) = await ReadAll(client, "/api/v1/namespaces/payments/pods", 2);
        Assert.Equal(8, payments.Count);
        Assert.All(payments, n => Assert.StartsWith("payments/", n));
        var (onNode, _) = await ReadAll(client, "/api/v1/namespaces/payments/pods?fieldSelector=spec.nodeName%3Dnode-a,status.phase%3DRunning", 5);
        Assert.Equal(4, onNode.Count);
        var (byName, _) = await ReadAll(client, "/api/v1/pods?fieldSelector=metadata.name%3Dpod-07", 5);
        Assert.Equal(["kube-system/pod-07"], byName);
    }

    [Fact]
    public async Task LazySyntheticStoreFollowsContinueInOnePass()
    {
        var options = SyntheticClusterOptions.Tiny with { Pods = 600, Nodes = 5 };
        var scenario = KubeScenario.FromSynthetic(options);
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient();
        var (names, pages) = await ReadAll(client, "/api/v1/pods", 50);
        var expected = scenario.Store(Api.ResourceCatalog.Pods)!.Enumerate().Select(p => $"{Api.ObjectAccess.Namespace(p)}/{Api.ObjectAccess.Name(p)}").ToList();
        Assert.Equal(expected, names);
        Assert.Equal(expected.Count, names.Distinct().Count());
        Assert.Equal((expected.Count + 49) / 50, pages.Count);
        // A lazy store cannot count what remains without building it: no remainingItemCount.
        Assert.Null(pages[0]["metadata"]!["remainingItemCount"]);
    }

    [Fact]
    public async Task ContinueExpiresAfterNPagesWith410AndAnInconsistentToken()
    {
        var scenario = TestScenarios.Small();
        scenario.Paging = new PagingOptions { ExpireContinueAfterPages = 2, ExpireTimes = 1 };
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient();
        var (_, p1, _) = await client.GetJson("/api/v1/pods?limit=5");
        var (_, p2, _) = await client.GetJson("/api/v1/pods?limit=5&continue=" + (string?)p1!["metadata"]!["continue"]);
        var (status, status410, response) = await client.GetJson("/api/v1/pods?limit=5&continue=" + (string?)p2!["metadata"]!["continue"]);
        Assert.Equal(410, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Status", (string?)status410!["kind"]);
        Assert.Equal("v1", (string?)status410["apiVersion"]);
        Assert.Equal("Failure", (string?)status410["status"]);
        Assert.Equal("Expired", (string?)status410["reason"]);
        Assert.Equal(410, (int)status410["code"]!);
        Assert.StartsWith("The provided continue parameter is too old to display a consistent list result.", (string?)status410["message"]);
        // The Status carries a token that continues (inconsistently) from where the expired one was.
        var inconsistent = (string?)status410["metadata"]!["continue"];
        Assert.NotNull(inconsistent);
        var (s3, p3, _) = await client.GetJson("/api/v1/pods?limit=5&continue=" + inconsistent);
        Assert.Equal(200, s3);
        Assert.Equal("pod-", ((string?)p3!["items"]![0]!["metadata"]!["name"])![..4]);
        // ExpireTimes = 1: a restarted list pages through.
        var (names, _) = await ReadAll(client, "/api/v1/pods", 5);
        Assert.Equal(25, names.Count);
        var log = server.RequestLog.Where(e => e.Path == "/api/v1/pods").ToList();
        Assert.Equal([200, 200, 410], log.Take(3).Select(e => e.Status));
        Assert.Equal("Expired", log[2].Reason);
    }

    [Fact]
    public async Task ExpiringTokensAsACompactionWouldExpiresThoseAlreadyIssued()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (_, p1, _) = await client.GetJson("/api/v1/pods?limit=5");
        server.ExpireContinueTokens();
        var (status, body, _) = await client.GetJson("/api/v1/pods?limit=5&continue=" + (string?)p1!["metadata"]!["continue"]);
        Assert.Equal(410, status);
        Assert.Equal("Expired", (string?)body!["reason"]);
        // Tokens issued after the compaction work.
        var (names, _) = await ReadAll(client, "/api/v1/pods", 5);
        Assert.Equal(25, names.Count);
    }

    [Fact]
    public async Task InvalidContinueAndLimitAreBadRequests()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient();
        var (s1, b1, _) = await client.GetJson("/api/v1/pods?limit=5&continue=not-base64!");
        Assert.Equal(400, s1);
        Assert.Equal("BadRequest", (string?)b1!["reason"]);
        Assert.StartsWith("continue key is not valid", (string?)b1["message"]);
        var (_, p1, _) = await client.GetJson("/api/v1/pods?limit=5");
        var (s2, b2, _) = await client.GetJson("/api/v1/secrets?limit=5&continue=" + (string?)p1!["metadata"]!["continue"]);
        Assert.Equal(400, s2);
        Assert.Contains("not secrets", (string?)b2!["message"]);
        var (s3, b3, _) = await client.GetJson("/api/v1/pods?limit=5&resourceVersion=1&continue=" + (string?)p1["metadata"]!["continue"]);
        Assert.Equal(400, s3);
        Assert.Equal("specifying resource version is not allowed when using continue", (string?)b3!["message"]);
        var (s4, _, _) = await client.GetJson("/api/v1/pods?limit=ten");
        Assert.Equal(400, s4);
        var (s5, b5, _) = await client.GetJson("/api/v1/pods?labelSelector=" + Uri.EscapeDataString("app in (web"));
        Assert.Equal(400, s5);
        Assert.StartsWith("unable to parse requirement", (string?)b5!["message"]);
    }

    [Fact]
    public async Task MaxLimitCapsPagesEvenWhenTheClientAsksForMore()
    {
        var scenario = TestScenarios.Small();
        scenario.Paging = new PagingOptions { MaxLimit = 7 };
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient();
        var (names, pages) = await ReadAll(client, "/api/v1/pods", 500);
        Assert.Equal(25, names.Count);
        Assert.Equal(4, pages.Count);
        var (_, all, _) = await client.GetJson("/api/v1/pods");
        Assert.Equal(7, all!["items"]!.AsArray().Count);
        Assert.NotNull((string?)all["metadata"]!["continue"]);
    }

    [Fact]
    public async Task StreamsAFullListOfAFewThousandPodsWithoutLimit()
    {
        var options = SyntheticClusterOptions.Tiny with { Pods = 2_000, Nodes = 10 };
        await using var server = new KubeTestServer(KubeScenario.FromSynthetic(options));
        server.Start();
        using var client = server.CreateHttpClient();
        using var response = await client.GetAsync("/api/v1/pods", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var doc = await System.Text.Json.JsonDocument.ParseAsync(stream);
        Assert.Equal(options.Pods, doc.RootElement.GetProperty("items").GetArrayLength());
        Assert.Equal(options.Pods, server.RequestLog.Single(e => e.Path == "/api/v1/pods").Items);
    }
}
