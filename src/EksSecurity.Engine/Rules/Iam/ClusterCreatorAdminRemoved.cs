using System.Globalization;
using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-002: the principal that created the cluster no longer holds the cluster-admin access EKS gave it.</summary>
public sealed class ClusterCreatorAdminRemoved : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-002",
        Title = "Cluster-creator admin access removed",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "EKS makes the identity that called CreateCluster a cluster administrator unless told otherwise. That identity is often a person's " +
                    "session or a broad pipeline role, its admin access is easy to forget because nothing in the cluster shows it, and anyone who can " +
                    "act as it keeps full control. With access entries the grant is an ordinary entry that can be removed; with aws-auth only, it " +
                    "cannot be removed at all.",
        Remediation = "Remove the policy from the creator's entry: aws eks disassociate-access-policy --cluster-name <cluster> --principal-arn <creator-arn> " +
                      "--policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy, or delete the entry: " +
                      "aws eks delete-access-entry --cluster-name <cluster> --principal-arn <creator-arn> (grant admins their own entries first). " +
                      "On a cluster still in CONFIG_MAP mode, first enable access entries: aws eks update-cluster-config --name <cluster> " +
                      "--access-config authenticationMode=API_AND_CONFIG_MAP. Create new clusters with --access-config bootstrapClusterCreatorAdminPermissions=false.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#iam-cluster-creator",
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_create_cluster_using_an_automated_process",
            "https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html",
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_AccessConfigResponse.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Cluster],
        OptionallyReads = [SnapshotSection.AccessEntries],
        Tags = ["aws", "access-entries", "admin", "cluster-creator"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var cluster = context.Aws.Cluster!.Value;
        if (cluster is null)
        {
            yield return context.Error(context.Cluster, "The cluster description is empty; the cluster creator's access cannot be judged.");
            yield break;
        }
        var mode = cluster.AccessConfig?.AuthenticationMode;
        var bootstrap = cluster.AccessConfig?.BootstrapClusterCreatorAdminPermissions;
        var evidence = new List<string>
        {
            $"accessConfig.authenticationMode = {mode ?? "(not reported)"}",
            $"accessConfig.bootstrapClusterCreatorAdminPermissions = {Text(bootstrap)}",
        };

        if (mode is null or "CONFIG_MAP")
        {
            evidence.Add("without access entries, the creator's admin rights live outside aws-auth and cannot be revoked");
            yield return context.Fail(context.Cluster,
                "The cluster creator holds permanent, invisible cluster-admin rights: the cluster authenticates through aws-auth only, where that grant cannot be removed.",
                evidence);
            yield break;
        }
        if (bootstrap == false)
        {
            yield return context.Pass(context.Cluster, "The cluster was created without cluster-admin access for its creator (bootstrapClusterCreatorAdminPermissions = false).", evidence);
            yield break;
        }
        if (!context.Has(SnapshotSection.AccessEntries))
        {
            evidence.Add(ClusterAccessInventory.Describe(context, SnapshotSection.AccessEntries));
            yield return context.Error(context.Cluster,
                "The creator was granted cluster-admin at creation; whether its access entry still has it could not be checked because the access entries were not collected.", evidence);
            yield break;
        }

        var entries = context.Aws.AccessEntries!.All;
        var creatorArn = context.Settings.ClusterCreatorPrincipalArn?.Trim();
        if (!string.IsNullOrEmpty(creatorArn))
        {
            evidence.Add($"ClusterCreatorPrincipalArn = {creatorArn} (setting)");
            var creator = IamPrincipalArn.Parse(creatorArn);
            var entry = entries.FirstOrDefault(e => SamePrincipal(e.PrincipalArn, creatorArn, creator));
            if (entry is null)
            {
                yield return context.Pass(context.Cluster, $"The cluster creator {creatorArn} has no access entry any more.", evidence);
                yield break;
            }
            evidence.Add($"{entry.PrincipalArn}: {new AccessGrant { Entry = entry }.Describe()}");
            if (entry.AssociatedAccessPolicies is null)
                yield return context.Error(context.Cluster, $"The cluster creator {creatorArn} still has an access entry whose access policies were not listed.", evidence);
            else if (HasClusterAdmin(entry))
                yield return context.Fail(context.Cluster, $"The cluster creator {creatorArn} still has AmazonEKSClusterAdminPolicy on its access entry.", evidence);
            else
                yield return context.Pass(context.Cluster, $"The cluster creator {creatorArn} keeps an access entry, but without AmazonEKSClusterAdminPolicy.", evidence);
            yield break;
        }

        // The creator is not named: its entry is the one EKS made while creating the cluster.
        var created = cluster.CreatedAt;
        var minutes = context.Settings.ClusterCreatorEntryWindowMinutes;
        var window = TimeSpan.FromMinutes(minutes);
        evidence.Add(created is null
            ? "cluster createdAt = (absent)"
            : $"cluster createdAt = {Time(created)}; entries created up to {minutes} minutes later count as the creator's bootstrap entry (ClusterCreatorEntryWindowMinutes)");
        var admins = entries.Where(HasClusterAdmin).ToList();
        var unlisted = entries.Where(e => e.AssociatedAccessPolicies is null).ToList();
        var bootstrapEntries = created is null
            ? []
            : admins.Where(e => e.CreatedAt is { } at && at >= created.Value - TimeSpan.FromMinutes(1) && at <= created.Value + window).ToList();

        if (bootstrapEntries.Count > 0)
        {
            evidence.AddRange(bootstrapEntries.Select(e => $"{e.PrincipalArn}: createdAt {Time(e.CreatedAt)}, {new AccessGrant { Entry = e }.Describe()}"));
            yield return context.Fail(context.Cluster,
                $"The access entry EKS created for the cluster creator still grants AmazonEKSClusterAdminPolicy: {string.Join(", ", bootstrapEntries.Select(e => e.PrincipalArn))}.",
                evidence);
            yield break;
        }

        var undated = created is null ? admins : admins.Where(e => e.CreatedAt is null).ToList();
        if (undated.Count > 0 || unlisted.Count > 0)
        {
            evidence.AddRange(undated.Select(e => $"{e.PrincipalArn}: AmazonEKSClusterAdminPolicy, createdAt {Time(e.CreatedAt)}"));
            evidence.AddRange(unlisted.Select(e => $"{e.PrincipalArn}: access policies not listed"));
            yield return context.Warn(context.Cluster,
                "The cluster creator's entry cannot be told apart: set ClusterCreatorPrincipalArn (from the CreateCluster event in CloudTrail) to judge it.",
                evidence);
            yield break;
        }

        evidence.Add($"{admins.Count} access entr{(admins.Count == 1 ? "y has" : "ies have")} AmazonEKSClusterAdminPolicy, none created with the cluster");
        yield return context.Pass(context.Cluster, "No access entry created with the cluster still grants AmazonEKSClusterAdminPolicy: the creator's bootstrap access is gone.", evidence);
    }

    private static bool HasClusterAdmin(EksAccessEntry entry) =>
        entry.AssociatedAccessPolicies?.Any(p => AccessGrant.PolicyName(p.PolicyArn) == AccessGrant.ClusterAdminPolicy) == true;

    private static bool SamePrincipal(string? entryArn, string creatorArn, IamPrincipalArn? creator)
    {
        if (string.Equals(entryArn?.Trim(), creatorArn, StringComparison.Ordinal)) return true;
        var parsed = IamPrincipalArn.Parse(entryArn);
        return creator is not null && parsed is not null && parsed.SameEntity(creator);
    }

    private static string Text(bool? value) => value is null ? "(not reported)" : value.Value ? "true" : "false";

    private static string Time(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "(absent)";
}
