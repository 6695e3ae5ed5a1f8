using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>
/// EKS-POD-008: every container sets allowPrivilegeEscalation: false explicitly. The Kubernetes default is
/// true, so an unset field fails too; the evidence says which of the two it was, since HardenEKS and
/// kube-bench flag only an explicit true.
/// </summary>
public sealed class PrivilegeEscalationDisallowed : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-008",
        Title = "allowPrivilegeEscalation=false",
        Severity = Severity.Medium,
        Area = RuleArea.Pod,
        Rationale = "allowPrivilegeEscalation controls the no_new_privs flag of the container's process. Unless it is false, a process can gain more " +
                    "privileges than its parent through setuid or setgid binaries or file capabilities, which turns a compromised unprivileged " +
                    "process into root inside the container, one step closer to the node. Kubernetes defaults it to true, so only an explicit false protects.",
        Remediation = "Set allowPrivilegeEscalation: false on every container, init and ephemeral containers included:\n" +
                      "securityContext:\n  allowPrivilegeEscalation: false\n  capabilities:\n    drop: [\"ALL\"]\n" +
                      "Enforce with pod-security.kubernetes.io/enforce=restricted, which requires it.",
        References =
        [
            BestPracticesPodSecurity,
            PodSecurityStandards,
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        ],
        Frameworks =
        [
            "CIS EKS 1.8.0 4.2.5", "HardenEKS disallow_privilege_escalation", "Prowler core_minimize_allowPrivilegeEscalation_containers",
            "Kubescape C-0016", "Kubescape C-0197",
        ],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "cis", "pss-restricted", "privilege-escalation"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            if (IsWindows(source.Spec))
            {
                yield return context.Finding(FindingStatus.NotApplicable, source.Ref,
                    $"{Describe(source)} is a Windows pod: allowPrivilegeEscalation is a Linux setting the API rejects on Windows pods.",
                    [$"{PodField(source, "os.name")} = {source.Spec.Os!.Name}"]);
                continue;
            }
            var explicitTrue = new List<string>();
            var unset = new List<string>();
            var checks = new List<Check>();
            foreach (var container in source.Containers)
            {
                var value = container.SecurityContext?.AllowPrivilegeEscalation;
                var field = ContainerField(source, container, "securityContext.allowPrivilegeEscalation");
                switch (value)
                {
                    case false:
                        checks.Add(new Check(container.Path, false, $"{field} = false"));
                        break;
                    case true:
                        explicitTrue.Add(container.Path);
                        checks.Add(new Check(container.Path, true, $"{field} = true (explicit)"));
                        break;
                    default:
                        unset.Add(container.Path);
                        checks.Add(new Check(container.Path, true, $"{field} is unset (Kubernetes defaults it to true)"));
                        break;
                }
            }
            yield return Conclude(context, source, checks,
                _ =>
                {
                    var parts = new List<string>();
                    if (explicitTrue.Count > 0) parts.Add($"explicitly true on {string.Join(", ", explicitTrue)}");
                    if (unset.Count > 0) parts.Add($"unset (defaults to true) on {string.Join(", ", unset)}");
                    return $"{Describe(source)} allows privilege escalation: allowPrivilegeEscalation is {string.Join("; ", parts)}.";
                },
                $"Every container of {Describe(source)} sets allowPrivilegeEscalation: false.",
                explicitTrue.Count + unset.Count > 0
                    ? [$"modes: {explicitTrue.Count} explicit true (what HardenEKS and kube-bench flag), {unset.Count} unset (flagged here because the default is true)"]
                    : null);
        }
    }
}
