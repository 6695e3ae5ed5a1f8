using System.Text;
using Amazon.Runtime;
using EksSecurity.Engine.Aws;

namespace EksSecurity.Tests.Aws;

public class AwsSignerTests
{
    private static readonly ImmutableCredentials Example = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTime At = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    [Fact]
    public void Matches_the_sigv4_test_suite_get_vanilla_vector()
    {
        var headers = new Dictionary<string, string>();
        AwsSigner.SignHeaders(HttpMethod.Get, new Uri("https://example.amazonaws.com/"), headers, [], Example, "us-east-1", "service", At, signContentHash: false);
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            headers["Authorization"]);
    }

    [Fact]
    public void Session_token_is_sent_and_signed()
    {
        var headers = new Dictionary<string, string>();
        AwsSigner.SignHeaders(HttpMethod.Post, new Uri("https://iam.amazonaws.com/"), headers, Encoding.UTF8.GetBytes("Action=GetRole"),
            new ImmutableCredentials("AKID", "secret", "token"), "us-east-1", "iam", At);
        Assert.Equal("token", headers["x-amz-security-token"]);
        Assert.Contains("x-amz-security-token", headers["Authorization"]);
        Assert.Contains("x-amz-content-sha256", headers["Authorization"]);
    }

    [Fact]
    public void Presigned_url_signs_the_cluster_id_header()
    {
        var url = AwsSigner.Presign(new Uri("https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"),
            new Dictionary<string, string> { ["x-k8s-aws-id"] = "demo" }, Example, "eu-west-1", "sts", At, TimeSpan.FromSeconds(60));
        var query = url.Query;
        Assert.Contains("X-Amz-SignedHeaders=host%3Bx-k8s-aws-id", query);
        Assert.Contains("X-Amz-Expires=60", query);
        Assert.Contains("X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Feu-west-1%2Fsts%2Faws4_request", query);
        Assert.Matches("X-Amz-Signature=[0-9a-f]{64}$", query);
    }

    [Fact]
    public void Eks_token_has_the_authenticator_form_and_is_cached()
    {
        var now = At;
        var access = new AwsAccess
        {
            Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            Region = "eu-west-1",
            Info = new AwsAccessInfo { CredentialSource = "test", Region = "eu-west-1", RegionSource = "test" },
        };
        var provider = new EksTokenProvider(access, "demo", () => now);
        var token = provider.GetToken();
        Assert.StartsWith("k8s-aws-v1.", token.Value);
        Assert.DoesNotContain("=", token.Value);
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(Pad(token.Value["k8s-aws-v1.".Length..].Replace('-', '+').Replace('_', '/'))));
        Assert.StartsWith("https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", decoded);
        Assert.Same(token, provider.GetToken());
        now = now.AddMinutes(13.5);
        Assert.NotSame(token, provider.GetToken());
        Assert.DoesNotContain("k8s-aws-v1", token.ToString());
    }

    private static string Pad(string s) => s + new string('=', (4 - s.Length % 4) % 4);
}
