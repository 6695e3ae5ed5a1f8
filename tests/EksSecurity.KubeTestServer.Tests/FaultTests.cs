using System.Diagnostics;
using EksSecurity.KubeTestServer.Scenario;

namespace EksSecurity.KubeTestServer.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task ThrottleAnswers429WithRetryAfter()
    {
        var scenario = TestScenarios.Small();
        scenario.AddFault(new FaultRule { Kind = FaultKind.Throttle, Path = "/api/v1/pods", RetryAfterSeconds = 3, Times = 1 });
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient();
        var (status, body, response) = await client.GetJson("/api/v1/pods");
        Assert.Equal(429, status);
        Assert.Equal("3", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","details":{"retryAfterSeconds":3},"code":429}""", body!.Compact());
        Assert.Equal(200, (await client.GetJson("/api/v1/pods")).Status);
        Assert.Equal("Throttle", server.RequestLog[0].Fault);
        Assert.Null(server.RequestLog[1].Fault);
    }

    [Fact]
    public async Task ErrorsAnswerAStatusWithTheCode()
    {
        var scenario = TestScenarios.Small();
        scenario.AddFault(new FaultRule { Kind = FaultKind.Error, Resource = "secrets", Message = "etcdserver: request timed out" });
        scenario.AddFault(new FaultRule { Kind = FaultKind.Error, Path = "/api/v1/nodes", StatusCode = 503, Message = "the server is currently unable to handle the request" });
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient();
        var (s1, b1, _) = await client.GetJson("/api/v1/namespaces/payments/secrets");
        Assert.Equal(500, s1);
        Assert.Equal("Internal error occurred: etcdserver: request timed out", (string?)b1!["message"]);
        Assert.Equal("InternalError", (string?)b1["reason"]);
        var (s2, b2, _) = await client.GetJson("/api/v1/nodes");
        Assert.Equal(503, s2);
        Assert.Equal("ServiceUnavailable", (string?)b2!["reason"]);
        Assert.Equal(200, (await client.GetJson("/api/v1/pods")).Status);
    }

    [Fact]
    public async Task DropAbortsTheConnection()
    {
        var scenario = TestScenarios.Small();
        scenario.AddFault(new FaultRule { Kind = FaultKind.Drop, Path = "/api/v1/pods", Times = 1 });
        await using var server = new KubeTestServer(scenario, new KubeTestServerOptions { Http2 = false });
        server.Start();
        using var client = server.CreateHttpClient();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync("/api/v1/pods"));
        Assert.Equal(200, (await client.GetJson("/api/v1/pods")).Status);
        var dropped = server.RequestLog.First(e => e.Path == "/api/v1/pods");
        Assert.Equal(0, dropped.Status);
        Assert.Equal("Drop", dropped.Fault);
    }

    [Fact]
    public async Task LatencyDelaysThenAnswers()
    {
        var scenario = TestScenarios.Small();
        scenario.AddFault(new FaultRule { Kind = FaultKind.Latency, Path = "/api/v1/namespaces/*/pods", LatencyMs = 300 });
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient();
        await client.GetJson("/version");
        var watch = Stopwatch.StartNew();
        Assert.Equal(200, (await client.GetJson("/api/v1/namespaces/payments/pods")).Status);
        Assert.True(watch.ElapsedMilliseconds >= 290, $"{watch.ElapsedMilliseconds} ms");
        Assert.Equal("Latency", server.RequestLog.Last().Fault);
    }

    [Fact]
    public async Task SkipEveryNthAndTimesAreDeterministic()
    {
        var scenario = TestScenarios.Small();
        scenario.AddFault(new FaultRule { Kind = FaultKind.Error, Verb = "get", Resource = "namespaces", Skip = 1, EveryNth = 2, Times = 2 });
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient();
        var statuses = new List<int>();
        for (var i = 0; i < 8; i++) statuses.Add((await client.GetJson("/api/v1/namespaces/default")).Status);
        Assert.Equal([200, 500, 200, 500, 200, 200, 200, 200], statuses);
    }

    [Fact]
    public async Task ProbabilisticFaultsRepeatWithTheSameSeed()
    {
        async Task<List<int>> Run(int seed)
        {
            var scenario = TestScenarios.Small();
            scenario.Seed = seed;
            scenario.AddFault(new FaultRule { Kind = FaultKind.Throttle, Path = "/api/v1/pods", Probability = 0.5 });
            await using var server = new KubeTestServer(scenario);
            server.Start();
            using var client = server.CreateHttpClient();
            var statuses = new List<int>();
            for (var i = 0; i < 20; i++) statuses.Add((await client.GetJson("/api/v1/pods")).Status);
            return statuses;
        }
        var a = await Run(42);
        var b = await Run(42);
        Assert.Equal(a, b);
        Assert.Contains(429, a);
        Assert.Contains(200, a);
    }

    [Fact]
    public async Task ExpireFaultHitsOnlyContinuedLists()
    {
        var scenario = TestScenarios.Small();
        scenario.AddFault(new FaultRule { Kind = FaultKind.Expire, Resource = "pods", Times = 1 });
        await using var server = new KubeTestServer(scenario);
        server.Start();
        using var client = server.CreateHttpClient();
        var (s1, p1, _) = await client.GetJson("/api/v1/pods?limit=5");
        Assert.Equal(200, s1);
        var (s2, b2, _) = await client.GetJson("/api/v1/pods?limit=5&continue=" + (string?)p1!["metadata"]!["continue"]);
        Assert.Equal(410, s2);
        Assert.Equal("Expired", (string?)b2!["reason"]);
    }

    [Fact]
    public async Task RequestLogIsServedAtTestLog()
    {
        await using var server = new KubeTestServer(TestScenarios.Small());
        server.Start();
        using var client = server.CreateHttpClient("viewer-token");
        await client.GetJson("/api/v1/namespaces/payments/pods?limit=3&labelSelector=app%3Ddb");
        await client.GetJson("/api/v1/secrets");
        var (status, log, _) = await client.GetJson("/_test/log");
        Assert.Equal(200, status);
        var entries = log!.AsArray();
        Assert.Equal(2, entries.Count);
        Assert.Equal("GET", (string?)entries[0]!["method"]);
        Assert.Equal("/api/v1/namespaces/payments/pods", (string?)entries[0]!["path"]);
        Assert.Equal("limit=3&labelSelector=app%3Ddb", (string?)entries[0]!["query"]);
        Assert.Equal("viewer", (string?)entries[0]!["user"]);
        Assert.Equal(200, (int)entries[0]!["status"]!);
        Assert.Equal(403, (int)entries[1]!["status"]!);
        Assert.Equal("app=db", server.RequestLog[0].QueryValue("labelSelector"));
        using var admin = server.CreateHttpClient();
        Assert.Equal(204, (int)(await admin.DeleteAsync("/_test/log")).StatusCode);
        Assert.Empty(server.RequestLog);
    }
}
