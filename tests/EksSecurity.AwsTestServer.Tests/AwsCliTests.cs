using System.Text.Json.Nodes;

namespace EksSecurity.AwsTestServer.Tests;

/// <summary>One server per test class, started from a scenario file.</summary>
public sealed class ServerFixture : IDisposable
{
    public ServerFixture() => Server = TestScenario.StartServer();
    public AwsTestServer Server { get; }
    public void Dispose() => Server.Dispose();
}

/// <summary>The real aws CLI against the server: EKS.</summary>
public class AwsCliEksTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly AwsCli _cli = new(fixture.Server.BaseUri);
    private static readonly HashSet<string> s_children = new() { "nodegroups", "addons", "accessEntries", "podIdentityAssociations", "fargateProfiles", "identityProviderConfigs" };

    [Fact]
    public void DescribeClusterReturnsTheScenarioCluster()
    {
        var result = _cli.Run("eks", "describe-cluster", "--name", "prod");
        Assert.True(result.ExitCode == 0, result.ToString());
        JsonAssert.Equivalent(TestScenario.Prod(), result.Json["cluster"], ignore: s_children);
    }

    [Fact]
    public void ListClustersFollowsNextTokenThroughEveryPage()
    {
        fixture.Server.ClearLog();
        var result = _cli.Run("eks", "list-clusters");
        Assert.True(result.ExitCode == 0, result.ToString());
        var names = result.Json["clusters"]!.AsArray().Select(n => (string)n!).ToList();
        var expected = new[] { "prod" }.Concat(Enumerable.Range(1, TestScenario.ExtraClusters).Select(i => $"c{i:00}")).ToList();
        Assert.Equal(expected, names);
        var calls = fixture.Server.RequestLog.Where(e => e.Action == "eks:ListClusters").ToList();
        Assert.Equal((expected.Count + 1) / 2, calls.Count); // page size 2 forced by the scenario
        Assert.All(calls, c => Assert.Equal(200, c.Status));
        Assert.All(calls, c => Assert.Equal(TestScenario.AdminArn, c.Principal));
    }

    [Fact]
    public void ThrottledCallIsRetriedByTheCli()
    {
        fixture.Server.ClearLog();
        fixture.Server.Scenario.AddFault(new FaultRule { Action = "eks:DescribeNodegroup", Kind = "throttle", FirstN = 1 });
        var result = _cli.Run("eks", "describe-nodegroup", "--cluster-name", "prod", "--nodegroup-name", "ng-1");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("ng-1", (string?)result.Json["nodegroup"]!["nodegroupName"]);
        var statuses = fixture.Server.RequestLog.Where(e => e.Action == "eks:DescribeNodegroup").Select(e => (e.Status, e.ErrorCode)).ToList();
        Assert.Equal(new[] { (429, (string?)"ThrottlingException"), (200, (string?)null) }, statuses);
    }
}

