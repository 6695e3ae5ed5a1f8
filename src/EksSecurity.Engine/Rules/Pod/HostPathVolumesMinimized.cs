using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>EKS-POD-011: pod specs declare no hostPath volume (mounted or not).</summary>
public sealed class HostPathVolumesMinimized : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-011",
        Title = "Minimize hostPath volumes",
        Severity = Severity.Medium,
        Area = RuleArea.Pod,
        Rationale = "A hostPath volume hands a directory or file of the node to the pod. Depending on the path it exposes other pods' data and logs, " +
                    "the kubelet's credentials, the container runtime socket or the node's configuration, and a writable one lets the pod plant files " +
                    "the node later executes. Kubernetes cannot limit which paths a pod asks for once hostPath is allowed.",
        Remediation = "Replace hostPath volumes with emptyDir, configMap, secret, projected or persistentVolumeClaim volumes (EBS or EFS through their CSI drivers):\n" +
                      "volumes:\n- name: scratch\n  emptyDir: {}\n" +
                      "Where a node agent really needs a host path, run it in a dedicated namespace, mount it readOnly: true (EKS-POD-012) and record it as an exclusion. " +
                      "Enforce with pod-security.kubernetes.io/enforce=baseline, which rejects hostPath.",
        References =
        [
            BestPracticesPodSecurity,
            PodSecurityStandards,
            "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        ],
        Frameworks = ["Prowler core_minimize_hostpath_volume_mounts", "Kubescape C-0048", "Kubescape C-0203"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "pss-baseline", "hostpath"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            var checks = HostPathVolumes(source)
                .Select(h => new Check($"volumes[{h.Volume.Name}]", true,
                    $"{HostPathField(source, h.Volume)} = {h.Path}" +
                    (string.IsNullOrEmpty(h.Volume.HostPath.Type) ? "" : $" (type {h.Volume.HostPath.Type})") +
                    $"; {MountedByText(source, h.Volume.Name)}"))
                .ToList();
            if (checks.Count == 0)
            {
                var count = source.Spec.Volumes?.Count ?? 0;
                checks.Add(new Check("pod", false, $"{PodField(source, "volumes")}: no hostPath volume among {count} volume(s)"));
            }
            yield return Conclude(context, source, checks,
                bad => $"{Describe(source)} declares {bad.Count} hostPath volume(s): {string.Join(", ", bad)}.",
                $"{Describe(source)} declares no hostPath volume.");
        }
    }
}
