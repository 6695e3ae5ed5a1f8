using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>EKS-POD-010: every container mounts its root filesystem read-only.</summary>
public sealed class ReadOnlyRootFilesystem : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-010",
        Title = "Read-only root filesystem",
        Severity = Severity.Low,
        Area = RuleArea.Pod,
        Rationale = "A writable root filesystem lets an attacker who gets code execution drop tools, replace binaries and libraries of the running " +
                    "application, or persist changes for as long as the container lives. A read-only root confines writes to the volumes you declare, " +
                    "which makes tampering harder and easier to spot.",
        Remediation = "Set readOnlyRootFilesystem: true on every container and give the paths the application writes to their own emptyDir volumes:\n" +
                      "containers:\n- name: app\n  securityContext:\n    readOnlyRootFilesystem: true\n  volumeMounts:\n  - name: tmp\n    mountPath: /tmp\n" +
                      "volumes:\n- name: tmp\n  emptyDir: {}",
        References =
        [
            BestPracticesPodSecurity,
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        ],
        Frameworks = ["HardenEKS check_read_only_root_file_system", "Prowler core_readonly_root_filesystem_enabled", "Kubescape C-0017"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "immutability"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            if (IsWindows(source.Spec))
            {
                yield return context.Finding(FindingStatus.NotApplicable, source.Ref,
                    $"{Describe(source)} is a Windows pod: readOnlyRootFilesystem is a Linux setting the API rejects on Windows pods.",
                    [$"{PodField(source, "os.name")} = {source.Spec.Os!.Name}"]);
                continue;
            }
            var checks = source.Containers
                .Select(c => (Container: c, Value: c.SecurityContext?.ReadOnlyRootFilesystem))
                .Select(x => new Check(x.Container.Path, x.Value != true,
                    $"{ContainerField(source, x.Container, "securityContext.readOnlyRootFilesystem")} = {Show(x.Value)}"))
                .ToList();
            yield return Conclude(context, source, checks,
                bad => $"{Describe(source)} has {bad.Count} container(s) with a writable root filesystem: {string.Join(", ", bad)}.",
                $"Every container of {Describe(source)} has a read-only root filesystem.");
        }
    }
}
