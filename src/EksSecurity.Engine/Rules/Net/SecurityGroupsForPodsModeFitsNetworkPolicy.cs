namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// EKS-NET-016: when security groups for pods are in use (SecurityGroupPolicy objects, ENABLE_POD_ENI on) and NetworkPolicy is
/// enforced, the VPC CNI runs POD_SECURITY_GROUP_ENFORCING_MODE=standard, so the pods with their own security groups stay subject to
/// the NetworkPolicies (and kubelet probes, Service traffic and SNAT behave). One finding for aws-node.
/// </summary>
public sealed class SecurityGroupsForPodsModeFitsNetworkPolicy : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-016",
        Title = "Security-groups-for-pods mode fits NetworkPolicy",
        Severity = Severity.Low,
        Area = RuleArea.Net,
        Rationale = "Security groups for pods put a pod on a branch network interface of its own. In the VPC CNI's default strict mode that " +
                    "pod's traffic leaves through its branch interface, past the node: only its security groups apply, kubelet probes and " +
                    "traffic from pods on the same node go through the VPC, and source NAT is off. The EKS Best Practices Guide asks for " +
                    "standard mode when security groups for pods and NetworkPolicy are used together, so that both the security groups and " +
                    "the NetworkPolicies apply to those pods.",
        Remediation = "Set the mode to standard on the VPC CNI: through the managed add-on, aws eks update-addon --cluster-name <cluster> " +
                      "--addon-name vpc-cni --resolve-conflicts PRESERVE --configuration-values '{\"env\": {\"POD_SECURITY_GROUP_ENFORCING_MODE\": \"standard\"}}' " +
                      "(keep the other configuration values, such as enableNetworkPolicy and ENABLE_POD_ENI); on a self-managed VPC CNI, " +
                      "kubectl set env daemonset aws-node -n kube-system POD_SECURITY_GROUP_ENFORCING_MODE=standard. The mode applies to pods " +
                      "started after the change: restart the pods that SecurityGroupPolicies select.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html",
            "https://docs.aws.amazon.com/eks/latest/best-practices/sgpp.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/security-groups-pods-deployment.html",
            "https://github.com/aws/amazon-vpc-cni-k8s#pod_security_group_enforcing_mode-v1110",
        ],
        Reads = [SnapshotSection.SecurityGroupPolicies, SnapshotSection.DaemonSets],
        OptionallyReads = [.. NetworkPolicyEngineEnforcing.DetectionSections.Where(s => s != SnapshotSection.DaemonSets)],
        ClusterWide = true,
        Tags = ["network", "security-groups", "security-groups-for-pods", "network-policy", "vpc-cni"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var policies = context.Kubernetes.SecurityGroupPolicies!.All;
        if (policies.Count == 0) yield break;
        var awsNode = AwsNodeEnvironment.Of(context);
        var evidence = new List<string>
        {
            $"{policies.Count} SecurityGroupPolicy object(s): " + string.Join(", ", policies.Take(10).Select(p => $"{p.Metadata?.NamespaceProperty}/{p.Metadata?.Name}")) +
            (policies.Count > 10 ? $" and {policies.Count - 10} more" : ""),
        };
        if (awsNode.DaemonSet is null)
        {
            evidence.Add($"DaemonSet {awsNode.Name}: absent");
            yield return context.Finding(FindingStatus.NotApplicable, awsNode.Resource,
                $"The Amazon VPC CNI does not run ({awsNode.Name} is absent), so security groups for pods are not in use; EKS-NET-020 reports SecurityGroupPolicies that do nothing.",
                evidence);
            yield break;
        }
        var podEni = awsNode.Read(AwsNodeEnvironment.EnablePodEni);
        var mode = awsNode.Read(AwsNodeEnvironment.PodSecurityGroupEnforcingMode);
        evidence.Add($"{awsNode.Name} container {AwsNodeEnvironment.Container}: {podEni}");
        evidence.Add($"{awsNode.Name} container {AwsNodeEnvironment.Container}: {mode}" + (mode is { IsKnown: true, Value: null } ? " (defaults to strict)" : ""));
        if (!podEni.IsKnown)
        {
            yield return context.Error(awsNode.Resource, $"Whether security groups for pods are on could not be read: {podEni}.", evidence);
            yield break;
        }
        if (!AwsNodeEnvironment.IsTrue(podEni))
        {
            yield return context.Finding(FindingStatus.NotApplicable, awsNode.Resource,
                $"Security groups for pods are off ({AwsNodeEnvironment.EnablePodEni} is not true), so the enforcing mode has no effect; EKS-NET-020 reports SecurityGroupPolicies that do nothing.",
                evidence);
            yield break;
        }

        var enforcement = NetworkPolicyEngineEnforcing.Detect(context);
        evidence.Add(enforcement.Summary);
        var standard = mode.IsKnown && string.Equals(mode.Value?.Trim(), "standard", StringComparison.OrdinalIgnoreCase);
        if (standard)
        {
            yield return context.Pass(awsNode.Resource,
                $"Security groups for pods run in standard mode: NetworkPolicies apply to pods with their own security groups as well.", evidence);
            yield break;
        }
        if (!mode.IsKnown)
        {
            yield return context.Error(awsNode.Resource, $"The security-groups-for-pods enforcing mode could not be read: {mode}.", evidence);
            yield break;
        }
        var modeText = mode.Value is null ? "strict (the default)" : string.Equals(mode.Value.Trim(), "strict", StringComparison.OrdinalIgnoreCase) ? "strict" : $"'{mode.Value}' (not standard)";
        if (enforcement.Enforced)
            yield return context.Warn(awsNode.Resource,
                $"Security groups for pods run in {modeText} mode while NetworkPolicy is enforced: pods with their own security groups bypass the node, " +
                $"so set {AwsNodeEnvironment.PodSecurityGroupEnforcingMode}=standard to have both apply.",
                evidence);
        else if (enforcement.EnforcementUnknown)
            yield return context.Error(awsNode.Resource,
                $"Security groups for pods run in {modeText} mode, which does not fit NetworkPolicy enforcement, and {enforcement.Summary}.", evidence);
        else
            yield return context.Pass(awsNode.Resource,
                $"Security groups for pods run in {modeText} mode and nothing enforces NetworkPolicy, so the mode conflicts with nothing " +
                "(switch to standard before turning NetworkPolicy on).",
                evidence);
    }
}
