using EksSecurity.Engine.Rules.Infra;

namespace EksSecurity.Engine.Rules.Runtime;

/// <summary>EKS-RUNTIME-006: inventory of sandboxed execution: RuntimeClasses with a VM or user-space-kernel handler, and Fargate.</summary>
public sealed class SandboxedRuntimeAvailable : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-RUNTIME-006",
        Title = "Sandboxed runtime available for untrusted workloads",
        Severity = Severity.Informational,
        Area = RuleArea.Runtime,
        Rationale = "Ordinary containers share the node's kernel, so one kernel vulnerability is enough to escape to the node and every other pod " +
                    "on it. Code you do not trust (customer code, build jobs, plugins) is safer in a sandbox with its own kernel: a micro-VM per pod " +
                    "on Fargate, or a RuntimeClass backed by Kata Containers or gVisor. This inventory shows whether such a place exists and what uses it.",
        Remediation = "Run untrusted workloads on Fargate (aws eks create-fargate-profile --cluster-name <cluster> --fargate-profile-name untrusted " +
                      "--selectors namespace=<ns>), or install a sandboxed runtime on a dedicated node group and expose it as a RuntimeClass:\n" +
                      "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata:\n  name: gvisor\nhandler: runsc\n" +
                      "then set runtimeClassName: gvisor on those pods. Add other handlers to the SandboxRuntimeHandlers setting.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/tenant-isolation.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/fargate.html",
            "https://kubernetes.io/docs/concepts/containers/runtime-class/",
            "https://gvisor.dev/docs/user_guide/containerd/quick_start/",
        ],
        Frameworks = ["Kubescape C-0233", "Kubescape C-0297"],
        Reads = [SnapshotSection.RuntimeClasses],
        OptionallyReads = [SnapshotSection.FargateProfiles, SnapshotSection.Nodes, SnapshotSection.Pods],
        ClusterWide = true,
        Tags = ["runtime", "sandbox", "multi-tenancy", "fargate", "inventory"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var evidence = new List<string>();
        var sandboxes = new List<string>();
        var sandboxClasses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rc in context.Kubernetes.RuntimeClasses!.All)
        {
            var name = rc.Metadata?.Name ?? "(unnamed)";
            var handler = rc.Handler ?? "";
            var sandboxed = context.Settings.SandboxRuntimeHandlers.Any(p => WildcardMatch.IsMatch(handler, p, StringComparison.OrdinalIgnoreCase));
            evidence.Add($"RuntimeClass {name}: handler = {(handler.Length == 0 ? "(none)" : handler)}{(sandboxed ? " (sandboxed)" : "")}");
            if (sandboxed)
            {
                sandboxClasses.Add(name);
                sandboxes.Add($"RuntimeClass {name} ({handler})");
            }
        }
        if (context.Has(SnapshotSection.FargateProfiles))
            foreach (var profile in context.Aws.FargateProfiles!.All)
            {
                var selectors = string.Join(", ", (profile.Selectors ?? []).Select(s => s.Namespace ?? "(any)"));
                evidence.Add($"Fargate profile {profile.FargateProfileName ?? "(unnamed)"}: namespaces {(selectors.Length == 0 ? "(none)" : selectors)}, status {profile.Status ?? "(absent)"}");
                sandboxes.Add($"Fargate profile {profile.FargateProfileName ?? "(unnamed)"}");
            }
        else
            evidence.Add($"Fargate profiles: not collected ({context.Snapshot.DescribeSection(SnapshotSection.FargateProfiles).Status})");
        if (context.Has(SnapshotSection.Nodes))
        {
            var fargateNodes = context.Kubernetes.Nodes!.All.Count(NodeFacts.IsFargate);
            if (fargateNodes > 0) evidence.Add($"Fargate nodes running: {fargateNodes}");
        }
        if (context.Has(SnapshotSection.Pods) && sandboxClasses.Count > 0)
        {
            var users = context.Kubernetes.Pods!.All.Where(p => p.Spec?.RuntimeClassName is { } c && sandboxClasses.Contains(c))
                .Select(p => $"{p.Metadata?.NamespaceProperty}/{p.Metadata?.Name}").ToList();
            evidence.Add(users.Count == 0 ? "pods using a sandboxed RuntimeClass: none" : $"pods using a sandboxed RuntimeClass: {Pod.PodRuleSupport.JoinCapped(users, 10)}");
        }

        if (sandboxes.Count > 0)
            yield return context.Pass(context.Cluster, $"Sandboxed execution is available: {Pod.PodRuleSupport.JoinCapped(sandboxes, 10)}.", evidence);
        else
            yield return context.Warn(context.Cluster,
                "No sandboxed runtime is available: every pod shares its node's kernel. Untrusted workloads have nowhere isolated to run.", evidence);
    }
}
