using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>
/// EKS-POD-009: every container runs as a non-root user, judged on the effective values: a container's
/// securityContext overrides the pod's for runAsNonRoot, runAsUser and runAsGroup.
/// </summary>
public sealed class ContainersRunAsNonRoot : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-009",
        Title = "Containers run as non-root",
        Severity = Severity.Medium,
        Area = RuleArea.Pod,
        Rationale = "Root in a container is root on the node's kernel, only fenced by namespaces, capabilities and seccomp. A container escape, " +
                    "a writable hostPath or a kernel bug is far more damaging from UID 0, and root can read files of any owner on the volumes it mounts. " +
                    "Unless runAsNonRoot is true or a non-zero runAsUser is set, the image's USER decides, and most images default to root.",
        Remediation = "Run as an unprivileged user, set at pod level (containers inherit it) or per container:\n" +
                      "spec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n    runAsGroup: 10001\n" +
                      "Build the image with a numeric non-root USER (USER 10001) so the kubelet can verify runAsNonRoot. " +
                      "Do not set runAsUser: 0 on a container, which overrides the pod's setting. Enforce with pod-security.kubernetes.io/enforce=restricted.",
        References =
        [
            BestPracticesPodSecurity,
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_run_the_application_as_a_non_root_user",
            PodSecurityStandards,
        ],
        Frameworks =
        [
            "CIS EKS 1.2.0 4.2.6", "HardenEKS disable_run_as_root_user", "Prowler core_minimize_root_containers_admission",
            "Kubescape C-0013", "Kubescape C-0198",
        ],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "cis", "pss-restricted", "non-root"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            var pod = source.Spec.SecurityContext;
            var root = new List<string>();
            var unknown = new List<string>();
            var checks = new List<Check>();
            foreach (var container in source.Containers)
            {
                var sc = container.SecurityContext;
                var (nonRoot, nonRootFrom) = Effective(sc?.RunAsNonRoot, pod?.RunAsNonRoot);
                var (user, userFrom) = Effective(sc?.RunAsUser, pod?.RunAsUser);
                var (group, groupFrom) = Effective(sc?.RunAsGroup, pod?.RunAsGroup);

                var values = $"runAsNonRoot = {Show(nonRoot)}{nonRootFrom}, runAsUser = {Show(user)}{userFrom}, runAsGroup = {Show(group)}{groupFrom}";
                var prefix = $"{source.SpecPath}.{container.Path}";
                if (user == 0)
                {
                    root.Add(container.Path);
                    checks.Add(new Check(container.Path, true, $"{prefix}: runs as root (effective runAsUser = 0): {values}"));
                }
                else if (nonRoot != true && user is null)
                {
                    unknown.Add(container.Path);
                    checks.Add(new Check(container.Path, true, $"{prefix}: may run as root (runAsNonRoot is not true and runAsUser is unset; the image's USER decides): {values}"));
                }
                else
                {
                    checks.Add(new Check(container.Path, false, $"{prefix}: {values}"));
                }
            }
            yield return Conclude(context, source, checks,
                _ =>
                {
                    var parts = new List<string>();
                    if (root.Count > 0) parts.Add($"runs {string.Join(", ", root)} as root");
                    if (unknown.Count > 0) parts.Add($"does not prevent {string.Join(", ", unknown)} from running as root");
                    return $"{Describe(source)} {string.Join(" and ", parts)}.";
                },
                $"Every container of {Describe(source)} runs as non-root (runAsNonRoot: true or a non-zero runAsUser).");
        }
    }

    /// <summary>The container's value when set, otherwise the pod's; with where it came from, for the evidence.</summary>
    private static (T? Value, string From) Effective<T>(T? container, T? pod) where T : struct =>
        container is not null ? (container, " (container)") : pod is not null ? (pod, " (pod securityContext)") : (null, "");
}
