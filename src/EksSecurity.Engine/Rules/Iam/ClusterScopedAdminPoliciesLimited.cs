using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-003: few principals hold the admin access policies at cluster scope, none of them IAM users, all of them allow-listed.</summary>
public sealed class ClusterScopedAdminPoliciesLimited : Rule
{
    private static readonly string[] AdminPolicies = [AccessGrant.ClusterAdminPolicy, AccessGrant.AdminPolicy];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-003",
        Title = "Cluster-scoped admin access policies are limited",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "AmazonEKSClusterAdminPolicy is the access-entry equivalent of cluster-admin, and AmazonEKSAdminPolicy at cluster scope lets its holder " +
                    "manage RBAC and read every Secret in every namespace. Each principal that holds one is a way to take over the cluster, so the set should " +
                    "be short, known and made of roles: an IAM user's long-lived keys and password are easier to steal than a role's short sessions.",
        Remediation = "Review the list: aws eks list-access-entries --cluster-name <cluster>, then per principal aws eks list-associated-access-policies " +
                      "--cluster-name <cluster> --principal-arn <arn>. Narrow what is not needed: aws eks disassociate-access-policy --cluster-name <cluster> " +
                      "--principal-arn <arn> --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy, and re-associate a narrower " +
                      "policy with --access-scope type=namespace,namespaces=<ns>. Replace IAM users with a role they assume.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_regularly_audit_access_to_the_cluster",
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_use_iam_roles_when_multiple_users_need_identical_access_to_the_cluster",
            "https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.1.1 (analog)", "Kubescape C-0035 (analog)"],
        Reads = [SnapshotSection.Cluster],
        OptionallyReads = [SnapshotSection.AccessEntries],
        Tags = ["aws", "access-entries", "admin", "cis"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var mode = context.Aws.Cluster!.Value?.AccessConfig?.AuthenticationMode;
        if (mode is null or "CONFIG_MAP") yield break; // access entries are not in use; EKS-IAM-004 judges aws-auth
        if (!context.Has(SnapshotSection.AccessEntries))
        {
            yield return context.Error(context.Cluster, "The cluster uses access entries, but they were not collected; who holds cluster-scoped admin is unknown.",
                [$"accessConfig.authenticationMode = {mode}", ClusterAccessInventory.Describe(context, SnapshotSection.AccessEntries)]);
            yield break;
        }
        var settings = context.Settings;
        var entries = context.Aws.AccessEntries!.All.Where(e => !string.IsNullOrWhiteSpace(e.PrincipalArn)).ToList();
        var admins = new List<(EksAccessEntry Entry, List<string> Policies)>();
        var unlisted = new List<EksAccessEntry>();

        foreach (var entry in entries)
        {
            if (entry.AssociatedAccessPolicies is null)
            {
                unlisted.Add(entry);
                continue;
            }
            var held = entry.AssociatedAccessPolicies
                .Where(p => AccessGrant.IsClusterScope(p) && AdminPolicies.Contains(AccessGrant.PolicyName(p.PolicyArn)))
                .Select(p => AccessGrant.PolicyName(p.PolicyArn)).Distinct().ToList();
            if (held.Count > 0) admins.Add((entry, held));
        }

        foreach (var entry in unlisted)
            yield return context.Error(Resource(entry),
                $"The access policies of {entry.PrincipalArn} were not listed, so whether it holds cluster-scoped admin is unknown.",
                [$"{entry.PrincipalArn}: associatedAccessPolicies = (not listed; needs eks:ListAssociatedAccessPolicies)"]);

        foreach (var (entry, held) in admins)
        {
            var arn = entry.PrincipalArn!.Trim();
            var parsed = IamPrincipalArn.Parse(arn);
            var evidence = new List<string> { $"{arn}: {new AccessGrant { Entry = entry }.Describe()}" };
            var problems = new List<string>();
            if (parsed?.Kind == PrincipalKind.User)
                problems.Add("it is an IAM user (long-lived credentials); grant admin to a role instead");
            if (settings.ClusterAdminPrincipalAllowlist.Count > 0)
            {
                var match = WildcardMatch.FirstMatch(arn, settings.ClusterAdminPrincipalAllowlist, StringComparison.OrdinalIgnoreCase);
                if (match is null) problems.Add("it is not in ClusterAdminPrincipalAllowlist");
                else evidence.Add($"allowed by ClusterAdminPrincipalAllowlist pattern {match}");
            }
            var what = string.Join(" and ", held) + " at cluster scope";
            if (problems.Count > 0)
                yield return context.Fail(Resource(entry), $"{arn} holds {what}, but {string.Join("; ", problems)}.", evidence);
            else
                yield return context.Pass(Resource(entry), $"{arn} holds {what} and is an allowed admin principal.", evidence);
        }

        // The count, judged for the cluster as a whole.
        var max = settings.MaxClusterAdminPrincipals;
        var countEvidence = new List<string> { $"MaxClusterAdminPrincipals = {max}" };
        countEvidence.AddRange(admins.Select(a => $"{a.Entry.PrincipalArn}: {string.Join(", ", a.Policies)} @ cluster"));
        if (admins.Count > max)
            yield return context.Fail(context.Cluster,
                $"{admins.Count} principals hold cluster-scoped admin access policies, more than the {max} allowed.", countEvidence);
        else if (unlisted.Count > 0)
            yield return context.Error(context.Cluster,
                $"At least {admins.Count} principal(s) hold cluster-scoped admin access policies; {unlisted.Count} more entr{(unlisted.Count == 1 ? "y" : "ies")} could not be judged, so the count is not known.",
                countEvidence.Concat(unlisted.Select(e => $"{e.PrincipalArn}: access policies not listed")));
        else
            yield return context.Pass(context.Cluster,
                $"{admins.Count} principal(s) hold cluster-scoped admin access policies, within the {max} allowed.", countEvidence);
    }

    private static ResourceRef Resource(EksAccessEntry entry) => new("AccessEntry", null, entry.PrincipalArn!.Trim());
}
