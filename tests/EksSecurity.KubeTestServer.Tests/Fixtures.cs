using EksSecurity.KubeTestServer.Api;
using EksSecurity.KubeTestServer.Scenario;
using EksSecurity.TestData;

namespace EksSecurity.KubeTestServer.Tests;

/// <summary>Tokens the fixtures' scenarios accept.</summary>
internal static class Tokens
{
    public const string Admin = KubeScenario.AdminToken;
    /// <summary>User "viewer": may not get, list or watch secrets, nor get nodes/proxy.</summary>
    public const string Viewer = "viewer-token";
    /// <summary>User "ns-reader": may only list namespaces and list pods in payments.</summary>
    public const string NamespaceReader = "ns-reader-token";
}

/// <summary>A temporary directory removed on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kube-test-server-" + Guid.NewGuid().ToString("N")[..12]);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The demo snapshot served as it is, plus a viewer denied secrets and the metrics API: one server for a test class.</summary>
public sealed class DemoServerFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public DemoServerFixture()
    {
        Scenario = CreateScenario();
        Server = new KubeTestServer(Scenario);
        Server.Start();
        Kubectl = new Kubectl(Server, Path.Combine(_dir.Path, "admin"));
    }

    public static KubeScenario CreateScenario()
    {
        var scenario = KubeScenario.FromSnapshotFile(RepoPaths.DemoSnapshot);
        scenario.AddUser(Tokens.Viewer, "viewer", ["viewers"], deny: ["get,list,watch secrets", "get nodes/proxy"]);
        scenario.MetricsApi = true;
        return scenario;
    }

    public KubeScenario Scenario { get; }
    public KubeTestServer Server { get; }
    internal Kubectl Kubectl { get; }

    internal Kubectl KubectlFor(string token) => new(Server, Path.Combine(_dir.Path, token), token);

    /// <summary>namespace/name of every object the scenario serves for a resource.</summary>
    public SortedSet<string> Names(ResourceType type) =>
        new(Scenario.Store(type)!.Enumerate().Select(o => $"{ObjectAccess.Namespace(o)}/{ObjectAccess.Name(o)}"), StringComparer.Ordinal);

    public void Dispose()
    {
        Server.Dispose();
        _dir.Dispose();
    }
}

/// <summary>A synthetic cluster with more than 1,000 pods, served lazily.</summary>
public sealed class SyntheticServerFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public static readonly SyntheticClusterOptions Options = SyntheticClusterOptions.Tiny with { Pods = 1_100, Nodes = 8, Namespaces = 20, ClusterName = "synthetic-paging" };

    public SyntheticServerFixture()
    {
        Scenario = KubeScenario.FromSynthetic(Options);
        Server = new KubeTestServer(Scenario);
        Server.Start();
        Kubectl = new Kubectl(Server, Path.Combine(_dir.Path, "admin"));
    }

    public KubeScenario Scenario { get; }
    public KubeTestServer Server { get; }
    internal Kubectl Kubectl { get; }

    public void Dispose()
    {
        Server.Dispose();
        _dir.Dispose();
    }
}
