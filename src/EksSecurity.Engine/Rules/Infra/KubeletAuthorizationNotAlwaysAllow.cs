using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-010: the kubelet asks the API server (Webhook) before serving a request, instead of allowing everything.</summary>
public sealed class KubeletAuthorizationNotAlwaysAllow : KubeletConfigRule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-010",
        Title = "Kubelet authorization not AlwaysAllow",
        Severity = Severity.Critical,
        Area = RuleArea.Infra,
        Rationale = "In Webhook mode the kubelet checks each caller's RBAC rights on nodes/proxy, nodes/log and the other kubelet subresources with " +
                    "the API server. In AlwaysAllow mode any caller it authenticates, and every anonymous caller when anonymous authentication is on, " +
                    "may exec into any container on the node, read its logs and list its pods, outside RBAC and outside the audit log.",
        Remediation = HowToSet("      authorization:\n        mode: Webhook\n"),
        References = [InfrastructureReference, KubeletAuthReference, KubeletConfigReference, CisReference],
        Frameworks = ["CIS EKS 1.8.0 3.2.2", "Kubescape C-0173", "Prowler kubelet_authorization_mode"],
        Reads = KubeletReads,
        ClusterWide = true,
        Tags = ["cis", "kubelet", "nodes", "configz", "authorization"],
    };

    protected override Verdict Judge(KubeletConfiguration config, V1Node? node, string who, RuleContext context)
    {
        var mode = config.Authorization?.Mode;
        var evidence = new[] { $"authorization.mode = {Show(mode, "Webhook")}" };
        var effective = string.IsNullOrEmpty(mode) ? "Webhook" : mode;
        if (string.Equals(effective, "AlwaysAllow", StringComparison.OrdinalIgnoreCase))
            return Verdict.Fail($"The kubelet of {who} authorizes every request it authenticates (authorization.mode is AlwaysAllow).", evidence);
        if (string.Equals(effective, "Webhook", StringComparison.OrdinalIgnoreCase))
            return Verdict.Pass($"The kubelet of {who} authorizes requests through the API server (Webhook).", evidence);
        return Verdict.Error($"The kubelet of {who} reports an unknown authorization mode '{mode}'; it cannot be judged.", evidence);
    }
}
