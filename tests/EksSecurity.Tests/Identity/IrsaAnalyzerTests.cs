using EksSecurity.Engine.Identity;
using static EksSecurity.Tests.Identity.IdentityFixtures;

namespace EksSecurity.Tests.Identity;

public class IrsaAnalyzerTests
{
    [Fact]
    public void A_sound_setup_passes_every_check()
    {
        var result = Assert.Single(TestIrsa(Irsa()));
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(("payments", "payments-api", AppRole), (result.Namespace, result.ServiceAccount, result.RoleArn));
        Assert.All(result.Checks, c => Assert.Equal(FindingStatus.Pass, c.Status));
        Assert.Equal(
            [IrsaAnalyzer.Annotation, IrsaAnalyzer.ClusterIssuer, IrsaAnalyzer.OidcProvider, IrsaAnalyzer.RoleExists, IrsaAnalyzer.TrustAllowsServiceAccount,
             IrsaAnalyzer.TrustSubjectScoped, IrsaAnalyzer.TrustAudience, IrsaAnalyzer.TrustOtherIssuers, IrsaAnalyzer.RolePermissions, IrsaAnalyzer.PodsInjected, IrsaAnalyzer.NodeRoleReachable],
            result.Checks.Select(c => c.Id));
    }

    [Fact]
    public void StringLike_with_a_wildcard_on_sub_fails_the_scope_check()
    {
        var trust = IrsaTrust(""" "StringLike": { "%ISSUER%:sub": "system:serviceaccount:payments:*" }, "StringEquals": { "%ISSUER%:aud": "sts.amazonaws.com" } """);
        var result = Assert.Single(TestIrsa(Irsa(trust)));
        Assert.False(result.Passed);
        Assert.Equal(FindingStatus.Pass, result.Check(IrsaAnalyzer.TrustAllowsServiceAccount).Status);
        var scope = result.Check(IrsaAnalyzer.TrustSubjectScoped);
        Assert.Equal(FindingStatus.Fail, scope.Status);
        Assert.Contains("system:serviceaccount:payments:*", scope.Message);
        Assert.Contains("system:serviceaccount:payments:payments-api-other gets in", scope.Message);
    }

    [Fact]
    public void A_trust_listing_other_exact_subjects_warns_that_the_role_is_shared()
    {
        var trust = IrsaTrust(""" "StringEquals": { "%ISSUER%:sub": ["system:serviceaccount:payments:payments-api", "system:serviceaccount:batch:runner"], "%ISSUER%:aud": "sts.amazonaws.com" } """);
        var result = Assert.Single(TestIrsa(Irsa(trust)));
        var scope = result.Check(IrsaAnalyzer.TrustSubjectScoped);
        Assert.Equal(FindingStatus.Warning, scope.Status);
        Assert.Contains("system:serviceaccount:batch:runner", scope.Message);
        Assert.True(result.Passed);
    }

    [Fact]
    public void A_trust_without_any_sub_condition_lets_every_service_account_in()
    {
        var trust = IrsaTrust(""" "StringEquals": { "%ISSUER%:aud": "sts.amazonaws.com" } """);
        var result = Assert.Single(TestIrsa(Irsa(trust)));
        var scope = result.Check(IrsaAnalyzer.TrustSubjectScoped);
        Assert.Equal(FindingStatus.Fail, scope.Status);
        Assert.Contains("does not condition", scope.Message);
        Assert.Contains("system:serviceaccount:kube-system:default gets in", scope.Message);
    }

    [Fact]
    public void A_missing_aud_condition_fails_the_audience_check()
    {
        var trust = IrsaTrust(""" "StringEquals": { "%ISSUER%:sub": "system:serviceaccount:payments:payments-api" } """);
        var result = Assert.Single(TestIrsa(Irsa(trust)));
        Assert.Equal(FindingStatus.Fail, result.Check(IrsaAnalyzer.TrustAudience).Status);
        Assert.Equal(FindingStatus.Pass, result.Check(IrsaAnalyzer.TrustSubjectScoped).Status);
    }

    [Fact]
    public void A_trust_for_another_service_account_does_not_let_this_one_in()
    {
        var trust = IrsaTrust(""" "StringEquals": { "%ISSUER%:sub": "system:serviceaccount:payments:billing", "%ISSUER%:aud": "sts.amazonaws.com" } """);
        var check = Assert.Single(TestIrsa(Irsa(trust))).Check(IrsaAnalyzer.TrustAllowsServiceAccount);
        Assert.Equal(FindingStatus.Fail, check.Status);
        Assert.Contains("system:serviceaccount:payments:payments-api", check.Message);
    }

