using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-014: the kubelet manages its iptables utility chains.</summary>
public sealed class KubeletMakesIptablesUtilChains : KubeletConfigRule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-014",
        Title = "makeIPTablesUtilChains true",
        Severity = Severity.Low,
        Area = RuleArea.Infra,
        Rationale = "With makeIPTablesUtilChains the kubelet creates and keeps the iptables chains that mark and drop packets for kube-proxy and " +
                    "the CNI. Turned off, those chains must be maintained by hand; when they drift, traffic that should be dropped (to closed " +
                    "NodePorts, to firewalled ports) can get through, and pod networking rules no longer match what Kubernetes intends.",
        Remediation = HowToSet("      makeIPTablesUtilChains: true\n") + " Or remove the setting: true is the default.",
        References = [InfrastructureReference, KubeletConfigReference, CisReference],
        Frameworks = ["CIS EKS 1.8.0 3.2.6", "Kubescape C-0178", "Prowler kubelet_manage_iptables"],
        Reads = KubeletReads,
        ClusterWide = true,
        Tags = ["cis", "kubelet", "nodes", "configz", "network"],
    };

    protected override Verdict Judge(KubeletConfiguration config, V1Node? node, string who, RuleContext context)
    {
        var value = config.MakeIPTablesUtilChains;
        var evidence = new[] { $"makeIPTablesUtilChains = {Show(value, true)}" };
        return value ?? true
            ? Verdict.Pass($"The kubelet of {who} manages its iptables utility chains.", evidence)
            : Verdict.Fail($"The kubelet of {who} does not manage its iptables utility chains (makeIPTablesUtilChains is false).", evidence);
    }
}
