using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.RbacRuleFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class NoLegacyServiceAccountTokenSecretsTests
{
    private static IReadOnlyList<EksSecurityFinding> Run(params object[] objects) => TestSnapshots.Run<NoLegacyServiceAccountTokenSecrets>(Cluster(objects));

    [Fact]
    public void A_token_of_a_bound_account_fails_high()
    {
        var finding = Assert.Single(Run(
            TokenSecret("ci", "deployer-token", "deployer"), Account("ci", "deployer"),
            ClusterRole("edit"), Crb("deployer", ClusterRoleRef("edit"), ServiceAccount("ci", "deployer"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(("Secret", "ci", "deployer-token"), (finding.ResourceType, finding.Namespace, finding.ResourceName));
        Assert.Contains("which has RBAC bindings", finding.Message);
        Assert.Contains("RBAC: ClusterRoleBinding/deployer -> ClusterRole/edit", finding.Evidence);
    }

    [Fact]
    public void A_token_of_an_unbound_account_fails_medium()
    {
        var finding = Assert.Single(Run(TokenSecret("ci", "old-token", "old"), OpaqueSecret("ci", "db")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("Secret ci/old-token holds a non-expiring token of ServiceAccount ci/old.", finding.Message);
        Assert.Contains("ServiceAccount ci/old is not in the snapshot", finding.Evidence);
    }

    [Fact]
    public void Allow_listed_tokens_are_suppressed()
    {
        var settings = new RuleSettings { LegacyTokenSecretAllowlist = ["vault/*"] };
        var finding = Assert.Single(TestSnapshots.Run<NoLegacyServiceAccountTokenSecrets>(Cluster(TokenSecret("vault", "reviewer-token", "vault-auth")), settings));
        Assert.Equal(FindingStatus.Suppressed, finding.Status);
        Assert.Contains("allowed by LegacyTokenSecretAllowlist pattern 'vault/*'", finding.Evidence);
    }

    [Fact]
    public void Without_bindings_the_token_still_fails_and_says_what_is_unknown()
    {
        var snapshot = Cluster(TokenSecret("ci", "t", "deployer")).With(s => s.Kubernetes.RoleBindings = Section<V1RoleBinding>.Denied("list rolebindings"));
        var finding = Assert.Single(TestSnapshots.Run<NoLegacyServiceAccountTokenSecrets>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("RoleBindings/ClusterRoleBindings were not collected: the account's bindings are unknown", finding.Evidence);
    }

    [Fact]
    public void No_token_secrets_pass()
    {
        var finding = Assert.Single(Run(OpaqueSecret("ci", "db"), new V1Secret { Metadata = TestSnapshots.Meta("tls", "web"), Type = "kubernetes.io/tls" }));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("Cluster", finding.ResourceType);
    }
}
