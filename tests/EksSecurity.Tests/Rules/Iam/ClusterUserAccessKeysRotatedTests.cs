using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Iam.AwsIamFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class ClusterUserAccessKeysRotatedTests
{
    /// <summary>The test snapshot was collected on 2026-11-01.</summary>
    private static readonly DateTimeOffset CollectedAt = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<EksSecurityFinding> Run(RuleSettings? settings, params IamAccessKey[] keys) =>
        TestSnapshots.Run<ClusterUserAccessKeysRotated>(
            TestSnapshots.Empty().WithEntries(Entry(UserArn("ci"), Policy(View))).WithUsers(User("ci", keys: keys)), settings);

    [Fact]
    public void Old_key_fails_reporting_only_its_id()
    {
        var finding = Assert.Single(Run(null, Key("AKIAOLDKEY0000000001", CollectedAt.AddDays(-200), CollectedAt.AddDays(-1))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("IamAccessKey", finding.ResourceType);
        Assert.Equal("AKIAOLDKEY0000000001", finding.ResourceName);
        Assert.Contains("200 days old", finding.Message);
        Assert.Contains(finding.Evidence, e => e == $"user = {UserArn("ci")}");
        Assert.Contains(finding.Evidence, e => e.Contains("snapshot collectedAt"));
        Assert.DoesNotContain(finding.Evidence, e => e.Contains("Secret", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(90, FindingStatus.Pass)]
    [InlineData(91, FindingStatus.Fail)]
    public void Age_boundary(int days, FindingStatus expected)
    {
        var finding = Assert.Single(Run(null, Key("AKIAKEY0000000000001", CollectedAt.AddDays(-days), CollectedAt.AddDays(-2))));
        Assert.Equal(expected, finding.Status);
    }

    [Fact]
    public void Young_key_unused_for_too_long_warns()
    {
        var settings = new RuleSettings { AccessKeyMaxAgeDays = 365, AccessKeyMaxUnusedDays = 30 };
        var finding = Assert.Single(Run(settings, Key("AKIAIDLEKEY000000001", CollectedAt.AddDays(-100), CollectedAt.AddDays(-45))));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("last used 45 day(s) ago", finding.Message);
    }

    [Fact]
    public void Never_used_key_counts_from_its_creation()
    {
        var settings = new RuleSettings { AccessKeyMaxAgeDays = 365 };
        var fresh = Assert.Single(Run(settings, Key("AKIAFRESHKEY00000001", CollectedAt.AddDays(-10))));
        Assert.Equal(FindingStatus.Pass, fresh.Status);
        var stale = Assert.Single(Run(settings, Key("AKIASTALEKEY00000001", CollectedAt.AddDays(-120))));
        Assert.Equal(FindingStatus.Warning, stale.Status);
        Assert.Contains("never used", stale.Message);
    }

    [Fact]
    public void Inactive_keys_are_not_judged()
    {
        var finding = Assert.Single(Run(null, Key("AKIAINACTIVE00000001", CollectedAt.AddDays(-900), status: "Inactive")));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
    }

    [Fact]
    public void Unlisted_keys_are_an_error()
    {
        var user = User("ci");
        user.AccessKeys = null;
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(UserArn("ci"))).WithUsers(user);
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ClusterUserAccessKeysRotated>(snapshot)).Status);
    }

    [Fact]
    public void Deleted_user_is_left_to_the_dangling_principal_rule()
    {
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(UserArn("gone"))).WithUsers(User("gone", missing: true));
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<ClusterUserAccessKeysRotated>(snapshot)).Status);
    }

    [Fact]
    public void Key_without_create_date_is_an_error()
    {
        var key = Key("AKIANODATE0000000001", CollectedAt);
        key.CreateDate = null;
        Assert.Equal(FindingStatus.Error, Assert.Single(Run(null, key)).Status);
    }

    [Fact]
    public void Denied_iam_users_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(UserArn("ci"))).With(s => s.Aws.IamUsers = Section<IamUser>.Denied("iam:ListAccessKeys"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ClusterUserAccessKeysRotated>(snapshot)).Status);
    }
}
