namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-041: the account's IAM password policy meets the length, complexity, reuse and age thresholds.</summary>
public sealed class AccountPasswordPolicyStrong : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-041",
        Title = "Account password policy is strong",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "IAM users who sign in to the console with a password can reach the cluster through their access entries or aws-auth mappings, and " +
                    "through the EKS console. Short, simple, reused or never-changing passwords make those accounts easy to guess or replay; the account " +
                    "password policy is the only control IAM offers over them.",
        Remediation = "aws iam update-account-password-policy --minimum-password-length 14 --require-symbols --require-numbers " +
                      "--require-uppercase-characters --require-lowercase-characters --password-reuse-prevention 24 --max-password-age 90 " +
                      "--allow-users-to-change-password. Better still, give humans federated access (IAM Identity Center) instead of IAM users.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_use_iam_roles_when_multiple_users_need_identical_access_to_the_cluster",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
            "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountPasswordPolicy.html",
        ],
        Frameworks =
        [
            "Prowler iam_password_policy_minimum_length_14", "Prowler iam_password_policy_symbol", "Prowler iam_password_policy_number",
            "Prowler iam_password_policy_uppercase", "Prowler iam_password_policy_lowercase", "Prowler iam_password_policy_reuse_24",
            "Prowler iam_password_policy_expires_passwords_within_90_days_or_less", "CIS AWS Foundations 1.8", "CIS AWS Foundations 1.9",
        ],
        Reads = [SnapshotSection.AccountSettings],
        Tags = ["aws", "iam", "account", "password"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var resource = new ResourceRef("AwsAccount", null, context.Snapshot.AccountId ?? "(unknown account)");
        var settings = context.Aws.AccountSettings!.Value;
        if (settings is null)
        {
            yield return context.Error(resource, "The account settings section is empty; the password policy cannot be judged.");
            yield break;
        }
        var policy = settings.PasswordPolicy;
        if (policy is null)
        {
            yield return context.Fail(resource,
                "The account has no IAM password policy: IAM users' passwords only need AWS's default minimum (8 characters, 3 character types), never expire and may be reused.",
                ["PasswordPolicy = (none: iam:GetAccountPasswordPolicy answered NoSuchEntity)"]);
            yield break;
        }

        var s = context.Settings;
        var evidence = new List<string>
        {
            $"MinimumPasswordLength = {Text(policy.MinimumPasswordLength)} (at least {s.PasswordMinimumLength})",
            $"RequireSymbols = {Text(policy.RequireSymbols)}, RequireNumbers = {Text(policy.RequireNumbers)}, " +
            $"RequireUppercaseCharacters = {Text(policy.RequireUppercaseCharacters)}, RequireLowercaseCharacters = {Text(policy.RequireLowercaseCharacters)}",
            $"PasswordReusePrevention = {Text(policy.PasswordReusePrevention)} (at least {s.PasswordReusePrevention})",
            $"MaxPasswordAge = {Text(policy.MaxPasswordAge)}" + (s.PasswordMaxAgeDays is { } max ? $" (at most {max} days)" : " (expiry not required: PasswordMaxAgeDays is null)"),
        };
        var problems = new List<string>();
        if ((policy.MinimumPasswordLength ?? 0) < s.PasswordMinimumLength)
            problems.Add($"minimum length {Text(policy.MinimumPasswordLength)} < {s.PasswordMinimumLength}");
        var missingClasses = new List<string>();
        if (!policy.RequireSymbols) missingClasses.Add("symbols");
        if (!policy.RequireNumbers) missingClasses.Add("numbers");
        if (!policy.RequireUppercaseCharacters) missingClasses.Add("uppercase");
        if (!policy.RequireLowercaseCharacters) missingClasses.Add("lowercase");
        if (missingClasses.Count > 0) problems.Add($"does not require {string.Join(", ", missingClasses)}");
        if ((policy.PasswordReusePrevention ?? 0) < s.PasswordReusePrevention)
            problems.Add($"remembers {policy.PasswordReusePrevention ?? 0} previous password(s) < {s.PasswordReusePrevention}");
        if (s.PasswordMaxAgeDays is { } maxAge)
        {
            if (policy.MaxPasswordAge is not { } age || age <= 0) problems.Add("passwords never expire");
            else if (age > maxAge) problems.Add($"passwords expire after {age} days > {maxAge}");
        }

        if (problems.Count > 0)
            yield return context.Fail(resource, $"The account password policy is weak: {string.Join("; ", problems)}.", evidence);
        else
            yield return context.Pass(resource, "The account password policy meets the length, complexity, reuse and expiry thresholds.", evidence);
    }

    private static string Text(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(not set)";
    private static string Text(bool value) => value ? "true" : "false";
}
