using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Net.VpcFixtures;

namespace EksSecurity.Tests.Rules.Net;

public class PrivateClusterVpcEndpointsTests
{
    /// <summary>A private cluster whose node group runs in subnet-a, on an isolated main table, with the given endpoints.</summary>
    private static ClusterSnapshot Isolated(params Ec2VpcEndpoint[] endpoints) =>
        Cluster([NodeGroup("general", "subnet-a")], [IsolatedMainTable()]).With(s => s.Aws.VpcEndpoints!.Items!.AddRange(endpoints));

    private static EksSecurityFinding Run(ClusterSnapshot snapshot, RuleSettings? settings = null) =>
        Assert.Single(TestSnapshots.Run<PrivateClusterVpcEndpoints>(snapshot, settings));

    [Fact]
    public void Isolated_node_subnets_without_endpoints_fail_listing_them()
    {
        var finding = Run(Isolated());
        Assert.Equal(FindingStatus.Fail, finding.Status);
        foreach (var service in new[] { "ec2", "ecr.api", "ecr.dkr", "s3", "sts", "logs", "elasticloadbalancing" })
            Assert.Contains($"com.amazonaws.eu-west-1.{service}", finding.Message);
        // Pod Identity is not used in this cluster: EKS Auth is not needed.
        Assert.DoesNotContain("eks-auth", finding.Message);
        Assert.Contains(finding.Evidence, e => e.StartsWith("EKS Pod Identity is not used", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.Contains("subnet subnet-a (node group general) follows rtb-isolated (main): no route out of the VPC"));
    }

    [Fact]
    public void Every_endpoint_in_place_passes()
    {
        Assert.Equal(FindingStatus.Pass, Run(Isolated(AllEndpoints("rtb-isolated"))).Status);
    }

    [Fact]
    public void An_s3_gateway_off_the_node_route_table_or_an_interface_without_private_dns_does_not_count()
    {
        var endpoints = AllEndpoints("rtb-other");
        endpoints[0] = Endpoint("ec2", privateDns: false);
        var finding = Run(Isolated(endpoints));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("com.amazonaws.eu-west-1.s3 (gateway endpoint vpce-s3 is not on route table(s) rtb-isolated (subnet-a))", finding.Message);
        Assert.Contains("com.amazonaws.eu-west-1.ec2 (vpce-ec2 has private DNS off", finding.Message);
        Assert.DoesNotContain("ecr.api", finding.Message);
    }

    [Fact]
    public void Endpoints_of_another_region_or_not_available_do_not_count()
    {
        var endpoints = AllEndpoints("rtb-isolated");
        endpoints[1] = Endpoint("ecr.api", region: "us-east-1");
        endpoints[2] = Endpoint("ecr.dkr", state: "pendingAcceptance");
        var finding = Run(Isolated(endpoints));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("com.amazonaws.eu-west-1.ecr.api,", finding.Message);
        Assert.Contains("com.amazonaws.eu-west-1.ecr.dkr (vpce-ecrdkr is pendingAcceptance)", finding.Message);
    }

    [Fact]
    public void Pod_identity_in_use_requires_eks_auth()
    {
        var endpoints = AllEndpoints("rtb-isolated").Where(e => e.ServiceName != "com.amazonaws.eu-west-1.eks-auth").ToArray();
        Assert.Equal(FindingStatus.Pass, Run(Isolated(endpoints)).Status);
        var withPodIdentity = Isolated(endpoints).With(s => s.Aws.PodIdentityAssociations!.Items!.Add(new EksPodIdentityAssociation { AssociationId = "a-1" }));
        var finding = Run(withPodIdentity);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.EndsWith("com.amazonaws.eu-west-1.eks-auth.", finding.Message);
        // Unknown use counts it as required.
        var unknown = Isolated(endpoints).With(s => s.Aws.Addons = Section<EksAddon>.Denied("eks:ListAddons"));
        Assert.Equal(FindingStatus.Fail, Run(unknown).Status);
    }

    [Fact]
    public void The_setting_decides_the_services()
    {
        var settings = new RuleSettings { PrivateClusterVpcEndpoints = ["ecr.api", "ecr.dkr", "s3"] };
        Assert.Equal(FindingStatus.Pass, Run(Isolated(Endpoint("ecr.api"), Endpoint("ecr.dkr"), Endpoint("s3", "Gateway", routeTables: ["rtb-isolated"])), settings).Status);
    }

    [Fact]
    public void Node_subnets_with_a_way_out_pass_and_a_public_endpoint_is_not_applicable()
    {
        var nat = Cluster([NodeGroup("general", "subnet-a")], [NatMainTable()]);
        var pass = Run(nat);
        Assert.Equal(FindingStatus.Pass, pass.Status);
        Assert.Contains(pass.Evidence, e => e.Contains("leaves the VPC through 0.0.0.0/0 -> nat-1"));
        var transit = Cluster([NodeGroup("general", "subnet-a")], [Table("rtb-tgw", true, [], Route("0.0.0.0/0", "tgw-1"))]);
        Assert.Equal(FindingStatus.Pass, Run(transit).Status);

        var publicEndpoint = Run(Cluster([NodeGroup("general", "subnet-a")], [IsolatedMainTable()], publicEndpoint: true));
        Assert.Equal(FindingStatus.NotApplicable, publicEndpoint.Status);
        Assert.Contains("endpointPublicAccess = true, endpointPrivateAccess = true", publicEndpoint.Evidence);
    }

    [Fact]
    public void A_cluster_without_nodes_is_not_applicable()
    {
        Assert.Equal(FindingStatus.NotApplicable, Run(Cluster([], [IsolatedMainTable()])).Status);
    }

    [Fact]
    public void Unknown_route_tables_or_node_sources_are_an_error_when_nothing_else_decides()
    {
        var noTable = Cluster([NodeGroup("general", "subnet-a")], [Table("rtb-x", false, ["subnet-z"])]);
        Assert.Equal(FindingStatus.Error, Run(noTable).Status);
        var denied = Cluster([], [IsolatedMainTable()]).With(s => s.Aws.FargateProfiles = Section<EksFargateProfile>.Denied("eks:ListFargateProfiles"));
        var finding = Run(denied);
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("eks:ListFargateProfiles", finding.Message);
    }

    [Fact]
    public void Vpc_endpoints_not_collected_is_an_error()
    {
        var snapshot = Isolated().With(s => s.Aws.VpcEndpoints = Section<Ec2VpcEndpoint>.Denied("ec2:DescribeVpcEndpoints"));
        var finding = Run(snapshot);
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("ec2:DescribeVpcEndpoints", finding.Message);
    }
}
