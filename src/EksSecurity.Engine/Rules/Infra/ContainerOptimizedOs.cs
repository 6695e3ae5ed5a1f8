using System.Text.RegularExpressions;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-006: nodes run a container-optimized OS (Bottlerocket or Amazon Linux 2023), not Amazon Linux 2 or a general-purpose distribution.</summary>
public sealed partial class ContainerOptimizedOs : Rule
{
    [GeneratedRegex(@"^Amazon Linux 2(?!\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AmazonLinux2();

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-006",
        Title = "Container-optimized OS",
        Severity = Severity.Low,
        Area = RuleArea.Infra,
        Rationale = "An OS built only to run containers ships far fewer packages, so fewer vulnerabilities and less for an intruder to use. Bottlerocket " +
                    "adds a read-only, verified root file system, SELinux enforcing and no shell by default; Amazon Linux 2023 is the current EKS " +
                    "optimized AMI. Amazon Linux 2 is deprecated: EKS publishes no AL2 AMIs for Kubernetes 1.33 or later and stopped AL2 AMI releases " +
                    "in November 2025. General-purpose distributions carry a full userland the nodes do not need.",
        Remediation = "Move node groups to Bottlerocket or AL2023: for managed node groups create a new group with --ami-type BOTTLEROCKET_x86_64 (or " +
                      "AL2023_x86_64_STANDARD, and the ARM and accelerated variants), move the workloads and delete the old group; with Karpenter set " +
                      "amiSelectorTerms: [{alias: bottlerocket@latest}] (or al2023@latest) on the EC2NodeClass. AL2 user data (bootstrap.sh) becomes a " +
                      "nodeadm NodeConfig on AL2023 or TOML settings on Bottlerocket.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/eks-ami-deprecation-faqs.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/eks-optimized-ami-bottlerocket.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/al2023.html",
        ],
        Frameworks = ["CIS EKS 1.2.0 3.3.1", "Kubescape C-0226"],
        Reads = [SnapshotSection.Nodes],
        OptionallyReads = [SnapshotSection.NodeGroups],
        ClusterWide = true,
        Tags = ["nodes", "os", "bottlerocket", "al2023", "attack-surface"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var groups = context.Has(SnapshotSection.NodeGroups)
            ? context.Aws.NodeGroups!.All.Where(g => g.NodegroupName is not null).GroupBy(g => g.NodegroupName!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)
            : null;
        foreach (var node in context.Kubernetes.Nodes!.All)
        {
            var name = NodeFacts.Name(node);
            var resource = NodeFacts.Ref(node);
            var os = node.Status?.NodeInfo?.OsImage?.Trim();
            var evidence = new List<string> { $"status.nodeInfo.osImage = {os ?? "(absent)"}" };
            var group = NodeFacts.Label(node, Kubernetes.KubeletConfigSample.NodeGroupLabel);
            if (group is not null && groups?.TryGetValue(group, out var ng) == true)
                evidence.Add($"node group {group}: amiType = {ng.AmiType ?? "(absent)"}");

            if (NodeFacts.IsFargate(node))
            {
                yield return context.Finding(FindingStatus.NotApplicable, resource, $"Node {name} is a Fargate node: AWS chooses and patches its OS.", evidence);
                continue;
            }
            if (NodeFacts.IsWindows(node))
            {
                yield return context.Finding(FindingStatus.NotApplicable, resource, $"Node {name} runs Windows, for which no container-optimized OS exists.", evidence);
                continue;
            }
            if (string.IsNullOrEmpty(os))
            {
                yield return context.Error(resource, $"Node {name} reports no OS image; its OS cannot be judged.", evidence);
                continue;
            }
            if (context.Settings.ContainerOptimizedOsImages.Any(p => WildcardMatch.IsMatch(os, p, StringComparison.OrdinalIgnoreCase)))
                yield return context.Pass(resource, $"Node {name} runs {os}, a container-optimized OS.", evidence);
            else if (AmazonLinux2().IsMatch(os))
                yield return context.Warn(resource, $"Node {name} runs Amazon Linux 2, which EKS has deprecated: move it to Bottlerocket or AL2023.", evidence);
            else
                yield return context.Warn(resource, $"Node {name} runs {os}, a general-purpose OS: Bottlerocket or AL2023 carry far less.", evidence);
        }
    }
}
