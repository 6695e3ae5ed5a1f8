using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// The base of every cmdlet that talks to a cluster's Kubernetes API: the AWS parameters, and how to reach the API
/// (a kubeconfig, or a token minted from the AWS credentials for the cluster eks:DescribeCluster names).
/// </summary>
public abstract class EksKubernetesCmdlet : EksAwsCmdlet
{
    /// <summary>A kubeconfig for the Kubernetes API; without it a token is minted from the AWS credentials.</summary>
    [Parameter]
    public string? KubeConfigPath { get; set; }

    /// <summary>The kubeconfig context to use.</summary>
    [Parameter]
    public string? KubeContext { get; set; }

    /// <summary>
    /// How to reach a live cluster for a remediation: -ClusterName/-ClusterArn (with the AWS parameters: described, and a token minted
    /// unless a kubeconfig is given), or -KubeConfigPath/-KubeContext alone. Null when none was given.
    /// </summary>
    protected KubernetesAccessRequest? BuildKubernetesAccess(string? clusterName, string? clusterArn)
    {
        var kubeconfig = KubeConfigPath is null ? null : GetUnresolvedProviderPathFromPSPath(KubeConfigPath);
        if (string.IsNullOrEmpty(clusterName) && string.IsNullOrEmpty(clusterArn))
            return kubeconfig is null && KubeContext is null ? null : new KubernetesAccessRequest { KubeConfigPath = kubeconfig, KubeContext = KubeContext };
        (string Name, string? Region) target;
        try { target = ClusterTarget(clusterName, clusterArn); }
        catch (ArgumentException ex) { ThrowTerminatingError(new ErrorRecord(ex, "InvalidClusterArn", ErrorCategory.InvalidArgument, clusterArn)); throw; }
        var aws = BuildAccessRequest(target.Region);
        ResolveAccessOrThrow(aws);
        return new KubernetesAccessRequest { ClusterName = target.Name, Aws = aws, KubeConfigPath = kubeconfig, KubeContext = KubeContext };
    }
}
