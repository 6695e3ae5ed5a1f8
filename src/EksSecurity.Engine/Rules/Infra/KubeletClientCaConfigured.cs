using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-011: the kubelet verifies client certificates against the cluster CA.</summary>
public sealed class KubeletClientCaConfigured : KubeletConfigRule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-011",
        Title = "Kubelet client CA configured",
        Severity = Severity.High,
        Area = RuleArea.Infra,
        Rationale = "The API server calls the kubelet (for exec, logs and port-forward) with a client certificate. Without a client CA file the " +
                    "kubelet cannot verify that certificate, so it cannot tell the API server from any other caller presenting one; " +
                    "certificate-based authentication of the control plane is then simply off.",
        Remediation = HowToSet("      authentication:\n        x509:\n          clientCAFile: /etc/kubernetes/pki/ca.crt\n") +
                      " EKS optimized AMIs write the cluster CA to /etc/kubernetes/pki/ca.crt; a custom bootstrap must do the same.",
        References = [InfrastructureReference, KubeletAuthReference, KubeletConfigReference, CisReference],
        Frameworks = ["CIS EKS 1.8.0 3.2.3", "Kubescape C-0174", "Kubescape C-0070", "Prowler kubelet_client_ca_file_set"],
        Reads = KubeletReads,
        ClusterWide = true,
        Tags = ["cis", "kubelet", "nodes", "configz", "authentication", "tls"],
    };

    protected override Verdict Judge(KubeletConfiguration config, V1Node? node, string who, RuleContext context)
    {
        var file = config.Authentication?.X509?.ClientCaFile;
        var evidence = new[] { $"authentication.x509.clientCAFile = {Show(file, "")}" };
        return string.IsNullOrWhiteSpace(file)
            ? Verdict.Fail($"The kubelet of {who} has no client CA file: it cannot verify the client certificates of its callers.", evidence)
            : Verdict.Pass($"The kubelet of {who} verifies client certificates against {file}.", evidence);
    }
}
