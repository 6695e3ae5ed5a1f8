using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EksSecurity.Engine.Aws;
using k8s;
using k8s.Authentication;
using k8s.Autorest;

namespace EksSecurity.Engine.Kubernetes.Collection;

/// <summary>
/// Opens the Kubernetes API of a cluster: from a kubeconfig (-KubeConfigPath/-KubeContext), with
/// an EKS token minted from the AWS credentials (endpoint and CA from eks:DescribeCluster, no aws
/// CLI), or in-cluster when the module runs in a pod. Problems reaching it are terminating, with ids.
/// </summary>
public static class KubernetesConnection
{
    public const string ErrorUnreachable = "KubernetesUnreachable";
    public const string ErrorCertificate = "KubernetesCertificateInvalid";
    public const string ErrorUnauthorized = "KubernetesUnauthorized";
    public const string ErrorConfig = "KubernetesConfigInvalid";

    public static KubernetesClientConfiguration FromKubeconfig(string? path, string? context)
    {
        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or FileNotFoundException or ArgumentException or IOException)
        {
            throw new EksSecurityException(ErrorConfig, EksErrorKind.InvalidArgument,
                $"The kubeconfig {(path is null ? "(default)" : $"'{path}'")}{(context is null ? "" : $", context '{context}'")} cannot be used: {ex.Message}", path, ex);
        }
    }

    public static KubernetesClientConfiguration ForEks(string endpoint, string certificateAuthorityBase64, EksTokenProvider tokens)
    {
        var pem = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(certificateAuthorityBase64));
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(pem);
        return new KubernetesClientConfiguration
        {
            Host = endpoint,
            SslCaCerts = certificates,
            TokenProvider = new EksBearerTokenProvider(tokens),
        };
    }

    /// <summary>
    /// How to reach a cluster's API, in the one order every command uses: the kubeconfig when one is asked for; else an EKS token
    /// (minted from <paramref name="access"/>) for a described cluster's endpoint and CA; else in-cluster when the caller allows it
    /// and the module runs in a pod. Null when none applies: the caller says why in its own words.
    /// </summary>
    public static KubernetesClientConfiguration? Choose(string? kubeConfigPath, string? kubeContext, Aws.Model.EksCluster? cluster, AwsAccess? access,
        string? clusterName, bool inClusterFallback)
    {
        if (kubeConfigPath is not null || kubeContext is not null) return FromKubeconfig(kubeConfigPath, kubeContext);
        if (access is not null && cluster is { Endpoint: { } endpoint, CertificateAuthority.Data: { } ca })
            return ForEks(endpoint, ca, new EksTokenProvider(access, clusterName ?? cluster.Name ?? ""));
        return inClusterFallback ? InCluster() : null;
    }

    public static KubernetesClientConfiguration? InCluster() =>
        KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig() : null;

    /// <summary>Checks the server answers and accepts us before the collection starts.</summary>
    public static async Task<IKubernetes> OpenAsync(KubernetesClientConfiguration config, CancellationToken ct)
    {
        var client = new k8s.Kubernetes(config);
        try
        {
            await client.CoreV1.ListNamespaceAsync(limit: 1, cancellationToken: ct).ConfigureAwait(false);
            return client;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Unauthorized)
        {
            client.Dispose();
            throw new EksSecurityException(ErrorUnauthorized, EksErrorKind.PermissionDenied,
                $"The Kubernetes API at {config.Host} rejected the credentials (401): the token is expired or invalid, or the principal has no access entry / aws-auth mapping.", config.Host, ex);
        }
        catch (HttpOperationException)
        {
            // 403 and others: the server answered and knows us; sections report what they cannot read.
            return client;
        }
        catch (HttpRequestException ex) when (ex.InnerException is AuthenticationException)
        {
            client.Dispose();
            throw new EksSecurityException(ErrorCertificate, EksErrorKind.ConnectionError,
                $"The Kubernetes API at {config.Host} presented a certificate that does not chain to the cluster's CA: {ex.InnerException.Message}", config.Host, ex);
        }
        catch (HttpRequestException ex)
        {
            client.Dispose();
            throw new EksSecurityException(ErrorUnreachable, EksErrorKind.ConnectionError,
                $"The Kubernetes API at {config.Host} cannot be reached: {ex.Message}", config.Host, ex);
        }
    }

    private sealed class EksBearerTokenProvider(EksTokenProvider tokens) : ITokenProvider
    {
        public Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new AuthenticationHeaderValue("Bearer", tokens.GetToken().Value));
    }
}
