using System.Globalization;
using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-012: the kubelet's unauthenticated read-only port is off.</summary>
public sealed class KubeletReadOnlyPortDisabled : KubeletConfigRule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-012",
        Title = "Kubelet read-only port disabled",
        Severity = Severity.Medium,
        Area = RuleArea.Infra,
        Rationale = "The read-only port (historically 10255) serves the node's pod list, pod specs with their environment variables, and metrics " +
                    "over plain HTTP with no authentication or authorization at all. Any pod that can reach the node's address can read them, " +
                    "which maps the workloads for an attacker and can leak configuration passed through the environment.",
        Remediation = HowToSet("      readOnlyPort: 0\n") + " Move anything still scraping port 10255 to the authenticated port 10250.",
        References = [InfrastructureReference, KubeletAuthReference, KubeletConfigReference, CisReference],
        Frameworks = ["CIS EKS 1.8.0 3.2.4", "Kubescape C-0175", "Prowler kubelet_disable_read_only_port"],
        Reads = KubeletReads,
        ClusterWide = true,
        Tags = ["cis", "kubelet", "nodes", "configz", "authentication"],
    };

    protected override Verdict Judge(KubeletConfiguration config, V1Node? node, string who, RuleContext context)
    {
        var port = config.ReadOnlyPort;
        var evidence = new[] { $"readOnlyPort = {Show(port, 0)}" };
        var effective = port ?? 0;
        return effective != 0
            ? Verdict.Fail($"The kubelet of {who} serves its read-only API without authentication on port {effective.ToString(CultureInfo.InvariantCulture)}.", evidence)
            : Verdict.Pass($"The kubelet of {who} has the read-only port disabled.", evidence);
    }
}
