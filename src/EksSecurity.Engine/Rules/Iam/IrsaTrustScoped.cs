using EksSecurity.Engine.Identity;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-034: the trust policy of every IRSA role lets in exactly its service account, of this cluster, with the STS audience.</summary>
public sealed class IrsaTrustScoped : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-034",
        Title = "IRSA role trust policy scoped to namespace, service account and cluster",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "An IRSA role is assumed with a service account token the cluster signs. If its trust policy does not pin the token's sub claim " +
                    "to one namespace and service account (StringEquals, no wildcard) and its aud claim to sts.amazonaws.com, any pod that runs as another " +
                    "service account of the cluster - or, with trust in other issuers, of another cluster - can assume the role and use its permissions.",
        Remediation = "Rewrite the trust policy with exactly one subject: New-EksIrsaTrustPolicy -ClusterName <cluster> -Namespace <ns> -ServiceAccount <sa> | " +
                      "Set-Content trust.json; aws iam update-assume-role-policy --role-name <role> --policy-document file://trust.json. Use StringEquals on " +
                      "<issuer>:sub = system:serviceaccount:<ns>:<sa> and <issuer>:aud = sts.amazonaws.com, and remove statements for other clusters' issuers " +
                      "unless a blue/green migration needs them for a while.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_scope_the_iam_role_trust_policy_for_irsa_roles_to_the_service_account_name_namespace_and_cluster",
            "https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Cluster, SnapshotSection.ServiceAccounts, SnapshotSection.IamRoles],
        OptionallyReads = [SnapshotSection.OidcProviders],
        Tags = ["aws", "iam", "irsa", "workload-identity", "trust-policy"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var analyzer = new IrsaAnalyzer(new WorkloadIdentityFacts(context.Snapshot));
        foreach (var sa in context.Kubernetes.ServiceAccounts!.All.Where(sa => WorkloadIdentityFacts.RoleArnOf(sa) is not null))
        {
            var result = analyzer.Analyze(sa, trustOnly: true);
            var resource = ResourceRef.Of("ServiceAccount", sa.Metadata);
            // IAM's OIDC provider is Test-EksIrsa's question; the rule judges the trust policy.
            var checks = result.Checks.Where(c => c.Id == IrsaAnalyzer.Annotation ? c.Status != FindingStatus.Pass : IrsaAnalyzer.TrustChecks.Contains(c.Id));
            yield return WorkloadIdentityFindings.From(context, resource, checks,
                $"The trust policy of {result.RoleArn} lets in only {result.Namespace}/{result.ServiceAccount} of this cluster, with the STS audience.");
        }
    }
}
