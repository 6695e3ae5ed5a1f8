using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Net;

public class EndpointPrivateOrJustifiedTests
{
    [Fact]
    public void Public_endpoint_fails()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Cluster().ResourcesVpcConfig = new EksVpcConfig
        {
            EndpointPublicAccess = true, EndpointPrivateAccess = true, PublicAccessCidrs = ["0.0.0.0/0"],
        });
        var finding = Assert.Single(TestSnapshots.Run<EndpointPrivateOrJustified>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-NET-001", finding.RuleId);
        Assert.Equal("Cluster", finding.ResourceType);
        Assert.Contains(finding.Evidence, e => e.Contains("endpointPublicAccess = true"));
    }

    [Fact]
    public void Private_endpoint_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<EndpointPrivateOrJustified>(TestSnapshots.Empty()));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Restricted_public_endpoint_passes_only_when_configured()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Cluster().ResourcesVpcConfig = new EksVpcConfig
        {
            EndpointPublicAccess = true, PublicAccessCidrs = ["203.0.113.0/24"],
        });
        Assert.Equal(FindingStatus.Fail, TestSnapshots.Run<EndpointPrivateOrJustified>(snapshot)[0].Status);
        var lenient = new RuleSettings { AllowPublicEndpointWithRestrictedCidrs = true };
        Assert.Equal(FindingStatus.Pass, TestSnapshots.Run<EndpointPrivateOrJustified>(snapshot, lenient)[0].Status);
    }

    [Fact]
    public void Denied_cluster_description_is_an_error_not_a_pass()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.Cluster = ObjectSection<EksCluster>.Denied("eks:DescribeCluster"));
        var finding = Assert.Single(TestSnapshots.Run<EndpointPrivateOrJustified>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("eks:DescribeCluster", finding.Message);
    }
}
