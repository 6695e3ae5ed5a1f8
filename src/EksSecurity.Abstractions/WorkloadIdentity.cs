namespace EksSecurity;

/// <summary>How a service account gets AWS credentials.</summary>
public enum WorkloadIdentityKind
{
    /// <summary>IAM Roles for Service Accounts: the eks.amazonaws.com/role-arn annotation and the cluster's OIDC issuer.</summary>
    Irsa,
    /// <summary>EKS Pod Identity: an association made through the EKS API, served by the eks-pod-identity-agent.</summary>
    PodIdentity,
}

/// <summary>One sub-check of a workload identity test, such as the trust policy's subject condition.</summary>
public sealed record WorkloadIdentityCheck
{
    /// <summary>A stable id, such as IrsaTrustSubject or PodIdentityAgent.</summary>
    public required string Id { get; init; }
    /// <summary>Pass, Fail, Warning, Error (could not be checked) or NotApplicable.</summary>
    public required FindingStatus Status { get; init; }
    public required string Message { get; init; }
    /// <summary>The facts the verdict rests on (statement, condition, pod, add-on).</summary>
    public IReadOnlyList<string> Evidence { get; init; } = [];

    /// <summary>True for Pass, Warning and NotApplicable: nothing is broken or unchecked.</summary>
    public bool Passed => Status is FindingStatus.Pass or FindingStatus.Warning or FindingStatus.NotApplicable;

    public override string ToString() => $"{Id}: {Status}: {Message}";
}

/// <summary>The workload identity of one service account (or one Pod Identity association), with every sub-check.</summary>
public sealed class WorkloadIdentityResult
{
    public required WorkloadIdentityKind Kind { get; init; }
    public string ClusterName { get; init; } = "";
    public required string Namespace { get; init; }
    public required string ServiceAccount { get; init; }
    /// <summary>The IAM role the service account is meant to get; null when none is named.</summary>
    public string? RoleArn { get; init; }
    /// <summary>The Pod Identity association id; null for IRSA.</summary>
    public string? AssociationId { get; init; }
    public IReadOnlyList<WorkloadIdentityCheck> Checks { get; init; } = [];

    /// <summary>True when no check failed or could not be made (warnings do not fail a test).</summary>
    public bool Passed => Checks.Count > 0 && Checks.All(c => c.Passed);

    /// <summary>The checks that failed or could not be made.</summary>
    public IReadOnlyList<WorkloadIdentityCheck> Problems => Checks.Where(c => !c.Passed).ToList();

    public override string ToString() =>
        $"{Kind} {Namespace}/{ServiceAccount} -> {RoleArn ?? "(no role)"}: {(Passed ? "passed" : "FAILED: " + string.Join("; ", Problems.Select(p => p.ToString())))}";
}

/// <summary>Which service accounts a workload identity test covers. Empty lists mean every one the test applies to.</summary>
public sealed class WorkloadIdentityQuery
{
    public IReadOnlyList<string> Namespaces { get; init; } = [];
    /// <summary>Service account names (wildcards allowed), within <see cref="Namespaces"/> when given.</summary>
    public IReadOnlyList<string> ServiceAccounts { get; init; } = [];
    /// <summary>Service account objects as JSON (kubectl get sa -o json items, or piped objects): judged instead of the snapshot's.</summary>
    public IReadOnlyList<string> ServiceAccountJson { get; init; } = [];
}

/// <summary>What an IRSA trust policy is generated for: the cluster's OIDC provider and the service accounts of one namespace.</summary>
public sealed class IrsaTrustPolicyRequest
{
    /// <summary>The cluster's OIDC issuer URL (https://oidc.eks.region.amazonaws.com/id/XXXX), with or without the scheme.</summary>
    public required string OidcIssuer { get; init; }
    public required string AccountId { get; init; }
    /// <summary>aws, aws-cn, aws-us-gov; derived from the issuer's region when null.</summary>
    public string? Partition { get; init; }
    public required string Namespace { get; init; }
    public required IReadOnlyList<string> ServiceAccounts { get; init; }
}

/// <summary>What a Pod Identity trust policy is generated for: the account and, to scope a shared role, the clusters.</summary>
public sealed class PodIdentityTrustPolicyRequest
{
    public required string AccountId { get; init; }
    /// <summary>Cluster ARNs allowed to use the role (aws:SourceArn); empty leaves only aws:SourceAccount.</summary>
    public IReadOnlyList<string> ClusterArns { get; init; } = [];
}

/// <summary>What eks:DescribeCluster says about a cluster's identity: its ARN (account, region) and OIDC issuer.</summary>
public sealed class EksClusterIdentity
{
    public required string Name { get; init; }
    public required string Arn { get; init; }
    public required string AccountId { get; init; }
    public required string Region { get; init; }
    public string? OidcIssuer { get; init; }
}
