using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Integration.AwsIntegration;

namespace EksSecurity.Tests.Integration;

/// <summary>
/// The EC2 network sections (route tables, flow logs, VPC endpoints, the account's IMDS defaults) collected from the AWS test
/// server, and EKS-NET-005, 011, 018 and EKS-IAM-032, 033 judging them: demo is public with an active VPC flow log, other is a
/// private cluster in a VPC without a way out and an incomplete set of endpoints.
/// </summary>
public class AwsNetworkIntegrationTests
{
    private static readonly string[] Rules = ["EKS-NET-005", "EKS-NET-011", "EKS-NET-018", "EKS-IAM-032", "EKS-IAM-033"];

    private static EksSecurityFinding One(IEnumerable<EksSecurityFinding> findings, string ruleId, string resource) =>
        Assert.Single(findings, f => f.RuleId == ruleId && f.ResourceName == resource);

    [Fact]
    public async Task Demo_network_sections_and_verdicts()
    {
        using var server = Start();
        var snapshot = await CollectAsync(server, "demo");
        var aws = snapshot.Aws;
        Assert.True(NotCollected(snapshot).Length == 0, NotCollected(snapshot));

        Assert.Equal(["rtb-0demomain", "rtb-0demopublic"], aws.RouteTables!.All.Select(t => t.RouteTableId).Order());
        var main = aws.RouteTables.All.Single(t => t.RouteTableId == "rtb-0demomain");
        Assert.True(main.Associations!.Single().Main);
        Assert.Equal("nat-0demo0b", main.Routes!.Single(r => r.DestinationCidrBlock == "0.0.0.0/0").NatGatewayId);
        Assert.Equal("::/0", aws.RouteTables.All.Single(t => t.RouteTableId == "rtb-0demopublic").Routes![2].DestinationIpv6CidrBlock);
        var flowLog = Assert.Single(aws.FlowLogs!.All);
        Assert.Equal(("fl-0demovpc", "ACTIVE", "vpc-0demo", "ALL"), (flowLog.FlowLogId, flowLog.FlowLogStatus, flowLog.ResourceId, flowLog.TrafficType));
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 8, 5, 0, TimeSpan.Zero), flowLog.CreationTime);
        Assert.Empty(aws.VpcEndpoints!.All);
        Assert.Equal(("required", "account"), (aws.InstanceMetadataDefaults!.Value!.HttpTokens, aws.InstanceMetadataDefaults.Value.ManagedBy));
        Assert.Null(aws.InstanceMetadataDefaults.Value.HttpPutResponseHopLimit);

        var findings = Evaluate(snapshot, Rules);
        Assert.Equal(FindingStatus.Fail, One(findings, "EKS-NET-005", "subnet-0demo0a").Status);
        Assert.Equal(FindingStatus.Pass, One(findings, "EKS-NET-005", "subnet-0demo0b").Status);
        Assert.Equal(FindingStatus.Pass, One(findings, "EKS-NET-011", "vpc-0demo").Status);
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(findings, f => f.RuleId == "EKS-NET-018").Status);
        Assert.Equal(FindingStatus.Fail, One(findings, "EKS-IAM-032", "i-0demoapps0000002").Status);
        Assert.Equal(FindingStatus.Pass, One(findings, "EKS-IAM-032", "i-0demosystem00001").Status);
        Assert.Equal(FindingStatus.Pass, One(findings, "EKS-IAM-033", "ng-system").Status);
        Assert.Equal(FindingStatus.Fail, One(findings, "EKS-IAM-033", "ng-apps").Status);
        Assert.DoesNotContain(findings, f => f.Status == FindingStatus.Error);
    }

    [Fact]
    public async Task A_private_cluster_without_a_way_out_misses_endpoints()
    {
        using var server = Start();
        var snapshot = await CollectAsync(server, "other");
        Assert.True(NotCollected(snapshot).Length == 0, NotCollected(snapshot));
        Assert.Equal(["rtb-0othermain"], snapshot.Aws.RouteTables!.All.Select(t => t.RouteTableId));
        Assert.Equal(["vpce-0otherecrapi", "vpce-0otherecrdkr", "vpce-0others3gw", "vpce-0othersts"], snapshot.Aws.VpcEndpoints!.All.Select(e => e.VpcEndpointId).Order());
        Assert.Equal(["rtb-0othermain"], snapshot.Aws.VpcEndpoints.All.Single(e => e.VpcEndpointType == "Gateway").RouteTableIds!);

        var findings = Evaluate(snapshot, Rules);
        var endpoints = Assert.Single(findings, f => f.RuleId == "EKS-NET-018");
        Assert.Equal(FindingStatus.Fail, endpoints.Status);
        Assert.EndsWith("com.amazonaws.eu-west-1.ec2, com.amazonaws.eu-west-1.logs, com.amazonaws.eu-west-1.elasticloadbalancing, com.amazonaws.eu-west-1.eks-auth.",
            endpoints.Message);
        Assert.Contains("EKS Pod Identity is used (1 association(s)): eks-auth is required", endpoints.Evidence);
        var flow = One(findings, "EKS-NET-011", "vpc-0other");
        Assert.Equal(FindingStatus.Fail, flow.Status);
        Assert.Contains("subnet-0other0a (node group ng-other; Fargate profile fp-batch; node i-0other000000001)", flow.Message);
        Assert.Equal(FindingStatus.Pass, One(findings, "EKS-NET-005", "subnet-0other0a").Status);
        Assert.Equal(FindingStatus.Warning, One(findings, "EKS-IAM-033", "ng-other").Status);
        Assert.Equal(FindingStatus.Fail, One(findings, "EKS-IAM-032", "i-0other000000001").Status);
    }

    [Fact]
    public async Task Templates_nodes_were_launched_from_are_collected_and_a_deleted_one_is_skipped()
    {
        // EC2 tags nodes with the template they came from: the apps node with EKS's copy, the system node with one deleted since.
        using var server = Start(editText: text => text
            .Replace("""{ "Key": "eks:nodegroup-name", "Value": "ng-apps" } ]""",
                """{ "Key": "eks:nodegroup-name", "Value": "ng-apps" }, { "Key": "aws:ec2launchtemplate:id", "Value": "lt-0demosystem00001" }, { "Key": "aws:ec2launchtemplate:version", "Value": "1" } ]""", StringComparison.Ordinal)
            .Replace("""{ "Key": "eks:nodegroup-name", "Value": "ng-system" } ]""",
                """{ "Key": "eks:nodegroup-name", "Value": "ng-system" }, { "Key": "aws:ec2launchtemplate:id", "Value": "lt-0deleted0000001" }, { "Key": "aws:ec2launchtemplate:version", "Value": "2" } ]""", StringComparison.Ordinal));
        var snapshot = await CollectAsync(server, "demo");
        Assert.Equal(SectionStatus.Collected, snapshot.DescribeSection(SnapshotSection.LaunchTemplates).Status);
        Assert.Equal([("lt-0demoapps0000002", 1L), ("lt-0demosystem00001", 1L), ("lt-0demosystem00001", 3L)],
            snapshot.Aws.LaunchTemplates!.All.Select(v => (v.LaunchTemplateId!, v.VersionNumber!.Value)).Order());
        Assert.Contains(server.RequestLog, e => e.Action == "ec2:DescribeLaunchTemplateVersions" && e.ErrorCode == "InvalidLaunchTemplateId.NotFound");
    }
}
