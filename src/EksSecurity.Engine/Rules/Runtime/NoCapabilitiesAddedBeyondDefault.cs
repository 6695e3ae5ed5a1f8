using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Runtime;

/// <summary>EKS-RUNTIME-001: containers add no Linux capability outside the container runtime's default set.</summary>
public sealed class NoCapabilitiesAddedBeyondDefault : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-RUNTIME-001",
        Title = "No capabilities added beyond the default set",
        Severity = Severity.High,
        Area = RuleArea.Runtime,
        Rationale = "Each capability a container adds hands it a piece of root's power over the node's kernel. SYS_ADMIN alone allows mounting " +
                    "file systems and most known container escapes, NET_ADMIN rewrites the node's network and iptables (including the rules " +
                    "that keep pods off the instance metadata service), SYS_PTRACE inspects other processes, SYS_MODULE loads kernel modules, " +
                    "and BPF loads programs into the kernel. Applications rarely need more than the runtime's default set; anything beyond it " +
                    "should be a reviewed exception on a dedicated, isolated node.",
        Remediation = "Remove the extra names from securityContext.capabilities.add of every container (init and ephemeral ones included), " +
                      "and drop what the process does not need:\n" +
                      "securityContext:\n  capabilities:\n    drop: [\"ALL\"]\n    add: [\"NET_BIND_SERVICE\"]   # only if it binds a port below 1024\n" +
                      "If a workload truly needs a privileged capability (a CNI or storage agent), run it in a namespace of its own, " +
                      "on nodes set apart for it, and record the exception as an exclusion with a reason.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/runtime-security.html",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container",
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "https://man7.org/linux/man-pages/man7/capabilities.7.html",
        ],
        Frameworks =
        [
            "HardenEKS disallow_linux_capabilities", "Prowler core_minimize_containers_added_capabilities", "Kubescape C-0046", "CIS EKS 1.2.0 4.2.7",
        ],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["runtime", "capabilities", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var allowed = context.Settings.AllowedAddedCapabilities.Select(LinuxCapabilities.Normalize).ToHashSet(StringComparer.Ordinal);
        var critical = context.Settings.CriticalCapabilities.Select(LinuxCapabilities.Normalize).ToHashSet(StringComparer.Ordinal);
        foreach (var source in context.Index.PodSpecs)
        {
            if (LinuxCapabilities.IsWindows(source)) continue;
            var evidence = new List<string>();
            var extra = new SortedSet<string>(StringComparer.Ordinal);
            var permitted = new List<string>();
            foreach (var container in source.Containers)
            {
                var written = container.SecurityContext?.Capabilities?.Add;
                if (written is null || written.Count == 0) continue;
                var beyond = LinuxCapabilities.Added(container).Where(c => !allowed.Contains(c)).ToList();
                var line = $"{container.Path}.securityContext.capabilities.add = {LinuxCapabilities.List(written)}";
                if (beyond.Count == 0)
                {
                    permitted.Add(line + " (default set only)");
                    continue;
                }
                evidence.Add(line + $" (beyond the default set: {string.Join(", ", beyond)})");
                extra.UnionWith(beyond);
            }

            var what = $"{source.Kind} {Describe(source)}";
            if (extra.Count == 0)
            {
                yield return context.Pass(source.Ref,
                    permitted.Count == 0 ? $"{what} adds no Linux capability." : $"{what} adds only capabilities of the runtime's default set.",
                    permitted.Count == 0 ? ["no container sets securityContext.capabilities.add"] : permitted);
                continue;
            }
            var dangerous = extra.Where(critical.Contains).ToList();
            var severity = dangerous.Count > 0 ? Severity.Critical : (Severity?)null;
            var message = $"{what} adds capabilities beyond the default set: {string.Join(", ", extra)}" +
                          (dangerous.Count > 0 ? $" ({string.Join(", ", dangerous)} gives near-root control of the node)." : ".");
            yield return context.Fail(source.Ref, message, [.. evidence, .. permitted], severity);
        }
    }

    private static string Describe(PodSpecSource source) => source.Namespace.Length == 0 ? source.Name : $"{source.Namespace}/{source.Name}";
}
