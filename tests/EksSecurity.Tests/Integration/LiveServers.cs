using System.Text;
using EksSecurity.Engine;
using EksSecurity.KubeTestServer.Scenario;
using KubeServer = EksSecurity.KubeTestServer.KubeTestServer;
using KubeServerOptions = EksSecurity.KubeTestServer.KubeTestServerOptions;
using TestServer = EksSecurity.AwsTestServer.AwsTestServer;

namespace EksSecurity.Tests.Integration;

/// <summary>
/// Both loopback servers for a live scan: the AWS integration scenario's demo cluster names the Kubernetes test server's
/// endpoint and CA, and the Kubernetes server accepts an EKS token only after the AWS server validated it for the cluster.
/// </summary>
internal static class LiveServers
{
    private const string DemoEndpoint = "https://D3M0D3M0D3M0D3M0D3M0.gr7.eu-west-1.eks.amazonaws.com";
    private const string DemoCaData = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURFWEFNUExFCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K";

    public sealed class Servers : IAsyncDisposable
    {
        public required KubeServer Kube { get; init; }
        public required TestServer Aws { get; init; }
        /// <summary>The IAM principals whose EKS tokens the Kubernetes server accepted.</summary>
        public required List<string> AcceptedArns { get; init; }

        public async ValueTask DisposeAsync()
        {
            await Kube.DisposeAsync();
            await Aws.DisposeAsync();
        }
    }

    /// <summary>Both servers; the AWS scenario's demo cluster points at the Kubernetes server unless told otherwise.</summary>
    public static Servers Start(string? endpoint = null, string? caPem = null, string tokenCluster = "demo",
        Action<EksSecurity.AwsTestServer.Scenario>? editAws = null, Action<KubeScenario>? editKube = null)
    {
        var scenario = KubeScenario.FromSnapshotFile(RepoPaths.InRepo("examples", "demo-cluster", "snapshot.json"));
        scenario.MetricsApi = true;
        editKube?.Invoke(scenario);
        TestServer? aws = null;
        var accepted = new List<string>();
        var kube = new KubeServer(scenario, new KubeServerOptions
        {
            EksTokenValidator = token =>
            {
                var result = aws!.ValidateEksToken(token, tokenCluster);
                if (!result.Valid) return null;
                lock (accepted) accepted.Add(result.CanonicalArn!);
                return (result.CanonicalArn!, []);
            },
        });
        var uri = kube.Start();
        var ca = Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem ?? kube.CaPem));
        aws = AwsIntegration.Start(text => text.Replace(DemoEndpoint, endpoint ?? uri.ToString().TrimEnd('/'), StringComparison.Ordinal)
                                               .Replace(DemoCaData, ca, StringComparison.Ordinal), editAws);
        return new Servers { Kube = kube, Aws = aws, AcceptedArns = accepted };
    }

    public static Task<IClusterSnapshot> Collect(Servers servers, CollectionRequest? request = null) =>
        new SecurityEngine().CollectAsync(AwsIntegration.Access(servers.Aws), request ?? new CollectionRequest { ClusterName = "demo" }, null);
}
