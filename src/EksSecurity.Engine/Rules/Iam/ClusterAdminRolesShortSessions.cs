using System.Globalization;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-044: IAM roles with cluster-admin access cap their sessions at a short MaxSessionDuration.</summary>
public sealed class ClusterAdminRolesShortSessions : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-044",
        Title = "Roles with cluster-admin have short sessions",
        Severity = Severity.Low,
        Area = RuleArea.Iam,
        Rationale = "Credentials from assuming a role stay valid until they expire, even after the person leaves or the session is noticed; EKS tokens " +
                    "minted from them keep working just as long. For a role that is cluster-admin, a stolen session is a stolen cluster, so the role's " +
                    "MaxSessionDuration should keep that window short.",
        Remediation = "aws iam update-role --role-name <role> --max-session-duration 3600 (in seconds; one hour is the shortest maximum IAM allows). " +
                      "Tools that ask for longer sessions (--duration-seconds) must then re-authenticate more often, which is the point.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_regularly_audit_access_to_the_cluster",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-settings.html#id_roles_update-session-duration",
            "https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateRole.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.IamRoles],
        OptionallyReads = ClusterAccessInventory.Sections,
        Tags = ["aws", "iam", "admin", "sessions", "access-entries", "aws-auth"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var inventory = ClusterAccessInventory.From(context);
        foreach (var error in inventory.GapFindings(context, "whether they are cluster-admin roles with long sessions")) yield return error;

        var max = context.Settings.ClusterAdminMaxSessionSeconds;
        var roles = context.Aws.IamRoles!.All;
        foreach (var principal in inventory.Principals.Where(p => p.Kind == PrincipalKind.Role))
        {
            var unlisted = principal.Grants.Where(g => g.Entry is { AssociatedAccessPolicies: null }).ToList();
            if (!principal.IsClusterAdmin)
            {
                if (unlisted.Count > 0)
                    yield return context.Error(principal.Resource,
                        $"The access policies of {principal.Arn} were not listed, so whether it is a cluster-admin role is unknown.", principal.GrantEvidence());
                continue;
            }
            var evidence = principal.Grants.Where(g => g.IsClusterAdmin).Select(g => $"{principal.Arn}: {g.Describe()}").ToList();
            var role = principal.FindRole(roles);
            if (role is null)
            {
                yield return context.Error(principal.Resource, $"The cluster-admin role {principal.Arn} was not looked up in IAM; its session length cannot be judged.", evidence);
                continue;
            }
            if (role.NoSuchEntity == true) continue; // nobody can assume it; EKS-IAM-006 reports the stale grant
            if (role.MaxSessionDuration is not { } seconds)
            {
                yield return context.Error(principal.Resource, $"IAM did not report MaxSessionDuration for the cluster-admin role {principal.Arn}.", evidence);
                continue;
            }
            evidence.Add($"MaxSessionDuration = {seconds} s ({Hours(seconds)}); allowed at most {max} s (ClusterAdminMaxSessionSeconds)");
            if (seconds > max)
                yield return context.Warn(principal.Resource,
                    $"The cluster-admin role {principal.Arn} allows sessions of up to {Hours(seconds)}, longer than {Hours(max)}.", evidence);
            else
                yield return context.Pass(principal.Resource, $"The cluster-admin role {principal.Arn} limits sessions to {Hours(seconds)}.", evidence);
        }
    }

    private static string Hours(int seconds) =>
        seconds % 3600 == 0 ? $"{seconds / 3600} h" : (seconds / 3600.0).ToString("0.##", CultureInfo.InvariantCulture) + " h";
}
