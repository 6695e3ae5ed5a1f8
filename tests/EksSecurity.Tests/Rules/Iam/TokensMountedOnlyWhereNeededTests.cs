using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.RbacRuleFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class TokensMountedOnlyWhereNeededTests
{
    private static EksSecurityFinding RunOne(params object[] objects) => Assert.Single(TestSnapshots.Run<TokensMountedOnlyWhereNeeded>(Cluster(objects)));

    [Fact]
    public void A_mounted_token_of_an_account_without_any_use_warns()
    {
        var finding = RunOne(Account("shop", "web"), Deployment("shop", "web", "web"));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Equal(("Deployment", "shop", "web"), (finding.ResourceType, finding.Namespace, finding.ResourceName));
        Assert.Contains("no Pod Identity association for the account", finding.Evidence);
    }

    [Theory]
    [InlineData(false, null)]     // the pod opts out
    [InlineData(null, false)]     // the account opts out
    public void An_unmounted_token_passes(bool? pod, bool? account)
    {
        var finding = RunOne(Account("shop", "web", automount: account), Deployment("shop", "web", "web", automount: pod));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("does not mount", finding.Message);
    }

    [Fact]
    public void The_pod_spec_overrides_the_account()
    {
        var finding = RunOne(Account("shop", "web", automount: false), BarePod("shop", "web", "web", automount: true));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("spec.automountServiceAccountToken = true", finding.Evidence);
    }

    [Fact]
    public void RBAC_bindings_IRSA_or_Pod_Identity_give_the_token_a_use()
    {
        var bound = RunOne(Account("shop", "api"), Deployment("shop", "api", "api"), ClusterRole("r"), Rb("shop", "api", ClusterRoleRef("r"), ServiceAccount("shop", "api")));
        Assert.Equal(FindingStatus.Pass, bound.Status);
        Assert.Contains("RBAC: RoleBinding/shop/api -> ClusterRole/r", bound.Evidence);

        var group = RunOne(Account("shop", "api"), Deployment("shop", "api", "api"), ClusterRole("r"), Rb("shop", "all", ClusterRoleRef("r"), Group("system:serviceaccounts:shop")));
        Assert.Equal(FindingStatus.Pass, group.Status);

        var irsa = RunOne(Account("shop", "api", irsaRoleArn: "arn:aws:iam::111122223333:role/api"), Deployment("shop", "api", "api"));
        Assert.Equal(FindingStatus.Pass, irsa.Status);
        Assert.Contains("IRSA: eks.amazonaws.com/role-arn = arn:aws:iam::111122223333:role/api", irsa.Evidence);

        var snapshot = Cluster(Account("shop", "api"), Deployment("shop", "api", "api")).With(s => s.Aws.PodIdentityAssociations!.Items!.Add(
            new EksPodIdentityAssociation { Namespace = "shop", ServiceAccount = "api", RoleArn = "arn:aws:iam::111122223333:role/api-pi", AssociationId = "a-1" }));
        var podIdentity = Assert.Single(TestSnapshots.Run<TokensMountedOnlyWhereNeeded>(snapshot));
        Assert.Equal(FindingStatus.Pass, podIdentity.Status);
        Assert.Contains("Pod Identity: association a-1 -> arn:aws:iam::111122223333:role/api-pi", podIdentity.Evidence);
    }

    [Fact]
    public void Kubernetes_default_and_everyone_bindings_are_no_use()
    {
        var finding = RunOne(
            Account("shop", "web"), Deployment("shop", "web", "web"),
            ClusterRole("system:service-account-issuer-discovery"),
            Crb("system:service-account-issuer-discovery", ClusterRoleRef("system:service-account-issuer-discovery"), Group("system:serviceaccounts"))
                .Labelled("kubernetes.io/bootstrapping", "rbac-defaults"),
            ClusterRole("system:basic-user"),
            Crb("system:basic-user", ClusterRoleRef("system:basic-user"), Group("system:authenticated")));
        Assert.Equal(FindingStatus.Warning, finding.Status);
    }

    [Fact]
    public void Without_Pod_Identity_data_the_warning_says_what_was_not_considered()
    {
        var snapshot = Cluster(Account("shop", "web"), BarePod("shop", "web-1", null))
            .With(s => s.Aws.PodIdentityAssociations = Section<EksPodIdentityAssociation>.Denied("eks:ListPodIdentityAssociations"));
        var finding = Assert.Single(TestSnapshots.Run<TokensMountedOnlyWhereNeeded>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("Pod Identity associations were not collected: an association, if any, was not considered", finding.Evidence);
        Assert.Contains("ServiceAccount shop/default is not in the snapshot: no IRSA annotation or automount setting could be read from it", finding.Evidence);
    }
}
