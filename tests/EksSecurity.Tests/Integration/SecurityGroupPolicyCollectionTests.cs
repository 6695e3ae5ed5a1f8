using EksSecurity.Engine.Aws;
using EksSecurity.Engine.Aws.Collection;
using EksSecurity.Engine.Kubernetes;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Integration.AwsIntegration;

namespace EksSecurity.Tests.Integration;

/// <summary>
/// The security groups SecurityGroupPolicies name are described after the Kubernetes half (EKS-NET-020): added to the cluster's
/// and the nodes' groups, without failing the call for a group that does not exist.
/// </summary>
public class SecurityGroupPolicyCollectionTests
{
    [Fact]
    public async Task Groups_named_by_security_group_policies_are_described_and_a_missing_one_is_left_out()
    {
        using var server = Start();
        using var http = new AwsHttpClient(AwsCredentialResolver.Resolve(Access(server)));
        var collector = new AwsCollector(http);
        var snapshot = new ClusterSnapshot { ClusterName = "demo" };
        await collector.CollectAsync(snapshot, "demo", CancellationToken.None);
        Assert.DoesNotContain(snapshot.Aws.SecurityGroups!.All, g => g.GroupId == "sg-0othercluster");

        snapshot.Kubernetes.SecurityGroupPolicies = Section<SecurityGroupPolicy>.Collected(
        [
            new SecurityGroupPolicy
            {
                Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "payments" },
                Spec = new SecurityGroupPolicySpec
                {
                    PodSelector = new V1LabelSelector(),
                    SecurityGroups = new SecurityGroupPolicyGroups { GroupIds = ["sg-0democluster", "sg-0othercluster", "sg-0deleted"] },
                },
            },
        ]);
        await collector.CollectDependentAsync(snapshot, CancellationToken.None);

        var groups = snapshot.Aws.SecurityGroups!;
        Assert.True(groups.IsCollected);
        Assert.Single(groups.All, g => g.GroupId == "sg-0democluster");
        Assert.Single(groups.All, g => g.GroupId == "sg-0othercluster");
        Assert.DoesNotContain(groups.All, g => g.GroupId == "sg-0deleted");
        // Looked up by filter: the group that does not exist failed no call.
        Assert.DoesNotContain(server.RequestLog, e => e.Status != 200 && e.ErrorCode != "NoSuchEntity");

        var finding = Assert.Single(TestSnapshots.Run<SecurityGroupPoliciesValidAndTight>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("security group sg-0deleted does not exist", finding.Message);
        Assert.DoesNotContain("sg-0othercluster does not exist", finding.Message);
    }
}
