using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>EKS-POD-004: no container (init, regular or ephemeral) runs privileged.</summary>
public sealed class NoPrivilegedContainers : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-004",
        Title = "No privileged containers",
        Severity = Severity.Critical,
        Area = RuleArea.Pod,
        Rationale = "A privileged container gets every Linux capability and every device of the node, and is not confined by seccomp, AppArmor or SELinux. " +
                    "Whoever controls its process controls the node: it can load kernel modules, mount the host filesystem, read the kubelet's credentials " +
                    "and use the node's IAM role, and from there reach every pod scheduled on that node.",
        Remediation = "Remove securityContext.privileged: true (or set it to false) from every container, init and ephemeral containers included, and grant only " +
                      "the capabilities the process needs:\n" +
                      "securityContext:\n  privileged: false\n  allowPrivilegeEscalation: false\n  capabilities:\n    drop: [\"ALL\"]\n    add: [\"NET_BIND_SERVICE\"]   # only if needed\n" +
                      "Enforce it with Pod Security Admission (pod-security.kubernetes.io/enforce=baseline). Node agents that need privilege belong in a system " +
                      "namespace and are listed as exclusions.",
        References =
        [
            BestPracticesPodSecurity,
            PodSecurityStandards,
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        ],
        Frameworks =
        [
            "CIS EKS 1.8.0 4.2.1", "Prowler core_minimize_privileged_containers", "Kubescape C-0057", "Kubescape C-0193",
        ],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "cis", "pss-baseline", "privileged"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            var checks = source.Containers
                .Select(c => (Container: c, Value: c.SecurityContext?.Privileged))
                .Select(x => new Check(x.Container.Path, x.Value == true,
                    $"{ContainerField(source, x.Container, "securityContext.privileged")} = {Show(x.Value)}"))
                .ToList();
            yield return Conclude(context, source, checks,
                bad => $"{Describe(source)} runs {bad.Count} privileged container(s): {string.Join(", ", bad)}.",
                $"No container of {Describe(source)} is privileged.");
        }
    }
}
