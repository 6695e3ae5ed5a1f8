using EksSecurity.Engine.Identity;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-036: every EKS Pod Identity association points at a real service account, has its agent, and a role that trusts EKS Pod Identity as it should.</summary>
public sealed class PodIdentityAssociationsSound : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-036",
        Title = "EKS Pod Identity associations are sound",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "A Pod Identity association hands a role to whatever runs as its namespace and service account. An association for a namespace " +
                    "or service account that does not exist is a role waiting for whoever creates that name; a missing agent, or a trust policy without " +
                    "sts:TagSession, leaves pods without credentials; an IRSA annotation on the same service account silently wins over the association; " +
                    "and a role shared by clusters without aws:SourceAccount / aws:SourceArn conditions can be used by any of them.",
        Remediation = "Delete associations that point at nothing (aws eks delete-pod-identity-association --cluster-name <cluster> --association-id <id>), install " +
                      "the agent (aws eks create-addon --cluster-name <cluster> --addon-name eks-pod-identity-agent), give the role the trust New-EksPodIdentityTrustPolicy " +
                      "-ClusterName <cluster> writes (pods.eks.amazonaws.com, sts:AssumeRole and sts:TagSession, scoped by aws:SourceAccount and aws:SourceArn), " +
                      "and remove the eks.amazonaws.com/role-arn annotation from service accounts that use Pod Identity.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_eks_pod_identities",
            "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.PodIdentityAssociations, SnapshotSection.IamRoles, SnapshotSection.Namespaces, SnapshotSection.ServiceAccounts],
        OptionallyReads = [SnapshotSection.Cluster, SnapshotSection.Addons, SnapshotSection.DaemonSets],
        Tags = ["aws", "iam", "pod-identity", "workload-identity", "trust-policy"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var analyzer = new PodIdentityAnalyzer(new WorkloadIdentityFacts(context.Snapshot));
        foreach (var association in context.Aws.PodIdentityAssociations!.All)
        {
            var result = analyzer.Analyze(association, soundnessOnly: true);
            var resource = new ResourceRef("PodIdentityAssociation", association.Namespace, $"{association.ServiceAccount} ({association.AssociationId})");
            yield return WorkloadIdentityFindings.From(context, resource, result.Checks.Where(c => PodIdentityAnalyzer.SoundnessChecks.Contains(c.Id)),
                $"The association gives {association.Namespace}/{association.ServiceAccount} the role {association.RoleArn} soundly.");
        }
    }
}
