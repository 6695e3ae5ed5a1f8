namespace EksSecurity;

/// <summary>What to collect from a live cluster.</summary>
public sealed class CollectionRequest
{
    public required string ClusterName { get; init; }
    /// <summary>Collect the AWS half (EKS, IAM, EC2, KMS).</summary>
    public bool Aws { get; init; } = true;
    /// <summary>Collect the Kubernetes half (needs API access to the cluster).</summary>
    public bool Kubernetes { get; init; } = true;
    /// <summary>A kubeconfig to reach the Kubernetes API; otherwise an EKS token from the AWS credentials, or in-cluster.</summary>
    public string? KubeConfigPath { get; init; }
    public string? KubeContext { get; init; }
    /// <summary>Page size for list calls; the services' maximum by default.</summary>
    public int PageSize { get; init; } = 100;
}

/// <summary>A progress report from a long collection.</summary>
public sealed record EngineProgress(string Activity, string Status, int Completed, int Total);
