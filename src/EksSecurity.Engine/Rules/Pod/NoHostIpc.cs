using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>EKS-POD-006: pods do not share the node's IPC namespace.</summary>
public sealed class NoHostIpc : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-006",
        Title = "No hostIPC",
        Severity = Severity.High,
        Area = RuleArea.Pod,
        Rationale = "With hostIPC the pod joins the node's System V IPC namespace: it can read and write the shared memory segments, semaphores " +
                    "and message queues of host processes and of other hostIPC pods, which leaks data and lets it interfere with them.",
        Remediation = "Remove hostIPC: true from the pod spec (the default is false):\n" +
                      "spec:\n  hostIPC: false\n" +
                      "Containers of the same pod already share an IPC namespace; use an emptyDir with medium: Memory for shared memory between them. " +
                      "Enforce with pod-security.kubernetes.io/enforce=baseline.",
        References = [BestPracticesPodSecurity, PodSecurityStandards],
        Frameworks =
        [
            "CIS EKS 1.8.0 4.2.3", "Prowler core_minimize_hostIPC_containers", "Kubescape C-0038", "Kubescape C-0195", "Kubescape C-0276",
        ],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "cis", "pss-baseline", "host-namespaces"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context) =>
        EvaluateHostNamespace(context, "hostIPC", s => s.HostIPC, "shares the node's IPC namespace (hostIPC: true)");
}
