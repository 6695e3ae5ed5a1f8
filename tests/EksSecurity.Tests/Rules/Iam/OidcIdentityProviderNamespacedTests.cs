using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Iam;

public class OidcIdentityProviderNamespacedTests
{
    private const string Issuer = "https://idp.example.com/oauth2/default";

    private static EksOidcIdentityProviderConfig Config(string name = "corp", string? usernameClaim = null, string? usernamePrefix = null,
        string? groupsClaim = null, string? groupsPrefix = null) => new()
    {
        IdentityProviderConfigName = name,
        ClusterName = "test-cluster",
        IssuerUrl = Issuer,
        ClientId = "eks-client",
        UsernameClaim = usernameClaim,
        UsernamePrefix = usernamePrefix,
        GroupsClaim = groupsClaim,
        GroupsPrefix = groupsPrefix,
        RequiredClaims = new Dictionary<string, string> { ["hd"] = "example.com" },
        Status = "ACTIVE",
    };

    private static EksSecurityFinding Run(EksOidcIdentityProviderConfig config) =>
        Assert.Single(TestSnapshots.Run<OidcIdentityProviderNamespaced>(TestSnapshots.Empty().With(s => s.Aws.IdentityProviderConfigs!.Items!.Add(config))));

    [Fact]
    public void Unprefixed_email_usernames_and_groups_warn()
    {
        var finding = Run(Config(usernameClaim: "email", groupsClaim: "groups"));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal("EKS-IAM-040", finding.RuleId);
        Assert.Equal(Severity.Informational, finding.Severity);
        Assert.Equal("IdentityProviderConfig", finding.ResourceType);
        Assert.Equal("corp", finding.ResourceName);
        Assert.Contains("usernamePrefix is unset and usernameClaim is email", finding.Message);
        Assert.Contains("groupsPrefix is unset", finding.Message);
        Assert.Contains($"issuerUrl = {Issuer}", finding.Evidence);
        Assert.Contains("clientId = eks-client", finding.Evidence);
        Assert.Contains("requiredClaims = hd=example.com", finding.Evidence);
    }

    [Fact]
    public void Prefixed_usernames_and_groups_pass_and_report_the_configuration()
    {
        var finding = Run(Config(usernameClaim: "email", usernamePrefix: "oidc:", groupsClaim: "groups", groupsPrefix: "oidc:"));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("usernamePrefix = oidc:", finding.Evidence);
        Assert.Contains("groupsPrefix = oidc:", finding.Evidence);
        Assert.Contains("groupsClaim = groups", finding.Evidence);
    }

    [Fact]
    public void Default_issuer_prefix_counts_for_claims_other_than_email()
    {
        var finding = Run(Config(groupsClaim: "groups", groupsPrefix: "idp:"));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("usernameClaim = sub (default)", finding.Evidence);
        Assert.Contains($"usernamePrefix = (unset; EKS prefixes the issuer URL: {Issuer}#)", finding.Evidence);
    }

    [Fact]
    public void Dash_turns_username_prefixing_off_and_warns()
    {
        var finding = Run(Config(usernameClaim: "sub", usernamePrefix: "-"));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("usernamePrefix '-' turns prefixing off", finding.Message);
    }

    [Fact]
    public void Without_a_groups_claim_no_groups_prefix_is_needed()
    {
        var finding = Run(Config(usernamePrefix: "oidc:"));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("groupsClaim = (unset; the IdP's groups are not used)", finding.Evidence);
    }

    [Fact]
    public void A_prefix_in_a_reserved_namespace_warns()
    {
        var finding = Run(Config(usernamePrefix: "oidc:", groupsClaim: "groups", groupsPrefix: "eks:"));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("reserved eks: names", finding.Message);
    }

    [Fact]
    public void One_finding_per_configuration()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.IdentityProviderConfigs!.Items!.AddRange(
            [Config("b", usernamePrefix: "-"), Config("a", usernamePrefix: "oidc:")]));
        var findings = TestSnapshots.Run<OidcIdentityProviderNamespaced>(snapshot);
        Assert.Equal(["a", "b"], findings.Select(f => f.ResourceName));
        Assert.Equal([FindingStatus.Pass, FindingStatus.Warning], findings.Select(f => f.Status));
    }

    [Fact]
    public void No_configuration_is_not_applicable()
    {
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<OidcIdentityProviderNamespaced>(TestSnapshots.Empty())).Status);
    }

    [Fact]
    public void Denied_configurations_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.IdentityProviderConfigs = Section<EksOidcIdentityProviderConfig>.Denied("eks:ListIdentityProviderConfigs"));
        var finding = Assert.Single(TestSnapshots.Run<OidcIdentityProviderNamespaced>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("eks:ListIdentityProviderConfigs", finding.Message);
    }
}
