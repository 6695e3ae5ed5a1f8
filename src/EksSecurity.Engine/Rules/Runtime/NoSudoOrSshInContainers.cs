using System.Globalization;
using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Runtime;

/// <summary>EKS-RUNTIME-007: no container starts through sudo or runs an SSH server (by its command or its SSH ports).</summary>
public sealed class NoSudoOrSshInContainers : Rule
{
    private static readonly string[] SshServers = ["sshd", "dropbear"];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-RUNTIME-007",
        Title = "No sudo entrypoints or SSH servers in containers",
        Severity = Severity.Low,
        Area = RuleArea.Runtime,
        Rationale = "sudo in an entrypoint means the image carries a privilege-escalation tool and a configuration that lets the container user " +
                    "become root, which an attacker in the container inherits. An SSH server in a container is a second, unaudited way in with its " +
                    "own keys and passwords, bypassing Kubernetes RBAC and the audit log that kubectl exec goes through.",
        Remediation = "Build the image so the process starts as the user it needs (USER in the Dockerfile, runAsUser/runAsNonRoot in the pod) and " +
                      "remove sudo from it; set allowPrivilegeEscalation: false. Remove SSH servers and port 22 from containers and use kubectl exec " +
                      "(governed by RBAC on pods/exec and recorded in the audit log) or ephemeral debug containers instead.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/image-security.html",
            "https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/#ephemeral-container",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        ],
        Frameworks = ["Kubescape C-0062", "Kubescape C-0042"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["runtime", "images", "ssh", "privilege-escalation", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var sshPorts = context.Settings.SshPorts.ToHashSet();
        foreach (var source in context.Index.PodSpecs)
        {
            var checks = new List<Check>();
            foreach (var container in source.Containers)
            {
                var words = Words(container.Command).Concat(Words(container.Args)).ToList();
                var sudo = words.Any(w => Program(w) == "sudo");
                var server = words.Select(Program).FirstOrDefault(p => SshServers.Contains(p));
                var ports = (container.Ports ?? []).Where(p => sshPorts.Contains(p.ContainerPort)).Select(p => p.ContainerPort.ToString(CultureInfo.InvariantCulture)).ToList();
                var field = ContainerField(source, container, "");
                var line = $"{field.TrimEnd('.')}: command = {Show(container.Command)}, args = {Show(container.Args)}" +
                           (container.Ports is { Count: > 0 } ps ? $", ports = [{string.Join(", ", ps.Select(p => p.ContainerPort))}]" : "");
                var reasons = new List<string>();
                if (sudo) reasons.Add("starts through sudo");
                if (server is not null) reasons.Add($"runs {server}");
                if (ports.Count > 0) reasons.Add($"exposes SSH port {string.Join(", ", ports)}");
                checks.Add(new Check(container.Path, reasons.Count > 0, reasons.Count > 0 ? $"{line} ({string.Join("; ", reasons)})" : line));
            }
            if (checks.Count == 0) continue;
            var finding = Conclude(context, source, checks,
                subjects => $"{Describe(source)} has container(s) that use sudo or run an SSH server: {string.Join(", ", subjects)}.",
                $"No container of {Describe(source)} starts through sudo or runs an SSH server.");
            // A Warning, not a Fail: an SSH port or a sudo call asks for a look, it does not prove a breach.
            yield return finding.Status == FindingStatus.Fail ? finding with { Status = FindingStatus.Warning } : finding;
        }
    }

    /// <summary>Each command word, and for shell one-liners ("sh -c 'sudo x && y'") the words inside.</summary>
    private static IEnumerable<string> Words(IList<string>? parts)
    {
        foreach (var part in parts ?? [])
            foreach (var word in part.Split([' ', '\t', '\n', ';', '&', '|', '(', ')', '\'', '"'], StringSplitOptions.RemoveEmptyEntries))
                yield return word;
    }

    /// <summary>"/usr/sbin/sshd" → "sshd".</summary>
    private static string Program(string word) => word[(word.LastIndexOf('/') + 1)..];

    private static string Show(IList<string>? parts) => parts is null || parts.Count == 0 ? "(image default)" : "[" + string.Join(", ", parts) + "]";
}
