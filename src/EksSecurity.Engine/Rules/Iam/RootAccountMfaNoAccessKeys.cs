namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-045: the account root user has MFA and no access keys.</summary>
public sealed class RootAccountMfaNoAccessKeys : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-045",
        Title = "Root user has MFA and no access keys",
        Severity = Severity.Critical,
        Area = RuleArea.Iam,
        Rationale = "The root user of the account that owns the cluster can do anything to it: delete it, rewrite its access entries, replace its KMS key " +
                    "policy. No IAM policy limits root. A root password without MFA, or a root access key that can leak from a laptop or a script, puts " +
                    "the whole account and every cluster in it one credential away from an attacker.",
        Remediation = "Sign in as root and enable MFA (IAM console, Security credentials, Assign MFA device; a hardware or passkey device is best). " +
                      "Delete every root access key: signed in with root credentials, aws iam list-access-keys, then aws iam delete-access-key --access-key-id <id>. " +
                      "In AWS Organizations, centralise root access instead: aws iam enable-organizations-root-credentials-management, " +
                      "then remove member accounts' root credentials.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-virt-mfa-for-root.html",
            "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html",
        ],
        Frameworks = ["Prowler iam_root_mfa_enabled", "Prowler iam_no_root_access_key"],
        Reads = [SnapshotSection.AccountSettings],
        Tags = ["aws", "iam", "account", "root", "mfa"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var resource = new ResourceRef("AwsAccount", null, context.Snapshot.AccountId ?? "(unknown account)");
        var summary = context.Aws.AccountSettings!.Value?.SummaryMap;
        if (summary is null)
        {
            yield return context.Error(resource, "The account summary (iam:GetAccountSummary) is missing; the root user cannot be judged.", ["SummaryMap = (absent)"]);
            yield break;
        }
        summary.TryGetValue("AccountMFAEnabled", out var mfaValue);
        summary.TryGetValue("AccountAccessKeysPresent", out var keysValue);
        var hasMfa = summary.ContainsKey("AccountMFAEnabled") ? mfaValue : (int?)null;
        var hasKeys = summary.ContainsKey("AccountAccessKeysPresent") ? keysValue : (int?)null;
        var evidence = new List<string>
        {
            $"SummaryMap.AccountMFAEnabled = {hasMfa?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(absent)"}",
            $"SummaryMap.AccountAccessKeysPresent = {hasKeys?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(absent)"}",
        };

        var problems = new List<string>();
        if (hasMfa == 0) problems.Add("MFA is not enabled");
        if (hasKeys is > 0) problems.Add("it has access keys");
        if (problems.Count > 0)
        {
            yield return context.Fail(resource, $"The account root user is exposed: {string.Join(" and ", problems)}.", evidence);
            yield break;
        }
        if (hasMfa is null || hasKeys is null)
        {
            yield return context.Error(resource, "The account summary does not report both AccountMFAEnabled and AccountAccessKeysPresent; the root user cannot be fully judged.", evidence);
            yield break;
        }
        yield return context.Pass(resource, "The account root user has MFA and no access keys.", evidence);
    }
}
