namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-029: the VPC CNI (aws-node) gets its AWS permissions from IRSA or Pod Identity, not from the node role.</summary>
public sealed class VpcCniUsesOwnIdentity : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-029",
        Title = "aws-node (VPC CNI) uses IRSA or Pod Identity",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "The VPC CNI needs EC2 permissions to create, attach and delete network interfaces and assign IP addresses " +
                    "(AmazonEKS_CNI_Policy). Without a role of its own it takes them from the node's instance profile, so the policy must " +
                    "stay on the node role, where every pod that can reach the instance metadata service can use it too. With IRSA or " +
                    "EKS Pod Identity only aws-node holds those permissions, and the node role can drop them (EKS-IAM-030).",
        Remediation = "Create a role for the CNI and give it to aws-node, then detach the policy from the node role (EKS-IAM-030). As an EKS add-on:\n" +
                      "aws eks create-pod-identity-association --cluster-name <cluster> --namespace kube-system --service-account aws-node --role-arn <cni-role-arn>\n" +
                      "or with IRSA: eksctl create iamserviceaccount --cluster <cluster> --namespace kube-system --name aws-node --role-name AmazonEKSVPCCNIRole " +
                      "--attach-policy-arn arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy --override-existing-serviceaccounts --approve, " +
                      "or aws eks update-addon --cluster-name <cluster> --addon-name vpc-cni --service-account-role-arn <cni-role-arn>. " +
                      "Then restart the DaemonSet so its pods pick the identity up: kubectl rollout restart daemonset aws-node -n kube-system.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_update_the_aws_node_daemonset_to_use_irsa",
            "https://docs.aws.amazon.com/eks/latest/userguide/cni-iam-role.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html",
        ],
        Frameworks = ["HardenEKS check_aws_node_daemonset_service_account"],
        Reads = [SnapshotSection.DaemonSets],
        OptionallyReads = [.. VpcCniIdentity.Sections, SnapshotSection.Cluster],
        ClusterWide = true,
        Tags = ["aws", "iam", "irsa", "pod-identity", "vpc-cni", "nodes"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var cni = VpcCniIdentity.Of(context);
        switch (cni.Kind)
        {
            case CniIdentityKind.NotRunning:
                yield return context.Finding(FindingStatus.NotApplicable, context.Cluster,
                    $"No DaemonSet {VpcCniIdentity.Namespace}/{VpcCniIdentity.DaemonSetName}: the VPC CNI does not run as pods in this cluster " +
                    "(another CNI, or EKS Auto Mode, where AWS runs the CNI on the node), so there is no aws-node to give a role of its own.", cni.Evidence);
                break;
            case CniIdentityKind.OwnIdentity:
                yield return context.Pass(cni.Resource,
                    $"aws-node has an AWS identity of its own ({string.Join("; ", cni.Identities.Select(i => i[..i.IndexOf(':')]).Distinct())}): " +
                    "the VPC CNI does not need the node role's permissions.", cni.Evidence);
                break;
            case CniIdentityKind.Unknown:
                yield return context.Error(cni.Resource,
                    $"aws-node has no IRSA annotation or Pod Identity association in the data that was read, but {string.Join(" and ", cni.NotCollected)} " +
                    "could not be read: whether it uses the node role is unknown.", cni.Evidence);
                break;
            default:
                yield return context.Fail(cni.Resource,
                    "aws-node has no IRSA annotation, no Pod Identity association and no vpc-cni add-on role: the VPC CNI uses the node role, " +
                    "so its network-interface permissions must stay on the node role, where every pod that reaches the instance metadata service can use them.",
                    cni.Evidence);
                break;
        }
    }
}
