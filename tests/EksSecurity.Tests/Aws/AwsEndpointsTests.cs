using EksSecurity.Engine.Aws;

namespace EksSecurity.Tests.Aws;

public class AwsEndpointsTests
{
    [Theory]
    [InlineData(AwsService.Eks, "eu-west-1", "https://eks.eu-west-1.amazonaws.com/", "eu-west-1")]
    [InlineData(AwsService.Eks, "cn-north-1", "https://eks.cn-north-1.amazonaws.com.cn/", "cn-north-1")]
    [InlineData(AwsService.Iam, "eu-west-1", "https://iam.amazonaws.com/", "us-east-1")]
    [InlineData(AwsService.Iam, "cn-northwest-1", "https://iam.cn-north-1.amazonaws.com.cn/", "cn-north-1")]
    [InlineData(AwsService.Iam, "us-gov-east-1", "https://iam.us-gov.amazonaws.com/", "us-gov-west-1")]
    [InlineData(AwsService.Sts, "us-gov-east-1", "https://sts.us-gov-east-1.amazonaws.com/", "us-gov-east-1")]
    public void Partitions_get_their_endpoints(AwsService service, string region, string url, string signingRegion)
    {
        Assert.Equal(url, AwsEndpoints.Resolve(service, region, null, _ => null).ToString());
        Assert.Equal(signingRegion, AwsEndpoints.SigningRegion(service, region));
    }

    [Fact]
    public void Service_specific_environment_variable_beats_the_global_one()
    {
        var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1", ["AWS_ENDPOINT_URL_IAM"] = "http://127.0.0.1:2" };
        Assert.Equal("http://127.0.0.1:2/", AwsEndpoints.Resolve(AwsService.Iam, "eu-west-1", null, k => env.GetValueOrDefault(k)).ToString());
        Assert.Equal("http://127.0.0.1:1/", AwsEndpoints.Resolve(AwsService.Eks, "eu-west-1", null, k => env.GetValueOrDefault(k)).ToString());
        Assert.Equal("http://127.0.0.1:3/", AwsEndpoints.Resolve(AwsService.Eks, "eu-west-1", "http://127.0.0.1:3", k => env.GetValueOrDefault(k)).ToString());
    }

    [Fact]
    public void Bad_endpoint_url_is_rejected_by_name()
    {
        var ex = Assert.Throws<EksSecurityException>(() => AwsEndpoints.Resolve(AwsService.Eks, "eu-west-1", "ftp://x", _ => null));
        Assert.Contains("ftp://x", ex.Message);
    }
}
