using EksSecurity.AwsTestServer.Auth;
using EksSecurity.AwsTestServer.Protocols;

namespace EksSecurity.AwsTestServer.Tests;

/// <summary>The server's own SigV4 verifier against AWS's published examples and AWSSDK.Core's signers.</summary>
public class SigV4VerifierTests
{
    private const string Key = "AKIDEXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string Token = "session-token-example";
    private static readonly Uri Endpoint = new("http://127.0.0.1:8080/");

    private static readonly ScenarioCredential s_plain = new() { AccessKeyId = Key, SecretAccessKey = Secret, Arn = "arn:aws:iam::111122223333:user/alice" };
    private static readonly ScenarioCredential s_session = new()
    {
        AccessKeyId = "ASIAEXAMPLESESSION01", SecretAccessKey = Secret, SessionToken = Token,
        Arn = "arn:aws:sts::111122223333:assumed-role/r/s", Expiration = DateTimeOffset.UtcNow.AddHours(1),
    };

    private static ScenarioCredential? Find(string id) => id == s_plain.AccessKeyId ? s_plain : id == s_session.AccessKeyId ? s_session : null;

    private static SigV4Result Verify(SigV4Request request, DateTimeOffset? now = null, SigV4Options? options = null) =>
        SigV4Verifier.Verify(request, Find, now ?? DateTimeOffset.UtcNow, options ?? new SigV4Options());

    private static SdkSigning.Spec EksDescribeAccessEntry() => new("eks", "GET", Endpoint, "/clusters/{name}/access-entries/{principalArn}")
    {
        PathResources = { ["{name}"] = "prod cluster", ["{principalArn}"] = "arn:aws:iam::111122223333:role/team/admins" },
    };

