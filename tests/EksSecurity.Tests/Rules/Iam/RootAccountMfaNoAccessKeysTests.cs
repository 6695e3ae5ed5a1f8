using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Iam;

public class RootAccountMfaNoAccessKeysTests
{
    private static ClusterSnapshot With(Dictionary<string, int>? summary) =>
        TestSnapshots.Empty().With(s => s.Aws.AccountSettings = ObjectSection<IamAccountSettings>.Collected(new IamAccountSettings { SummaryMap = summary }));

    [Fact]
    public void Root_without_mfa_and_with_keys_fails_critical()
    {
        var finding = Assert.Single(TestSnapshots.Run<RootAccountMfaNoAccessKeys>(With(new() { ["AccountMFAEnabled"] = 0, ["AccountAccessKeysPresent"] = 1, ["Users"] = 4 })));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("AwsAccount", finding.ResourceType);
        Assert.Contains("MFA is not enabled and it has access keys", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "SummaryMap.AccountAccessKeysPresent = 1");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(0, 0)]
    public void Either_problem_alone_fails(int mfa, int keys)
    {
        var finding = Assert.Single(TestSnapshots.Run<RootAccountMfaNoAccessKeys>(With(new() { ["AccountMFAEnabled"] = mfa, ["AccountAccessKeysPresent"] = keys })));
        Assert.Equal(FindingStatus.Fail, finding.Status);
    }

    [Fact]
    public void Mfa_and_no_keys_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<RootAccountMfaNoAccessKeys>(With(new() { ["AccountMFAEnabled"] = 1, ["AccountAccessKeysPresent"] = 0 })));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Missing_counter_is_an_error_not_a_pass()
    {
        var finding = Assert.Single(TestSnapshots.Run<RootAccountMfaNoAccessKeys>(With(new() { ["AccountMFAEnabled"] = 1 })));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains(finding.Evidence, e => e == "SummaryMap.AccountAccessKeysPresent = (absent)");
    }

    [Fact]
    public void Missing_summary_is_an_error()
    {
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<RootAccountMfaNoAccessKeys>(With(null))).Status);
    }

    [Fact]
    public void Denied_account_settings_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.AccountSettings = ObjectSection<IamAccountSettings>.Denied("iam:GetAccountSummary"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<RootAccountMfaNoAccessKeys>(snapshot)).Status);
    }
}
