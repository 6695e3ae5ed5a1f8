using EksSecurity.Engine.Rules.Iam;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.RbacRuleFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class MinimizeServiceAccountTokenCreationTests
{
    private static IReadOnlyList<EksSecurityFinding> Run(params object[] objects) => TestSnapshots.Run<MinimizeServiceAccountTokenCreation>(Cluster(objects));

    [Fact]
    public void Minting_tokens_in_a_namespace_fails()
    {
        var finding = Assert.Single(Run(Role("ci", "tokens", Rule([""], ["serviceaccounts/token"], "create")), Rb("ci", "tokens", RoleRef("tokens"), Group("ci-admins"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("Group ci-admins can create serviceaccounts/token in namespace ci.", finding.Message);
    }

    [Fact]
    public void Creating_accounts_or_a_token_for_one_named_account_passes()
    {
        var finding = Assert.Single(Run(
            ClusterRole("accounts", Rule([""], ["serviceaccounts"], "create")),
            Role("ci", "one-token", new V1PolicyRule { ApiGroups = [""], Resources = ["serviceaccounts/token"], ResourceNames = ["deployer"], Verbs = ["create"] }),
            Crb("accounts", ClusterRoleRef("accounts"), User("alice")),
            Rb("ci", "one-token", RoleRef("one-token"), User("bob"))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }
}
