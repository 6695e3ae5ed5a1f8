using EksSecurity.Engine.Aws.Policy;
using EksSecurity.Engine.Identity;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-035: no IAM OIDC provider or role trust points at the issuer of an EKS cluster that no longer exists.</summary>
public sealed class NoTrustInStaleOidcProviders : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-035",
        Title = "No trust to stale OIDC providers",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "When a cluster is deleted, its IAM OIDC provider and the IRSA roles that trust it stay behind. They are dead weight at best; " +
                    "at worst a role still trusts an issuer nobody watches any more, and the inventory of who can assume what drifts from reality. " +
                    "A cluster whose issuer has no IAM provider, on the other hand, cannot use IRSA at all although its service accounts ask for it.",
        Remediation = "Delete providers of clusters that are gone (aws iam delete-open-id-connect-provider --open-id-connect-provider-arn <arn>) and " +
                      "remove the statements that trust them from role trust policies, or delete the roles (aws iam update-assume-role-policy / " +
                      "aws iam delete-role). For a cluster without a provider: eksctl utils associate-iam-oidc-provider --cluster <cluster> --approve.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_use_dedicated_service_accounts_for_each_application",
            "https://docs.aws.amazon.com/eks/latest/userguide/enable-iam-roles-for-service-accounts.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.OidcProviders, SnapshotSection.AccountClusters],
        OptionallyReads = [SnapshotSection.AccountRoles, SnapshotSection.Cluster, SnapshotSection.ServiceAccounts],
        ClusterWide = true,
        Tags = ["aws", "iam", "irsa", "oidc", "hygiene"],
    };

    private const string EksIssuerPrefix = "oidc.eks.";

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var region = context.Snapshot.Region ?? "";
        // Issuers of the clusters that exist in the scanned region; other regions' clusters were not listed.
        var live = context.Aws.AccountClusters!.All.Select(c => c.Identity?.Oidc?.Issuer).OfType<string>()
            .Select(TrustPolicy.IssuerHostPath).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (context.Aws.Cluster?.Value?.Identity?.Oidc?.Issuer is { } own) live.Add(TrustPolicy.IssuerHostPath(own));
        var clusters = $"clusters in {region}: {Rbac.List(context.Aws.AccountClusters.All.Select(c => c.Name ?? "(unnamed)"))}";

        bool Judgeable(string hostPath) => TrustPolicy.EksIssuerRegion(hostPath) == region;
        string Verdict(string hostPath) => live.Contains(hostPath) ? "live" : Judgeable(hostPath) ? "stale" : "other region";

        var providers = context.Aws.OidcProviders!.All.Where(p => p.Url?.StartsWith(EksIssuerPrefix, StringComparison.OrdinalIgnoreCase) == true).ToList();
        foreach (var provider in providers)
        {
            var hostPath = TrustPolicy.IssuerHostPath(provider.Url!);
            var resource = new ResourceRef("IamOidcProvider", null, provider.Arn ?? hostPath);
            switch (Verdict(hostPath))
            {
                case "live":
                    yield return context.Pass(resource, $"The OIDC provider {hostPath} belongs to a cluster that exists.", [clusters]);
                    break;
                case "stale":
                    yield return context.Fail(resource, $"The OIDC provider {hostPath} belongs to no EKS cluster in {region}: its cluster is gone.",
                        [clusters, $"provider created {provider.CreateDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "(unknown)"}"]);
                    break;
            }
        }

        if (!context.Has(SnapshotSection.AccountRoles))
            yield return context.Error(context.Cluster, "Which roles trust a stale issuer was not judged: the account's roles were not listed.",
                [new WorkloadIdentityFacts(context.Snapshot).Missing(SnapshotSection.AccountRoles)]);
        else
        {
            foreach (var role in context.Aws.AccountRoles!.All)
            {
                var (trust, _) = WorkloadIdentityFacts.TrustOf(role);
                if (trust is null) continue;
                var stale = TrustPolicy.WebIdentityProviders(trust)
                    .Select(TrustPolicy.OidcIssuer).OfType<string>()
                    .Where(i => i.StartsWith(EksIssuerPrefix, StringComparison.OrdinalIgnoreCase) && Verdict(i) == "stale").ToList();
                if (stale.Count > 0)
                    yield return context.Fail(new ResourceRef("IamRole", null, role.Arn ?? role.RoleName ?? "(unnamed)"),
                        $"The role {role.RoleName} trusts the issuer of a cluster that no longer exists: {string.Join(", ", stale)}.", [clusters]);
            }
        }

        // This cluster: service accounts ask for IRSA, but IAM has no provider for its issuer.
        if (context.Aws.Cluster?.Value?.Identity?.Oidc?.Issuer is { } issuer && context.Has(SnapshotSection.ServiceAccounts))
        {
            var hostPath = TrustPolicy.IssuerHostPath(issuer);
            var asking = context.Kubernetes.ServiceAccounts!.All.Where(sa => WorkloadIdentityFacts.RoleArnOf(sa) is not null).ToList();
            if (asking.Count > 0 && !providers.Any(p => string.Equals(TrustPolicy.IssuerHostPath(p.Url!), hostPath, StringComparison.OrdinalIgnoreCase)))
                yield return context.Warn(context.Cluster, $"{asking.Count} service account(s) carry IRSA annotations, but IAM has no OIDC provider for this cluster's issuer {hostPath}: STS refuses their tokens.",
                    asking.Select(sa => $"{sa.Metadata?.NamespaceProperty}/{sa.Metadata?.Name}"));
        }
    }
}
