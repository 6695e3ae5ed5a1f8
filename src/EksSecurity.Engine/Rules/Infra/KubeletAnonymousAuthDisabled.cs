using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-009: the kubelet does not serve requests without credentials.</summary>
public sealed class KubeletAnonymousAuthDisabled : KubeletConfigRule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-009",
        Title = "Kubelet anonymous auth disabled",
        Severity = Severity.Critical,
        Area = RuleArea.Infra,
        Rationale = "The kubelet API on port 10250 lists pods, streams their logs and runs commands in their containers. With anonymous " +
                    "authentication on, a request without any credential is accepted as system:anonymous, so anything that can reach the node's " +
                    "address, a compromised pod included, can probe that API; one permissive binding or AlwaysAllow authorization away from " +
                    "running code in every container on the node.",
        Remediation = HowToSet("      authentication:\n        anonymous:\n          enabled: false\n"),
        References = [InfrastructureReference, KubeletAuthReference, KubeletConfigReference, CisReference],
        Frameworks = ["CIS EKS 1.8.0 3.2.1", "Kubescape C-0172", "Kubescape C-0069", "Prowler kubelet_disable_anonymous_auth"],
        Reads = KubeletReads,
        ClusterWide = true,
        Tags = ["cis", "kubelet", "nodes", "configz", "authentication"],
    };

    protected override Verdict Judge(KubeletConfiguration config, V1Node? node, string who, RuleContext context)
    {
        var value = config.Authentication?.Anonymous?.Enabled;
        var evidence = new[]
        {
            $"authentication.anonymous.enabled = {Show(value, false)}",
            $"authentication.webhook.enabled = {Show(config.Authentication?.Webhook?.Enabled, true)}",
        };
        return value ?? false
            ? Verdict.Fail($"The kubelet of {who} accepts anonymous requests (authentication.anonymous.enabled is true).", evidence)
            : Verdict.Pass($"The kubelet of {who} rejects anonymous requests.", evidence);
    }
}
