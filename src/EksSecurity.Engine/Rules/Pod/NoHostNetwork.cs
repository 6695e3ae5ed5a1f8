using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>EKS-POD-007: pods do not use the node's network namespace.</summary>
public sealed class NoHostNetwork : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-007",
        Title = "No hostNetwork",
        Severity = Severity.High,
        Area = RuleArea.Pod,
        Rationale = "A hostNetwork pod uses the node's network stack: it carries the node's security group instead of its own (security groups " +
                    "for pods do not apply), is not isolated by NetworkPolicies, can bind to and sniff the node's interfaces " +
                    "and loopback services, and reaches the instance metadata service whatever the IMDSv2 hop limit, so it can obtain the node's IAM role credentials.",
        Remediation = "Remove hostNetwork: true from the pod spec (the default is false) and expose the workload through a Service instead:\n" +
                      "spec:\n  hostNetwork: false\n" +
                      "Enforce with pod-security.kubernetes.io/enforce=baseline. Node agents that need the host network (the VPC CNI, kube-proxy) run in kube-system and are excluded by default.",
        References =
        [
            BestPracticesPodSecurity,
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_restrict_access_to_the_instance_profile_assigned_to_the_worker_node",
            PodSecurityStandards,
        ],
        Frameworks =
        [
            "CIS EKS 1.8.0 4.2.4", "Prowler core_minimize_hostNetwork_containers", "Kubescape C-0041", "Kubescape C-0196",
        ],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "cis", "pss-baseline", "host-namespaces", "imds"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context) =>
        EvaluateHostNamespace(context, "hostNetwork", s => s.HostNetwork, "uses the node's network namespace (hostNetwork: true)",
            _ => ["hostNetwork pods reach the instance metadata service (169.254.169.254) whatever the IMDSv2 hop limit, and carry the node's security group"]);
}
