using System.Text;
using EksSecurity.AwsTestServer.Auth;

namespace EksSecurity.AwsTestServer.Tests;

/// <summary>The EKS authenticator's checks, on tokens presigned by AWSSDK.Core.</summary>
public class EksTokenValidatorTests
{
    private static readonly Scenario s_scenario = Scenario.Parse(TestScenario.Json());
    private static readonly EksTokenValidator s_validator = new(s_scenario.FindCredential);

    private static string Token(string cluster = "prod", string host = "sts.us-west-2.amazonaws.com", int expires = 60,
        string action = "GetCallerIdentity", bool signClusterHeader = true, string? extraParam = null, DateTime? signedAt = null)
    {
        var spec = new SdkSigning.Spec("sts", "GET", new Uri($"https://{host}/"), "/")
        {
            QueryParameters = { ["Action"] = action, ["Version"] = "2011-06-15" },
        };
        if (extraParam is not null) spec.QueryParameters[extraParam] = "1";
        if (signClusterHeader) spec.Headers["x-k8s-aws-id"] = cluster;
        var url = SdkSigning.Presign(spec, TestScenario.AdminKey, TestScenario.AdminSecret, expires, signedAt: signedAt);
        return EksTokenValidator.Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(url.ToString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    [Fact]
    public void ValidTokenNamesTheCaller()
    {
        var result = s_validator.Validate(Token(), "prod");
        Assert.True(result.Valid, result.Error);
        Assert.Equal(TestScenario.AdminArn, result.Arn);
        Assert.Equal(TestScenario.AdminKey, result.AccessKeyId);
    }

    [Fact]
    public void GlobalAndFipsStsHostsAreStsHosts()
    {
        Assert.True(s_validator.Validate(Token(host: "sts.amazonaws.com"), "prod").Valid);
        Assert.True(EksTokenValidator.IsStsHost("sts-fips.us-east-1.amazonaws.com"));
        Assert.True(EksTokenValidator.IsStsHost("sts.cn-north-1.amazonaws.com.cn"));
        Assert.False(EksTokenValidator.IsStsHost("sts.us-west-2.amazonaws.com.evil.example"));
    }

    [Theory]
    [InlineData("host", "unexpected hostname")]
    [InlineData("expires", "must be 60 seconds or less")]
    [InlineData("action", "unexpected action")]
    [InlineData("unsigned-cluster", "did not sign the x-k8s-aws-id header")]
    [InlineData("extra-param", "non-whitelisted query parameter")]
    [InlineData("old", "X-Amz-Date parameter is expired")]
    [InlineData("other-cluster", "signature does not match")]
    public void AuthenticatorChecksRejectBadTokens(string flaw, string error)
    {
        var token = flaw switch
        {
            "host" => Token(host: "sts.example.com"),
            "expires" => Token(expires: 900),
            "action" => Token(action: "GetSessionToken"),
            "unsigned-cluster" => Token(signClusterHeader: false),
            "extra-param" => Token(extraParam: "X-Amz-Extra"),
            "old" => Token(signedAt: DateTime.UtcNow.AddMinutes(-16)),
            _ => Token(cluster: "staging"),
        };
        var result = s_validator.Validate(token, "prod");
        Assert.False(result.Valid);
        Assert.Contains(error, result.Error);
    }

    [Fact]
    public void PrefixAndBase64UrlAreStrict()
    {
        var token = Token();
        Assert.Contains("prefix", s_validator.Validate("k8s-aws-v2." + token[11..], "prod").Error);
        Assert.Contains("base64url", s_validator.Validate(token + "==", "prod").Error);
        Assert.Contains("too large", s_validator.Validate(token + new string('A', 5000), "prod").Error);
        Assert.Equal("arn:aws:iam::111122223333:role/admins", EksTokenValidator.CanonicalizeArn("arn:aws:sts::111122223333:assumed-role/admins/alice"));
    }
}
