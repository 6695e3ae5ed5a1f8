using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>EKS-POD-005: pods do not share the node's process ID namespace.</summary>
public sealed class NoHostPid : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-005",
        Title = "No hostPID",
        Severity = Severity.High,
        Area = RuleArea.Pod,
        Rationale = "With hostPID the pod sees every process on the node, including other pods' containers and the kubelet. It can read their " +
                    "command lines and environment variables (where secrets and tokens often sit), and, given ptrace or root, inspect or signal them " +
                    "and enter their namespaces through /proc/<pid>/root.",
        Remediation = "Remove hostPID: true from the pod spec (the default is false):\n" +
                      "spec:\n  hostPID: false\n" +
                      "To let containers of one pod see each other's processes, use shareProcessNamespace: true instead. " +
                      "Enforce with pod-security.kubernetes.io/enforce=baseline.",
        References = [BestPracticesPodSecurity, PodSecurityStandards],
        Frameworks =
        [
            "CIS EKS 1.8.0 4.2.2", "Prowler core_minimize_hostPID_containers", "Kubescape C-0038", "Kubescape C-0194", "Kubescape C-0275",
        ],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "cis", "pss-baseline", "host-namespaces"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context) =>
        EvaluateHostNamespace(context, "hostPID", s => s.HostPID, "shares the node's PID namespace (hostPID: true)");
}
