using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>
/// EKS-POD-015: no hostPath volume exposes AWS credentials or the node's Kubernetes configuration
/// (<see cref="RuleSettings.CredentialHostPaths"/>): the path itself, anything inside it, or a directory above it.
/// </summary>
public sealed class NoCredentialHostPathsMounted : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-015",
        Title = "No credential or node-config paths mounted",
        Severity = Severity.High,
        Area = RuleArea.Pod,
        Rationale = "Some node paths are credentials: ~/.aws holds AWS access keys, /var/lib/kubelet and /var/lib/kubelet/pki the kubelet's client " +
                    "certificate and the projected tokens of every pod on the node, /etc/kubernetes and /etc/eks the kubelet's kubeconfig and bootstrap " +
                    "configuration. A pod that mounts them, or a directory above them, can act as the node or as another workload, in the cluster and in AWS.",
        Remediation = "Remove the hostPath volume. Give the workload its own AWS identity with EKS Pod Identity or IRSA instead of reading " +
                      "credential files, and its own Kubernetes identity through its service account:\n" +
                      "# remove\nvolumes:\n- name: aws\n  hostPath:\n    path: /root/.aws\n" +
                      "# use instead\nspec:\n  serviceAccountName: app   # associated with an IAM role via Pod Identity or IRSA",
        References =
        [
            BestPracticesPodSecurity,
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html",
            "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        ],
        Frameworks = ["Kubescape C-0020"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "hostpath", "credentials"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var patterns = context.Settings.CredentialHostPaths.Select(HostPathPattern.Parse).ToList();
        foreach (var source in context.Index.PodSpecs)
        {
            var checks = new List<Check>();
            var hostPathCount = 0;
            foreach (var (volume, raw) in HostPathVolumes(source))
            {
                hostPathCount++;
                var normalized = NormalizeHostPath(raw);
                var line = $"{HostPathField(source, volume)} = {ShowPath(raw, normalized)}";
                var hits = patterns.Select(p => p.Describe(normalized)).OfType<string>().ToList();
                checks.Add(hits.Count == 0
                    ? new Check($"volumes[{volume.Name}]", false, $"{line}: no credential or node-config path")
                    : new Check($"volumes[{volume.Name}]", true, $"{line}: {string.Join("; ", hits)}; {MountedByText(source, volume.Name)}"));
            }
            if (hostPathCount == 0)
                checks.Add(new Check("pod", false, $"{PodField(source, "volumes")}: no hostPath volume"));
            yield return Conclude(context, source, checks,
                bad => $"{Describe(source)} mounts credential or node-config paths of the node: {string.Join(", ", bad)}.",
                $"{Describe(source)} mounts no credential or node-config path.");
        }
    }
}
