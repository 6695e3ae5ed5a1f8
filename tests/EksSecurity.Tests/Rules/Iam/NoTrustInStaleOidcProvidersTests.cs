using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using EksSecurity.Tests.Identity;
using static EksSecurity.Tests.Identity.IdentityFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class NoTrustInStaleOidcProvidersTests
{
    private const string GoneHost = "oidc.eks.eu-west-1.amazonaws.com/id/GONE0000000000000000000000000000";
    private const string OtherRegionHost = "oidc.eks.us-east-1.amazonaws.com/id/ELSEWHERE00000000000000000000000";

    private static ClusterSnapshot Account(params IamOidcProvider[] extra) => Irsa().With(s =>
    {
        s.Aws.AccountClusters!.Items!.Add(new EksCluster { Name = "test-cluster", Arn = ClusterArn, Identity = new EksIdentity { Oidc = new EksOidc { Issuer = Issuer } } });
        s.Aws.OidcProviders!.Items!.AddRange(extra);
    });

    private static IamOidcProvider Provider(string host) => new() { Arn = $"arn:aws:iam::{IdentityFixtures.Account}:oidc-provider/{host}", Url = host, ClientIdList = ["sts.amazonaws.com"] };

    [Fact]
    public void Providers_of_live_clusters_pass()
    {
        var finding = Assert.Single(TestSnapshots.Run<NoTrustInStaleOidcProviders>(Account()));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(ProviderArn, finding.ResourceName);
    }

    [Fact]
    public void A_provider_of_a_deleted_cluster_fails_and_other_regions_are_not_judged()
    {
        var findings = TestSnapshots.Run<NoTrustInStaleOidcProviders>(Account(Provider(GoneHost), Provider(OtherRegionHost)));
        var stale = Assert.Single(findings, f => f.Status == FindingStatus.Fail);
        Assert.Contains(GoneHost, stale.ResourceName);
        Assert.DoesNotContain(findings, f => f.ResourceName.Contains("us-east-1", StringComparison.Ordinal));
        // Non-EKS providers (GitHub Actions and the like) are none of this rule's business.
        Assert.Single(TestSnapshots.Run<NoTrustInStaleOidcProviders>(Account(Provider("token.actions.githubusercontent.com"))));
    }

    [Fact]
    public void A_role_trusting_a_deleted_clusters_issuer_fails()
    {
        var snapshot = Account().With(s => s.Aws.AccountRoles!.Items!.Add(Role(IrsaTrust(""" "StringEquals": { "x:sub": "y" } """,
            $"arn:aws:iam::{IdentityFixtures.Account}:oidc-provider/{GoneHost}"), arn: $"arn:aws:iam::{IdentityFixtures.Account}:role/old-dns")));
        var fail = Assert.Single(TestSnapshots.Run<NoTrustInStaleOidcProviders>(snapshot), f => f.Status == FindingStatus.Fail);
        Assert.Equal("IamRole", fail.ResourceType);
        Assert.Contains(GoneHost, fail.Message);
    }

    [Fact]
    public void Irsa_annotations_without_a_provider_for_this_cluster_warn()
    {
        var snapshot = Account().With(s => s.Aws.OidcProviders!.Items!.Clear());
        var warn = Assert.Single(TestSnapshots.Run<NoTrustInStaleOidcProviders>(snapshot));
        Assert.Equal(FindingStatus.Warning, warn.Status);
        Assert.Contains("payments/payments-api", warn.Evidence);
    }

    [Fact]
    public void Without_the_account_roles_their_trust_is_reported_as_not_judged()
    {
        var snapshot = Account().With(s => s.Aws.AccountRoles = Section<IamRole>.Denied("iam:ListRoles"));
        var findings = TestSnapshots.Run<NoTrustInStaleOidcProviders>(snapshot);
        Assert.Contains(findings, f => f.Status == FindingStatus.Error && f.Evidence.Any(e => e.Contains("iam:ListRoles", StringComparison.Ordinal)));
        Assert.Contains(findings, f => f.Status == FindingStatus.Pass && f.ResourceType == "IamOidcProvider");
    }

    [Fact]
    public void Without_the_account_clusters_nothing_is_judged()
    {
        var snapshot = Account().With(s => s.Aws.AccountClusters = Section<EksCluster>.Denied("eks:ListClusters"));
        var error = Assert.Single(TestSnapshots.Run<NoTrustInStaleOidcProviders>(snapshot));
        Assert.Equal(FindingStatus.Error, error.Status);
    }
}
