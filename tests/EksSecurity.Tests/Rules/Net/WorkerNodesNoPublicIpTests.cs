using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Net;

public class WorkerNodesNoPublicIpTests
{
    internal static Ec2Instance Node(string id, string? publicIp = null, string state = "running", params string[] groups) => new()
    {
        InstanceId = id,
        PrivateIpAddress = "10.0.1.10",
        PublicIpAddress = publicIp,
        SubnetId = "subnet-private-a",
        State = new Ec2InstanceState { Name = state },
        SecurityGroups = groups.Select(g => new Ec2GroupIdentifier { GroupId = g }).ToList(),
        Tags = [new Ec2Tag { Key = "eks:cluster-name", Value = "test-cluster" }, new Ec2Tag { Key = "eks:nodegroup-name", Value = "general" }],
    };

    internal static EksNodegroup NodeGroup(string name, string[]? subnets = null, EksLaunchTemplateSpecification? template = null, EksRemoteAccessConfig? remote = null) => new()
    {
        NodegroupName = name,
        ClusterName = "test-cluster",
        Status = "ACTIVE",
        Subnets = (subnets ?? ["subnet-private-a"]).ToList(),
        LaunchTemplate = template,
        RemoteAccess = remote,
    };

    internal static Ec2Subnet Subnet(string id, bool mapPublic) => new() { SubnetId = id, MapPublicIpOnLaunch = mapPublic, VpcId = "vpc-1" };

    internal static Ec2LaunchTemplateVersion Template(string id, long version, bool? associatePublic = null, string? keyName = null, bool isDefault = true) => new()
    {
        LaunchTemplateId = id,
        LaunchTemplateName = id + "-name",
        VersionNumber = version,
        DefaultVersion = isDefault,
        LaunchTemplateData = new Ec2LaunchTemplateData
        {
            KeyName = keyName,
            NetworkInterfaces = associatePublic is null ? null : [new Ec2LaunchTemplateNetworkInterface { DeviceIndex = 0, AssociatePublicIpAddress = associatePublic }],
        },
    };

    private static ClusterSnapshot Cluster(Ec2Instance[] nodes, EksNodegroup[] groups, Ec2Subnet[]? subnets = null, Ec2LaunchTemplateVersion[]? templates = null) =>
        TestSnapshots.Empty().With(s =>
        {
            s.Aws.Instances!.Items!.AddRange(nodes);
            s.Aws.NodeGroups!.Items!.AddRange(groups);
            s.Aws.Subnets!.Items!.AddRange(subnets ?? [Subnet("subnet-private-a", false), Subnet("subnet-public-a", true)]);
            s.Aws.LaunchTemplates!.Items!.AddRange(templates ?? []);
        });

    [Fact]
    public void Node_with_public_ip_fails_and_private_node_passes()
    {
        var findings = TestSnapshots.Run<WorkerNodesNoPublicIp>(Cluster([Node("i-public", "203.0.113.10"), Node("i-private")], []));
        var bad = Assert.Single(findings, f => f.ResourceName == "i-public");
        Assert.Equal(FindingStatus.Fail, bad.Status);
        Assert.Equal("Ec2Instance", bad.ResourceType);
        Assert.Contains("203.0.113.10", bad.Message);
        Assert.Contains(bad.Evidence, e => e.Contains("PublicIpAddress = 203.0.113.10"));
        Assert.Equal(FindingStatus.Pass, Assert.Single(findings, f => f.ResourceName == "i-private").Status);
    }

    [Fact]
    public void Terminated_nodes_and_other_clusters_nodes_are_skipped()
    {
        var other = Node("i-other", "198.51.100.1");
        other.Tags = [new Ec2Tag { Key = "eks:cluster-name", Value = "someone-else" }];
        var findings = TestSnapshots.Run<WorkerNodesNoPublicIp>(Cluster([Node("i-gone", "203.0.113.11", "terminated"), other], []));
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(findings).Status);
    }

    [Fact]
    public void Node_group_in_a_public_subnet_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<WorkerNodesNoPublicIp>(Cluster([], [NodeGroup("edge", ["subnet-private-a", "subnet-public-a"])])));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("NodeGroup", finding.ResourceType);
        Assert.Contains("subnet-public-a", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "subnet subnet-public-a: MapPublicIpOnLaunch = true");
    }

    [Fact]
    public void Node_group_in_private_subnets_passes()
    {
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<WorkerNodesNoPublicIp>(Cluster([], [NodeGroup("general")]))).Status);
    }

    [Fact]
    public void Launch_template_decides_over_the_subnet()
    {
        var on = Cluster([], [NodeGroup("lt-on", template: new() { Id = "lt-1", Version = "3" })], templates: [Template("lt-1", 3, associatePublic: true)]);
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<WorkerNodesNoPublicIp>(on)).Status);
        var off = Cluster([], [NodeGroup("lt-off", ["subnet-public-a"], new() { Id = "lt-2", Version = "$Default" })], templates: [Template("lt-2", 1, associatePublic: false)]);
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<WorkerNodesNoPublicIp>(off)).Status);
    }

    [Fact]
    public void Subnets_not_collected_is_an_error_for_the_node_group()
    {
        var snapshot = Cluster([], [NodeGroup("general")]).With(s => s.Aws.Subnets = Section<Ec2Subnet>.Denied("ec2:DescribeSubnets"));
        var finding = Assert.Single(TestSnapshots.Run<WorkerNodesNoPublicIp>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("ec2:DescribeSubnets", finding.Message);
    }

    [Fact]
    public void Launch_template_not_collected_is_an_error_when_the_subnets_are_private()
    {
        var snapshot = Cluster([], [NodeGroup("lt", template: new() { Id = "lt-9", Version = "2" })]);
        var finding = Assert.Single(TestSnapshots.Run<WorkerNodesNoPublicIp>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("lt-9 version 2", finding.Message);
    }

    [Fact]
    public void Denied_instances_are_an_error()
    {
        var snapshot = Cluster([], []).With(s => s.Aws.Instances = Section<Ec2Instance>.Denied("ec2:DescribeInstances"));
        var finding = Assert.Single(TestSnapshots.Run<WorkerNodesNoPublicIp>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("ec2:DescribeInstances", finding.Message);
    }
}
