namespace EksSecurity.Engine.Rules;

/// <summary>
/// The EKS system baseline: workloads AWS installs and manages that need host access by design
/// (the VPC CNI, kube-proxy, CSI node drivers, the Pod Identity agent, observability agents).
/// Without it every cluster drowns in findings nobody can act on; with it they show as
/// Suppressed, with the reason, and Get-EksSecurityExclusion lists them for review.
/// </summary>
public static class DefaultExclusions
{
    /// <summary>
    /// Pod-security and runtime rules: the ones a node agent fails by design; and EKS-NET-019, whose host-network pods reach the
    /// instance metadata service as their node does (the VPC CNI and the termination handler need it).
    /// </summary>
    private static readonly string[] HostAccessRules = ["EKS-POD-0*", "EKS-POD-1*", "EKS-RUNTIME-*", "EKS-NET-019"];

    public static IReadOnlyList<EksSecurityExclusion> All { get; } = new[]
    {
        Agent("kube-system", "aws-node", "Amazon VPC CNI: configures pod networking on the node (privileged, hostNetwork, NET_ADMIN, host paths)."),
        Agent("kube-system", "kube-proxy", "kube-proxy: programs the node's iptables/IPVS rules (privileged, hostNetwork)."),
        Agent("kube-system", "ebs-csi-node", "Amazon EBS CSI node driver: mounts volumes on the node (privileged, host paths)."),
        Agent("kube-system", "efs-csi-node", "Amazon EFS CSI node driver: mounts file systems on the node (privileged, host paths)."),
        Agent("kube-system", "fsx-csi-node", "Amazon FSx CSI node driver: mounts file systems on the node (privileged, host paths)."),
        Agent("kube-system", "s3-csi-node", "Mountpoint for Amazon S3 CSI node driver: mounts buckets on the node."),
        Agent("kube-system", "eks-pod-identity-agent", "EKS Pod Identity agent: serves credentials on a node-local address (hostNetwork)."),
        Agent("kube-system", "aws-node-termination-handler", "AWS Node Termination Handler: watches instance metadata for interruptions (hostNetwork)."),
        Agent("kube-system", "efa-device-plugin", "EFA device plugin: exposes network adapters to pods (host paths)."),
        Agent("kube-system", "nvidia-device-plugin-daemonset", "NVIDIA device plugin: exposes GPUs to pods (host paths)."),
        Agent("amazon-guardduty", "aws-guardduty-agent", "GuardDuty runtime monitoring agent: observes the node (hostPID, host paths)."),
        Agent("amazon-cloudwatch", "cloudwatch-agent", "CloudWatch agent (Container Insights): reads node and container metrics (host paths)."),
        Agent("amazon-cloudwatch", "fluent-bit", "Fluent Bit for CloudWatch: reads node and container logs (host paths)."),
        Agent("amazon-cloudwatch", "dcgm-exporter", "NVIDIA DCGM exporter for Container Insights: reads GPU metrics on the node."),
    }.SelectMany(x => x).ToList();

    private static IEnumerable<EksSecurityExclusion> Agent(string ns, string name, string reason) =>
    [
        new() { RuleId = HostAccessRules, Namespace = ns, ResourceType = ["DaemonSet"], ResourceName = name, Reason = reason, IsDefault = true },
        // Its pods, judged on their own when the DaemonSet itself was not collected.
        new() { RuleId = HostAccessRules, Namespace = ns, ResourceType = ["Pod"], ResourceName = name + "-*", Reason = reason, IsDefault = true },
    ];

    public static bool Matches(EksSecurityExclusion exclusion, EksSecurityFinding finding)
    {
        if (!exclusion.RuleId.Any(p => WildcardMatch.IsMatch(finding.RuleId, p, StringComparison.OrdinalIgnoreCase))) return false;
        if (!WildcardMatch.IsMatch(finding.Namespace, exclusion.Namespace)) return false;
        if (exclusion.ResourceType.Count > 0 && !exclusion.ResourceType.Contains(finding.ResourceType, StringComparer.OrdinalIgnoreCase)) return false;
        if (!WildcardMatch.IsMatch(finding.ResourceName, exclusion.ResourceName)) return false;
        return true;
    }
}
