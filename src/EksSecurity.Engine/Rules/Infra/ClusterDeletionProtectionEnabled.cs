namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-020: the cluster cannot be deleted without first turning deletion protection off.</summary>
public sealed class ClusterDeletionProtectionEnabled : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-020",
        Title = "Cluster deletion protection enabled",
        Severity = Severity.Low,
        Area = RuleArea.Infra,
        Rationale = "Deleting an EKS cluster destroys its control plane and etcd with every Kubernetes object in it, and cannot be undone. " +
                    "Deletion protection makes a delete call fail until someone with eks:UpdateClusterConfig switches it off, " +
                    "which stops a stray script, a mistaken console click or an infrastructure-as-code teardown.",
        Remediation = "aws eks update-cluster-config --name <cluster> --deletion-protection " +
                      "(Terraform: deletion_protection = true on aws_eks_cluster). Restrict eks:DeleteCluster and eks:UpdateClusterConfig to few principals.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/userguide/deletion-protection.html",
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateClusterConfig.html",
        ],
        Frameworks = ["Prowler eks_cluster_deletion_protection_enabled"],
        Reads = [SnapshotSection.Cluster],
        Tags = ["resilience"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var cluster = context.Aws.Cluster!.Value;
        if (cluster is null)
        {
            yield return context.Error(context.Cluster, "The cluster description is empty; deletion protection cannot be judged.");
            yield break;
        }
        var value = cluster.DeletionProtection;
        var evidence = new[] { $"deletionProtection = {(value is null ? "(absent: counts as false)" : value.Value ? "true" : "false")}" };
        if (value == true)
            yield return context.Pass(context.Cluster, "Deletion protection is enabled: the cluster cannot be deleted until it is turned off.", evidence);
        else
            yield return context.Fail(context.Cluster, "Deletion protection is off: a single eks:DeleteCluster call deletes the cluster.", evidence);
    }
}
