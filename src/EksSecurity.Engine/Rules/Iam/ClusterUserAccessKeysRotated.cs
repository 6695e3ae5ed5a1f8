using System.Globalization;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-043: the active access keys of IAM users with cluster access are young and in use.</summary>
public sealed class ClusterUserAccessKeysRotated : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-043",
        Title = "Access keys of cluster principals are rotated and used",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "An access key of an IAM user with cluster access is a password to the cluster that never expires by itself. The longer a key lives, " +
                    "the more copies of it exist in shells, CI variables and laptops; a key nobody uses any more is pure exposure. Rotating keys and deleting " +
                    "idle ones bounds how long a leaked key stays useful.",
        Remediation = "Rotate an old key: aws iam create-access-key --user-name <user>, move its users to the new key, then aws iam update-access-key " +
                      "--user-name <user> --access-key-id <old-id> --status Inactive and, once nothing breaks, aws iam delete-access-key --user-name <user> " +
                      "--access-key-id <old-id>. Delete idle keys the same way. Better: give people and pipelines roles (IAM Identity Center, OIDC federation) instead of keys.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_use_iam_roles_when_multiple_users_need_identical_access_to_the_cluster",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id-credentials-access-keys-update.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#rotate-credentials",
        ],
        Frameworks = ["Prowler iam_rotate_access_key_90_days", "Prowler iam_user_accesskey_unused"],
        Reads = [SnapshotSection.IamUsers],
        OptionallyReads = ClusterAccessInventory.Sections,
        Tags = ["aws", "iam", "access-keys", "access-entries", "aws-auth"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var inventory = ClusterAccessInventory.From(context);
        foreach (var error in inventory.GapFindings(context, "the age of their access keys")) yield return error;

        var collectedAt = context.Snapshot.CollectedAt;
        var now = collectedAt ?? DateTimeOffset.UtcNow;
        var reference = collectedAt is null ? $"reference time = {Day(now)} (now: the snapshot has no collectedAt)" : $"reference time = {Day(now)} (snapshot collectedAt)";
        var maxAge = context.Settings.AccessKeyMaxAgeDays;
        var maxUnused = context.Settings.AccessKeyMaxUnusedDays;

        var users = context.Aws.IamUsers!.All;
        foreach (var principal in inventory.Principals.Where(p => p.Kind == PrincipalKind.User))
        {
            var user = principal.FindUser(users);
            if (user?.NoSuchEntity == true) continue; // it has no keys any more; EKS-IAM-006 reports the stale grant
            if (user is null || user.AccessKeys is null)
            {
                yield return context.Error(principal.Resource,
                    $"The access keys of IAM user {principal.Arn}, which has cluster access, were not listed (iam:ListAccessKeys); their age cannot be judged.",
                    principal.GrantEvidence());
                continue;
            }

            foreach (var key in user.AccessKeys.Where(ClusterUsersHaveMfa.IsActive))
            {
                var id = key.AccessKeyId ?? "(no id)";
                var resource = new ResourceRef("IamAccessKey", null, id);
                var evidence = new List<string>
                {
                    $"user = {user.Arn ?? principal.Arn}",
                    $"AccessKeyId = {id}, Status = {key.Status}",
                    $"CreateDate = {Day(key.CreateDate)}",
                    $"LastUsedDate = {Day(key.LastUsedDate)}" + (key.LastUsedServiceName is { Length: > 0 } service ? $", LastUsedServiceName = {service}" : ""),
                    reference,
                };
                if (key.CreateDate is not { } created)
                {
                    yield return context.Error(resource, $"Access key {id} of {principal.Arn} has no CreateDate; its age cannot be judged.", evidence);
                    continue;
                }
                var age = Days(now - created);
                var lastActivity = key.LastUsedDate ?? created;
                var idle = Days(now - lastActivity);
                var unusedText = key.LastUsedDate is null ? $"never used in the {idle} day(s) since it was created" : $"last used {idle} day(s) ago";

                if (age > maxAge)
                    yield return context.Fail(resource,
                        $"Access key {id} of {principal.Arn} is {age} days old, older than {maxAge} days" + (idle > maxUnused ? $", and {unusedText}." : "."), evidence);
                else if (idle > maxUnused)
                    yield return context.Warn(resource, $"Access key {id} of {principal.Arn} is active but {unusedText} (more than {maxUnused}).", evidence);
                else
                    yield return context.Pass(resource, $"Access key {id} of {principal.Arn} is {age} day(s) old and {(key.LastUsedDate is null ? "new enough not to have been used yet" : unusedText)}.", evidence);
            }
        }
    }

    /// <summary>Whole days, rounded down.</summary>
    private static long Days(TimeSpan span) => (long)Math.Floor(span.TotalDays);

    private static string Day(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "(absent)";
}
