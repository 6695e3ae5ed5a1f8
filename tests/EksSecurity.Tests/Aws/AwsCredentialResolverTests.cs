using EksSecurity.Engine.Aws;

namespace EksSecurity.Tests.Aws;

public class AwsCredentialResolverTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eks-creds").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Func<string, string?> Env(params (string Key, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Key, v => v.Value);
        // Never fall through to the machine's environment or instance metadata.
        map.TryAdd("AWS_EC2_METADATA_DISABLED", "true");
        return k => map.TryGetValue(k, out var v) ? v : null;
    }

    private string CredentialsFile(string text)
    {
        var path = Path.Combine(_dir, "credentials");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Explicit_keys_win_over_everything()
    {
        var access = AwsCredentialResolver.Resolve(new AwsAccessRequest { AccessKey = "AKIDEXPLICIT", SecretKey = "s", Region = "eu-west-1", StoredRegion = "us-east-1" },
            Env(("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", "x")));
        Assert.Equal("AKIDEXPLICIT", access.Credentials.GetCredentials().AccessKey);
        Assert.Contains("-AccessKey", access.Info.CredentialSource);
        Assert.Equal("eu-west-1", access.Region);
        Assert.Equal("the -Region parameter", access.Info.RegionSource);
    }

    [Fact]
    public void Environment_keys_and_region_are_used_when_nothing_is_given()
    {
        var access = AwsCredentialResolver.Resolve(new AwsAccessRequest { ProfileLocation = CredentialsFile("") },
            Env(("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", "x"), ("AWS_SESSION_TOKEN", "tok"), ("AWS_REGION", "ap-south-1")));
        var creds = access.Credentials.GetCredentials();
        Assert.Equal("AKIDENV", creds.AccessKey);
        Assert.Equal("tok", creds.Token);
        Assert.Equal("ap-south-1", access.Region);
        Assert.DoesNotContain("x", access.Info.ToString().Replace("AWS_SECRET_ACCESS_KEY", "").Replace("from", "").Replace("environment", "").Replace("variables", "").Split(' ').Where(w => w == "x"));
    }

    [Fact]
    public void Named_profile_from_a_profile_location_gives_credentials_and_region()
    {
        var file = CredentialsFile("[team]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = secret\nregion = us-west-2\n");
        var access = AwsCredentialResolver.Resolve(new AwsAccessRequest { ProfileName = "team", ProfileLocation = file }, Env());
        Assert.Equal("AKIDPROFILE", access.Credentials.GetCredentials().AccessKey);
        Assert.Equal("us-west-2", access.Region);
        Assert.Contains("profile 'team'", access.Info.CredentialSource);
    }

    [Fact]
    public void Stored_region_beats_environment_region()
    {
        var access = AwsCredentialResolver.Resolve(new AwsAccessRequest { AccessKey = "A", SecretKey = "S", StoredRegion = "eu-central-1" }, Env(("AWS_REGION", "us-east-1")));
        Assert.Equal("eu-central-1", access.Region);
    }

    [Fact]
    public void Cluster_arn_region_is_used_before_stored_defaults()
    {
        var access = AwsCredentialResolver.Resolve(new AwsAccessRequest { AccessKey = "A", SecretKey = "S", ArnRegion = "cn-north-1", StoredRegion = "eu-central-1" }, Env());
        Assert.Equal("cn-north-1", access.Region);
    }

    [Fact]
    public void Missing_profile_is_named()
    {
        var ex = Assert.Throws<EksSecurityException>(() =>
            AwsCredentialResolver.Resolve(new AwsAccessRequest { ProfileName = "nope", ProfileLocation = CredentialsFile("") }, Env()));
        Assert.Equal(AwsCredentialResolver.ErrorProfileNotFound, ex.ErrorId);
        Assert.Contains("nope", ex.Message);
    }

    [Fact]
    public void Nothing_found_is_worded_like_AWS_Tools()
    {
        var ex = Assert.Throws<EksSecurityException>(() =>
            AwsCredentialResolver.Resolve(new AwsAccessRequest { ProfileLocation = CredentialsFile("") }, Env()));
        Assert.Equal("No credentials specified or obtained from persisted/shell defaults.", ex.Message);
    }

    [Fact]
    public void No_region_is_worded_like_AWS_Tools()
    {
        var ex = Assert.Throws<EksSecurityException>(() =>
            AwsCredentialResolver.Resolve(new AwsAccessRequest { AccessKey = "A", SecretKey = "S", ProfileLocation = CredentialsFile("") }, Env()));
        Assert.Equal("No region specified or obtained from persisted/shell defaults.", ex.Message);
    }

    /// <summary>A stand-in for an AWS Tools credentials object from another load context: only its shape matters.</summary>
    public sealed class ForeignCredentials
    {
        public int Calls;
        public ForeignImmutable GetCredentials() { Calls++; return new ForeignImmutable(); }
    }

    public sealed class ForeignImmutable
    {
        public string AccessKey => "AKIDFOREIGN";
        public string SecretKey => "foreign-secret";
        public string? Token => "foreign-token";
    }

    public sealed class StoredWrapper
    {
        public ForeignCredentials Credentials { get; } = new();
    }

    [Fact]
    public void Credential_objects_are_read_by_shape_and_asked_again_each_time()
    {
        var foreign = new ForeignCredentials();
        var access = AwsCredentialResolver.Resolve(new AwsAccessRequest { Credential = foreign, Region = "eu-west-1" }, Env());
        Assert.Equal("foreign-token", access.Credentials.GetCredentials().Token);
        access.Credentials.GetCredentials();
        Assert.True(foreign.Calls >= 2);
    }

    [Fact]
    public void Stored_credentials_wrapper_from_Set_AWSCredential_is_unwrapped()
    {
        var access = AwsCredentialResolver.Resolve(new AwsAccessRequest { StoredCredentials = new StoredWrapper(), Region = "eu-west-1" }, Env(("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", "x")));
        Assert.Equal("AKIDFOREIGN", access.Credentials.GetCredentials().AccessKey);
        Assert.Contains("$StoredAWSCredentials", access.Info.CredentialSource);
    }
}
