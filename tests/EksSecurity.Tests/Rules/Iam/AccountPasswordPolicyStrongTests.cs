using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Iam;

public class AccountPasswordPolicyStrongTests
{
    private static IamPasswordPolicy Strong() => new()
    {
        MinimumPasswordLength = 14, RequireSymbols = true, RequireNumbers = true, RequireUppercaseCharacters = true, RequireLowercaseCharacters = true,
        PasswordReusePrevention = 24, MaxPasswordAge = 90, ExpirePasswords = true, AllowUsersToChangePassword = true,
    };

    private static ClusterSnapshot With(IamPasswordPolicy? policy) =>
        TestSnapshots.Empty().With(s => s.Aws.AccountSettings = ObjectSection<IamAccountSettings>.Collected(new IamAccountSettings { PasswordPolicy = policy }));

    [Fact]
    public void Strong_policy_at_the_thresholds_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<AccountPasswordPolicyStrong>(With(Strong())));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("AwsAccount", finding.ResourceType);
        Assert.Equal("111122223333", finding.ResourceName);
    }

    [Fact]
    public void Weak_policy_fails_naming_every_shortfall()
    {
        var policy = Strong();
        policy.MinimumPasswordLength = 13;
        policy.RequireSymbols = false;
        policy.PasswordReusePrevention = null;
        policy.MaxPasswordAge = 91;
        var finding = Assert.Single(TestSnapshots.Run<AccountPasswordPolicyStrong>(With(policy)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("minimum length 13 < 14", finding.Message);
        Assert.Contains("does not require symbols", finding.Message);
        Assert.Contains("remembers 0 previous password(s) < 24", finding.Message);
        Assert.Contains("after 91 days > 90", finding.Message);
        Assert.Contains(finding.Evidence, e => e.StartsWith("MinimumPasswordLength = 13"));
    }

    [Fact]
    public void Passwords_that_never_expire_fail_unless_expiry_is_not_required()
    {
        var policy = Strong();
        policy.MaxPasswordAge = null;
        var finding = Assert.Single(TestSnapshots.Run<AccountPasswordPolicyStrong>(With(policy)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("never expire", finding.Message);
        var relaxed = new RuleSettings { PasswordMaxAgeDays = null };
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<AccountPasswordPolicyStrong>(With(policy), relaxed)).Status);
    }

    [Fact]
    public void No_password_policy_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<AccountPasswordPolicyStrong>(With(null)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("NoSuchEntity"));
    }

    [Fact]
    public void Empty_account_settings_are_an_error()
    {
        var finding = Assert.Single(TestSnapshots.Run<AccountPasswordPolicyStrong>(TestSnapshots.Empty()));
        Assert.Equal(FindingStatus.Error, finding.Status);
    }

    [Fact]
    public void Denied_account_settings_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.AccountSettings = ObjectSection<IamAccountSettings>.Denied("iam:GetAccountPasswordPolicy"));
        var finding = Assert.Single(TestSnapshots.Run<AccountPasswordPolicyStrong>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("iam:GetAccountPasswordPolicy", finding.Message);
    }
}
