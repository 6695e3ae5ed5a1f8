using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Iam.AwsIamFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class ClusterUsersHaveMfaTests
{
    private static readonly DateTimeOffset Day = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void User_with_password_and_no_mfa_fails()
    {
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(UserArn("alice"), Policy(ClusterAdmin))).WithUsers(User("alice", password: true, mfaDevices: 0));
        var finding = Assert.Single(TestSnapshots.Run<ClusterUsersHaveMfa>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("IamUser", finding.ResourceType);
        Assert.Equal(UserArn("alice"), finding.ResourceName);
        Assert.Contains("a console password", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "MFADevices = []");
    }

    [Fact]
    public void User_mapped_in_aws_auth_with_only_an_access_key_fails()
    {
        var mapUsers = $"""
            - userarn: {UserArn("ci")}
              username: ci
              groups: [deployers]
            """;
        var snapshot = TestSnapshots.Empty().Mode("API_AND_CONFIG_MAP", false)
            .WithAwsAuth(IamFixtures.AwsAuth(mapUsers: mapUsers))
            .WithUsers(User("ci", password: false, mfaDevices: 0, keys: Key("AKIAEXAMPLEKEY000001", Day)));
        var finding = Assert.Single(TestSnapshots.Run<ClusterUsersHaveMfa>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("1 active access key(s)", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "active access keys = [AKIAEXAMPLEKEY000001]");
    }

    [Fact]
    public void User_with_mfa_passes_and_roles_are_not_judged()
    {
        var snapshot = TestSnapshots.Empty()
            .WithEntries(Entry(UserArn("alice"), Policy(View)), Entry(RoleArn("admin"), Policy(ClusterAdmin)))
            .WithUsers(User("alice", mfaDevices: 1));
        var finding = Assert.Single(TestSnapshots.Run<ClusterUsersHaveMfa>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void User_without_any_credentials_passes()
    {
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(UserArn("dormant")))
            .WithUsers(User("dormant", password: false, mfaDevices: 0, keys: Key("AKIAEXAMPLEKEY000002", Day, status: "Inactive")));
        var finding = Assert.Single(TestSnapshots.Run<ClusterUsersHaveMfa>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("cannot sign in", finding.Message);
    }

    [Fact]
    public void Unlisted_mfa_devices_are_an_error()
    {
        var user = User("alice");
        user.MfaDevices = null;
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(UserArn("alice"))).WithUsers(user);
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ClusterUsersHaveMfa>(snapshot)).Status);
    }

    [Fact]
    public void Unchecked_login_profile_without_mfa_is_an_error_not_a_pass()
    {
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(UserArn("alice"))).WithUsers(User("alice", password: null, mfaDevices: 0));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ClusterUsersHaveMfa>(snapshot)).Status);
    }

    [Fact]
    public void User_not_looked_up_is_an_error_and_a_deleted_user_is_skipped()
    {
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(UserArn("ghost")), Entry(UserArn("unknown"))).WithUsers(User("ghost", missing: true));
        var finding = Assert.Single(TestSnapshots.Run<ClusterUsersHaveMfa>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Equal(UserArn("unknown"), finding.ResourceName);
    }

    [Fact]
    public void Denied_iam_users_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().WithEntries(Entry(UserArn("alice"))).With(s => s.Aws.IamUsers = Section<IamUser>.Denied("iam:GetUser"));
        var finding = Assert.Single(TestSnapshots.Run<ClusterUsersHaveMfa>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("iam:GetUser", finding.Message);
    }

    [Fact]
    public void Denied_access_entries_are_an_error_on_the_cluster()
    {
        var snapshot = TestSnapshots.Empty().Mode("API", false).With(s => s.Aws.AccessEntries = Section<EksAccessEntry>.Denied("eks:ListAccessEntries"));
        var finding = Assert.Single(TestSnapshots.Run<ClusterUsersHaveMfa>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Equal("Cluster", finding.ResourceType);
        Assert.Contains("eks:ListAccessEntries", finding.Message);
    }
}
