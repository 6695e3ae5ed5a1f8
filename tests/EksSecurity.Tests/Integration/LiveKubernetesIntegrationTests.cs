using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EksSecurity.Engine;
using EksSecurity.Engine.Snapshot;
using EksSecurity.KubeTestServer.Api;
using EksSecurity.KubeTestServer.Scenario;

namespace EksSecurity.Tests.Integration;

/// <summary>
/// A live scan end to end, as Get-EksSecurityFinding -ClusterName runs it: eks:DescribeCluster on the AWS test
/// server names the Kubernetes test server's endpoint and CA; the engine mints an EKS token from the same AWS
/// credentials (no aws CLI, no kubeconfig) and the Kubernetes server accepts it only after the AWS server has
/// validated it the way the EKS authenticator does (presigned sts:GetCallerIdentity for this cluster).
/// Also the access errors: unreachable, a CA that does not match, a rejected token, a bad kubeconfig.
/// </summary>
public sealed class LiveKubernetesIntegrationTests
{
    private static LiveServers.Servers Start(string? endpoint = null, string? caPem = null, string tokenCluster = "demo") =>
        LiveServers.Start(endpoint, caPem, tokenCluster);

    private static Task<IClusterSnapshot> Collect(LiveServers.Servers servers, CollectionRequest? request = null) => LiveServers.Collect(servers, request);

    [Fact]
    public async Task A_live_scan_reaches_kubernetes_with_an_eks_token_minted_from_the_aws_credentials()
    {
        await using var servers = Start();
        var snapshot = Assert.IsType<ClusterSnapshot>(await Collect(servers));

        var k = snapshot.Kubernetes;
        Assert.Equal(SectionStatus.Collected, k.Pods!.Status);
        Assert.Equal(servers.Kube.Scenario.Store(ResourceCatalog.Pods)!.Count, k.Pods.Count);
        Assert.Equal(SectionStatus.Collected, k.KubeletConfigs!.Status);
        var problems = Enum.GetValues<SnapshotSection>().Where(s => !ClusterSnapshot.IsAwsSection(s))
            .Select(s => (s, info: snapshot.GetSection(s)))
            .Where(x => x.info is { Status: SectionStatus.Denied or SectionStatus.Failed })
            .Select(x => $"{x.s}: {x.info!.Status} {x.info.Reason}").ToList();
        Assert.Empty(problems);
        // The demo's PersistentVolumes name EBS volumes this AWS account does not have: they are left out, the section is not failed.
        Assert.Equal(SectionStatus.Collected, snapshot.Aws.EbsVolumes!.Status);
        // Every Kubernetes request was authenticated with a token the AWS server validated for this cluster.
        Assert.All(servers.Kube.RequestLog.Where(e => e.Path != "/version"), e => Assert.NotEqual(401, e.Status));
        lock (servers.AcceptedArns) Assert.Equal([AwsIntegration.ScannerArn], servers.AcceptedArns.Distinct());
        Assert.Contains(servers.Aws.RequestLog, e => e.ToString().Contains("DescribeCluster", StringComparison.Ordinal));

        // And the rules judge what was collected: Kubernetes rules fire, nothing needing collected data errs for lack of it.
        var findings = new SecurityEngine().Evaluate(snapshot, new EvaluationOptions());
        Assert.Contains(findings, f => f.RuleId.StartsWith("EKS-POD-", StringComparison.Ordinal) && f.Status == FindingStatus.Fail);
        Assert.Contains(findings, f => f.RuleId.StartsWith("EKS-IAM-01", StringComparison.Ordinal) && f.Status == FindingStatus.Fail);
        Assert.DoesNotContain(findings, f => f.Status == FindingStatus.Error && f.Message.Contains("not collected", StringComparison.OrdinalIgnoreCase)
                                             && !f.Message.Contains("PodSecurityPolic", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_the_cluster_rejects_is_a_terminating_unauthorized_error_without_the_token()
    {
        // The Kubernetes server checks tokens against another cluster's name: ours is refused, as a token minted for the wrong cluster would be.
        await using var servers = Start(tokenCluster: "other");
        var ex = await Assert.ThrowsAsync<EksSecurityException>(() => Collect(servers));
        Assert.Equal("KubernetesUnauthorized", ex.ErrorId);
        Assert.Contains(servers.Kube.BaseUri.Host, ex.Message);
        Assert.DoesNotContain("k8s-aws-v1.", ex.ToString());
    }

    [Fact]
    public async Task A_ca_that_does_not_match_the_server_is_a_terminating_certificate_error()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = new CertificateRequest("CN=some-other-ca", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await using var servers = Start(caPem: other.ExportCertificatePem());
        var ex = await Assert.ThrowsAsync<EksSecurityException>(() => Collect(servers));
        Assert.Equal("KubernetesCertificateInvalid", ex.ErrorId);
        Assert.Empty(servers.Kube.RequestLog);
    }

    [Fact]
    public async Task An_endpoint_nobody_listens_on_is_a_terminating_unreachable_error()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var servers = Start(endpoint: $"https://127.0.0.1:{port}");
        var ex = await Assert.ThrowsAsync<EksSecurityException>(() => Collect(servers));
        Assert.Equal("KubernetesUnreachable", ex.ErrorId);
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
    }

    [Fact]
    public async Task A_kubeconfig_that_cannot_be_read_is_a_terminating_config_error_naming_it()
    {
        await using var servers = Start();
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-kubeconfig-{Guid.NewGuid():N}");
        var ex = await Assert.ThrowsAsync<EksSecurityException>(() => Collect(servers, new CollectionRequest { ClusterName = "demo", KubeConfigPath = missing }));
        Assert.Equal("KubernetesConfigInvalid", ex.ErrorId);
        Assert.Contains(missing, ex.Message);
    }

    [Fact]
    public async Task A_kubeconfig_context_that_does_not_exist_is_a_terminating_config_error_naming_it()
    {
        await using var servers = Start();
        var path = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");
        try
        {
            servers.Kube.WriteKubeconfig(path, KubeScenario.AdminToken);
            var ex = await Assert.ThrowsAsync<EksSecurityException>(() => Collect(servers, new CollectionRequest { ClusterName = "demo", KubeConfigPath = path, KubeContext = "no-such-context" }));
            Assert.Equal("KubernetesConfigInvalid", ex.ErrorId);
            Assert.Contains("no-such-context", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_kubeconfig_with_a_stale_token_is_a_terminating_unauthorized_error()
    {
        await using var servers = Start();
        var path = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");
        try
        {
            servers.Kube.WriteKubeconfig(path, "expired-or-revoked-token");
            var ex = await Assert.ThrowsAsync<EksSecurityException>(() => Collect(servers, new CollectionRequest { ClusterName = "demo", KubeConfigPath = path }));
            Assert.Equal("KubernetesUnauthorized", ex.ErrorId);
            Assert.DoesNotContain("expired-or-revoked-token", ex.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
