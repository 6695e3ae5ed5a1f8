using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-016: the kubelet renews its client certificate before it expires.</summary>
public sealed class KubeletClientCertRotation : KubeletConfigRule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-016",
        Title = "Kubelet client certificate rotation on",
        Severity = Severity.Medium,
        Area = RuleArea.Infra,
        Rationale = "With rotateCertificates the kubelet requests a new client certificate from the API server as the current one nears expiry. " +
                    "Without it, a kubelet that authenticates with a certificate keeps a long-lived credential that is stolen once and useful " +
                    "until it expires, and the node drops out of the cluster on the day it does. (EKS optimized AMIs authenticate the kubelet " +
                    "with an IAM token, which expires by itself; the setting still matters on nodes bootstrapped with certificates, and costs nothing elsewhere.)",
        Remediation = HowToSet("      rotateCertificates: true\n"),
        References = [InfrastructureReference, "https://kubernetes.io/docs/tasks/tls/certificate-rotation/", KubeletConfigReference, CisReference],
        Frameworks = ["CIS EKS 1.8.0 3.2.8", "Kubescape C-0181", "Prowler kubelet_rotate_certificates"],
        Reads = KubeletReads,
        ClusterWide = true,
        Tags = ["cis", "kubelet", "nodes", "configz", "tls"],
    };

    protected override Verdict Judge(KubeletConfiguration config, V1Node? node, string who, RuleContext context)
    {
        var value = config.RotateCertificates;
        var evidence = new[] { $"rotateCertificates = {Show(value, false)}" };
        return value ?? false
            ? Verdict.Pass($"The kubelet of {who} rotates its client certificate.", evidence)
            : Verdict.Fail($"The kubelet of {who} does not rotate its client certificate (rotateCertificates is {(value is null ? "absent, which means false" : "false")}).", evidence);
    }
}
