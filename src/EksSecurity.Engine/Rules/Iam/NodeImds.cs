using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Identity;
using EksSecurity.Engine.Rules.Infra;
using EksSecurity.Engine.Rules.Net;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>What EKS-IAM-032 and 033 share about nodes and their instance metadata options. Not a rule.</summary>
internal static class NodeImds
{
    /// <summary>Tags that name the group an instance belongs to: managed node group, eksctl node group, Auto Scaling group, Karpenter node pool.</summary>
    private static readonly string[] GroupTags = ["eks:nodegroup-name", "alpha.eksctl.io/nodegroup-name", "aws:autoscaling:groupName", "karpenter.sh/nodepool"];

    public static IEnumerable<string> GroupNames(Ec2Instance instance) =>
        GroupTags.Select(k => VpcNetwork.Tag(instance, k)).OfType<string>().Distinct(StringComparer.Ordinal);

    /// <summary>The highest hop limit allowed for nodes of these groups: 2 when one of them is allow-listed for pods that need IMDS, else 1.</summary>
    public static int MaxHopLimit(RuleSettings settings, IEnumerable<string> groupNames) =>
        groupNames.Any(name => settings.ImdsHopLimitTwoNodeGroups.Any(p => WildcardMatch.IsMatch(name, p))) ? 2 : 1;

    /// <summary>
    /// True for an EKS Auto Mode node: AWS owns the instance and enforces IMDSv2 with hop limit 1. Known from the node pool tag Auto Mode
    /// puts on its instances, or from the Kubernetes node of that instance (eks.amazonaws.com/compute-type = auto).
    /// </summary>
    public static bool AutoMode(RuleContext context, Ec2Instance instance)
    {
        if (VpcNetwork.Tag(instance, "eks:kubernetes-node-pool-name") is not null) return true;
        if (!context.Has(SnapshotSection.Nodes) || instance.InstanceId is null) return false;
        return context.Kubernetes.Nodes!.All.Any(n => NodeFacts.InstanceId(n) == instance.InstanceId && Kubernetes.KubeletConfigSample.AwsManagedComputeType(n) == "auto");
    }

    /// <summary>The instance's options judged, with the allow-list's hop limit.</summary>
    public static ImdsProtection.Judgment Judge(Ec2InstanceMetadataOptions options, int maxHopLimit) =>
        ImdsProtection.Judge(options.HttpEndpoint, options.HttpTokens, options.HttpPutResponseHopLimit, maxHopLimit);

    /// <summary>"i-1: HttpEndpoint enabled, HttpTokens optional, hop limit 2 (pending)".</summary>
    public static string Describe(Ec2Instance instance, ImdsProtection.Judgment judgment) =>
        $"{instance.InstanceId}: {judgment.Settings}" + (string.Equals(instance.MetadataOptions?.State, "pending", StringComparison.OrdinalIgnoreCase) ? " (change pending)" : "");

    /// <summary>The launch template (id, version) EC2 tagged the instance with when it launched it from one; null when none.</summary>
    public static (string Id, string Version)? LaunchedFrom(Ec2Instance instance) =>
        VpcNetwork.Tag(instance, "aws:ec2launchtemplate:id") is { } id && VpcNetwork.Tag(instance, "aws:ec2launchtemplate:version") is { } version ? (id, version) : null;
}
