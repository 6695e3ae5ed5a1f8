using System.Text;
using EksSecurity.Engine.Aws;
using EksSecurity.Engine.Aws.Collection;
using static EksSecurity.Tests.Integration.AwsIntegration;

namespace EksSecurity.Tests.Integration;

/// <summary>
/// Who the engine is to AWS: its EKS bearer token checked by the server's authenticator, a missing
/// cluster, a wrong secret key, and signing for another partition.
/// </summary>
public class AwsAccessIntegrationTests
{
    [Fact]
    public void The_eks_token_validates_for_its_cluster_only()
    {
        using var server = Start();
        var access = AwsCredentialResolver.Resolve(Access(server));
        var token = new EksTokenProvider(access, "demo").GetToken();

        var valid = server.ValidateEksToken(token.Value, "demo");
        Assert.True(valid.Valid, valid.ToString());
        Assert.Equal(ScannerArn, valid.Arn);
        Assert.Equal(Account, valid.Account);
        Assert.Equal(ScannerKey, valid.AccessKeyId);

        var other = server.ValidateEksToken(token.Value, "other");
        Assert.False(other.Valid);

        // The token names the real regional STS host, never the endpoint override: the authenticator accepts only STS.
        Assert.StartsWith($"https://sts.{Region}.amazonaws.com/?", DecodeToken(token.Value));
    }

    [Fact]
    public async Task A_missing_cluster_is_ClusterNotFound()
    {
        using var server = Start();
        var ex = await Assert.ThrowsAsync<EksSecurityException>(() => CollectAsync(server, "nope"));
        Assert.Equal(AwsCollector.ErrorClusterNotFound, ex.ErrorId);
        Assert.Equal(EksErrorKind.ObjectNotFound, ex.Kind);
        Assert.Equal("nope", ex.Target);
        Assert.Contains("No EKS cluster named 'nope' in eu-west-1", ex.Message);
        Assert.Contains("No cluster found for name: nope.", ex.Message);
        // Nothing else is asked about a cluster that is not there.
        Assert.Equal(["eks:DescribeCluster"], server.RequestLog.Select(e => e.Action).Distinct());
    }

    [Fact]
    public async Task A_wrong_secret_key_stops_the_collection_with_AwsAuthenticationFailed()
    {
        using var server = Start();
        const string wrongSecret = "not/the+secret/EXAMPLE000000000000000000";
        var ex = await Assert.ThrowsAsync<EksSecurityException>(() => CollectAsync(server, access: Access(server, secret: wrongSecret)));
        Assert.Equal(AwsCollector.ErrorAuthenticationFailed, ex.ErrorId);
        Assert.Equal(EksErrorKind.PermissionDenied, ex.Kind);
        Assert.Contains($"access key {ScannerKey}", ex.Message);
        Assert.Contains("eks:DescribeCluster", ex.Message);
        Assert.Contains("InvalidSignatureException", ex.Message);
        Assert.Contains("Check your AWS Secret Access Key", ex.Message);
        Assert.DoesNotContain(wrongSecret, ex.Message);
        var call = Assert.Single(server.RequestLog);
        Assert.Equal(("eks:DescribeCluster", 403, "InvalidSignatureException"), (call.Action, call.Status, call.ErrorCode));

        // An unknown access key is refused the same way.
        var unknown = await Assert.ThrowsAsync<EksSecurityException>(() => CollectAsync(server, access: Access(server, key: "AKIAUNKNOWNEXAMPLE01")));
        Assert.Equal(AwsCollector.ErrorAuthenticationFailed, unknown.ErrorId);
        Assert.Contains("UnrecognizedClientException", unknown.Message);
    }

    [Fact]
    public void Authentication_failures_are_not_access_denied()
    {
        foreach (var code in new[] { "InvalidSignatureException", "SignatureDoesNotMatch", "UnrecognizedClientException", "InvalidClientTokenId", "AuthFailure", "ExpiredToken" })
        {
            var ex = new AwsServiceException(AwsService.Eks, "DescribeCluster", code, "x", 403);
            Assert.True(ex.IsAuthenticationFailure, code);
            Assert.False(ex.IsAccessDenied, code);
        }
        Assert.True(new AwsServiceException(AwsService.Eks, "ListAccessEntries", "AccessDeniedException", "x", 403).IsAccessDenied);
        Assert.True(new AwsServiceException(AwsService.Kms, "DescribeKey", "AccessDeniedException", "x", 400).IsAccessDenied);
    }

    [Fact]
    public async Task A_china_region_signs_eks_and_iam_for_cn_north_1()
    {
        // The same account in the aws-cn partition: every ARN and region rewritten.
        using var server = Start(text => text.Replace("arn:aws:", "arn:aws-cn:", StringComparison.Ordinal).Replace("eu-west-1", "cn-north-1", StringComparison.Ordinal));
        var snapshot = await CollectAsync(server, access: Access(server, region: "cn-north-1"));
        Assert.True(NotCollected(snapshot).Length == 0, NotCollected(snapshot));
        Assert.Equal("arn:aws-cn:eks:cn-north-1:111122223333:cluster/demo", snapshot.ClusterArn);
        Assert.Contains(snapshot.Aws.IamRoles!.All, r => r.Arn == "arn:aws-cn:iam::111122223333:role/workloads/app-shared");

        var log = server.RequestLog;
        Assert.All(log, e => Assert.Equal("cn-north-1", e.SigningRegion));
        Assert.All(log.Where(e => e.Service == "eks"), e => Assert.Equal("eks", e.SigningService));
        // IAM is global per partition and lives in cn-north-1 for aws-cn (not us-east-1).
        var iam = log.Where(e => e.Service == "iam").ToList();
        Assert.NotEmpty(iam);
        Assert.All(iam, e => Assert.Equal(("cn-north-1", "iam"), (e.SigningRegion, e.SigningService)));
        Assert.Contains(log, e => e.Action == "kms:DescribeKey" && e.SigningService == "kms");

        // The token names the partition's STS host and validates.
        var access = AwsCredentialResolver.Resolve(Access(server, region: "cn-north-1"));
        var token = new EksTokenProvider(access, "demo").GetToken();
        Assert.StartsWith("https://sts.cn-north-1.amazonaws.com.cn/?", DecodeToken(token.Value));
        Assert.True(server.ValidateEksToken(token.Value, "demo").Valid);
    }

    [Fact]
    public void Iam_signs_for_the_partitions_home_region()
    {
        Assert.Equal("cn-north-1", AwsEndpoints.SigningRegion(AwsService.Iam, "cn-northwest-1"));
        Assert.Equal("us-gov-west-1", AwsEndpoints.SigningRegion(AwsService.Iam, "us-gov-east-1"));
        Assert.Equal("us-east-1", AwsEndpoints.SigningRegion(AwsService.Iam, "eu-west-1"));
        Assert.Equal("cn-northwest-1", AwsEndpoints.SigningRegion(AwsService.Eks, "cn-northwest-1"));
    }

    private static string DecodeToken(string token)
    {
        var body = token[EksTokenProvider.Prefix.Length..].Replace('-', '+').Replace('_', '/');
        return Encoding.UTF8.GetString(Convert.FromBase64String(body + new string('=', (4 - body.Length % 4) % 4)));
    }
}
