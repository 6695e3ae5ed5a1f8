using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>EKS-POD-016: no Windows HostProcess container, set at pod level or on any container.</summary>
public sealed class NoWindowsHostProcessContainers : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-016",
        Title = "No Windows HostProcess containers",
        Severity = Severity.High,
        Area = RuleArea.Pod,
        Rationale = "A Windows HostProcess container runs directly on the Windows node as a host process, in the host's network namespace, with " +
                    "access to the host filesystem and, as SYSTEM or an administrator account, full control of the node. It is the Windows " +
                    "equivalent of a privileged container with hostNetwork and hostPath /.",
        Remediation = "Remove windowsOptions.hostProcess: true from the pod's and the containers' securityContext (and hostNetwork: true, which it requires):\n" +
                      "spec:\n  securityContext:\n    windowsOptions:\n      hostProcess: false\n" +
                      "Keep node administration agents that need it in a dedicated namespace, recorded as an exclusion. Enforce with pod-security.kubernetes.io/enforce=baseline.",
        References =
        [
            BestPracticesPodSecurity,
            PodSecurityStandards,
            "https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/",
        ],
        Frameworks = ["Prowler core_minimize_admission_windows_hostprocess_containers", "Kubescape C-0202"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "pss-baseline", "windows"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            var podValue = source.Spec.SecurityContext?.WindowsOptions?.HostProcess;
            var checks = new List<Check>
            {
                new("pod", podValue == true, $"{PodField(source, "securityContext.windowsOptions.hostProcess")} = {Show(podValue)}"),
            };
            foreach (var container in source.Containers)
            {
                var value = container.SecurityContext?.WindowsOptions?.HostProcess;
                checks.Add(new Check(container.Path, value == true,
                    $"{ContainerField(source, container, "securityContext.windowsOptions.hostProcess")} = {Show(value)}"));
            }
            yield return Conclude(context, source, checks,
                bad => $"{Describe(source)} runs Windows HostProcess containers ({string.Join(", ", bad.Select(b => b == "pod" ? "pod-level setting" : b))}).",
                $"{Describe(source)} runs no Windows HostProcess container.");
        }
    }
}
