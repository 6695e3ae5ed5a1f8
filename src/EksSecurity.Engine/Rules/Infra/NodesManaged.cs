using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-007: nodes come from something that patches and replaces them: managed node groups, Karpenter, Auto Mode or Fargate.</summary>
public sealed class NodesManaged : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-007",
        Title = "Nodes are managed (MNG, Karpenter, Auto Mode, Fargate)",
        Severity = Severity.Low,
        Area = RuleArea.Infra,
        Rationale = "Managed node groups, Karpenter, EKS Auto Mode and Fargate give a supported path to roll nodes onto new AMIs, drain them safely " +
                    "and report their health. Self-managed nodes depend on someone maintaining the Auto Scaling group, the AMI choice and the " +
                    "drain process by hand, which is where patching most often stops.",
        Remediation = "Move self-managed capacity to a managed node group (aws eks create-nodegroup, or eksctl create nodegroup --managed), to Karpenter " +
                      "NodePools, or to EKS Auto Mode (aws eks update-cluster-config --name <cluster> --compute-config enabled=true ...), then cordon, " +
                      "drain and remove the self-managed nodes.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/automode.html",
            "https://karpenter.sh/docs/",
        ],
        Frameworks = ["HardenEKS use_managed_nodegroups"],
        Reads = [SnapshotSection.Nodes],
        ClusterWide = true,
        Tags = ["nodes", "patching", "lifecycle"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var node in context.Kubernetes.Nodes!.All)
        {
            var name = NodeFacts.Name(node);
            var resource = NodeFacts.Ref(node);
            var compute = NodeFacts.ComputeType(node);
            var group = NodeFacts.Label(node, KubeletConfigSample.NodeGroupLabel);
            var pool = NodeFacts.Label(node, KubeletConfigSample.KarpenterNodePoolLabel) ?? NodeFacts.Label(node, "karpenter.sh/provisioner-name");
            var evidence = new List<string>
            {
                $"label {KubeletConfigSample.ComputeTypeLabel} = {compute ?? "(absent)"}",
                $"label {KubeletConfigSample.NodeGroupLabel} = {group ?? "(absent)"}",
                $"label {KubeletConfigSample.KarpenterNodePoolLabel} = {pool ?? "(absent)"}",
            };
            if (compute == "hybrid")
                yield return context.Finding(FindingStatus.NotApplicable, resource, $"Node {name} is an EKS hybrid node on your own infrastructure; its lifecycle is yours by design.", evidence);
            else if (compute == "fargate" || NodeFacts.IsFargate(node))
                yield return context.Pass(resource, $"Node {name} is a Fargate node, managed by AWS.", evidence);
            else if (compute == "auto")
                yield return context.Pass(resource, $"Node {name} is an EKS Auto Mode node, managed by AWS.", evidence);
            else if (group is not null)
                yield return context.Pass(resource, $"Node {name} belongs to managed node group {group}.", evidence);
            else if (pool is not null)
                yield return context.Pass(resource, $"Node {name} is provisioned by Karpenter (NodePool {pool}).", evidence);
            else
            {
                if (NodeFacts.Label(node, KubeletConfigSample.EksctlNodeGroupLabel) is { } eksctl) evidence.Add($"label {KubeletConfigSample.EksctlNodeGroupLabel} = {eksctl}");
                yield return context.Warn(resource, $"Node {name} is self-managed: nothing in EKS rolls it onto new AMIs or drains it for you.", evidence);
            }
        }
    }
}
