using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace EksSecurity.AwsTestServer.Tests;

/// <summary>Wire formats, paging, errors and faults, over HTTP with AWSSDK.Core-signed requests.</summary>
public class ServerHttpTests : IDisposable
{
    private static readonly XNamespace Iam = "https://iam.amazonaws.com/doc/2010-05-08/";
    private static readonly XNamespace Ec2 = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private readonly AwsTestServer _server = TestScenario.StartServer(root =>
    {
        root["eks"] = JsonNode.Parse("""
            { "clusterVersions": [
              { "clusterVersion": "1.33", "defaultVersion": true, "status": "STANDARD_SUPPORT", "versionStatus": "STANDARD_SUPPORT", "releaseDate": "2025-05-29T00:00:00Z" },
              { "clusterVersion": "1.29", "defaultVersion": false, "status": "EXTENDED_SUPPORT", "versionStatus": "EXTENDED_SUPPORT", "endOfExtendedSupportDate": "2026-03-23T00:00:00Z" },
              { "clusterVersion": "1.23", "defaultVersion": false, "status": "UNSUPPORTED", "versionStatus": "UNSUPPORTED" } ] }
            """);
        root["credentials"]!.AsArray().Add(JsonNode.Parse("""
            { "accessKeyId": "AKIADESCRIBEONLY0001", "secretAccessKey": "describe-only", "arn": "arn:aws:iam::111122223333:role/describer",
              "allow": ["eks:Describe*"], "deny": ["eks:DescribeAddon"] }
            """));
    });

    private SignedClient Client => new(_server);

    public void Dispose() => _server.Dispose();

    // ------------------------------------------------------------ IAM (query, XML)

    [Fact]
    public async Task IamGetRoleIsQueryXmlWithUrlEncodedDocuments()
    {
        var r = await Client.Query("iam", "GetRole", ("RoleName", "eks-cluster-role"));
        Assert.Equal(200, r.Status);
        var root = r.Xml.Root!;
        Assert.Equal(Iam + "GetRoleResponse", root.Name);
        var role = root.Element(Iam + "GetRoleResult")!.Element(Iam + "Role")!;
        var document = role.Element(Iam + "AssumeRolePolicyDocument")!.Value;
        Assert.StartsWith("%7B%22Version%22%3A%222012-10-17%22", document);
        Assert.Equal("eks.amazonaws.com", (string?)JsonNode.Parse(Uri.UnescapeDataString(document))!["Statement"]![0]!["Principal"]!["Service"]);
        Assert.Equal("7200", role.Element(Iam + "MaxSessionDuration")!.Value);
        Assert.Equal("arn:aws:iam::111122223333:policy/boundary", role.Element(Iam + "PermissionsBoundary")!.Element(Iam + "PermissionsBoundaryArn")!.Value);
        Assert.Equal("team", role.Element(Iam + "Tags")!.Element(Iam + "member")!.Element(Iam + "Key")!.Value);
        Assert.Equal("2024-03-01T09:00:00Z", role.Element(Iam + "CreateDate")!.Value);
        Assert.NotEmpty(root.Element(Iam + "ResponseMetadata")!.Element(Iam + "RequestId")!.Value);
    }

    [Fact]
    public async Task IamPagesWithMarkerAndIsTruncated()
    {
        var first = await Client.Query("iam", "ListRoles", ("MaxItems", "1"));
        var result = first.Xml.Root!.Element(Iam + "ListRolesResult")!;
        Assert.Equal("true", result.Element(Iam + "IsTruncated")!.Value);
        Assert.Null(result.Element(Iam + "Roles")!.Element(Iam + "member")!.Element(Iam + "Tags")); // ListRoles omits tags
        var marker = result.Element(Iam + "Marker")!.Value;
        var second = (await Client.Query("iam", "ListRoles", ("MaxItems", "1"), ("Marker", marker))).Xml.Root!.Element(Iam + "ListRolesResult")!;
        Assert.Equal("false", second.Element(Iam + "IsTruncated")!.Value);
        Assert.Null(second.Element(Iam + "Marker"));
        Assert.Equal("admins", second.Element(Iam + "Roles")!.Element(Iam + "member")!.Element(Iam + "RoleName")!.Value);

        var bad = await Client.Query("iam", "ListRoles", ("Marker", "garbage"));
        Assert.Equal(400, bad.Status);
        Assert.Equal("InvalidInput", bad.Xml.Root!.Element(Iam + "Error")!.Element(Iam + "Code")!.Value);
    }

