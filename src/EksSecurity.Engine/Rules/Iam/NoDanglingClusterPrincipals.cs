namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-006: every IAM role and user granted cluster access (access entries, aws-auth) still exists.</summary>
public sealed class NoDanglingClusterPrincipals : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-006",
        Title = "No dangling IAM principals in cluster access",
        Severity = Severity.Low,
        Area = RuleArea.Iam,
        Rationale = "Deleting an IAM role or user does not delete the cluster access granted to it. aws-auth matches principals by ARN, so whoever " +
                    "later creates a role or user with the same name (in that account) inherits the grant without anyone deciding it. Access entries are " +
                    "tied to the deleted principal's unique id and stop working instead, but they still clutter the access review and hide what was intended.",
        Remediation = "Remove the grant of each principal reported: aws eks delete-access-entry --cluster-name <cluster> --principal-arn <arn>, " +
                      "or eksctl delete iamidentitymapping --cluster <cluster> --arn <arn> for an aws-auth mapping. " +
                      "If the principal was deleted by mistake and is still needed, recreate it and then recreate its access entry (a recreated principal has a new unique id).",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_regularly_audit_access_to_the_cluster",
            "https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.IamRoles, SnapshotSection.IamUsers],
        OptionallyReads = ClusterAccessInventory.Sections,
        Tags = ["aws", "access-entries", "aws-auth", "iam"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var inventory = ClusterAccessInventory.From(context);
        foreach (var error in inventory.GapFindings(context, "whether their IAM principal still exists")) yield return error;

        var roles = context.Aws.IamRoles!.All;
        var users = context.Aws.IamUsers!.All;
        foreach (var principal in inventory.Principals)
        {
            if (principal.Kind == PrincipalKind.Other) continue;
            var evidence = principal.GrantEvidence().ToList();
            bool? missing;
            if (principal.Kind == PrincipalKind.Role)
            {
                var role = principal.FindRole(roles);
                missing = role is null ? null : role.NoSuchEntity == true;
                if (role is not null) evidence.Add($"iam:GetRole {role.Arn ?? role.RoleName}: {(role.NoSuchEntity == true ? "NoSuchEntity" : $"exists (RoleId {role.RoleId ?? "(absent)"})")}");
            }
            else
            {
                var user = principal.FindUser(users);
                missing = user is null ? null : user.NoSuchEntity == true;
                if (user is not null) evidence.Add($"iam:GetUser {user.Arn ?? user.UserName}: {(user.NoSuchEntity == true ? "NoSuchEntity" : $"exists (UserId {user.UserId ?? "(absent)"})")}");
            }
            var kind = principal.Kind == PrincipalKind.Role ? "role" : "user";

            if (missing is null)
            {
                var foreign = principal.Parsed!.Account != context.Snapshot.AccountId && context.Snapshot.AccountId is not null
                    ? $" It belongs to account {principal.Parsed.Account}, not the cluster's account {context.Snapshot.AccountId}, so it may not be readable from here."
                    : "";
                yield return context.Error(principal.Resource,
                    $"The IAM {kind} {principal.Arn} has cluster access but was not looked up in IAM, so whether it still exists is unknown.{foreign}", evidence);
            }
            else if (missing == false)
            {
                yield return context.Pass(principal.Resource, $"The IAM {kind} {principal.Arn} with cluster access exists.", evidence);
            }
            else if (principal.InAwsAuth)
            {
                yield return context.Fail(principal.Resource,
                    $"The IAM {kind} {principal.Arn} no longer exists but aws-auth still maps it: whoever recreates that name gets its cluster access.", evidence);
            }
            else
            {
                evidence.Add("access entries are bound to the principal's unique id: a recreated principal of the same name would not inherit this entry");
                yield return context.Warn(principal.Resource,
                    $"The IAM {kind} {principal.Arn} no longer exists but its access entry remains: remove the stale entry.", evidence);
            }
        }
    }
}
