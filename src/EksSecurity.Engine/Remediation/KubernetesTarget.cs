using EksSecurity.Engine.Aws;
using EksSecurity.Engine.Aws.Collection;
using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Kubernetes.Collection;
using k8s;

namespace EksSecurity.Engine.Remediation;

/// <summary>
/// An open Kubernetes API of a live cluster for the remediation cmdlets: through the kubeconfig when one is asked for, else
/// with an EKS token minted from the AWS credentials for the endpoint and CA of eks:DescribeCluster, else in-cluster. With a
/// cluster name the description is kept either way (its IP family decides the IPv6 metadata address).
/// </summary>
internal sealed class KubernetesTarget : IDisposable
{
    public const string ErrorTargetMissing = "KubernetesTargetMissing";

    private KubernetesTarget(IKubernetes client, string clusterName, string host, EksCluster? cluster)
    {
        Client = client;
        ClusterName = clusterName;
        Host = host;
        Cluster = cluster;
    }

    public IKubernetes Client { get; }
    /// <summary>The EKS cluster's name, or the kubeconfig context's cluster.</summary>
    public string ClusterName { get; }
    public string Host { get; }
    public EksCluster? Cluster { get; }

    public static async Task<KubernetesTarget> OpenAsync(KubernetesAccessRequest access, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(access);
        EksCluster? cluster = null;
        KubernetesClientConfiguration config;
        string clusterName;
        if (!string.IsNullOrEmpty(access.ClusterName))
        {
            if (access.Aws is null)
                throw new EksSecurityException(ErrorTargetMissing, EksErrorKind.InvalidArgument, $"Cluster '{access.ClusterName}' was named without AWS access to describe it.", access.ClusterName);
            var resolved = AwsCredentialResolver.Resolve(access.Aws);
            cluster = await DescribeClusterAsync(resolved, access.ClusterName, ct).ConfigureAwait(false);
            clusterName = cluster.Name ?? access.ClusterName;
            // A named cluster is never swapped for the one the module happens to run in.
            config = KubernetesConnection.Choose(access.KubeConfigPath, access.KubeContext, cluster, resolved, clusterName, inClusterFallback: false)
                ?? throw new EksSecurityException(KubernetesConnection.ErrorConfig, EksErrorKind.InvalidData,
                    $"eks:DescribeCluster of '{clusterName}' returned no endpoint or certificate authority: the cluster is not active. Use -KubeConfigPath.", clusterName);
        }
        else
        {
            config = KubernetesConnection.Choose(access.KubeConfigPath, access.KubeContext, null, null, null, inClusterFallback: true)
                ?? throw new EksSecurityException(ErrorTargetMissing, EksErrorKind.InvalidArgument,
                    "No cluster to write to: name it with -ClusterName (a token is minted from the AWS credentials) or -KubeConfigPath / -KubeContext.");
            clusterName = access.UsesKubeconfig ? config.CurrentContext ?? "" : "";
        }
        var client = await KubernetesConnection.OpenAsync(config, ct).ConfigureAwait(false);
        return new KubernetesTarget(client, clusterName, config.Host, cluster);
    }

    /// <summary>eks:DescribeCluster with the cmdlets' error ids: ClusterNotFound, AwsAuthenticationFailed, ClusterDescribeDenied, ClusterDescribeFailed.</summary>
    public static async Task<EksCluster> DescribeClusterAsync(AwsAccess resolved, string clusterName, CancellationToken ct)
    {
        using var http = new AwsHttpClient(resolved);
        var collector = new AwsCollector(http, 100);
        try
        {
            return await collector.DescribeClusterAsync(clusterName, ct).ConfigureAwait(false);
        }
        catch (AwsServiceException ex)
        {
            throw new EksSecurityException(ex.IsAccessDenied ? "ClusterDescribeDenied" : "ClusterDescribeFailed",
                ex.IsAccessDenied ? EksErrorKind.PermissionDenied : EksErrorKind.ConnectionError,
                $"eks:DescribeCluster of '{clusterName}' in {resolved.Region} failed: {ex.Code}: {ex.ServiceMessage}", clusterName, ex);
        }
    }

    public void Dispose() => Client.Dispose();
}