    [Fact]
    public async Task IamErrorsAreErrorResponseDocuments()
    {
        var r = await Client.Query("iam", "GetAccountPasswordPolicy");
        Assert.Equal(404, r.Status);
        var error = r.Xml.Root!.Element(Iam + "Error")!;
        Assert.Equal(Iam + "ErrorResponse", r.Xml.Root!.Name);
        Assert.Equal("Sender", error.Element(Iam + "Type")!.Value);
        Assert.Equal("NoSuchEntity", error.Element(Iam + "Code")!.Value);
        Assert.Equal("The Password Policy with domain name 111122223333 cannot be found.", error.Element(Iam + "Message")!.Value);
        Assert.NotEmpty(r.Xml.Root!.Element(Iam + "RequestId")!.Value);
    }

    [Fact]
    public async Task IamUserHygieneOperations()
    {
        var user = await Client.Query("iam", "GetUser");
        Assert.Equal("admin", user.Xml.Descendants(Iam + "UserName").First().Value);
        var mfa = await Client.Query("iam", "ListMFADevices", ("UserName", "admin"));
        Assert.Equal("arn:aws:iam::111122223333:mfa/admin", mfa.Xml.Descendants(Iam + "SerialNumber").Single().Value);
        var login = await Client.Query("iam", "GetLoginProfile", ("UserName", "admin"));
        Assert.Equal("false", login.Xml.Descendants(Iam + "PasswordResetRequired").Single().Value);
        var keys = await Client.Query("iam", "ListAccessKeys");
        Assert.Equal(TestScenario.AdminKey, keys.Xml.Descendants(Iam + "AccessKeyId").Single().Value);
        var lastUsed = await Client.Query("iam", "GetAccessKeyLastUsed", ("AccessKeyId", TestScenario.AdminKey));
        Assert.Equal("eks", lastUsed.Xml.Descendants(Iam + "ServiceName").Single().Value);
        var summary = await Client.Query("iam", "GetAccountSummary");
        var entries = summary.Xml.Descendants(Iam + "entry").ToDictionary(e => e.Element(Iam + "key")!.Value, e => e.Element(Iam + "value")!.Value);
        Assert.Equal("1", entries["AccountMFAEnabled"]);
        var oidc = await Client.Query("iam", "ListOpenIDConnectProviders");
        var arn = oidc.Xml.Descendants(Iam + "Arn").Single().Value;
        var provider = await Client.Query("iam", "GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", arn));
        Assert.Equal("sts.amazonaws.com", provider.Xml.Descendants(Iam + "ClientIDList").Single().Element(Iam + "member")!.Value);
        var inline = await Client.Query("iam", "GetRolePolicy", ("RoleName", "eks-cluster-role"), ("PolicyName", "inline-s3"));
        Assert.Contains("s3%3AGetObject", inline.Xml.Descendants(Iam + "PolicyDocument").Single().Value);
        var policy = await Client.Query("iam", "GetPolicy", ("PolicyArn", "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"));
        Assert.Equal("v1", policy.Xml.Descendants(Iam + "DefaultVersionId").Single().Value);
    }

    // ------------------------------------------------------------ EC2 (ec2 query, XML)

    [Fact]
    public async Task Ec2DescribeInstancesUsesEc2WireNames()
    {
        var r = await Client.Query("ec2", "DescribeInstances", ("InstanceId.1", "i-0000000000000000a"));
        Assert.Equal(200, r.Status);
        var root = r.Xml.Root!;
        Assert.Equal(Ec2 + "DescribeInstancesResponse", root.Name);
        Assert.NotEmpty(root.Element(Ec2 + "requestId")!.Value);
        var instance = root.Element(Ec2 + "reservationSet")!.Element(Ec2 + "item")!.Element(Ec2 + "instancesSet")!.Element(Ec2 + "item")!;
        Assert.Equal("i-0000000000000000a", instance.Element(Ec2 + "instanceId")!.Value);
        Assert.Equal("running", instance.Element(Ec2 + "instanceState")!.Element(Ec2 + "name")!.Value);
        Assert.Equal("54.1.2.3", instance.Element(Ec2 + "ipAddress")!.Value);
        Assert.Equal("optional", instance.Element(Ec2 + "metadataOptions")!.Element(Ec2 + "httpTokens")!.Value);
        Assert.Equal("sg-0node", instance.Element(Ec2 + "groupSet")!.Element(Ec2 + "item")!.Element(Ec2 + "groupId")!.Value);
        Assert.Equal("eks:cluster-name", instance.Element(Ec2 + "tagSet")!.Element(Ec2 + "item")!.Element(Ec2 + "key")!.Value);
        Assert.Equal("2024-03-01T11:05:00.000Z", instance.Element(Ec2 + "launchTime")!.Value);

        var badFilter = await Client.Query("ec2", "DescribeInstances", ("Filter.1.Name", "no-such-filter"), ("Filter.1.Value.1", "x"));
        Assert.Equal(400, badFilter.Status);
        Assert.Equal("InvalidParameterValue", badFilter.Xml.Root!.Element("Errors")!.Element("Error")!.Element("Code")!.Value);
        Assert.NotNull(badFilter.Xml.Root!.Element("RequestID"));
    }

    [Fact]
    public async Task Ec2LaunchTemplatesSecurityGroupsAndSubnets()
    {
        var latest = await Client.Query("ec2", "DescribeLaunchTemplateVersions", ("LaunchTemplateId", "lt-0123456789abcdef0"), ("LaunchTemplateVersion.1", "$Latest"));
        var version = latest.Xml.Descendants(Ec2 + "launchTemplateVersionSet").Single().Element(Ec2 + "item")!;
        Assert.Equal("2", version.Element(Ec2 + "versionNumber")!.Value);
        Assert.Equal("false", version.Element(Ec2 + "defaultVersion")!.Value);
        Assert.Equal("required", version.Element(Ec2 + "launchTemplateData")!.Element(Ec2 + "metadataOptions")!.Element(Ec2 + "httpTokens")!.Value);
        var all = await Client.Query("ec2", "DescribeLaunchTemplateVersions", ("LaunchTemplateName", "ng-1-lt"));
        Assert.Equal(2, all.Xml.Descendants(Ec2 + "versionNumber").Count());
        var missing = await Client.Query("ec2", "DescribeLaunchTemplateVersions", ("LaunchTemplateId", "lt-0000000000000000f"));
        Assert.Equal("InvalidLaunchTemplateId.NotFound", missing.Xml.Descendants("Code").Single().Value);

        var groups = await Client.Query("ec2", "DescribeSecurityGroups", ("Filter.1.Name", "tag:aws:eks:cluster-name"), ("Filter.1.Value.1", "prod"));
        var group = groups.Xml.Descendants(Ec2 + "securityGroupInfo").Single().Element(Ec2 + "item")!;
        Assert.Equal("0.0.0.0/0", group.Element(Ec2 + "ipPermissions")!.Element(Ec2 + "item")!.Element(Ec2 + "ipRanges")!.Element(Ec2 + "item")!.Element(Ec2 + "cidrIp")!.Value);
        var rules = await Client.Query("ec2", "DescribeSecurityGroupRules", ("Filter.1.Name", "group-id"), ("Filter.1.Value.1", "sg-0cluster"));
        var ruleItems = rules.Xml.Descendants(Ec2 + "securityGroupRuleSet").Single().Elements(Ec2 + "item").ToList();
        Assert.Equal(new[] { "false", "true" }, ruleItems.Select(i => i.Element(Ec2 + "isEgress")!.Value));
        Assert.Equal("443", ruleItems[0].Element(Ec2 + "fromPort")!.Value);
        var subnets = await Client.Query("ec2", "DescribeSubnets", ("SubnetId.1", "subnet-0a1b2c3d"));
        Assert.Equal("true", subnets.Xml.Descendants(Ec2 + "mapPublicIpOnLaunch").Single().Value);
    }

    // ------------------------------------------------------------ EKS (rest-json)

    [Fact]
    public async Task EksChildResourcesAndTheirNotFoundErrors()
    {
        var entry = await Client.Eks("GET", "/clusters/{name}/access-entries/{principalArn}",
            new() { ["{name}"] = "prod", ["{principalArn}"] = "arn:aws:iam::111122223333:role/admins" });
        Assert.Equal(200, entry.Status);
        Assert.Equal("prod", (string?)entry.Json["accessEntry"]!["clusterName"]);
        Assert.Null(entry.Json["accessEntry"]!["associatedAccessPolicies"]); // scenario-only member never on the wire

        var pods = await Client.Eks("GET", "/clusters/{name}/pod-identity-associations", new() { ["{name}"] = "prod" }, new() { ["namespace"] = "default" });
        Assert.Equal("a-abcdefghijklmnop1", (string?)pods.Json["associations"]![0]!["associationId"]);
        Assert.Null(pods.Json["associations"]![0]!["roleArn"]); // the summary shape has no roleArn
        var none = await Client.Eks("GET", "/clusters/{name}/pod-identity-associations", new() { ["{name}"] = "prod" }, new() { ["namespace"] = "kube-system" });
        Assert.Empty(none.Json["associations"]!.AsArray());

        var fargate = await Client.Eks("GET", "/clusters/{name}/fargate-profiles/{fargateProfileName}", new() { ["{name}"] = "prod", ["{fargateProfileName}"] = "fp-default" });
        Assert.Equal("serverless", (string?)fargate.Json["fargateProfile"]!["selectors"]![0]!["namespace"]);
        var addons = await Client.Eks("GET", "/clusters/{name}/addons", new() { ["{name}"] = "prod" });
        Assert.Equal("vpc-cni", (string?)addons.Json["addons"]![0]);

        var missing = await Client.Eks("GET", "/clusters/{name}/addons/{addonName}", new() { ["{name}"] = "prod", ["{addonName}"] = "coredns" });
        Assert.Equal(404, missing.Status);
        Assert.Equal("ResourceNotFoundException", missing.Header("x-amzn-ErrorType"));
        Assert.Equal("prod", (string?)missing.Json["clusterName"]);
        Assert.Equal("coredns", (string?)missing.Json["addonName"]);
        Assert.Equal("No addon: coredns found in cluster: prod", (string?)missing.Json["message"]);
    }

    [Fact]
    public async Task EksPagingValidationAndClusterVersions()
    {
        var first = await Client.Eks("GET", "/clusters", query: new() { ["maxResults"] = "1" });
        Assert.Single(first.Json["clusters"]!.AsArray());
        var token = (string)first.Json["nextToken"]!;
        var second = await Client.Eks("GET", "/clusters", query: new() { ["maxResults"] = "50", ["nextToken"] = token });
        Assert.Equal(2, second.Json["clusters"]!.AsArray().Count); // the scenario caps eks:ListClusters at 2 per page
        var bad = await Client.Eks("GET", "/clusters", query: new() { ["nextToken"] = "bogus" });
        Assert.Equal(400, bad.Status);
        Assert.Equal("InvalidParameterException", bad.Header("x-amzn-ErrorType"));
        var tooMany = await Client.Eks("GET", "/clusters", query: new() { ["maxResults"] = "101" });
        Assert.Equal(400, tooMany.Status);

        var versions = await Client.Eks("GET", "/cluster-versions");
        Assert.Equal(new[] { "1.33", "1.29" }, versions.Json["clusterVersions"]!.AsArray().Select(v => (string)v!["clusterVersion"]!));
        Assert.Equal(1748476800, (long)versions.Json["clusterVersions"]![0]!["releaseDate"]!);
        var all = await Client.Eks("GET", "/cluster-versions", query: new() { ["includeAll"] = "true" });
        Assert.Equal(3, all.Json["clusterVersions"]!.AsArray().Count);
        var defaults = await Client.Eks("GET", "/cluster-versions", query: new() { ["defaultOnly"] = "true" });
        Assert.Equal("1.33", (string?)defaults.Json["clusterVersions"]!.AsArray().Single()!["clusterVersion"]);
    }

    [Fact]
    public async Task EksPostBodyAndPrincipalArnPathOperations()
    {
        var idp = await Client.Eks("POST", "/clusters/{name}/identity-provider-configs/describe", new() { ["{name}"] = "prod" },
            body: """{"identityProviderConfig":{"type":"oidc","name":"corp-oidc"}}""");
        Assert.Equal(200, idp.Status);
        Assert.Equal("https://login.example.com", (string?)idp.Json["identityProviderConfig"]!["oidc"]!["issuerUrl"]);
        var list = await Client.Eks("GET", "/clusters/{name}/identity-provider-configs", new() { ["{name}"] = "prod" });
        var config = list.Json["identityProviderConfigs"]!.AsArray().Single()!;
        Assert.Equal(("oidc", "corp-oidc"), ((string?)config["type"], (string?)config["name"]));
        var policies = await Client.Eks("GET", "/clusters/{name}/access-entries/{principalArn}/access-policies",
            new() { ["{name}"] = "prod", ["{principalArn}"] = "arn:aws:iam::111122223333:role/admins" });
        Assert.Equal("arn:aws:iam::111122223333:role/admins", (string?)policies.Json["principalArn"]);
        Assert.Equal(1709294400, (long)policies.Json["associatedAccessPolicies"]![0]!["associatedAt"]!);
        var byPolicy = await Client.Eks("GET", "/clusters/{name}/access-entries", new() { ["{name}"] = "prod" },
            new() { ["associatedPolicyArn"] = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy" });
        Assert.Empty(byPolicy.Json["accessEntries"]!.AsArray());
    }

    [Fact]
    public async Task ScenarioChangesAreServedOnTheNextCall()
    {
        _server.Scenario.Root["accounts"]![TestScenario.Account]!["eks"]!["clusters"]!.AsArray()
            .Add(new JsonObject { ["name"] = "added-later", ["status"] = "CREATING" });
        var r = await Client.Eks("GET", "/clusters/{name}", new() { ["{name}"] = "added-later" });
        Assert.Equal("CREATING", (string?)r.Json["cluster"]!["status"]);
        Assert.Equal("arn:aws:eks:us-west-2:111122223333:cluster/added-later", (string?)r.Json["cluster"]!["arn"]);
    }

    // ------------------------------------------------------------ KMS (json 1.1)

    [Fact]
    public async Task KmsJsonShapesAndErrors()
    {
        var key = await Client.Kms("DescribeKey", $$"""{"KeyId":"arn:aws:kms:us-west-2:111122223333:key/{{TestScenario.KeyId}}"}""");
        Assert.Equal(200, key.Status);
        Assert.Equal("application/x-amz-json-1.1", key.Message.Content.Headers.ContentType!.MediaType);
        Assert.Equal(1709285400, (long)key.Json["KeyMetadata"]!["CreationDate"]!);
        var policy = await Client.Kms("GetKeyPolicy", $$"""{"KeyId":"{{TestScenario.KeyId}}"}""");
        Assert.Equal("kms:*", (string?)JsonNode.Parse((string)policy.Json["Policy"]!)!["Statement"]![0]!["Action"]);
        Assert.Equal("default", (string?)policy.Json["PolicyName"]);
        var missing = await Client.Kms("GetKeyRotationStatus", """{"KeyId":"00000000-0000-0000-0000-000000000000"}""");
        Assert.Equal(400, missing.Status);
        Assert.Equal("NotFoundException", (string?)missing.Json["__type"]);
        Assert.Equal("Key 'arn:aws:kms:us-west-2:111122223333:key/00000000-0000-0000-0000-000000000000' does not exist", (string?)missing.Json["message"]);
    }

    [Fact]
    public async Task KmsRotationAndEc2FiltersAndStsLimits()
    {
        var rotation = await Client.Kms("GetKeyRotationStatus", $$"""{"KeyId":"{{TestScenario.KeyId}}"}""");
        Assert.True((bool)rotation.Json["KeyRotationEnabled"]!);
        Assert.Equal(365, (int)rotation.Json["RotationPeriodInDays"]!);
        var aliases = await Client.Kms("ListAliases", "{}");
        Assert.Equal("alias/eks-prod", (string?)aliases.Json["Aliases"]![0]!["AliasName"]);

        var wildcard = await Client.Query("ec2", "DescribeInstances", ("Filter.1.Name", "tag:Name"), ("Filter.1.Value.1", "prod-node-?"),
            ("Filter.2.Name", "instance-type"), ("Filter.2.Value.1", "t3.*"));
        Assert.Equal(new[] { "i-0000000000000000c" }, wildcard.Xml.Descendants(Ec2 + "instanceId").Select(e => e.Value));
        var hopLimit = await Client.Query("ec2", "DescribeInstances", ("Filter.1.Name", "metadata-options.http-tokens"), ("Filter.1.Value.1", "optional"));
        Assert.Equal(new[] { "i-0000000000000000a" }, hopLimit.Xml.Descendants(Ec2 + "instanceId").Select(e => e.Value));
        var missing = await Client.Query("ec2", "DescribeInstances", ("InstanceId.1", "i-0000000000000000f"));
        Assert.Equal("The instance ID 'i-0000000000000000f' does not exist", missing.Xml.Descendants("Message").Single().Value);

        var tooLong = await Client.Query("sts", "AssumeRole", ("RoleArn", "arn:aws:iam::111122223333:role/admins"), ("RoleSessionName", "s"), ("DurationSeconds", "7200"));
        Assert.Equal(400, tooLong.Status);
        Assert.Contains("exceeds the MaxSessionDuration", tooLong.Body);
        var untrusted = await Client.Query("sts", "AssumeRole", ("RoleArn", "arn:aws:iam::111122223333:role/eks-cluster-role"), ("RoleSessionName", "s"));
        Assert.Equal(403, untrusted.Status); // trusts eks.amazonaws.com only
        Assert.Contains("sts:AssumeRole on resource: arn:aws:iam::111122223333:role/eks-cluster-role", untrusted.Body);
    }

    // ------------------------------------------------------------ authentication in each protocol

    [Fact]
    public async Task AuthenticationFailuresInEachProtocolsShape()
    {
        var kms = await new SignedClient(_server, "AKIAUNKNOWNEXAMPLE01", "x").Kms("DescribeKey", """{"KeyId":"alias/eks-prod"}""");
        Assert.Equal(403, kms.Status);
        Assert.Equal("com.amazon.coral.service#UnrecognizedClientException", (string?)kms.Json["__type"]);

        var ec2 = await new SignedClient(_server, TestScenario.AdminKey, "wrong").Query("ec2", "DescribeInstances");
        Assert.Equal(401, ec2.Status);
        Assert.Equal("AuthFailure", ec2.Xml.Descendants("Code").Single().Value);

        var iam = await new SignedClient(_server, TestScenario.SessionKey, TestScenario.SessionSecret).Query("iam", "GetUser", ("UserName", "admin"));
        Assert.Equal(403, iam.Status); // session key without its token
        Assert.Equal("InvalidClientTokenId", iam.Xml.Descendants(Iam + "Code").Single().Value);

        using var http = new HttpClient();
        var anonymous = await http.GetAsync(new Uri(_server.BaseUri, "clusters"));
        Assert.Equal(403, (int)anonymous.StatusCode);
        Assert.StartsWith("MissingAuthenticationTokenException", anonymous.Headers.GetValues("x-amzn-ErrorType").Single());

        var expired = await new SignedClient(_server, TestScenario.ExpiredKey, "expired", "expired-token").Eks("GET", "/clusters");
        Assert.Equal(403, expired.Status);
        Assert.StartsWith("ExpiredTokenException", expired.Header("x-amzn-ErrorType"));
        Assert.Equal("The security token included in the request is expired", (string?)expired.Json["message"]);

        var skewed = new SignedClient(_server);
        _server.Now = () => DateTimeOffset.UtcNow.AddMinutes(20);
        var late = await skewed.Query("sts", "GetCallerIdentity");
        _server.Now = () => DateTimeOffset.UtcNow;
        Assert.Equal("SignatureDoesNotMatch", late.Xml.Descendants().Single(e => e.Name.LocalName == "Code").Value);
        Assert.StartsWith("Signature expired:", late.Xml.Descendants().Single(e => e.Name.LocalName == "Message").Value);
    }

    [Fact]
    public async Task PresignedGetCallerIdentityOverHttp()
    {
        var spec = new SdkSigning.Spec("sts", "GET", _server.BaseUri, "/") { QueryParameters = { ["Action"] = "GetCallerIdentity", ["Version"] = "2011-06-15" } };
        using var http = new HttpClient();
        var ok = await http.GetAsync(SdkSigning.Presign(spec, TestScenario.AdminKey, TestScenario.AdminSecret, 60));
        var body = await ok.Content.ReadAsStringAsync();
        Assert.True(ok.IsSuccessStatusCode, body);
        Assert.Equal(TestScenario.AdminArn, XDocument.Parse(body).Descendants().Single(e => e.Name.LocalName == "Arn").Value);

        var old = await http.GetAsync(SdkSigning.Presign(spec, TestScenario.AdminKey, TestScenario.AdminSecret, 60, signedAt: DateTime.UtcNow.AddMinutes(-2)));
        Assert.Equal(403, (int)old.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await old.Content.ReadAsStringAsync());
    }

    // ------------------------------------------------------------ permissions, faults, log

    [Fact]
    public async Task PermissionWildcardsAndDeniesNameTheAction()
    {
        var describer = new SignedClient(_server, "AKIADESCRIBEONLY0001", "describe-only");
        Assert.Equal(200, (await describer.Eks("GET", "/clusters/{name}", new() { ["{name}"] = "prod" })).Status);
        var addon = await describer.Eks("GET", "/clusters/{name}/addons/{addonName}", new() { ["{name}"] = "prod", ["{addonName}"] = "vpc-cni" });
        Assert.Equal(403, addon.Status);
        Assert.Equal("AccessDeniedException", addon.Header("x-amzn-ErrorType"));
        Assert.Equal("User: arn:aws:iam::111122223333:role/describer is not authorized to perform: eks:DescribeAddon on resource: arn:aws:eks:us-west-2:111122223333:cluster/prod because no identity-based policy allows the eks:DescribeAddon action",
            (string?)addon.Json["message"]);
        var iam = await describer.Query("iam", "GetRole", ("RoleName", "admins"));
        Assert.Equal("AccessDenied", iam.Xml.Descendants(Iam + "Code").Single().Value);
        Assert.Contains("iam:GetRole on resource: role admins", iam.Xml.Descendants(Iam + "Message").Single().Value);
        Assert.Equal(200, (await describer.Query("sts", "GetCallerIdentity")).Status); // never needs permission
    }

    [Fact]
    public async Task ThrottleEveryNthCallOfOneOperationOnly()
    {
        _server.Scenario.AddFault(new FaultRule { Action = "iam:GetRole", Kind = "throttle", EveryNth = 3 });
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++) statuses.Add((await Client.Query("iam", "GetRole", ("RoleName", "admins"))).Status);
        Assert.Equal(new[] { 200, 200, 400, 200, 200, 400 }, statuses);
        Assert.Equal(200, (await Client.Query("iam", "ListRoles")).Status);
        Assert.Equal(2, _server.RequestLog.Count(e => e.ErrorCode == "Throttling"));
    }

    [Fact]
    public async Task ProbabilisticFaultsAreReproducibleWithASeed()
    {
        async Task<List<int>> Run(AwsTestServer server)
        {
            server.Scenario.AddFault(new FaultRule { Action = "ec2:Describe*", Kind = "throttle", Probability = 0.5, Seed = 42 });
            var client = new SignedClient(server);
            var result = new List<int>();
            for (var i = 0; i < 12; i++) result.Add((await client.Query("ec2", "DescribeSubnets")).Status);
            return result;
        }
        var a = await Run(_server);
        using var other = TestScenario.StartServer();
        var b = await Run(other);
        Assert.Equal(a, b);
        Assert.Contains(503, a); // RequestLimitExceeded
        Assert.Contains(200, a);
        Assert.Contains(_server.RequestLog, e => e.ErrorCode == "RequestLimitExceeded");
    }

    [Fact]
    public async Task FaultsFromTheScenarioFile()
    {
        using var server = TestScenario.StartServer(root => root["faults"] = JsonNode.Parse("""
            [ { "action": "eks:ListClusters", "kind": "throttle", "firstN": 2 },
              { "action": "iam:*", "principal": "*:user/auditor", "kind": "serverError", "status": 502 } ]
            """));
        var client = new SignedClient(server);
        var statuses = new List<int>();
        for (var i = 0; i < 3; i++) statuses.Add((await client.Eks("GET", "/clusters")).Status);
        Assert.Equal(new[] { 429, 429, 200 }, statuses);
        Assert.Equal(200, (await client.Query("iam", "GetRole", ("RoleName", "admins"))).Status);
        var auditor = await new SignedClient(server, TestScenario.AuditorKey, TestScenario.AuditorSecret).Query("iam", "GetRole", ("RoleName", "admins"));
        Assert.Equal(502, auditor.Status);
        Assert.Equal("Receiver", auditor.Xml.Descendants(Iam + "Type").Single().Value);
        Assert.Equal("ServiceFailure", auditor.Xml.Descendants(Iam + "Code").Single().Value);
    }

    [Fact]
    public async Task LatencyServerErrorsAndCustomErrors()
    {
        _server.Scenario.AddFault(new FaultRule { Action = "eks:DescribeCluster", LatencyMs = 300 });
        var watch = Stopwatch.StartNew();
        Assert.Equal(200, (await Client.Eks("GET", "/clusters/{name}", new() { ["{name}"] = "prod" })).Status);
        Assert.True(watch.ElapsedMilliseconds >= 290, $"{watch.ElapsedMilliseconds} ms");

        _server.Scenario.AddFault(new FaultRule { Action = "eks:ListNodegroups", Kind = "unavailable", FirstN = 1 });
        var unavailable = await Client.Eks("GET", "/clusters/{name}/node-groups", new() { ["{name}"] = "prod" });
        Assert.Equal(503, unavailable.Status);
        Assert.Equal("ServiceUnavailableException", unavailable.Header("x-amzn-ErrorType"));
        Assert.Equal(200, (await Client.Eks("GET", "/clusters/{name}/node-groups", new() { ["{name}"] = "prod" })).Status);

        _server.Scenario.AddFault(new FaultRule { Action = "kms:*", Kind = "serverError" });
        var kms = await Client.Kms("ListKeys", "{}");
        Assert.Equal(500, kms.Status);
        Assert.Equal("KMSInternalException", (string?)kms.Json["__type"]);

        _server.Scenario.AddFault(new FaultRule { Action = "iam:GetUser", Kind = "error", Code = "LimitExceeded", Status = 409, Message = "custom" });
        var custom = await Client.Query("iam", "GetUser");
        Assert.Equal(409, custom.Status);
        Assert.Equal("LimitExceeded", custom.Xml.Descendants(Iam + "Code").Single().Value);
    }

    [Fact]
    public async Task RequestLogInProcessAndOverHttp()
    {
        _server.ClearLog();
        await Client.Eks("GET", "/clusters/{name}", new() { ["{name}"] = "prod" });
        await new SignedClient(_server, TestScenario.AdminKey, "wrong").Query("iam", "GetRole", ("RoleName", "admins"));
        var entries = _server.RequestLog;
        Assert.Equal(2, entries.Count);
        Assert.Equal(("eks", "eks:DescribeCluster", TestScenario.AdminArn, 200), (entries[0].Service, entries[0].Action, entries[0].Principal, entries[0].Status));
        Assert.Equal(("iam:GetRole", (string?)null, 403, "SignatureDoesNotMatch"), (entries[1].Action, entries[1].Principal, entries[1].Status, entries[1].ErrorCode));

        using var http = new HttpClient();
        var log = JsonNode.Parse(await http.GetStringAsync(new Uri(_server.BaseUri, "_test/log")))!.AsArray();
        Assert.Equal("eks:DescribeCluster", (string?)log[0]!["action"]);
        Assert.Equal(TestScenario.AdminKey, (string?)log[0]!["accessKeyId"]);
        await http.DeleteAsync(new Uri(_server.BaseUri, "_test/log"));
        Assert.Empty(_server.RequestLog);
    }

    [Fact]
    public async Task ConcurrentCallsAcrossServicesAllSucceed()
    {
        var calls = Enumerable.Range(0, 40).Select(i => (i % 4) switch
        {
            0 => Client.Eks("GET", "/clusters/{name}", new() { ["{name}"] = i % 8 == 0 ? "prod" : "c01" }),
            1 => Client.Query("iam", "GetRole", ("RoleName", "eks-cluster-role")),
            2 => Client.Query("ec2", "DescribeInstances", ("Filter.1.Name", "tag:eks:cluster-name"), ("Filter.1.Value.1", "prod")),
            _ => Client.Kms("DescribeKey", """{"KeyId":"alias/eks-prod"}"""),
        });
        var responses = await Task.WhenAll(calls);
        Assert.All(responses, r => Assert.True(r.Status == 200, r.ToString()));
        Assert.Equal(40, _server.RequestLog.Count(e => e.Status == 200));
    }

    [Fact]
    public void ConsoleEntryPointValidatesArguments()
    {
        Assert.Equal(2, Program.Main(new[] { "--bogus" }));
        Assert.Equal(2, Program.Main(Array.Empty<string>()));
    }
}
