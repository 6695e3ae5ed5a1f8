using EksSecurity.Engine;
using EksSecurity.KubeTestServer.Api;
using EksSecurity.Tests.Integration;

namespace EksSecurity.Tests.Remediation;

/// <summary>
/// The remediations by cluster name, as -ClusterName runs them: eks:DescribeCluster on the AWS test server names the Kubernetes
/// test server's endpoint and CA, the engine mints an EKS token from the AWS credentials, and the Kubernetes server accepts it only
/// after the AWS server validated it. The cluster description also gives the IP family.
/// </summary>
public sealed class RemediationEksTokenTests
{
    [Fact]
    public async Task By_cluster_name_the_namespaces_are_read_and_the_policies_written_with_an_eks_token()
    {
        await using var servers = LiveServers.Start();
        var (kube, aws) = (servers.Kube, servers.Aws);
        var engine = new SecurityEngine();
        var access = new KubernetesAccessRequest { ClusterName = "demo", Aws = AwsIntegration.Access(aws) };

        var snapshot = await engine.ReadKubernetesAsync(access, new KubernetesReadRequest { NetworkPolicies = true });
        var info = engine.GetNamespaces(snapshot);
        Assert.Equal("demo", info.ClusterName);
        // From the cluster description: the kubernetes Service is not read for it.
        Assert.Equal("ipv4", info.IpFamily);
        Assert.Null(Assert.IsType<EksSecurity.Engine.Snapshot.ClusterSnapshot>(snapshot).Kubernetes.Services);
        Assert.Contains(info.Namespaces, n => n.Name == "payments");
        Assert.Contains(aws.RequestLog, e => e.ToString().Contains("DescribeCluster", StringComparison.Ordinal));

        var manifests = engine.NewMetadataDenyPolicies(new MetadataDenyPolicyRequest { Namespaces = ["frontend"], ClusterName = info.ClusterName, IPv6 = info.IsIPv6 });
        var results = await engine.ApplyManifestsAsync(access, manifests, new KubernetesWriteOptions());
        Assert.Equal(("demo", KubernetesApplyAction.Created), (results.Single().ClusterName, results.Single().Action));
        Assert.NotNull(kube.Scenario.Store(ResourceCatalog.NetworkPolicies)!.Find("frontend", "deny-instance-metadata"));
        Assert.StartsWith("arn:aws:iam::", kube.WriteLog.Single().User);
        Assert.NotEmpty(servers.AcceptedArns);
    }

    [Fact]
    public async Task A_cluster_name_without_aws_access_or_no_target_at_all_is_refused()
    {
        var engine = new SecurityEngine();
        var ex = await Assert.ThrowsAsync<EksSecurityException>(() => engine.ReadKubernetesAsync(new KubernetesAccessRequest { ClusterName = "demo" }, new KubernetesReadRequest()));
        Assert.Equal("KubernetesTargetMissing", ex.ErrorId);
        if (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is null)
        {
            ex = await Assert.ThrowsAsync<EksSecurityException>(() => engine.ApplyManifestsAsync(new KubernetesAccessRequest(), [], new KubernetesWriteOptions()));
            Assert.Equal("KubernetesTargetMissing", ex.ErrorId);
        }
    }
}
