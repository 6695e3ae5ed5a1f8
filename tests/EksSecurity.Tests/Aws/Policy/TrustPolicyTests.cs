using EksSecurity.Engine.Aws.Policy;

namespace EksSecurity.Tests.Aws.Policy;

public class TrustPolicyTests
{
    private const string Account = "111122223333";
    private const string Issuer = "oidc.eks.us-west-2.amazonaws.com/id/ABC";
    private const string OtherIssuer = "oidc.eks.us-west-2.amazonaws.com/id/XYZ";
    private static readonly string Provider = $"arn:aws:iam::{Account}:oidc-provider/{Issuer}";
    private static readonly string OtherProvider = $"arn:aws:iam::{Account}:oidc-provider/{OtherIssuer}";

    private static PolicyDocument Trust(string statements) =>
        PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""", "trust policy of role app", PolicyKind.Trust);

    private static string WebIdentity(string condition, string provider = "") => $$"""
        {"Effect":"Allow","Principal":{"Federated":"{{(provider.Length == 0 ? Provider : provider)}}"},"Action":"sts:AssumeRoleWithWebIdentity"{{(condition.Length == 0 ? "" : $",\"Condition\":{condition}")}}}
        """;

    // What New-EksIrsaTrustPolicy writes and Test-EksIrsa expects: one service account, one audience.
    private static readonly PolicyDocument Exact = Trust(WebIdentity($$"""{"StringEquals":{"{{Issuer}}:sub":"system:serviceaccount:payments:api","{{Issuer}}:aud":"sts.amazonaws.com"} }"""));

    [Theory]
    [InlineData("system:serviceaccount:payments:api", "sts.amazonaws.com", true)]
    [InlineData("system:serviceaccount:payments:worker", "sts.amazonaws.com", false)]
    [InlineData("system:serviceaccount:default:api", "sts.amazonaws.com", false)]
    [InlineData("system:serviceaccount:payments:api", "other-audience", false)]
    public void Irsa_trust_lets_in_exactly_one_service_account(string subject, string audience, bool allowed)
    {
        var decision = TrustPolicy.EvaluateWebIdentity(Exact, Provider, subject, audience);
        Assert.Equal(allowed, decision.IsAllowed);
        if (allowed) Assert.Equal("policy 'trust policy of role app' statement 0", Assert.Single(decision.Statements).Label);
    }

    [Fact]
    public void Irsa_trust_refuses_tokens_of_another_cluster()
    {
        Assert.False(TrustPolicy.EvaluateWebIdentity(Exact, OtherProvider, "system:serviceaccount:payments:api").IsAllowed);
        // The same principal and keys through the general entry point.
        var decision = TrustPolicy.Evaluate(Exact, RequestPrincipal.Federated(Provider), TrustPolicy.AssumeRoleWithWebIdentity, new Dictionary<string, IReadOnlyList<string>>
        {
            [$"{Issuer}:sub"] = ["system:serviceaccount:payments:api"],
            [$"{Issuer}:aud"] = ["sts.amazonaws.com"],
        });
        Assert.True(decision.IsAllowed);
        Assert.False(TrustPolicy.Evaluate(Exact, RequestPrincipal.Federated(Provider), TrustPolicy.AssumeRole).IsAllowed);
    }

    [Fact]
    public void Exact_grant_reads_as_exact()
    {
        var grant = Assert.Single(TrustPolicy.WebIdentityGrants(Exact, Provider));
        Assert.Equal(["system:serviceaccount:payments:api"], grant.ExactSubjects);
        Assert.Empty(grant.SubjectWildcards);
        Assert.False(grant.SubjectUnconstrained);
        Assert.False(grant.AudienceUnconstrained);
        Assert.True(grant.IsExactlyFor(TrustPolicy.ServiceAccountSubject("payments", "api")));
        Assert.False(grant.IsExactlyFor(TrustPolicy.ServiceAccountSubject("payments", "worker")));
        Assert.Empty(TrustPolicy.WebIdentityGrants(Exact, OtherProvider));
    }

    [Theory]
    [InlineData("system:serviceaccount:payments:api", true)]
    [InlineData("system:serviceaccount:payments:batch-7", true)]
    [InlineData("system:serviceaccount:kube-system:aws-node", false)]
    public void StringLike_wildcard_sub_lets_in_a_whole_namespace(string subject, bool allowed)
    {
        var trust = Trust(WebIdentity($$"""{"StringLike":{"{{Issuer}}:sub":"system:serviceaccount:payments:*"},"StringEquals":{"{{Issuer}}:aud":"sts.amazonaws.com"} }"""));
        Assert.Equal(allowed, TrustPolicy.EvaluateWebIdentity(trust, Provider, subject).IsAllowed);
        var grant = Assert.Single(TrustPolicy.WebIdentityGrants(trust, Provider));
        Assert.Equal(["system:serviceaccount:payments:*"], grant.SubjectWildcards);
        Assert.False(grant.IsExactlyFor("system:serviceaccount:payments:api"));
    }

    [Fact]
    public void StringLike_without_wildcard_still_pins_one_subject()
    {
        var trust = Trust(WebIdentity($$"""{"StringLike":{"{{Issuer}}:sub":"system:serviceaccount:payments:api","{{Issuer}}:aud":"sts.amazonaws.com"} }"""));
        Assert.True(Assert.Single(TrustPolicy.WebIdentityGrants(trust, Provider)).IsExactlyFor("system:serviceaccount:payments:api"));
    }

    [Fact]
    public void Missing_aud_is_reported_and_any_audience_gets_in()
    {
        var trust = Trust(WebIdentity($$"""{"StringEquals":{"{{Issuer}}:sub":"system:serviceaccount:payments:api"} }"""));
        var grant = Assert.Single(TrustPolicy.WebIdentityGrants(trust, Provider));
        Assert.True(grant.AudienceUnconstrained);
        Assert.True(grant.PinsSubject("system:serviceaccount:payments:api"));
        Assert.False(grant.PinsAudience());
        Assert.False(grant.IsExactlyFor("system:serviceaccount:payments:api"));
        Assert.True(TrustPolicy.EvaluateWebIdentity(trust, Provider, "system:serviceaccount:payments:api", "anything").IsAllowed);
    }

    [Fact]
    public void No_condition_lets_every_service_account_of_the_cluster_in()
    {
        var trust = Trust(WebIdentity(""));
        var grant = Assert.Single(TrustPolicy.WebIdentityGrants(trust, Provider));
        Assert.True(grant.SubjectUnconstrained);
        Assert.True(grant.AudienceUnconstrained);
        Assert.Equal("policy 'trust policy of role app' statement 0: sub unconstrained, aud unconstrained", grant.ToString());
        Assert.True(TrustPolicy.EvaluateWebIdentity(trust, Provider, "system:serviceaccount:anything:goes").IsAllowed);
    }

    [Fact]
    public void ForAllValues_on_sub_does_not_constrain_it()
    {
        // ForAllValues holds when the key is missing, so it pins nothing: a classic misuse on a single-valued key.
        var trust = Trust(WebIdentity($$"""{"ForAllValues:StringEquals":{"{{Issuer}}:sub":"system:serviceaccount:payments:api"},"StringEquals":{"{{Issuer}}:aud":"sts.amazonaws.com"} }"""));
        var grant = Assert.Single(TrustPolicy.WebIdentityGrants(trust, Provider));
        Assert.True(grant.SubjectUnconstrained);
        Assert.Empty(grant.ExactSubjects);
    }

    [Fact]
    public void Several_subjects_are_not_exact_for_any_one()
    {
        var trust = Trust(WebIdentity($$"""{"StringEquals":{"{{Issuer}}:sub":["system:serviceaccount:payments:api","system:serviceaccount:payments:worker"],"{{Issuer}}:aud":"sts.amazonaws.com"} }"""));
        var grant = Assert.Single(TrustPolicy.WebIdentityGrants(trust, Provider));
        Assert.Equal(2, grant.ExactSubjects.Count);
        Assert.False(grant.IsExactlyFor("system:serviceaccount:payments:api"));
        Assert.True(TrustPolicy.EvaluateWebIdentity(trust, Provider, "system:serviceaccount:payments:worker").IsAllowed);
    }

    [Fact]
    public void Deny_in_a_trust_policy_wins_over_the_wildcard_allow()
    {
        var trust = Trust(WebIdentity($$"""{"StringLike":{"{{Issuer}}:sub":"system:serviceaccount:*"} }""") + "," + $$"""
            {"Sid":"NoKubeSystem","Effect":"Deny","Principal":{"Federated":"{{Provider}}"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"{{Issuer}}:sub":"system:serviceaccount:kube-system:*"} } }
            """);
        Assert.True(TrustPolicy.EvaluateWebIdentity(trust, Provider, "system:serviceaccount:payments:api").IsAllowed);
        var denied = TrustPolicy.EvaluateWebIdentity(trust, Provider, "system:serviceaccount:kube-system:aws-node");
        Assert.True(denied.IsExplicitDeny);
        Assert.Equal("NoKubeSystem", Assert.Single(denied.Statements).Sid);
    }

    [Fact]
    public void Providers_of_other_clusters_are_listed()
    {
        var trust = Trust(WebIdentity("") + "," + WebIdentity("", OtherProvider));
        Assert.Equal([Provider, OtherProvider], TrustPolicy.WebIdentityProviders(trust));
    }

    [Fact]
    public void Issuer_and_provider_arn_convert_both_ways()
    {
        Assert.Equal(Issuer, TrustPolicy.OidcIssuer(Provider));
        Assert.Null(TrustPolicy.OidcIssuer($"arn:aws:iam::{Account}:saml-provider/corp"));
        Assert.Equal(Provider, TrustPolicy.OidcProviderArn(Account, $"https://{Issuer}"));
        Assert.Equal(Provider, TrustPolicy.OidcProviderArn(Account, Issuer + "/"));
        Assert.Equal("system:serviceaccount:payments:api", TrustPolicy.ServiceAccountSubject("payments", "api"));
        Assert.Throws<ArgumentException>(() => TrustPolicy.EvaluateWebIdentity(Exact, "arn:aws:iam::1:role/x", "s"));
    }

    // EKS Pod Identity: the service principal with AssumeRole and TagSession; conditions on the source account.
    private static readonly PolicyDocument PodIdentity = Trust($$"""
        {"Sid":"PodIdentity","Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"],
         "Condition":{"StringEquals":{"aws:SourceAccount":"{{Account}}"},"ArnLike":{"aws:SourceArn":"arn:aws:eks:us-west-2:{{Account}}:cluster/*"} } }
        """);

    [Theory]
    [InlineData("sts:AssumeRole", true)]
    [InlineData("sts:TagSession", true)]
    [InlineData("sts:AssumeRoleWithWebIdentity", false)]
    public void Statements_admitting_a_service_for_an_action(string action, bool admitted)
    {
        var statements = TrustPolicy.StatementsAdmitting(PodIdentity, RequestPrincipal.Service(TrustPolicy.PodIdentityService), action);
        Assert.Equal(admitted, statements.Count == 1);
        Assert.Empty(TrustPolicy.StatementsAdmitting(PodIdentity, RequestPrincipal.Service("ec2.amazonaws.com"), TrustPolicy.AssumeRole));
        if (admitted)
        {
            Assert.Single(statements[0].ConditionsOn("aws:SourceAccount"));
            Assert.Single(statements[0].ConditionsOn("AWS:SourceArn"));
        }
    }

    [Theory]
    [InlineData(Account, "arn:aws:eks:us-west-2:111122223333:cluster/prod", true)]
    [InlineData("999988887777", "arn:aws:eks:us-west-2:999988887777:cluster/prod", false)]
    [InlineData(Account, "arn:aws:eks:eu-west-1:111122223333:cluster/prod", false)]
    public void Pod_identity_conditions_on_the_source(string sourceAccount, string sourceArn, bool allowed)
    {
        var decision = TrustPolicy.Evaluate(PodIdentity, new AccessRequest(TrustPolicy.AssumeRole, null, RequestPrincipal.Service(TrustPolicy.PodIdentityService))
            .With("aws:SourceAccount", sourceAccount).With("aws:SourceArn", sourceArn));
        Assert.Equal(allowed, decision.IsAllowed);
    }

    [Theory]
    [InlineData("arn:aws:sts::111122223333:assumed-role/ci/build-42", true)]
    [InlineData("arn:aws:iam::111122223333:user/alice", true)]
    [InlineData("arn:aws:sts::444455556666:assumed-role/ci/build-42", false)]
    public void Account_trust_lets_in_any_principal_of_the_account(string caller, bool allowed)
    {
        var trust = Trust($$"""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"sts:AssumeRole"}""");
        Assert.Equal(allowed, TrustPolicy.Evaluate(trust, RequestPrincipal.Aws(caller), TrustPolicy.AssumeRole).IsAllowed);
    }
}
