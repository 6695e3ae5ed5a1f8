using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-017: the kubelet gets its serving certificate from the API server and renews it (serverTLSBootstrap and the RotateKubeletServerCertificate gate).</summary>
public sealed class KubeletServingCertRotation : KubeletConfigRule
{
    private const string Gate = "RotateKubeletServerCertificate";

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-017",
        Title = "Kubelet serving-cert rotation on",
        Severity = Severity.Medium,
        Area = RuleArea.Infra,
        Rationale = "The kubelet's serving certificate is what the API server and metrics clients verify when they connect to port 10250. Unless the " +
                    "kubelet bootstraps it from the cluster CA (serverTLSBootstrap) with rotation enabled, it generates a self-signed certificate " +
                    "that no client can verify and that is never renewed, so callers skip verification and a node's identity can be impersonated.",
        Remediation = HowToSet("      serverTLSBootstrap: true\n      featureGates:\n        RotateKubeletServerCertificate: true\n") +
                      " EKS approves the kubelet-serving certificate requests of its nodes; check with kubectl get csr.",
        References = [InfrastructureReference, "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/", KubeletConfigReference, CisReference],
        Frameworks = ["CIS EKS 1.8.0 3.2.9", "Kubescape C-0183"],
        Reads = KubeletReads,
        ClusterWide = true,
        Tags = ["cis", "kubelet", "nodes", "configz", "tls"],
    };

    protected override Verdict Judge(KubeletConfiguration config, V1Node? node, string who, RuleContext context)
    {
        bool? gate = config.FeatureGates?.TryGetValue(Gate, out var g) == true ? g : null;
        var bootstrap = config.ServerTlsBootstrap;
        var evidence = new[]
        {
            $"featureGates.{Gate} = {Show(gate, true)}",
            $"serverTLSBootstrap = {Show(bootstrap, false)}",
        };
        var problems = new List<string>();
        if (gate == false) problems.Add($"the {Gate} feature gate is off");
        if (!(bootstrap ?? false)) problems.Add(bootstrap is null ? "serverTLSBootstrap is absent (default false): the serving certificate is self-signed" : "serverTLSBootstrap is false: the serving certificate is self-signed");
        return problems.Count > 0
            ? Verdict.Fail($"The kubelet of {who} does not rotate a CA-issued serving certificate: {string.Join("; ", problems)}.", evidence)
            : Verdict.Pass($"The kubelet of {who} requests its serving certificate from the cluster CA and rotates it.", evidence);
    }
}
