using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Runtime;

/// <summary>
/// EKS-RUNTIME-002: every container drops ALL capabilities and adds back at most NET_BIND_SERVICE, as the restricted
/// Pod Security Standard asks.
/// </summary>
public sealed class CapabilitiesDropAll : Rule
{
    private const string NetBindService = "NET_BIND_SERVICE";

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-RUNTIME-002",
        Title = "Capabilities dropped (drop ALL)",
        Severity = Severity.Low,
        Area = RuleArea.Runtime,
        Rationale = "Without a drop list a container keeps the runtime's whole default capability set (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, " +
                    "SETGID, NET_RAW, MKNOD and more) although most processes use none of it. Dropping ALL and adding back only what the " +
                    "process needs shrinks what an attacker who gets code execution can do with the kernel, and it is what the restricted " +
                    "Pod Security Standard requires.",
        Remediation = "Give every container, init and ephemeral ones included:\n" +
                      "securityContext:\n  capabilities:\n    drop: [\"ALL\"]\n" +
                      "and add back NET_BIND_SERVICE only for a process that binds a port below 1024 as a non-root user " +
                      "(add: [\"NET_BIND_SERVICE\"]). Test the image with all capabilities dropped before rolling it out.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/runtime-security.html",
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container",
        ],
        Frameworks =
        [
            "Prowler core_minimize_containers_capabilities_assigned", "Kubescape C-0200", "Kubescape C-0201", "CIS EKS 1.2.0 4.2.8",
        ],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["runtime", "capabilities", "pod-security", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            if (LinuxCapabilities.IsWindows(source)) continue;
            var failures = new List<string>();
            var passes = new List<string>();
            var containers = 0;
            foreach (var container in source.Containers)
            {
                containers++;
                var caps = container.SecurityContext?.Capabilities;
                var dropsAll = LinuxCapabilities.Dropped(container).Contains(LinuxCapabilities.All);
                var addedBack = LinuxCapabilities.Added(container).Where(c => c != NetBindService).ToList();
                var drop = $"{container.Path}.securityContext.capabilities.drop = {(caps?.Drop is { Count: > 0 } d ? LinuxCapabilities.List(d) : "(not set)")}";
                if (!dropsAll)
                    failures.Add(drop + " (ALL not dropped)");
                else if (addedBack.Count > 0)
                    failures.Add($"{drop}, add = {LinuxCapabilities.List(caps!.Add)} (adds back more than NET_BIND_SERVICE: {string.Join(", ", addedBack)})");
                else
                    passes.Add(drop);
            }
            if (containers == 0) continue;
            var what = $"{source.Kind} {Describe(source)}";
            if (failures.Count == 0)
                yield return context.Pass(source.Ref, $"Every container of {what} drops ALL capabilities.", passes);
            else
                yield return context.Fail(source.Ref,
                    $"{failures.Count} of {containers} container(s) of {what} keep capabilities: drop ALL and add back at most NET_BIND_SERVICE.",
                    [.. failures, .. passes]);
        }
    }

    private static string Describe(PodSpecSource source) => source.Namespace.Length == 0 ? source.Name : $"{source.Namespace}/{source.Name}";
}
