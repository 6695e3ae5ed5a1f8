using k8s.Models;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// EKS-NET-017 (advisory): the AWS Private CA issuer for cert-manager (aws-privateca-issuer) is installed, so in-cluster
/// services can get certificates from an AWS Private CA. Informational Warning when it is absent, naming cert-manager when found.
/// </summary>
public sealed class PrivateCaIssuerForInClusterTls : Rule
{
    private const string IssuerName = "aws-privateca-issuer";

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-017",
        Title = "Private CA issuer for in-cluster TLS",
        Severity = Severity.Informational,
        Area = RuleArea.Net,
        Rationale = "Traffic between pods is clear text unless the services encrypt it. Issuing their certificates from AWS Private CA " +
                    "through cert-manager gives every service a certificate from a CA the organisation controls, audits in CloudTrail and " +
                    "can revoke, renewed automatically, so encrypting east-west traffic does not depend on hand-made or self-signed certificates.",
        Remediation = "Install cert-manager (the EKS add-on cert-manager, or its Helm chart) and the AWS Private CA issuer: " +
                      "helm repo add awspca https://cert-manager.github.io/aws-privateca-issuer && helm install aws-privateca-issuer " +
                      "awspca/aws-privateca-issuer -n aws-privateca-issuer --create-namespace; give its service account acm-pca:IssueCertificate " +
                      "and acm-pca:GetCertificate on the CA (IRSA or Pod Identity), then create an AWSPCAClusterIssuer and request Certificates from it. " +
                      "A service mesh with mutual TLS is an alternative. This check is advisory.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html#_acm_private_ca_with_cert_manager",
            "https://github.com/cert-manager/aws-privateca-issuer",
            "https://cert-manager.io/docs/",
        ],
        Frameworks = ["HardenEKS check_awspca_exists"],
        Reads = [SnapshotSection.Deployments],
        OptionallyReads = [SnapshotSection.Pods, SnapshotSection.Services, SnapshotSection.Addons],
        ClusterWide = true,
        Tags = ["network", "tls", "encryption-in-transit", "advisory"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var evidence = new List<string>();
        var issuers = new List<string>();
        var certManager = new List<string>();

        void Look(string kind, V1ObjectMeta? meta, V1PodSpec? spec)
        {
            var name = meta?.Name ?? "";
            var images = (spec?.Containers ?? []).Select(c => c.Image ?? "").ToList();
            var where = $"{kind} {meta?.NamespaceProperty}/{name}";
            if (name.Contains(IssuerName, StringComparison.OrdinalIgnoreCase) || images.Any(i => i.Contains(IssuerName, StringComparison.OrdinalIgnoreCase)))
                issuers.Add(where);
            else if (name == "cert-manager" || images.Any(i => i.Contains("cert-manager-controller", StringComparison.OrdinalIgnoreCase)))
                certManager.Add(where);
        }

        foreach (var d in context.Kubernetes.Deployments!.All) Look("Deployment", d.Metadata, d.Spec?.Template?.Spec);
        if (context.Has(SnapshotSection.Pods))
            foreach (var p in context.Kubernetes.Pods!.All.Where(p => p.Metadata?.OwnerReferences is not { Count: > 0 }))
                Look("Pod", p.Metadata, p.Spec);
        if (context.Has(SnapshotSection.Services))
            foreach (var s in context.Kubernetes.Services!.All.Where(s => s.Metadata?.Name?.Contains(IssuerName, StringComparison.OrdinalIgnoreCase) == true))
                issuers.Add($"Service {s.Metadata!.NamespaceProperty}/{s.Metadata.Name}");
        if (context.Has(SnapshotSection.Addons) && context.Aws.Addons!.All.FirstOrDefault(a => a.AddonName == "cert-manager") is { } addon)
            certManager.Add($"EKS add-on cert-manager {addon.AddonVersion}".TrimEnd());

        evidence.Add(issuers.Count > 0 ? $"AWS Private CA issuer: {string.Join(", ", issuers.Distinct())}" : "AWS Private CA issuer: not found");
        evidence.Add(certManager.Count > 0 ? $"cert-manager: {string.Join(", ", certManager.Distinct())}" : "cert-manager: not found");
        evidence.Add("AWSPCAClusterIssuer and cert-manager Certificate objects are not in the snapshot");

        if (issuers.Count > 0)
            yield return context.Pass(context.Cluster, "The AWS Private CA issuer for cert-manager is installed: in-cluster services can get certificates from AWS Private CA.", evidence);
        else
            yield return context.Warn(context.Cluster,
                certManager.Count > 0
                    ? "cert-manager is installed but the AWS Private CA issuer is not; consider issuing in-cluster certificates from AWS Private CA."
                    : "No AWS Private CA issuer (nor cert-manager) is installed; consider it for encrypting in-cluster traffic.",
                evidence, Severity.Informational);
    }
}
