using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-042: every IAM user that can reach the cluster and has credentials also has an MFA device.</summary>
public sealed class ClusterUsersHaveMfa : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-042",
        Title = "IAM users with cluster access use MFA",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "An IAM user mapped into the cluster turns a stolen password or access key straight into Kubernetes access. With an MFA device the " +
                    "console sign-in needs a second factor, and policies can require aws:MultiFactorAuthPresent before keys are honoured. A user with " +
                    "credentials and no MFA device has neither.",
        Remediation = "Assign an MFA device to each reported user: aws iam create-virtual-mfa-device --virtual-mfa-device-name <user> --outfile <qr.png> " +
                      "--bootstrap-method QRCodePNG, then aws iam enable-mfa-device --user-name <user> --serial-number <arn> --authentication-code1 <code> " +
                      "--authentication-code2 <code>. Better: replace the user's cluster access with a role the person assumes through IAM Identity Center.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_use_iam_roles_when_multiple_users_need_identical_access_to_the_cluster",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html",
        ],
        Frameworks = ["Prowler iam_user_mfa_enabled_console_access"],
        Reads = [SnapshotSection.IamUsers],
        OptionallyReads = ClusterAccessInventory.Sections,
        Tags = ["aws", "iam", "mfa", "access-entries", "aws-auth"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var inventory = ClusterAccessInventory.From(context);
        foreach (var error in inventory.GapFindings(context, "whether they use MFA")) yield return error;

        var users = context.Aws.IamUsers!.All;
        foreach (var principal in inventory.Principals.Where(p => p.Kind == PrincipalKind.User))
        {
            var evidence = principal.GrantEvidence().ToList();
            var user = principal.FindUser(users);
            if (user is null)
            {
                yield return context.Error(principal.Resource, $"The IAM user {principal.Arn} has cluster access but was not looked up in IAM; its MFA cannot be judged.", evidence);
                continue;
            }
            if (user.NoSuchEntity == true) continue; // it cannot sign in at all; EKS-IAM-006 reports the stale grant

            var activeKeys = user.AccessKeys?.Where(IsActive).ToList();
            evidence.Add($"HasLoginProfile = {Text(user.HasLoginProfile)}");
            evidence.Add(activeKeys is null ? "AccessKeys = (not listed)" : $"active access keys = {Rbac.List(activeKeys.Select(k => k.AccessKeyId ?? "(no id)"))}");
            evidence.Add(user.MfaDevices is null ? "MFADevices = (not listed)" : $"MFADevices = {Rbac.List(user.MfaDevices.Select(d => d.SerialNumber ?? "(no serial)"))}");

            var credentials = new List<string>();
            if (user.HasLoginProfile == true) credentials.Add("a console password");
            if (activeKeys is { Count: > 0 }) credentials.Add($"{activeKeys.Count} active access key(s)");
            var credentialsUnknown = user.HasLoginProfile is null || activeKeys is null;

            if (user.MfaDevices is { Count: > 0 })
                yield return context.Pass(principal.Resource, $"The IAM user {principal.Arn} has an MFA device.", evidence);
            else if (credentials.Count > 0 && user.MfaDevices is not null)
                yield return context.Fail(principal.Resource,
                    $"The IAM user {principal.Arn} can reach the cluster with {string.Join(" and ", credentials)} but has no MFA device.", evidence);
            else if (credentials.Count > 0 || credentialsUnknown)
                yield return context.Error(principal.Resource,
                    $"Whether the IAM user {principal.Arn} uses MFA could not be judged: " +
                    (user.MfaDevices is null ? "its MFA devices were not listed." : "its console password or access keys were not checked."), evidence);
            else
                yield return context.Pass(principal.Resource, $"The IAM user {principal.Arn} has no console password and no active access key, so it cannot sign in.", evidence);
        }
    }

    internal static bool IsActive(IamAccessKey key) => string.Equals(key.Status, "Active", StringComparison.OrdinalIgnoreCase);

    private static string Text(bool? value) => value is null ? "(not checked)" : value.Value ? "true" : "false";
}
