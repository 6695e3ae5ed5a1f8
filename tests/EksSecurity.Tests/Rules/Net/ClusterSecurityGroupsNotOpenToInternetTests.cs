using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Net.WorkerNodesNoPublicIpTests;

namespace EksSecurity.Tests.Rules.Net;

public class ClusterSecurityGroupsNotOpenToInternetTests
{
    private static Ec2IpPermission Tcp(int from, int to, string cidr) =>
        new() { IpProtocol = "tcp", FromPort = from, ToPort = to, IpRanges = [new Ec2IpRange { CidrIp = cidr }] };

    private static Ec2SecurityGroup Group(string id, params Ec2IpPermission[] ingress) => new() { GroupId = id, GroupName = id + "-name", IpPermissions = ingress.ToList() };

    private static ClusterSnapshot Cluster(Ec2SecurityGroup[] groups, params Ec2Instance[] nodes) => TestSnapshots.Empty().With(s =>
    {
        s.Cluster().ResourcesVpcConfig!.ClusterSecurityGroupId = "sg-cluster";
        s.Cluster().ResourcesVpcConfig!.SecurityGroupIds = ["sg-extra"];
        s.Aws.SecurityGroups!.Items!.AddRange(groups);
        s.Aws.Instances!.Items!.AddRange(nodes);
    });

    [Fact]
    public void Ssh_open_to_the_internet_on_a_node_group_fails_critical()
    {
        var snapshot = Cluster([Group("sg-cluster"), Group("sg-extra"), Group("sg-node", Tcp(22, 22, "0.0.0.0/0"), Tcp(443, 443, "10.0.0.0/8"))],
            Node("i-1", groups: ["sg-cluster", "sg-node"]), Node("i-2", groups: ["sg-node"]));
        var findings = TestSnapshots.Run<ClusterSecurityGroupsNotOpenToInternet>(snapshot);
        Assert.Equal(3, findings.Count);
        var node = Assert.Single(findings, f => f.ResourceName == "sg-node");
        Assert.Equal(FindingStatus.Fail, node.Status);
        Assert.Equal(Severity.Critical, node.Severity);
        Assert.Equal("SecurityGroup", node.ResourceType);
        Assert.Contains("tcp/22 from 0.0.0.0/0", node.Message);
        Assert.Contains("on 2 nodes", node.Message);
        var cluster = Assert.Single(findings, f => f.ResourceName == "sg-cluster");
        Assert.Equal(FindingStatus.Pass, cluster.Status);
        Assert.Contains("cluster security group", cluster.Message);
    }

    [Fact]
    public void Other_ports_from_the_internet_fail_high()
    {
        var snapshot = Cluster([Group("sg-cluster", new Ec2IpPermission { IpProtocol = "tcp", FromPort = 30000, ToPort = 32767, Ipv6Ranges = [new Ec2Ipv6Range { CidrIpv6 = "::/0" }] }), Group("sg-extra")]);
        var finding = Assert.Single(TestSnapshots.Run<ClusterSecurityGroupsNotOpenToInternet>(snapshot), f => f.ResourceName == "sg-cluster");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("tcp/30000-32767 from ::/0", finding.Message);
    }

    [Theory]
    [InlineData("-1", null, null)]
    [InlineData("tcp", 0, 65535)]
    [InlineData("tcp", 10000, 11000)]  // includes the kubelet port
    [InlineData("6", 22, 22)]
    public void All_ports_ssh_and_kubelet_are_critical(string protocol, int? from, int? to)
    {
        var rule = new Ec2IpPermission { IpProtocol = protocol, FromPort = from, ToPort = to, IpRanges = [new Ec2IpRange { CidrIp = "0.0.0.0/0" }] };
        var finding = Assert.Single(TestSnapshots.Run<ClusterSecurityGroupsNotOpenToInternet>(Cluster([Group("sg-cluster", rule), Group("sg-extra")])), f => f.ResourceName == "sg-cluster");
        Assert.Equal(Severity.Critical, finding.Severity);
    }

    [Fact]
    public void Udp_port_22_and_restricted_sources_are_not_critical()
    {
        var snapshot = Cluster([Group("sg-cluster", new Ec2IpPermission { IpProtocol = "udp", FromPort = 22, ToPort = 22, IpRanges = [new Ec2IpRange { CidrIp = "0.0.0.0/0" }] }, Tcp(22, 22, "192.0.2.0/24")), Group("sg-extra")]);
        var finding = Assert.Single(TestSnapshots.Run<ClusterSecurityGroupsNotOpenToInternet>(snapshot), f => f.ResourceName == "sg-cluster");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.DoesNotContain("192.0.2.0/24", finding.Message);
    }

    [Fact]
    public void Groups_not_attached_to_the_cluster_or_nodes_are_not_judged()
    {
        var snapshot = Cluster([Group("sg-cluster"), Group("sg-extra"), Group("sg-alb", Tcp(443, 443, "0.0.0.0/0"))]);
        var findings = TestSnapshots.Run<ClusterSecurityGroupsNotOpenToInternet>(snapshot);
        Assert.DoesNotContain(findings, f => f.ResourceName == "sg-alb");
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
    }

    [Fact]
    public void Group_missing_from_the_section_is_an_error()
    {
        var finding = Assert.Single(TestSnapshots.Run<ClusterSecurityGroupsNotOpenToInternet>(Cluster([Group("sg-cluster")])), f => f.ResourceName == "sg-extra");
        Assert.Equal(FindingStatus.Error, finding.Status);
    }

    [Fact]
    public void Instances_not_collected_is_an_error_beside_the_control_plane_verdicts()
    {
        var snapshot = Cluster([Group("sg-cluster"), Group("sg-extra")]).With(s => s.Aws.Instances = Section<Ec2Instance>.Denied("ec2:DescribeInstances"));
        var findings = TestSnapshots.Run<ClusterSecurityGroupsNotOpenToInternet>(snapshot);
        var error = Assert.Single(findings, f => f.Status == FindingStatus.Error);
        Assert.Contains(error.Evidence, e => e.Contains("ec2:DescribeInstances"));
        Assert.Equal(2, findings.Count(f => f.Status == FindingStatus.Pass));
    }

    [Fact]
    public void Denied_security_groups_are_an_error()
    {
        var snapshot = Cluster([]).With(s => s.Aws.SecurityGroups = Section<Ec2SecurityGroup>.Denied("ec2:DescribeSecurityGroups"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ClusterSecurityGroupsNotOpenToInternet>(snapshot)).Status);
    }
}
