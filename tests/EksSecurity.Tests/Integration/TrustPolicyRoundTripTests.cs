using System.Text.Json.Nodes;
using EksSecurity.Engine;
using EksSecurity.Engine.Identity;
using EksSecurity.KubeTestServer.Api;
using k8s.Models;

namespace EksSecurity.Tests.Integration;

/// <summary>
/// The generators round-trip through both test servers: the cluster's issuer comes from eks:DescribeCluster, the
/// generated trust policy is put on a role in IAM, the service account (or a Pod Identity association) points at it,
/// and a live collection tested with Test-EksIrsa / Test-EksPodIdentity finds the trust exactly right.
/// </summary>
public sealed class TrustPolicyRoundTripTests
{
    private const string Account = "111122223333";

    private static JsonObject RoleJson(string name, string trust) => new()
    {
        ["RoleName"] = name,
        ["RoleId"] = "AROAROUNDTRIP" + name.Length.ToString("D7", System.Globalization.CultureInfo.InvariantCulture),
        ["Path"] = "/",
        ["Arn"] = $"arn:aws:iam::{Account}:role/{name}",
        ["CreateDate"] = "2026-11-01T00:00:00Z",
        ["MaxSessionDuration"] = 3600,
        ["AssumeRolePolicyDocument"] = JsonNode.Parse(trust),
        ["RolePolicyList"] = new JsonArray(new JsonObject
        {
            ["PolicyName"] = "scoped",
            ["PolicyDocument"] = JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::payments-bucket/*"}]}"""),
        }),
    };

    private static async Task<EksClusterIdentity> Describe(LiveServers.Servers servers) =>
        await new SecurityEngine().DescribeClusterIdentityAsync(AwsIntegration.Access(servers.Aws), "demo");

    [Fact]
    public async Task A_generated_irsa_trust_policy_passes_Test_EksIrsa_live()
    {
        const string role = "payments-roundtrip-irsa";
        await using var servers = LiveServers.Start(editKube: kube =>
        {
            var sa = (V1ServiceAccount)kube.Store(ResourceCatalog.ServiceAccounts)!.Find("payments", "payments-api")!;
            sa.Metadata.Annotations ??= new Dictionary<string, string>();
            sa.Metadata.Annotations["eks.amazonaws.com/role-arn"] = $"arn:aws:iam::{Account}:role/{role}";
        });
        var cluster = await Describe(servers);
        Assert.Equal(Account, cluster.AccountId);
        var trust = new SecurityEngine().NewIrsaTrustPolicy(new IrsaTrustPolicyRequest
        {
            OidcIssuer = cluster.OidcIssuer!, AccountId = cluster.AccountId, Namespace = "payments", ServiceAccounts = ["payments-api"],
        });
        servers.Aws.Scenario.Collection(Account, "iam", "roles").Add(RoleJson(role, trust));

        var snapshot = await LiveServers.Collect(servers);
        var result = Assert.Single(new SecurityEngine().TestIrsa(snapshot, new WorkloadIdentityQuery { Namespaces = ["payments"], ServiceAccounts = ["payments-api"] }));
        var expectedPass = IrsaAnalyzer.TrustChecks.Append(IrsaAnalyzer.OidcProvider).Append(IrsaAnalyzer.Annotation).ToHashSet();
        Assert.All(result.Checks.Where(c => expectedPass.Contains(c.Id)), c => Assert.True(c.Status == FindingStatus.Pass, c.ToString()));
        Assert.Equal(expectedPass.Count, result.Checks.Count(c => expectedPass.Contains(c.Id)));
        // The role's scoped policy is read through IAM: no admin grant (and no boundary, so a warning only).
        Assert.Equal(FindingStatus.Warning, Assert.Single(result.Checks, c => c.Id == IrsaAnalyzer.RolePermissions).Status);
    }

    [Fact]
    public async Task A_generated_pod_identity_trust_policy_passes_Test_EksPodIdentity_live()
    {
        const string role = "payments-roundtrip-pod-identity";
        // The demo's payments-api uses IRSA; moving it to Pod Identity means dropping the annotation.
        await using var servers = LiveServers.Start(editKube: kube =>
            ((V1ServiceAccount)kube.Store(ResourceCatalog.ServiceAccounts)!.Find("payments", "payments-api")!).Metadata.Annotations!.Remove("eks.amazonaws.com/role-arn"),
        editAws: aws =>
        {
            var demo = aws.Collection(Account, "eks", "clusters").OfType<JsonObject>().Single(c => (string?)c["name"] == "demo");
            ((JsonArray)demo["podIdentityAssociations"]!).Add(new JsonObject
            {
                ["associationId"] = "a-roundtrip00000001",
                ["namespace"] = "payments",
                ["serviceAccount"] = "payments-api",
                ["roleArn"] = $"arn:aws:iam::{Account}:role/{role}",
                ["associationArn"] = $"arn:aws:eks:eu-west-1:{Account}:podidentityassociation/demo/a-roundtrip00000001",
                ["createdAt"] = "2026-11-01T00:00:00Z",
                ["modifiedAt"] = "2026-11-01T00:00:00Z",
            });
        });
        var cluster = await Describe(servers);
        var trust = new SecurityEngine().NewPodIdentityTrustPolicy(new PodIdentityTrustPolicyRequest { AccountId = cluster.AccountId, ClusterArns = [cluster.Arn] });
        servers.Aws.Scenario.Collection(Account, "iam", "roles").Add(RoleJson(role, trust));

        var snapshot = await LiveServers.Collect(servers);
        var result = Assert.Single(new SecurityEngine().TestPodIdentity(snapshot, new WorkloadIdentityQuery { Namespaces = ["payments"], ServiceAccounts = ["payments-api"] }));
        Assert.Equal("a-roundtrip00000001", result.AssociationId);
        foreach (var id in new[] { PodIdentityAnalyzer.Association, PodIdentityAnalyzer.ServiceAccountExists, PodIdentityAnalyzer.Agent, PodIdentityAnalyzer.RoleExists,
                     PodIdentityAnalyzer.Trust, PodIdentityAnalyzer.TrustScoped, PodIdentityAnalyzer.NoIrsaConflict, PodIdentityAnalyzer.SessionTags })
            Assert.True(Assert.Single(result.Checks, c => c.Id == id).Status == FindingStatus.Pass, string.Join("\n", result.Checks));
    }
}
