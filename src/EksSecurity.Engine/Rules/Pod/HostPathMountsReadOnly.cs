using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>EKS-POD-012: every mount of a hostPath volume, in any container, is readOnly: true.</summary>
public sealed class HostPathMountsReadOnly : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-012",
        Title = "hostPath mounts are read-only",
        Severity = Severity.High,
        Area = RuleArea.Pod,
        Rationale = "A hostPath mounted read-write lets the pod change the node itself: plant a binary, a cron entry or a systemd unit, rewrite the " +
                    "kubelet's configuration or certificates, or tamper with other pods' data and logs. Mounted read-only, the same path can still leak " +
                    "information but no longer gives the pod a way to persist on or take over the node.",
        Remediation = "Mount every hostPath volume with readOnly: true, in init and ephemeral containers too, or replace it (EKS-POD-011):\n" +
                      "volumeMounts:\n- name: varlog\n  mountPath: /var/log\n  readOnly: true\n" +
                      "Note that readOnly on the volumeMount is what counts; the hostPath type does not make a mount read-only.",
        References =
        [
            BestPracticesPodSecurity,
            "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        ],
        Frameworks = ["HardenEKS disallow_host_path_or_make_it_read_only", "Kubescape C-0045"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "hostpath"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            var hostPaths = HostPathVolumes(source)
                .Where(h => h.Volume.Name is not null)
                .GroupBy(h => h.Volume.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Path, StringComparer.Ordinal);
            var checks = new List<Check>();
            foreach (var container in source.Containers)
            {
                foreach (var mount in container.VolumeMounts ?? [])
                {
                    if (mount.Name is null || !hostPaths.TryGetValue(mount.Name, out var hostPath)) continue;
                    var readOnly = mount.ReadOnlyProperty == true;
                    checks.Add(new Check(container.Path, !readOnly,
                        $"{ContainerField(source, container, $"volumeMounts[{mount.MountPath}]")}: hostPath {hostPath} (volume {mount.Name}) " +
                        (readOnly ? "readOnly = true" : $"readOnly = {Show(mount.ReadOnlyProperty)}: read-write")));
                }
            }
            if (checks.Count == 0)
                checks.Add(new Check("pod", false, hostPaths.Count == 0
                    ? $"{PodField(source, "volumes")}: no hostPath volume"
                    : $"{PodField(source, "volumes")}: hostPath volume(s) {string.Join(", ", hostPaths.Keys)} mounted by no container"));
            yield return Conclude(context, source, checks,
                bad => $"{Describe(source)} mounts a hostPath read-write in {string.Join(", ", bad)}.",
                $"{Describe(source)} mounts no hostPath read-write.");
        }
    }
}