    private static SdkSigning.Spec IamListRoles() => new("iam", "POST", Endpoint, "/")
    {
        Headers = { ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8" },
        Body = SdkSigning.Utf8("Action=ListRoles&Version=2010-05-08&PathPrefix=%2Fteam%2F&MaxItems=5"),
        Region = "us-east-1",
    };

    private static SdkSigning.Spec KmsDescribeKey() => new("kms", "POST", Endpoint, "/")
    {
        Headers = { ["Content-Type"] = "application/x-amz-json-1.1", ["X-Amz-Target"] = "TrentService.DescribeKey" },
        Body = SdkSigning.Utf8("""{"KeyId":"alias/eks"}"""),
    };

    private static SdkSigning.Spec EksListClustersQuery() => new("eks", "GET", Endpoint, "/clusters")
    {
        QueryParameters = { ["maxResults"] = "2", ["nextToken"] = "a b+c/=", ["include"] = "all" },
    };

    // ------------------------------------------------------------ AWS's published examples

    [Fact]
    public void AwsDocumentationExampleIamListUsersVerifies()
    {
        // docs.aws.amazon.com "Signature Version 4 signing process" example (GET iam ListUsers, 20150830T123600Z).
        var request = new SigV4Request("GET", "/", "Action=ListUsers&Version=2010-05-08", new List<KeyValuePair<string, string>>
        {
            new("Host", "iam.amazonaws.com"),
            new("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            new("X-Amz-Date", "20150830T123600Z"),
            new("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"),
        }, Array.Empty<byte>());
        var at = new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
        var result = Verify(request, at, new SigV4Options { Service = "iam", Regions = new[] { "us-east-1" } });
        Assert.True(result.Ok, result.ToString());
        Assert.Equal("arn:aws:iam::111122223333:user/alice", result.Credential!.Arn);
    }

    [Fact]
    public void AwsTestSuiteGetVanillaVerifiesAndOneBitOffDoesNot()
    {
        SigV4Request Request(string signature) => new("GET", "/", "", new List<KeyValuePair<string, string>>
        {
            new("Host", "example.amazonaws.com"),
            new("X-Amz-Date", "20150830T123600Z"),
            new("Authorization", $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}"),
        }, Array.Empty<byte>());
        var at = new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
        Assert.True(Verify(Request("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), at).Ok);
        var bad = Verify(Request("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf30"), at);
        Assert.Equal(AuthFailureKind.SignatureDoesNotMatch, bad.Failure);
        Assert.Contains("x-amz-date:20150830T123600Z", bad.CanonicalRequest);
    }

    // ------------------------------------------------------------ AWSSDK.Core's AWS4Signer

    public static TheoryData<string> SdkSpecs => new() { "eks-path", "iam-form", "kms-json", "eks-query" };

    private static SdkSigning.Spec SpecNamed(string name) => name switch
    {
        "eks-path" => EksDescribeAccessEntry(),
        "iam-form" => IamListRoles(),
        "kms-json" => KmsDescribeKey(),
        _ => EksListClustersQuery(),
    };

    [Theory]
    [MemberData(nameof(SdkSpecs))]
    public void RequestsSignedByAws4SignerVerify(string spec)
    {
        var s = SpecNamed(spec);
        var wire = SdkSigning.ToWire(SdkSigning.SignHeaders(s, Key, Secret));
        var result = Verify(wire, options: new SigV4Options { Service = s.Service, Regions = new[] { s.Region } });
        Assert.True(result.Ok, $"{result}\n{result.CanonicalRequest}");
        Assert.Contains("host", result.SignedHeaders);
    }

    [Fact]
    public void DoubleEncodedPathOfNonS3ServicesIsWhatTheSdkSigned()
    {
        var wire = SdkSigning.ToWire(SdkSigning.SignHeaders(EksDescribeAccessEntry(), Key, Secret));
        Assert.Contains("%3A", wire.RawPath); // the ARN travels percent-encoded in one path segment
        var result = Verify(wire);
        Assert.True(result.Ok, result.ToString());
        Assert.Contains("/clusters/prod%2520cluster/access-entries/arn%253Aaws%253Aiam", result.CanonicalRequest);
    }

    [Theory]
    [MemberData(nameof(SdkSpecs))]
    public void TamperingWithAnySignedPartFails(string spec)
    {
        var wire = SdkSigning.ToWire(SdkSigning.SignHeaders(SpecNamed(spec), Key, Secret));
        var tamperedBody = wire with { Body = wire.Body.Length == 0 ? SdkSigning.Utf8("x") : wire.Body.Select((b, i) => i == 0 ? (byte)(b ^ 1) : b).ToArray() };
        Assert.Equal(AuthFailureKind.SignatureDoesNotMatch, Verify(tamperedBody).Failure);
        var tamperedMethod = wire with { Method = wire.Method == "GET" ? "DELETE" : "PUT" };
        Assert.Equal(AuthFailureKind.SignatureDoesNotMatch, Verify(tamperedMethod).Failure);
        var tamperedPath = wire with { RawPath = wire.RawPath + "x" };
        Assert.Equal(AuthFailureKind.SignatureDoesNotMatch, Verify(tamperedPath).Failure);
        var tamperedHost = wire with { Headers = wire.Headers.Select(h => h.Key.Equals("host", StringComparison.OrdinalIgnoreCase) ? new KeyValuePair<string, string>(h.Key, "127.0.0.1:9999") : h).ToList() };
        Assert.Equal(AuthFailureKind.SignatureDoesNotMatch, Verify(tamperedHost).Failure);
    }

    [Fact]
    public void WrongSecretFailsAndUnknownKeyIsInvalidClientTokenId()
    {
        var wrong = SdkSigning.ToWire(SdkSigning.SignHeaders(KmsDescribeKey(), Key, "not-the-secret"));
        var result = Verify(wrong);
        Assert.Equal(AuthFailureKind.SignatureDoesNotMatch, result.Failure);
        Assert.Equal(AwsErrors.SignatureMismatchMessage, result.Message);
        var unknown = SdkSigning.ToWire(SdkSigning.SignHeaders(KmsDescribeKey(), "AKIAUNKNOWN000000000", Secret));
        Assert.Equal(AuthFailureKind.InvalidClientTokenId, Verify(unknown).Failure);
    }

    [Fact]
    public void CredentialScopeMustNameTheServiceAndAnAllowedRegion()
    {
        var wire = SdkSigning.ToWire(SdkSigning.SignHeaders(KmsDescribeKey(), Key, Secret));
        var wrongService = Verify(wire, options: new SigV4Options { Service = "eks" });
        Assert.Equal(AuthFailureKind.SignatureDoesNotMatch, wrongService.Failure);
        Assert.Contains("Credential should be scoped to correct service: 'eks'", wrongService.Message);
        var wrongRegion = Verify(wire, options: new SigV4Options { Regions = new[] { "eu-west-1" } });
        Assert.Contains("Credential should be scoped to a valid region", wrongRegion.Message);
    }

    [Fact]
    public void ClockSkewBeyondFifteenMinutesIsRejectedBothWays()
    {
        var signedAt = DateTime.UtcNow.AddMinutes(-16);
        var old = SdkSigning.ToWire(SdkSigning.SignHeaders(KmsDescribeKey(), Key, Secret, signedAt: signedAt));
        var result = Verify(old);
        Assert.Equal(AuthFailureKind.SignatureExpired, result.Failure);
        Assert.StartsWith("Signature expired:", result.Message);
        Assert.True(Verify(old, DateTimeOffset.UtcNow.AddMinutes(-10)).Ok);
        var future = SdkSigning.ToWire(SdkSigning.SignHeaders(KmsDescribeKey(), Key, Secret, signedAt: DateTime.UtcNow.AddMinutes(16)));
        Assert.StartsWith("Signature not yet current", Verify(future).Message);
    }

    [Fact]
    public void SessionTokensMustMatchAndNotBeExpired()
    {
        var good = SdkSigning.ToWire(SdkSigning.SignHeaders(KmsDescribeKey(), s_session.AccessKeyId, Secret, Token));
        Assert.True(Verify(good).Ok);
        Assert.Contains("x-amz-security-token", Verify(good).SignedHeaders);
        var missing = SdkSigning.ToWire(SdkSigning.SignHeaders(KmsDescribeKey(), s_session.AccessKeyId, Secret));
        Assert.Equal(AuthFailureKind.InvalidClientTokenId, Verify(missing).Failure);
        var wrong = SdkSigning.ToWire(SdkSigning.SignHeaders(KmsDescribeKey(), s_session.AccessKeyId, Secret, "other-token"));
        Assert.Equal(AuthFailureKind.InvalidClientTokenId, Verify(wrong).Failure);
        var tokenOnLongTermKey = SdkSigning.ToWire(SdkSigning.SignHeaders(KmsDescribeKey(), Key, Secret, Token));
        Assert.Equal(AuthFailureKind.InvalidClientTokenId, Verify(tokenOnLongTermKey).Failure);
        Assert.Equal(AuthFailureKind.ExpiredToken, Verify(good, DateTimeOffset.UtcNow.AddHours(2)).Failure);
    }

    [Fact]
    public void MissingAndMalformedAuthorization()
    {
        var wire = SdkSigning.ToWire(SdkSigning.SignHeaders(KmsDescribeKey(), Key, Secret));
        var withoutAuth = wire with { Headers = wire.Headers.Where(h => h.Key != "Authorization").ToList() };
        Assert.Equal(AuthFailureKind.MissingAuthentication, Verify(withoutAuth).Failure);

        var auth = wire.Header("Authorization")!;
        var noSignature = wire with { Headers = wire.Headers.Select(h => h.Key == "Authorization" ? new KeyValuePair<string, string>(h.Key, auth[..auth.IndexOf(", Signature=", StringComparison.Ordinal)]) : h).ToList() };
        var result = Verify(noSignature);
        Assert.Equal(AuthFailureKind.IncompleteSignature, result.Failure);
        Assert.Contains("Authorization header requires 'Signature' parameter.", result.Message);

        var shortScope = wire with { Headers = wire.Headers.Select(h => h.Key == "Authorization" ? new KeyValuePair<string, string>(h.Key, auth.Replace("/kms/aws4_request", "/kms", StringComparison.Ordinal)) : h).ToList() };
        Assert.Contains("Credential must have exactly 5 slash-delimited elements", Verify(shortScope).Message);
    }

    [Fact]
    public void UnsignedPayloadOnlyWhereAllowed()
    {
        var spec = KmsDescribeKey() with { UnsignedPayload = true, Endpoint = new Uri("https://kms.us-west-2.amazonaws.com/") };
        var wire = SdkSigning.ToWire(SdkSigning.SignHeaders(spec, Key, Secret));
        Assert.Equal(SigV4Verifier.UnsignedPayload, wire.Header("X-Amz-Content-SHA256"));
        Assert.Equal(AuthFailureKind.SignatureDoesNotMatch, Verify(wire).Failure);
        Assert.True(Verify(wire, options: new SigV4Options { AllowUnsignedPayload = true }).Ok);

        // AWS4Signer sends x-amz-content-sha256; a body that no longer matches it is caught before the signature.
        var signed = SdkSigning.ToWire(SdkSigning.SignHeaders(KmsDescribeKey(), Key, Secret));
        Assert.NotNull(signed.Header("X-Amz-Content-SHA256"));
        var lyingWire = signed with { Body = SdkSigning.Utf8("""{"KeyId":"alias/other"}""") };
        Assert.Contains("x-amz-content-sha256", Verify(lyingWire).Message);
    }

    // ------------------------------------------------------------ AWS4PreSignedUrlSigner

    private static SdkSigning.Spec StsGetCallerIdentity(Uri endpoint) => new("sts", "GET", endpoint, "/")
    {
        QueryParameters = { ["Action"] = "GetCallerIdentity", ["Version"] = "2011-06-15" },
    };

    [Fact]
    public void PresignedUrlsVerifyUntilTheyExpire()
    {
        var url = SdkSigning.Presign(StsGetCallerIdentity(Endpoint), Key, Secret, 60);
        Assert.Contains("X-Amz-Expires=60", url.Query);
        var wire = SdkSigning.ToWire(url);
        var ok = Verify(wire);
        Assert.True(ok.Ok, $"{ok}\n{ok.CanonicalRequest}");
        Assert.True(ok.Presigned);
        var late = Verify(wire, DateTimeOffset.UtcNow.AddSeconds(90));
        Assert.Equal(AuthFailureKind.SignatureExpired, late.Failure);

        var tampered = SdkSigning.ToWire(new Uri(url.ToString().Replace("GetCallerIdentity", "GetSessionToken", StringComparison.Ordinal)));
        Assert.Equal(AuthFailureKind.SignatureDoesNotMatch, Verify(tampered).Failure);
    }

    [Fact]
    public void PresignedUrlsWithSessionTokensAndExtraSignedHeaders()
    {
        var spec = StsGetCallerIdentity(new Uri("https://sts.us-west-2.amazonaws.com/"));
        spec.Headers["x-k8s-aws-id"] = "prod";
        var url = SdkSigning.Presign(spec, s_session.AccessKeyId, Secret, 60, Token);
        Assert.Contains("x-k8s-aws-id", Uri.UnescapeDataString(url.Query));
        Assert.True(Verify(SdkSigning.ToWire(url, null, ("x-k8s-aws-id", "prod"))).Ok);
        Assert.Equal(AuthFailureKind.SignatureDoesNotMatch, Verify(SdkSigning.ToWire(url, null, ("x-k8s-aws-id", "dev"))).Failure);
    }

    [Fact]
    public void CanonicalQueryEncodesPerRfc3986AndSorts()
    {
        var q = SigV4Verifier.CanonicalQuery(SigV4Verifier.ParseQuery("b=2&a=x%20y&a=%2F&c=~_-."), presigned: false);
        Assert.Equal("a=%2F&a=x%20y&b=2&c=~_-.", q);
        Assert.Equal("t=a%20b%2Bc", SigV4Verifier.CanonicalQuery(SigV4Verifier.ParseQuery("t=a+b%2Bc"), presigned: false));
        Assert.Equal("/a/b%2520c", SigV4Verifier.CanonicalUri("/a/./x/../b%20c"));
        Assert.Equal("/", SigV4Verifier.CanonicalUri(""));
        Assert.Equal(64, SigV4Verifier.HexSha256(Array.Empty<byte>()).Length);
    }
}