    [Fact]
    public void A_trust_in_another_clusters_issuer_only_fails_and_is_reported()
    {
        const string other = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0THER0THER0THER0THER0THER0THER00";
        var trust = IrsaTrust(""" "StringEquals": { "oidc.eks.eu-west-1.amazonaws.com/id/0THER0THER0THER0THER0THER0THER00:sub": "system:serviceaccount:payments:payments-api" } """, other);
        var result = Assert.Single(TestIrsa(Irsa(trust)));
        Assert.Equal(FindingStatus.Fail, result.Check(IrsaAnalyzer.TrustAllowsServiceAccount).Status);
        var foreign = result.Check(IrsaAnalyzer.TrustOtherIssuers);
        Assert.Equal(FindingStatus.Warning, foreign.Status);
        Assert.Contains(other, foreign.Evidence);
        // Nothing of this cluster gets in, so the scope and audience checks cannot claim a Pass.
        Assert.Equal(FindingStatus.NotApplicable, result.Check(IrsaAnalyzer.TrustSubjectScoped).Status);
        Assert.Equal(FindingStatus.NotApplicable, result.Check(IrsaAnalyzer.TrustAudience).Status);
    }

    [Fact]
    public void A_missing_oidc_provider_or_audience_fails()
    {
        var noProvider = Irsa().With(s => s.Aws.OidcProviders!.Items!.Clear());
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestIrsa(noProvider)).Check(IrsaAnalyzer.OidcProvider).Status);
        var noAudience = Irsa().With(s => s.Aws.OidcProviders!.Items![0].ClientIdList = ["other"]);
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestIrsa(noAudience)).Check(IrsaAnalyzer.OidcProvider).Status);
    }

    [Fact]
    public void Uncollected_data_is_an_error_never_a_pass()
    {
        var snapshot = Irsa().With(s => s.Aws.OidcProviders = EksSecurity.Engine.Snapshot.Section<EksSecurity.Engine.Aws.Model.IamOidcProvider>.Denied("iam:ListOpenIDConnectProviders"));
        var result = Assert.Single(TestIrsa(snapshot));
        var check = result.Check(IrsaAnalyzer.OidcProvider);
        Assert.Equal(FindingStatus.Error, check.Status);
        Assert.Contains("iam:ListOpenIDConnectProviders", check.Message);
        Assert.False(result.Passed);
    }

    [Fact]
    public void A_role_that_does_not_exist_fails()
    {
        var role = Role(IrsaTrust());
        role.NoSuchEntity = true;
        var result = Assert.Single(TestIrsa(Irsa(role: role)));
        Assert.Equal(FindingStatus.Fail, result.Check(IrsaAnalyzer.RoleExists).Status);
    }

    [Fact]
    public void Pods_started_before_the_annotation_lack_the_web_identity()
    {
        var snapshot = Irsa().With(s => s.Kubernetes.Pods!.Items!.Add(Pod("payments-api-old", roleArn: null)));
        var check = Assert.Single(TestIrsa(snapshot)).Check(IrsaAnalyzer.PodsInjected);
        Assert.Equal(FindingStatus.Fail, check.Status);
        Assert.Contains(check.Evidence, e => e.Contains("payments/payments-api-old container app: no AWS_ROLE_ARN"));
    }

    [Theory]
    [InlineData("required", 1, false, FindingStatus.Pass)]
    [InlineData("required", 2, false, FindingStatus.Fail)]
    [InlineData("optional", 1, false, FindingStatus.Fail)]
    [InlineData("required", 1, true, FindingStatus.Fail)]
    public void The_node_role_is_out_of_reach_only_with_imdsv2_and_one_hop(string tokens, int hops, bool hostNetwork, FindingStatus expected)
    {
        var snapshot = Irsa().With(s =>
        {
            s.Aws.Instances!.Items![0] = Instance(tokens: tokens, hops: hops);
            if (hostNetwork) s.Kubernetes.Pods!.Items![0].Spec.HostNetwork = true;
        });
        Assert.Equal(expected, Assert.Single(TestIrsa(snapshot)).Check(IrsaAnalyzer.NodeRoleReachable).Status);
    }

    [Theory]
    [InlineData(true, FindingStatus.Pass)]
    [InlineData(false, FindingStatus.Fail)]
    public void An_enforced_network_policy_denying_imds_keeps_the_node_role_out_of_reach(bool enforced, FindingStatus expected)
    {
        var snapshot = Irsa().With(s =>
        {
            s.Aws.Instances!.Items![0] = Instance(tokens: "optional", hops: 2);
            s.Kubernetes.DaemonSets!.Items!.Add(EksSecurity.Tests.Rules.Net.NetworkFixtures.AwsNode(enforced ? "true" : "false"));
            s.Kubernetes.ConfigMaps!.Items!.Add(EksSecurity.Tests.Rules.Net.NetworkFixtures.ConfigMap("kube-system", "amazon-vpc-cni", ("enable-network-policy-controller", enforced ? "true" : "false")));
            s.Cluster().KubernetesNetworkConfig = new EksSecurity.Engine.Aws.Model.EksKubernetesNetworkConfig { IpFamily = "ipv4" };
            s.Kubernetes.NetworkPolicies!.Items!.Add(EksSecurity.Tests.Rules.Net.NetworkFixtures.Policy("payments", "deny-instance-metadata", types: ["Egress"],
                egress: [new k8s.Models.V1NetworkPolicyEgressRule { To = [
                    new() { IpBlock = new k8s.Models.V1IPBlock { Cidr = "0.0.0.0/0", Except = ["169.254.169.254/32"] } },
                    new() { NamespaceSelector = new k8s.Models.V1LabelSelector() }] }]));
        });
        var check = Assert.Single(TestIrsa(snapshot)).Check(IrsaAnalyzer.NodeRoleReachable);
        Assert.Equal(expected, check.Status);
        Assert.Contains(check.Evidence, e => e.Contains("NetworkPolicy denies egress to 169.254.169.254", StringComparison.Ordinal));
    }

    [Fact]
    public void Fargate_pods_cannot_reach_the_node_role()
    {
        var snapshot = Irsa().With(s =>
        {
            s.Kubernetes.Nodes!.Items![0] = Node(computeType: "fargate");
            s.Aws.Instances!.Items!.Clear();
        });
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestIrsa(snapshot)).Check(IrsaAnalyzer.NodeRoleReachable).Status);
    }

    [Fact]
    public void An_admin_role_fails_the_permission_check_and_a_missing_boundary_only_warns()
    {
        var admin = Role(IrsaTrust(), policy: """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestIrsa(Irsa(role: admin))).Check(IrsaAnalyzer.RolePermissions).Status);
        var passRole = Role(IrsaTrust(), policy: """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}""");
        Assert.Contains("iam:PassRole", Assert.Single(TestIrsa(Irsa(role: passRole))).Check(IrsaAnalyzer.RolePermissions).Message);
        var unbounded = Role(IrsaTrust(), boundary: null);
        var result = Assert.Single(TestIrsa(Irsa(role: unbounded)));
        Assert.Equal(FindingStatus.Warning, result.Check(IrsaAnalyzer.RolePermissions).Status);
        Assert.True(result.Passed);
    }

    [Fact]
    public void Without_names_only_annotated_service_accounts_are_tested_and_a_named_one_without_annotation_fails()
    {
        var snapshot = Irsa().With(s => s.Kubernetes.ServiceAccounts!.Items!.Add(new k8s.Models.V1ServiceAccount { Metadata = TestSnapshots.Meta("default", "payments") }));
        Assert.Single(TestIrsa(snapshot));
        var named = Assert.Single(TestIrsa(snapshot, new WorkloadIdentityQuery { Namespaces = ["payments"], ServiceAccounts = ["default"] }));
        Assert.False(named.Passed);
        Assert.Equal(FindingStatus.Fail, named.Check(IrsaAnalyzer.Annotation).Status);
        var absent = Assert.Single(TestIrsa(snapshot, new WorkloadIdentityQuery { Namespaces = ["payments"], ServiceAccounts = ["nope"] }));
        Assert.Contains("does not exist", Assert.Single(absent.Checks).Message);
    }

    [Fact]
    public void Piped_service_account_json_is_judged_and_bad_input_names_itself()
    {
        const string json = """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"payments-api","namespace":"payments","annotations":{"eks.amazonaws.com/role-arn":"arn:aws:iam::111122223333:role/payments-api"}}}""";
        var result = Assert.Single(TestIrsa(Irsa(), new WorkloadIdentityQuery { ServiceAccountJson = [json] }));
        Assert.True(result.Passed, result.ToString());
        var ex = Assert.Throws<EksSecurityException>(() => TestIrsa(Irsa(), new WorkloadIdentityQuery { ServiceAccountJson = [json, """{"kind":"Pod","metadata":{"name":"x"}}"""] }));
        Assert.Equal(WorkloadIdentityRunner.ErrorInvalidServiceAccount, ex.ErrorId);
        Assert.Contains("Input object 2", ex.Message);
    }

    [Fact]
    public void A_snapshot_without_service_accounts_cannot_be_tested()
    {
        var snapshot = Irsa().With(s => s.Kubernetes.ServiceAccounts = new EksSecurity.Engine.Snapshot.Section<k8s.Models.V1ServiceAccount>());
        var ex = Assert.Throws<EksSecurityException>(() => TestIrsa(snapshot));
        Assert.Equal(WorkloadIdentityRunner.ErrorNotCollected, ex.ErrorId);
    }
}