/// <summary>The real aws CLI against the server: IAM and STS.</summary>
public class AwsCliIamStsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly AwsCli _cli = new(fixture.Server.BaseUri);

    private static JsonObject Role(string name) => JsonNode.Parse(TestScenario.Json())!["accounts"]![TestScenario.Account]!["iam"]!["roles"]!
        .AsArray().Single(r => (string?)r!["RoleName"] == name)!.AsObject();

    [Fact]
    public void GetRoleDecodesTheUrlEncodedTrustPolicy()
    {
        var result = _cli.Run("iam", "get-role", "--role-name", "eks-cluster-role");
        Assert.True(result.ExitCode == 0, result.ToString());
        var role = result.Json["Role"]!;
        JsonAssert.Equivalent(Role("eks-cluster-role"), role, ignore: new HashSet<string> { "AttachedManagedPolicies", "RolePolicyList" });
        Assert.Equal("eks.amazonaws.com", (string?)role["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]);
    }

    [Fact]
    public void ListAttachedRolePoliciesFollowsMarkerThroughEveryPage()
    {
        fixture.Server.ClearLog();
        var result = _cli.Run("iam", "list-attached-role-policies", "--role-name", "eks-cluster-role");
        Assert.True(result.ExitCode == 0, result.ToString());
        var arns = result.Json["AttachedPolicies"]!.AsArray().Select(p => (string)p!["PolicyArn"]!).ToList();
        var expected = Role("eks-cluster-role")["AttachedManagedPolicies"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Equal(expected, arns);
        Assert.Equal("AmazonEBSCSIDriverPolicy", (string?)result.Json["AttachedPolicies"]![3]!["PolicyName"]);
        Assert.Equal(3, fixture.Server.RequestLog.Count(e => e.Action == "iam:ListAttachedRolePolicies"));
    }

    [Fact]
    public void GetCallerIdentityForLongTermAndSessionCredentials()
    {
        var admin = _cli.Run("sts", "get-caller-identity");
        Assert.True(admin.ExitCode == 0, admin.ToString());
        Assert.Equal(TestScenario.AdminArn, (string?)admin.Json["Arn"]);
        Assert.Equal(TestScenario.Account, (string?)admin.Json["Account"]);

        var session = new AwsCli(fixture.Server.BaseUri) { AccessKeyId = TestScenario.SessionKey, SecretAccessKey = TestScenario.SessionSecret, SessionToken = TestScenario.SessionToken }
            .Run("sts", "get-caller-identity");
        Assert.True(session.ExitCode == 0, session.ToString());
        Assert.Equal(TestScenario.SessionArn, (string?)session.Json["Arn"]);
        Assert.Equal("AROAEXAMPLEADMINS001:alice", (string?)session.Json["UserId"]);
    }

    [Fact]
    public void AssumeRoleMintsCredentialsTheServerAccepts()
    {
        var assumed = _cli.Run("sts", "assume-role", "--role-arn", "arn:aws:iam::111122223333:role/admins", "--role-session-name", "cli-test");
        Assert.True(assumed.ExitCode == 0, assumed.ToString());
        var creds = assumed.Json["Credentials"]!;
        Assert.StartsWith("ASIA", (string?)creds["AccessKeyId"]);
        var asRole = new AwsCli(fixture.Server.BaseUri)
        {
            AccessKeyId = (string)creds["AccessKeyId"]!, SecretAccessKey = (string)creds["SecretAccessKey"]!, SessionToken = (string)creds["SessionToken"]!,
        };
        var who = asRole.Run("sts", "get-caller-identity");
        Assert.True(who.ExitCode == 0, who.ToString());
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/admins/cli-test", (string?)who.Json["Arn"]);
        // The role's "allow" list (eks, sts) scopes the session.
        Assert.Contains(fixture.Server.Scenario.Credentials, c => c.AccessKeyId == (string)creds["AccessKeyId"]! && c.IsAllowed("eks:ListClusters") && !c.IsAllowed("iam:GetRole"));
    }
}

/// <summary>The real aws CLI against the server: EC2 and KMS.</summary>
public class AwsCliEc2KmsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly AwsCli _cli = new(fixture.Server.BaseUri);

    private static JsonArray Instances() => JsonNode.Parse(TestScenario.Json())!["accounts"]![TestScenario.Account]!["ec2"]!["instances"]!.AsArray();

    [Fact]
    public void DescribeInstancesWithTagAndStateFiltersAcrossPages()
    {
        fixture.Server.ClearLog();
        var result = _cli.Run("ec2", "describe-instances", "--filters", "Name=tag:eks:cluster-name,Values=prod", "Name=instance-state-name,Values=running");
        Assert.True(result.ExitCode == 0, result.ToString());
        var instances = result.Json["Reservations"]!.AsArray().SelectMany(r => r!["Instances"]!.AsArray()).ToList();
        var expected = Instances().Take(3).ToList();
        Assert.Equal(expected.Count, instances.Count);
        for (var i = 0; i < expected.Count; i++) JsonAssert.Equivalent(expected[i], instances[i]);
        Assert.Equal(TestScenario.Account, (string?)result.Json["Reservations"]![0]!["OwnerId"]);
        Assert.Equal(2, fixture.Server.RequestLog.Count(e => e.Action == "ec2:DescribeInstances")); // 2 + 1 with page size 2
    }

    [Fact]
    public void DescribeKeyByAlias()
    {
        var result = _cli.Run("kms", "describe-key", "--key-id", "alias/eks-prod");
        Assert.True(result.ExitCode == 0, result.ToString());
        var metadata = result.Json["KeyMetadata"]!;
        Assert.Equal(TestScenario.KeyId, (string?)metadata["KeyId"]);
        Assert.Equal($"arn:aws:kms:{TestScenario.Region}:{TestScenario.Account}:key/{TestScenario.KeyId}", (string?)metadata["Arn"]);
        Assert.Equal("EKS secrets", (string?)metadata["Description"]);
        Assert.Equal(DateTimeOffset.Parse("2024-03-01T09:30:00Z"), JsonAssert.Instant(metadata["CreationDate"]));
    }
}

/// <summary>The real aws CLI against the server: SigV4 failures and permissions.</summary>
public class AwsCliAuthTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AwsCli Cli(string key, string secret, string? token = null) =>
        new(fixture.Server.BaseUri) { AccessKeyId = key, SecretAccessKey = secret, SessionToken = token };

    [Fact]
    public void WrongSecretKeyIsSignatureDoesNotMatch()
    {
        var wrong = Cli(TestScenario.AdminKey, "not-the-secret");
        var sts = wrong.Run("sts", "get-caller-identity");
        Assert.NotEqual(0, sts.ExitCode);
        Assert.Contains("An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: The request signature we calculated does not match the signature you provided.", sts.Stderr);
        // EKS and KMS answer in the JSON protocols' names for the same failure.
        var eks = wrong.Run("eks", "list-clusters");
        Assert.Contains("An error occurred (InvalidSignatureException) when calling the ListClusters operation: The request signature we calculated does not match", eks.Stderr);
    }

    [Fact]
    public void PermissionSetIsEnforcedPerCall()
    {
        var auditor = Cli(TestScenario.AuditorKey, TestScenario.AuditorSecret);
        var list = auditor.Run("eks", "list-clusters");
        Assert.Contains($"An error occurred (AccessDeniedException) when calling the ListClusters operation: User: {TestScenario.AuditorArn} is not authorized to perform: eks:ListClusters", list.Stderr);
        Assert.Contains(fixture.Server.RequestLog, e => e.Action == "eks:ListClusters" && e.Status == 403 && e.Principal == TestScenario.AuditorArn);
    }
}

