using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Net;

public class PrivateEndpointAccessEnabledTests
{
    [Fact]
    public void Private_access_off_fails()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Cluster().ResourcesVpcConfig = new EksVpcConfig
        {
            EndpointPublicAccess = true, EndpointPrivateAccess = false, PublicAccessCidrs = ["203.0.113.0/24"],
        });
        var finding = Assert.Single(TestSnapshots.Run<PrivateEndpointAccessEnabled>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-NET-003", finding.RuleId);
        Assert.Equal("test-cluster", finding.ResourceName);
        Assert.Contains(finding.Evidence, e => e == "resourcesVpcConfig.endpointPrivateAccess = false");
        Assert.Contains("public endpoint", finding.Message);
    }

    [Fact]
    public void Private_access_on_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<PrivateEndpointAccessEnabled>(TestSnapshots.Empty()));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e == "resourcesVpcConfig.endpointPrivateAccess = true");
    }

    [Fact]
    public void Missing_vpc_config_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Cluster().ResourcesVpcConfig = null);
        var finding = Assert.Single(TestSnapshots.Run<PrivateEndpointAccessEnabled>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("resourcesVpcConfig", finding.Message);
    }

    [Fact]
    public void Denied_cluster_description_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.Cluster = ObjectSection<EksCluster>.Denied("eks:DescribeCluster"));
        var finding = Assert.Single(TestSnapshots.Run<PrivateEndpointAccessEnabled>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("eks:DescribeCluster", finding.Message);
    }
}
