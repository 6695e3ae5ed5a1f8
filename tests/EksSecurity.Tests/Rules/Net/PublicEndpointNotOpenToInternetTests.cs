using System.Net.Sockets;
using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Net;

public class PublicEndpointNotOpenToInternetTests
{
    private static ClusterSnapshot Public(params string[]? cidrs) => TestSnapshots.Empty().With(s => s.Cluster().ResourcesVpcConfig = new EksVpcConfig
    {
        EndpointPublicAccess = true, EndpointPrivateAccess = true, PublicAccessCidrs = cidrs?.ToList(),
    });

    [Fact]
    public void Public_endpoint_open_to_0_0_0_0_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<PublicEndpointNotOpenToInternet>(Public("203.0.113.0/24", "0.0.0.0/0")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-NET-002", finding.RuleId);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("Cluster", finding.ResourceType);
        Assert.Equal("test-cluster", finding.ResourceName);
        Assert.Contains("0.0.0.0/0", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("publicAccessCidrs = [203.0.113.0/24, 0.0.0.0/0]"));
    }

    [Fact]
    public void Ipv6_any_address_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<PublicEndpointNotOpenToInternet>(Public("::/0")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("::/0", finding.Message);
    }

    [Fact]
    public void Public_endpoint_with_no_cidrs_counts_as_open()
    {
        var finding = Assert.Single(TestSnapshots.Run<PublicEndpointNotOpenToInternet>(Public()));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("0.0.0.0/0", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("publicAccessCidrs = []"));
    }

    [Fact]
    public void Prefix_shorter_than_the_setting_fails_and_the_setting_can_relax_it()
    {
        var snapshot = Public("52.0.0.0/6");
        var finding = Assert.Single(TestSnapshots.Run<PublicEndpointNotOpenToInternet>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("52.0.0.0/6", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("MinimumPublicCidrPrefixLength = 8"));

        var lenient = new RuleSettings { MinimumPublicCidrPrefixLength = 4 };
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<PublicEndpointNotOpenToInternet>(snapshot, lenient)).Status);
    }

    [Fact]
    public void Wide_ipv6_prefix_fails_and_narrow_one_passes()
    {
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<PublicEndpointNotOpenToInternet>(Public("2001:db8::/16"))).Status);
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<PublicEndpointNotOpenToInternet>(Public("2001:db8:1234::/48"))).Status);
    }

    [Fact]
    public void Restricted_public_endpoint_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<PublicEndpointNotOpenToInternet>(Public("203.0.113.0/24", "198.51.100.7/32")));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("2 CIDR", finding.Message);
    }

    [Fact]
    public void Private_endpoint_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<PublicEndpointNotOpenToInternet>(TestSnapshots.Empty()));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("endpointPublicAccess = false"));
    }

    [Fact]
    public void Unreadable_cidr_is_an_error_not_a_pass()
    {
        var finding = Assert.Single(TestSnapshots.Run<PublicEndpointNotOpenToInternet>(Public("203.0.113.0/24", "203.0.113.0/33", "office")));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("203.0.113.0/33", finding.Message);
        Assert.Contains("office", finding.Message);
    }

    [Fact]
    public void Unreadable_cidr_next_to_an_open_one_still_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<PublicEndpointNotOpenToInternet>(Public("garbage", "0.0.0.0/0")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("unreadable CIDR value(s): garbage"));
    }

    [Fact]
    public void Denied_cluster_description_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.Cluster = ObjectSection<EksCluster>.Denied("eks:DescribeCluster"));
        var finding = Assert.Single(TestSnapshots.Run<PublicEndpointNotOpenToInternet>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("eks:DescribeCluster", finding.Message);
    }

    [Theory]
    [InlineData("0.0.0.0/0", true, 0)]
    [InlineData("10.0.0.0/8", true, 8)]
    [InlineData("198.51.100.7", true, 32)]
    [InlineData("::/0", true, 0)]
    [InlineData("10.0.0.0/33", false, -1)]
    [InlineData("10.1/16", false, -1)]
    [InlineData("10.0.0.0/", false, -1)]
    [InlineData("10.0.0.0/+8", false, -1)]
    [InlineData("", false, -1)]
    public void Cidr_parsing(string text, bool ok, int prefix)
    {
        Assert.Equal(ok, PublicEndpointNotOpenToInternet.TryParseCidr(text, out var family, out var parsed));
        Assert.Equal(prefix, parsed);
        if (ok) Assert.NotEqual(AddressFamily.Unknown, family);
    }
}
