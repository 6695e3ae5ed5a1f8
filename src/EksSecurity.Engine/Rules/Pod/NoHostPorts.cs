using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>EKS-POD-014: no container port is bound to a port of the node (hostPort set and non-zero).</summary>
public sealed class NoHostPorts : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-014",
        Title = "No hostPort",
        Severity = Severity.Medium,
        Area = RuleArea.Pod,
        Rationale = "A hostPort publishes the container on the node's own IP address, outside Services and, with most CNIs, outside NetworkPolicies: " +
                    "anything that can reach the node (the node security group) can reach the pod. It also ties each replica to a node, limits " +
                    "scheduling to one replica per node and port, and can shadow ports node services rely on.",
        Remediation = "Remove hostPort from the container's ports and expose the workload through a Service (ClusterIP, or a LoadBalancer through the " +
                      "AWS Load Balancer Controller):\n" +
                      "ports:\n- name: http\n  containerPort: 8080   # no hostPort\n" +
                      "Enforce with pod-security.kubernetes.io/enforce=baseline.",
        References =
        [
            BestPracticesPodSecurity,
            PodSecurityStandards,
            "https://kubernetes.io/docs/concepts/configuration/overview/#services",
        ],
        Frameworks = ["Prowler core_minimize_admission_hostport_containers", "Kubescape C-0044", "Kubescape C-0204"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "pss-baseline", "network"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            var checks = new List<Check>();
            var ports = 0;
            foreach (var container in source.Containers)
            {
                var index = 0;
                foreach (var port in container.Ports ?? [])
                {
                    ports++;
                    var key = string.IsNullOrEmpty(port.Name) ? index.ToString(System.Globalization.CultureInfo.InvariantCulture) : port.Name;
                    index++;
                    if (port.HostPort is not (null or 0))
                        checks.Add(new Check(container.Path, true,
                            $"{ContainerField(source, container, $"ports[{key}].hostPort")} = {port.HostPort} (containerPort {port.ContainerPort}/{port.Protocol ?? "TCP"})"));
                }
            }
            if (checks.Count == 0)
                checks.Add(new Check("pod", false, $"{source.SpecPath}: no hostPort among {ports} container port(s)"));
            // On hostNetwork pods the API server defaults hostPort to containerPort: say so, EKS-POD-007 is the real issue there.
            string[]? notes = source.Spec.HostNetwork == true && checks.Any(c => c.Offends)
                ? [$"{PodField(source, "hostNetwork")} = true: the API server sets hostPort to containerPort on hostNetwork pods (see EKS-POD-007)"]
                : null;
            yield return Conclude(context, source, checks,
                bad => $"{Describe(source)} binds ports of the node (hostPort) in {string.Join(", ", bad)}.",
                $"{Describe(source)} uses no hostPort.", notes);
        }
    }
}
