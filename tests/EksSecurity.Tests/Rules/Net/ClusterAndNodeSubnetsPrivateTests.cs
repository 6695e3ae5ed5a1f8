using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Net.VpcFixtures;

namespace EksSecurity.Tests.Rules.Net;

public class ClusterAndNodeSubnetsPrivateTests
{
    private static IReadOnlyList<EksSecurityFinding> Run(ClusterSnapshot snapshot) => TestSnapshots.Run<ClusterAndNodeSubnetsPrivate>(snapshot);

    [Fact]
    public void Node_subnet_routed_to_an_internet_gateway_fails_and_the_nat_one_passes()
    {
        var findings = Run(Cluster([NodeGroup("general", "subnet-a", "subnet-b")], [PublicTable("subnet-a"), NatMainTable()]));
        var bad = Assert.Single(findings, f => f.ResourceName == "subnet-a");
        Assert.Equal(FindingStatus.Fail, bad.Status);
        Assert.Equal("Subnet", bad.ResourceType);
        Assert.Contains("igw-1", bad.Message);
        Assert.Contains("node group general", bad.Message);
        Assert.Contains(bad.Evidence, e => e.StartsWith("subnet subnet-a follows rtb-public:", StringComparison.Ordinal) && e.Contains("0.0.0.0/0 -> igw-1"));
        var good = Assert.Single(findings, f => f.ResourceName == "subnet-b");
        Assert.Equal(FindingStatus.Pass, good.Status);
        Assert.Contains(good.Evidence, e => e.Contains("rtb-main (the VPC's main table)") && e.Contains("0.0.0.0/0 -> nat-1"));
        Assert.Equal(2, findings.Count);
    }

    [Fact]
    public void A_subnet_without_an_explicit_association_follows_the_main_table()
    {
        var main = Table("rtb-main", true, [], Route("::/0", "igw-1"));
        var finding = Assert.Single(Run(Cluster([NodeGroup("general", "subnet-a", "subnet-b")], [main])), f => f.ResourceName == "subnet-b");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("::/0", finding.Message);
    }

    [Fact]
    public void Control_plane_only_subnets_pass_for_information_even_when_public()
    {
        var findings = Run(Cluster([NodeGroup("general", "subnet-b")], [PublicTable("subnet-a"), NatMainTable()]));
        var controlPlane = Assert.Single(findings, f => f.ResourceName == "subnet-a");
        Assert.Equal(FindingStatus.Pass, controlPlane.Status);
        Assert.Equal(Severity.Informational, controlPlane.Severity);
        Assert.Contains("is public", controlPlane.Message);
        Assert.Equal(FindingStatus.Pass, Assert.Single(findings, f => f.ResourceName == "subnet-b").Status);
    }

    [Fact]
    public void Fargate_profiles_and_running_nodes_are_node_subnets_too()
    {
        var snapshot = Cluster([], [PublicTable("subnet-f", "subnet-i"), NatMainTable()]).With(s =>
        {
            s.Aws.FargateProfiles!.Items!.Add(new EksFargateProfile { FargateProfileName = "fp", Subnets = ["subnet-f"] });
            s.Aws.Instances!.Items!.Add(new Ec2Instance { InstanceId = "i-self", SubnetId = "subnet-i", State = new() { Name = "running" } });
            s.Aws.Instances.Items.Add(new Ec2Instance { InstanceId = "i-gone", SubnetId = "subnet-x", State = new() { Name = "terminated" } });
        });
        var findings = Run(snapshot);
        Assert.Contains("Fargate profile fp", Assert.Single(findings, f => f.ResourceName == "subnet-f" && f.Status == FindingStatus.Fail).Message);
        Assert.Contains("node i-self", Assert.Single(findings, f => f.ResourceName == "subnet-i" && f.Status == FindingStatus.Fail).Message);
        Assert.DoesNotContain(findings, f => f.ResourceName == "subnet-x");
    }

    [Fact]
    public void Auto_mode_nodes_use_the_cluster_subnets()
    {
        var snapshot = Cluster([], [PublicTable("subnet-a"), NatMainTable()]).With(s => s.Cluster().ComputeConfig = new EksComputeConfig { Enabled = true });
        var finding = Assert.Single(Run(snapshot), f => f.ResourceName == "subnet-a");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("EKS Auto Mode nodes", finding.Message);
    }

    [Fact]
    public void Blackhole_routes_to_an_internet_gateway_do_not_make_a_subnet_public()
    {
        var table = Table("rtb-dead", false, ["subnet-a"], Route("0.0.0.0/0", "igw-1", "blackhole"));
        var finding = Assert.Single(Run(Cluster([NodeGroup("general", "subnet-a")], [table, NatMainTable()])), f => f.ResourceName == "subnet-a");
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("0.0.0.0/0 -> igw-1 (blackhole)"));
    }

    [Fact]
    public void A_subnet_whose_route_table_is_unknown_is_an_error()
    {
        var finding = Assert.Single(Run(Cluster([NodeGroup("general", "subnet-a")], [PublicTable("subnet-b")])), f => f.ResourceName == "subnet-a");
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("not in the snapshot", finding.Message);
    }

    [Fact]
    public void Node_groups_not_collected_is_an_error_beside_what_is_known()
    {
        var snapshot = Cluster([], [NatMainTable()]).With(s => s.Aws.NodeGroups = Section<EksNodegroup>.Denied("eks:ListNodegroups"));
        var findings = Run(snapshot);
        var error = Assert.Single(findings, f => f.Status == FindingStatus.Error);
        Assert.Equal("Cluster", error.ResourceType);
        Assert.Contains("eks:ListNodegroups", error.Message);
        Assert.Equal(2, findings.Count(f => f.ResourceType == "Subnet" && f.Status == FindingStatus.Pass));
    }

    [Fact]
    public void Route_tables_not_collected_is_an_error()
    {
        var snapshot = Cluster([NodeGroup("general", "subnet-a")], []).With(s => s.Aws.RouteTables = Section<Ec2RouteTable>.Denied("ec2:DescribeRouteTables"));
        var finding = Assert.Single(Run(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("ec2:DescribeRouteTables", finding.Message);
    }
}
