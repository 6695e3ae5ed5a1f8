using EksSecurity.Engine.Aws.Policy;
using EksSecurity.Engine.Identity;
using static EksSecurity.Tests.Identity.IdentityFixtures;

namespace EksSecurity.Tests.Identity;

public class TrustPolicyGeneratorTests
{
    private static string IrsaPolicy(string ns = "payments", params string[] sas) => TrustPolicyGenerator.Irsa(new IrsaTrustPolicyRequest
    {
        OidcIssuer = Issuer, AccountId = Account, Namespace = ns, ServiceAccounts = sas.Length == 0 ? ["payments-api"] : sas,
    });

    [Fact]
    public void A_generated_irsa_trust_policy_passes_every_trust_check()
    {
        var result = Assert.Single(TestIrsa(Irsa(IrsaPolicy())));
        Assert.All(result.Checks.Where(c => IrsaAnalyzer.TrustChecks.Contains(c.Id)), c => Assert.Equal(FindingStatus.Pass, c.Status));
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void The_irsa_policy_admits_exactly_the_named_service_accounts()
    {
        var trust = PolicyDocument.Parse(IrsaPolicy("payments", "api", "worker"), "generated", PolicyKind.Trust);
        Assert.True(TrustPolicy.EvaluateWebIdentity(trust, ProviderArn, "system:serviceaccount:payments:api").IsAllowed);
        Assert.True(TrustPolicy.EvaluateWebIdentity(trust, ProviderArn, "system:serviceaccount:payments:worker").IsAllowed);
        Assert.False(TrustPolicy.EvaluateWebIdentity(trust, ProviderArn, "system:serviceaccount:payments:other").IsAllowed);
        Assert.False(TrustPolicy.EvaluateWebIdentity(trust, ProviderArn, "system:serviceaccount:payments:api", audience: "other").IsAllowed);
        Assert.False(TrustPolicy.EvaluateWebIdentity(trust, ProviderArn.Replace("5E1D", "0000"), "system:serviceaccount:payments:api").IsAllowed);
    }

    [Fact]
    public void A_generated_pod_identity_trust_policy_passes_and_is_scoped()
    {
        var policy = TrustPolicyGenerator.PodIdentity(new PodIdentityTrustPolicyRequest { AccountId = Account, ClusterArns = [ClusterArn] });
        var result = Assert.Single(TestPodIdentity(PodIdentity(policy)));
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(FindingStatus.Pass, result.Check(PodIdentityAnalyzer.TrustScoped).Status);
        var trust = PolicyDocument.Parse(policy, "generated", PolicyKind.Trust);
        var other = new Dictionary<string, IReadOnlyList<string>> { ["aws:SourceAccount"] = [Account], ["aws:SourceArn"] = [$"arn:aws:eks:eu-west-1:{Account}:cluster/other"] };
        Assert.False(TrustPolicy.Evaluate(trust, RequestPrincipal.Service("pods.eks.amazonaws.com"), "sts:AssumeRole", other).IsAllowed);
    }

    [Theory]
    [InlineData("oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC", "aws-cn")]
    [InlineData("https://oidc.eks.us-gov-west-1.amazonaws.com/id/ABC/", "aws-us-gov")]
    [InlineData("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC", "aws")]
    public void The_partition_follows_the_issuer(string issuer, string partition)
    {
        var policy = TrustPolicyGenerator.Irsa(new IrsaTrustPolicyRequest { OidcIssuer = issuer, AccountId = Account, Namespace = "a", ServiceAccounts = ["b"] });
        Assert.Contains($"arn:{partition}:iam::{Account}:oidc-provider/oidc.eks.", policy);
        Assert.DoesNotContain("https://", policy);
    }

    [Theory]
    [InlineData("12345", "payments", "api", "AccountId")]
    [InlineData(Account, "Payments", "api", "Namespace")]
    [InlineData(Account, "payments", "*", "ServiceAccount")]
    [InlineData(Account, "payments", "api-*", "ServiceAccount")]
    public void Bad_input_names_the_parameter(string account, string ns, string sa, string field)
    {
        var ex = Assert.Throws<EksSecurityException>(() => TrustPolicyGenerator.Irsa(new IrsaTrustPolicyRequest { OidcIssuer = Issuer, AccountId = account, Namespace = ns, ServiceAccounts = [sa] }));
        Assert.Equal(TrustPolicyGenerator.ErrorInvalidInput, ex.ErrorId);
        Assert.StartsWith($"-{field}:", ex.Message);
    }

    [Fact]
    public void A_cluster_of_another_account_is_refused_for_pod_identity()
    {
        var ex = Assert.Throws<EksSecurityException>(() => TrustPolicyGenerator.PodIdentity(new PodIdentityTrustPolicyRequest { AccountId = Account, ClusterArns = ["arn:aws:eks:eu-west-1:999999999999:cluster/x"] }));
        Assert.StartsWith("-ClusterArn:", ex.Message);
    }
}
