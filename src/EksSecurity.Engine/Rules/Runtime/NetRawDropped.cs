using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Runtime;

/// <summary>EKS-RUNTIME-003: no container keeps NET_RAW (dropped by name or through ALL, and not added back).</summary>
public sealed class NetRawDropped : Rule
{
    private const string NetRaw = "NET_RAW";

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-RUNTIME-003",
        Title = "NET_RAW dropped",
        Severity = Severity.Low,
        Area = RuleArea.Runtime,
        Rationale = "NET_RAW is in the container runtime's default set. It lets a process craft raw packets: spoof addresses, " +
                    "ARP- and DNS-poison its neighbours on the node's network, and sniff traffic, which a compromised pod can use " +
                    "against other pods and the node. Almost no application needs it (ping is the usual exception, and modern " +
                    "ping works without it).",
        Remediation = "Drop it in every container (init and ephemeral ones included), best by dropping everything:\n" +
                      "securityContext:\n  capabilities:\n    drop: [\"ALL\"]\n" +
                      "or at least drop: [\"NET_RAW\"]. Do not add NET_RAW (or ALL) back in capabilities.add.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/runtime-security.html",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container",
            "https://man7.org/linux/man-pages/man7/capabilities.7.html",
        ],
        Frameworks = ["Prowler core_minimize_net_raw_capability_admission", "Kubescape C-0199"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["runtime", "capabilities", "network", "pod-spec", "manifest"],
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
                var line = $"{container.Path}.securityContext.capabilities: drop = {(caps?.Drop is { Count: > 0 } d ? LinuxCapabilities.List(d) : "(not set)")}" +
                           (caps?.Add is { Count: > 0 } a ? $", add = {LinuxCapabilities.List(a)}" : "");
                if (!LinuxCapabilities.Holds(container, NetRaw, inDefaultSet: true))
                {
                    passes.Add(line);
                    continue;
                }
                var dropped = LinuxCapabilities.Dropped(container);
                failures.Add(line + (dropped.Contains(LinuxCapabilities.All)
                    ? " (ALL is dropped, but NET_RAW is added back)"
                    : " (neither NET_RAW nor ALL is dropped)"));
            }
            if (containers == 0) continue;
            var what = $"{source.Kind} {Describe(source)}";
            if (failures.Count == 0)
                yield return context.Pass(source.Ref, $"No container of {what} keeps NET_RAW.", passes);
            else
                yield return context.Fail(source.Ref, $"{failures.Count} of {containers} container(s) of {what} keep NET_RAW.", [.. failures, .. passes]);
        }
    }

    private static string Describe(PodSpecSource source) => source.Namespace.Length == 0 ? source.Name : $"{source.Namespace}/{source.Name}";
}
