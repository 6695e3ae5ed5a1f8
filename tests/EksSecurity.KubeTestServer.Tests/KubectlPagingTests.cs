using EksSecurity.KubeTestServer.Api;
using EksSecurity.KubeTestServer.Scenario;

namespace EksSecurity.KubeTestServer.Tests;

/// <summary>kubectl's chunked lists (limit/continue) on a synthetic cluster with more than 1,000 pods.</summary>
public sealed class KubectlPagingTests : IClassFixture<SyntheticServerFixture>
{
    private readonly SyntheticServerFixture _f;

    public KubectlPagingTests(SyntheticServerFixture fixture) => _f = fixture;

    [Fact]
    public void ChunkedListReturnsEveryPodInPagesOf100()
    {
        var expected = _f.Scenario.Store(ResourceCatalog.Pods)!.Enumerate().Select(p => $"{ObjectAccess.Namespace(p)}/{ObjectAccess.Name(p)}").ToList();
        Assert.True(expected.Count > 1_000, $"the synthetic cluster has {expected.Count} pods");
        var first = _f.Server.RequestLog.Count;

        var r = _f.Kubectl.Run("get", "pods", "-A", "--chunk-size=100", "-o", "json").Ok();

        var items = r.Json["items"]!.AsArray();
        var names = items.Select(i => $"{(string?)i!["metadata"]!["namespace"]}/{(string?)i["metadata"]!["name"]}").ToList();
        Assert.Equal(expected.Count, names.Count);
        Assert.Equal(expected.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));

        var pages = _f.Server.RequestLog.Skip(first).Where(e => e.Path == "/api/v1/pods").ToList();
        Assert.Equal((expected.Count + 99) / 100, pages.Count);
        Assert.All(pages, p => Assert.Equal("100", p.QueryValue("limit")));
        Assert.Null(pages[0].QueryValue("continue"));
        Assert.All(pages.Skip(1), p => Assert.False(string.IsNullOrEmpty(p.QueryValue("continue"))));
        Assert.All(pages, p => Assert.Equal(200, p.Status));
        Assert.Equal(expected.Count, pages.Sum(p => p.Items ?? 0));
    }

    [Fact]
    public void ExpiredContinueTokenFailsKubectlWithTheExpiredStatus()
    {
        using var server = new KubeTestServer(KubeScenario.FromSynthetic(SyntheticServerFixture.Options));
        server.Scenario.Paging = new PagingOptions { ExpireContinueAfterPages = 3, ExpireTimes = 1, ExpireResources = ["pods"] };
        server.Start();
        using var dir = new TempDir();
        var kubectl = new Kubectl(server, dir.Path);

        var r = kubectl.Run("get", "pods", "-A", "--chunk-size=100", "-o", "name");

        var pods = server.RequestLog.Where(e => e.Path == "/api/v1/pods").ToList();
        var expired = pods.Single(e => e.Status == 410);
        Assert.Equal("Expired", expired.Reason);
        Assert.Equal(4, pods.IndexOf(expired) + 1);
        // kubectl get does not restart a chunked list: it reports the 410.
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("The provided continue parameter is too old", r.Stderr);
    }

    [Fact]
    public void ThrottledListIsRetriedByKubectlAfterRetryAfter()
    {
        using var server = new KubeTestServer(KubeScenario.FromSynthetic(SyntheticServerFixture.Options));
        server.Scenario.AddFault(new FaultRule { Kind = FaultKind.Throttle, Resource = "namespaces", Verb = "list", RetryAfterSeconds = 1, Times = 1 });
        server.Start();
        using var dir = new TempDir();
        var r = new Kubectl(server, dir.Path).Run("get", "namespaces", "-o", "name").Ok();
        Assert.Equal(SyntheticServerFixture.Options.Namespaces, r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var calls = server.RequestLog.Where(e => e.Path == "/api/v1/namespaces").Select(e => e.Status).ToList();
        Assert.Equal([429, 200], calls);
    }
}