/// <summary>aws eks get-token, validated as the EKS authenticator does.</summary>
public class AwsCliEksTokenTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly Lazy<string> s_token = new(() => Token(new AwsCli(new Uri("http://127.0.0.1:9/")), "prod"));

    private static string Token(AwsCli cli, string cluster)
    {
        var result = cli.RunRaw("eks", "get-token", "--cluster-name", cluster, "--output", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var token = (string)result.Json["status"]!["token"]!;
        Assert.StartsWith("k8s-aws-v1.", token);
        return token;
    }

    [Fact]
    public async Task GetTokenIsValidForItsClusterOnly()
    {
        var token = s_token.Value;
        var ok = fixture.Server.ValidateEksToken(token, "prod");
        Assert.True(ok.Valid, ok.Error);
        Assert.Equal(TestScenario.AdminArn, ok.Arn);
        Assert.Equal(TestScenario.Account, ok.Account);

        var other = fixture.Server.ValidateEksToken(token, "staging");
        Assert.False(other.Valid);
        Assert.Contains("signature does not match", other.Error);

        using var http = new HttpClient();
        var response = await http.PostAsync(new Uri(fixture.Server.BaseUri, "_test/validate-eks-token"),
            new StringContent(new JsonObject { ["token"] = token, ["clusterName"] = "prod" }.ToJsonString()));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(TestScenario.AdminArn, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["arn"]);
        var rejected = await http.PostAsync(new Uri(fixture.Server.BaseUri, "_test/validate-eks-token?clusterName=dev"), new StringContent(token));
        Assert.Equal(401, (int)rejected.StatusCode);
    }

    [Fact]
    public void ExpiredOrTamperedTokensAreRejected()
    {
        var token = s_token.Value;
        var validator = new Auth.EksTokenValidator(fixture.Server.Scenario.FindCredential, () => DateTimeOffset.UtcNow.AddMinutes(16));
        var expired = validator.Validate(token, "prod");
        Assert.False(expired.Valid);
        Assert.Contains("X-Amz-Date parameter is expired (15 minute expiration)", expired.Error);

        var url = System.Text.Encoding.UTF8.GetString(Auth.EksTokenValidator.DecodeBase64UrlNoPadding(token["k8s-aws-v1.".Length..]));
        var last = url[^1] == '0' ? '1' : '0';
        var tampered = "k8s-aws-v1." + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(url[..^1] + last)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var result = fixture.Server.ValidateEksToken(tampered, "prod");
        Assert.False(result.Valid);
        Assert.Contains("SignatureDoesNotMatch", result.Error);
        Assert.False(fixture.Server.ValidateEksToken(token[..^1], "prod").Valid);
        Assert.Contains("prefix", fixture.Server.ValidateEksToken(token["k8s-aws-v1.".Length..], "prod").Error);
    }

}
