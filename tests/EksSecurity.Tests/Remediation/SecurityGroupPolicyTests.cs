using EksSecurity.Engine;
using EksSecurity.Engine.Kubernetes;
using k8s;

namespace EksSecurity.Tests.Remediation;

/// <summary>New-EksSecurityGroupPolicy's objects.</summary>
public sealed class SecurityGroupPolicyTests
{
    private static readonly SecurityEngine Engine = new();

    private static SecurityGroupPolicyRequest Request(string[]? ids = null, IReadOnlyDictionary<string, string>? pods = null, IReadOnlyDictionary<string, string>? accounts = null) => new()
    {
        Namespaces = ["payments", "orders"],
        Name = "payments-db",
        PodSelector = pods,
        ServiceAccountSelector = accounts,
        SecurityGroupIds = ids ?? ["sg-0123456789abcdef0", "sg-12345678", "sg-0123456789abcdef0"],
    };

    [Fact]
    public void One_security_group_policy_per_namespace_selecting_pods()
    {
        var manifests = Engine.NewSecurityGroupPolicies(Request(pods: new Dictionary<string, string> { ["app"] = "payments-db" }));
        Assert.Equal(["payments", "orders"], manifests.Select(m => m.Namespace));
        Assert.All(manifests, m => Assert.Equal(("vpcresources.k8s.aws/v1beta1", "SecurityGroupPolicy", "payments-db"), (m.ApiVersion, m.Kind, m.Name)));
        Assert.Equal("""
            apiVersion: vpcresources.k8s.aws/v1beta1
            kind: SecurityGroupPolicy
            metadata:
              name: payments-db
              namespace: payments
              labels:
                app.kubernetes.io/managed-by: eks-security
            spec:
              podSelector:
                matchLabels:
                  app: payments-db
              securityGroups:
                groupIds:
                - sg-0123456789abcdef0
                - sg-12345678

            """.ReplaceLineEndings("\n"), manifests[0].Yaml);
        // The engine's own model reads it back (the collector's SecurityGroupPolicy, which EKS-NET-016/020 judge).
        var sgp = KubernetesJson.Deserialize<SecurityGroupPolicy>(manifests[0].Json);
        Assert.Equal(["sg-0123456789abcdef0", "sg-12345678"], sgp.Spec!.SecurityGroups!.GroupIds);
        Assert.Equal("payments-db", sgp.Spec.PodSelector!.MatchLabels["app"]);
        Assert.Null(sgp.Spec.ServiceAccountSelector);
    }

    [Fact]
    public void A_service_account_selector_instead_and_an_empty_selector_selects_every_pod()
    {
        var byAccount = Engine.NewSecurityGroupPolicies(Request(accounts: new Dictionary<string, string> { ["role"] = "db-client" }))[0];
        Assert.Contains("  serviceAccountSelector:\n    matchLabels:\n      role: db-client\n", byAccount.Yaml);
        Assert.DoesNotContain("podSelector", byAccount.Yaml);
        var every = Engine.NewSecurityGroupPolicies(Request(pods: new Dictionary<string, string>()))[0];
        Assert.Contains("  podSelector: {}\n", every.Yaml);
    }

    [Theory]
    [InlineData("sg-XYZ")]
    [InlineData("sg-0123456789ABCDEF0")]
    [InlineData("sg-123")]
    [InlineData("sg-0123456789abcdef")]
    [InlineData("subnet-12345678")]
    [InlineData("")]
    public void Security_group_ids_that_are_not_ids_are_refused(string id)
    {
        var ex = Assert.Throws<EksSecurityException>(() => Engine.NewSecurityGroupPolicies(Request([id], pods: new Dictionary<string, string>())));
        Assert.Equal("InvalidSecurityGroupId", ex.ErrorId);
        Assert.Equal(id, ex.Target);
        Assert.Contains("is not a security group id", ex.Message);
    }

    [Fact]
    public void One_to_five_groups_one_selector()
    {
        var six = Enumerable.Range(1, 6).Select(i => $"sg-0000000{i}").ToArray();
        Assert.Equal("InvalidSecurityGroupId", Assert.Throws<EksSecurityException>(() => Engine.NewSecurityGroupPolicies(Request(six, pods: new Dictionary<string, string>()))).ErrorId);
        Assert.Equal("InvalidSecurityGroupId", Assert.Throws<EksSecurityException>(() => Engine.NewSecurityGroupPolicies(Request([], pods: new Dictionary<string, string>()))).ErrorId);
        Assert.Equal("InvalidLabelSelector", Assert.Throws<EksSecurityException>(() => Engine.NewSecurityGroupPolicies(Request())).ErrorId);
        Assert.Equal("InvalidLabelSelector", Assert.Throws<EksSecurityException>(() => Engine.NewSecurityGroupPolicies(
            Request(pods: new Dictionary<string, string>(), accounts: new Dictionary<string, string>()))).ErrorId);
    }
}
