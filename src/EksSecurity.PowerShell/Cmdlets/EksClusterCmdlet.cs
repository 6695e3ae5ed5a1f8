using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// The base of every cmdlet that collects a live cluster: the AWS parameters, and how to reach the
/// Kubernetes API (a kubeconfig, or a token minted from the AWS credentials) or skip it.
/// </summary>
public abstract class EksClusterCmdlet : EksKubernetesCmdlet
{
    /// <summary>Collect the AWS half only; the Kubernetes sections stay not collected and their rules report Error.</summary>
    [Parameter]
    public SwitchParameter SkipKubernetes { get; set; }

    /// <summary>What to collect for a cluster, from the common parameters.</summary>
    protected CollectionRequest BuildCollectionRequest(string clusterName) => new()
    {
        ClusterName = clusterName,
        Kubernetes = !SkipKubernetes,
        KubeConfigPath = KubeConfigPath is null ? null : GetUnresolvedProviderPathFromPSPath(KubeConfigPath),
        KubeContext = KubeContext,
    };
}
