using EksSecurity.Engine.Kubernetes;
using EksSecurity.Engine.PodSecurity;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>
/// EKS-POD-018: pod sysctls stay within the Pod Security Standards baseline safe set (latest policy
/// version, <see cref="SafeSysctls"/>), and no container asks for an unmasked /proc.
/// </summary>
public sealed class NoUnsafeSysctlsOrUnmaskedProcMount : Rule
{
    /// <summary>The policy version whose safe sysctl set is used.</summary>
    internal static readonly PodSecurityVersion Version = PodSecurityVersion.Latest;

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-018",
        Title = "No unsafe sysctls or Unmasked procMount",
        Severity = Severity.Medium,
        Area = RuleArea.Pod,
        Rationale = "Most kernel parameters are not namespaced: a pod that sets one outside the safe set changes the node's kernel for every pod on it, " +
                    "and can weaken its defences or exhaust shared resources. procMount: Unmasked removes the masking of sensitive /proc paths " +
                    "(/proc/kcore, /proc/sysrq-trigger and others), which exposes kernel memory and controls of the node to the container.",
        Remediation = "Remove the unsafe entries from spec.securityContext.sysctls and keep only namespaced, safe ones, such as:\n" +
                      "spec:\n  securityContext:\n    sysctls:\n    - name: net.ipv4.ip_local_port_range\n      value: \"1024 65535\"\n" +
                      "Tune node-wide kernel parameters on the node group instead (launch template user data, a Bottlerocket setting), not from pods. " +
                      "Remove securityContext.procMount: Unmasked (or set Default). Enforce with pod-security.kubernetes.io/enforce=baseline.",
        References =
        [
            BestPracticesPodSecurity,
            PodSecurityStandards,
            "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/",
        ],
        Frameworks = ["Kubescape C-0211"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "pss-baseline", "sysctls", "procmount"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            var checks = new List<Check>();
            var sysctls = source.Spec.SecurityContext?.Sysctls ?? [];
            for (var i = 0; i < sysctls.Count; i++)
            {
                var sysctl = sysctls[i];
                var safe = SafeSysctls.IsAllowed(sysctl.Name, Version);
                checks.Add(new Check($"sysctl {sysctl.Name}", !safe,
                    $"{PodField(source, $"securityContext.sysctls[{sysctl.Name ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture)}]")} = {Show(sysctl.Value)}: " +
                    (safe ? $"in the baseline safe set ({Version})" : $"not in the baseline safe set ({Version})")));
            }
            if (sysctls.Count == 0)
                checks.Add(new Check("pod", false, $"{PodField(source, "securityContext.sysctls")}: none"));

            // From policy v1.35 the baseline accepts any procMount in a user namespace (hostUsers: false).
            var userNamespaced = source.Spec.HostUsers == false;
            foreach (var container in source.Containers)
            {
                var procMount = container.SecurityContext?.ProcMount;
                var field = $"{ContainerField(source, container, "securityContext.procMount")} = {Show(procMount)}";
                if (procMount is null or "Default")
                    checks.Add(new Check(container.Path, false, field));
                else if (userNamespaced)
                    checks.Add(new Check(container.Path, false, $"{field}: allowed, the pod runs in a user namespace ({PodField(source, "hostUsers")} = false)"));
                else
                    checks.Add(new Check(container.Path, true, $"{field}: /proc is not masked"));
            }
            yield return Conclude(context, source, checks,
                bad => $"{Describe(source)} sets {string.Join(" and ", Parts(bad))}.",
                $"{Describe(source)} sets no unsafe sysctl and no unmasked procMount.");
        }
    }

    private static IEnumerable<string> Parts(IReadOnlyList<string> bad)
    {
        var sysctls = bad.Where(b => b.StartsWith("sysctl ", StringComparison.Ordinal)).Select(b => b["sysctl ".Length..]).ToList();
        var containers = bad.Where(b => !b.StartsWith("sysctl ", StringComparison.Ordinal)).ToList();
        if (sysctls.Count > 0) yield return $"sysctls outside the baseline safe set ({string.Join(", ", sysctls)})";
        if (containers.Count > 0) yield return $"an unmasked procMount in {string.Join(", ", containers)}";
    }
}
