using System.IO.Compression;
using System.Text.Json.Nodes;
using EksSecurity.AwsTestServer.Protocols;

namespace EksSecurity.AwsTestServer.Tests;

/// <summary>
/// The service models are read at run time from their official sources (shared/aws-models and the
/// aws CLI's botocore), never from a copy kept in this project.
/// </summary>
public class ModelSourceTests
{
    [Fact]
    public void EksAndIamComeFromSharedAwsModelsBesideTheRepository()
    {
        var shared = ModelSources.SharedModelsDirectory;
        Assert.Equal("aws-models", Path.GetFileName(shared));
        Assert.Equal("shared", Path.GetFileName(Path.GetDirectoryName(shared)));
        Assert.True(File.Exists(Path.Combine(shared, "eks", "service-2.json")), shared);
        Assert.True(File.Exists(Path.Combine(shared, "iam", "service-2.json")), shared);
        // shared/ sits beside the clone that holds the solution.
        var repo = ModelSources.FindRepository(AppContext.BaseDirectory) ?? ModelSources.FindRepository(Directory.GetCurrentDirectory());
        if (repo is not null) Assert.Equal(Path.GetFullPath(Path.Combine(repo, "..", "shared", "aws-models")), shared);
    }

    [Fact]
    public void Ec2KmsStsAndSsmComeFromTheAwsClisBotocore()
    {
        var data = ModelSources.BotocoreDataDirectory;
        Assert.Equal("data", Path.GetFileName(data));
        Assert.Equal("botocore", Path.GetFileName(Path.GetDirectoryName(data)));
        foreach (var (service, version) in new[] { ("ec2", "2016-11-15"), ("kms", "2014-11-01"), ("sts", "2011-06-15"), ("ssm", "2014-11-06") })
        {
            var folder = Path.Combine(data, service, version);
            Assert.True(File.Exists(Path.Combine(folder, "service-2.json")) || File.Exists(Path.Combine(folder, "service-2.json.gz")), folder);
        }
    }

    [Fact]
    public void NoModelDataShipsWithTheServer()
    {
        Assert.Empty(typeof(AwsTestServer).Assembly.GetManifestResourceNames().Where(n => n.Contains("model", StringComparison.OrdinalIgnoreCase)));
        var project = Path.GetDirectoryName(typeof(ModelSources).Assembly.Location)!;
        Assert.False(File.Exists(Path.Combine(project, "aws-models.json")));
    }

    [Fact]
    public void EveryModelOffersExactlyTheOperationsItsHandlersImplement()
    {
        foreach (var (service, operations) in AwsModels.ImplementedOperations)
            Assert.Equal(operations.Order(StringComparer.Ordinal), AwsModels.All[service].Operations.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("json", AwsModels.Ssm.Protocol);
        Assert.Equal("AmazonSSM", AwsModels.Ssm.TargetPrefix);
        Assert.Equal("/addons/supported-versions", AwsModels.Eks.Operations["DescribeAddonVersions"].RequestUri);
        // Trimmed: the shapes the operations reach, not the whole EC2 model.
        Assert.True(AwsModels.Ec2.HasShape("DescribeInstancesResult"));
        Assert.False(AwsModels.Ec2.HasShape("RunInstancesRequest"));
    }

    [Fact]
    public void LoadsPlainAndGzippedModelsAndTrimsThem()
    {
        var model = """
            { "metadata": { "apiVersion": "2020-01-01", "protocol": "json", "targetPrefix": "Demo", "documentation": "dropped" },
              "operations": {
                "GetThing": { "name": "GetThing", "http": { "method": "POST", "requestUri": "/" }, "input": { "shape": "GetThingRequest" },
                              "output": { "shape": "GetThingResponse" }, "errors": [ { "shape": "NotFound" } ], "documentation": "dropped" },
                "PutThing": { "name": "PutThing", "input": { "shape": "PutThingRequest" } } },
              "shapes": {
                "GetThingRequest": { "type": "structure", "members": { "Id": { "shape": "String", "documentation": "x" } } },
                "GetThingResponse": { "type": "structure", "members": { "Things": { "shape": "ThingList" }, "B": { "shape": "String" }, "A": { "shape": "String" } } },
                "ThingList": { "type": "list", "member": { "shape": "String" } },
                "NotFound": { "type": "structure", "members": {}, "exception": true },
                "PutThingRequest": { "type": "structure", "members": {} },
                "String": { "type": "string", "documentation": "dropped" } } }
            """;
        var paginators = """{ "pagination": { "GetThing": { "input_token": "NextToken", "output_token": "NextToken", "result_key": "Things" } } }""";
        var dir = Directory.CreateTempSubdirectory("models-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "paginators-1.json"), paginators);
            using (var gz = new GZipStream(File.Create(Path.Combine(dir.FullName, "service-2.json.gz")), CompressionLevel.Fastest))
                gz.Write(System.Text.Encoding.UTF8.GetBytes(model));
            var trimmed = ModelSources.LoadTrimmed("demo", dir.FullName, ["GetThing"]);
            Assert.Equal(["GetThing"], trimmed["operations"]!.AsObject().Select(kv => kv.Key));
            Assert.Equal("Things", (string?)trimmed["operations"]!["GetThing"]!["paginator"]!["result_key"]);
            Assert.Null(trimmed["operations"]!["GetThing"]!["documentation"]);
            Assert.Null(trimmed["metadata"]!["documentation"]);
            Assert.Equal(["GetThingRequest", "GetThingResponse", "NotFound", "String", "ThingList"], trimmed["shapes"]!.AsObject().Select(kv => kv.Key));
            Assert.Equal(["Things", "B", "A"], trimmed["shapes"]!["GetThingResponse"]!["members"]!.AsObject().Select(kv => kv.Key));
            Assert.Null(trimmed["shapes"]!["String"]!["documentation"]);
            Assert.Null(trimmed["shapes"]!["GetThingRequest"]!["members"]!["Id"]!["documentation"]);

            // The same model as plain JSON reads the same.
            File.Delete(Path.Combine(dir.FullName, "service-2.json.gz"));
            File.WriteAllText(Path.Combine(dir.FullName, "service-2.json"), model);
            Assert.True(JsonNode.DeepEquals(trimmed, ModelSources.LoadTrimmed("demo", dir.FullName, ["GetThing"])));

            var missing = Assert.Throws<InvalidOperationException>(() => ModelSources.LoadTrimmed("demo", dir.FullName, ["DeleteThing"]));
            Assert.Contains("no operation DeleteThing", missing.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("#!/usr/bin/python3\nimport sys", "/usr/bin/python3")]
    [InlineData("#!/usr/bin/env python3\n", "python3")]
    [InlineData("#! /usr/bin/env -S python3.11 -E\n", "python3.11")]
    [InlineData("#!/usr/bin/env bash\nexec pyenv", null)]
    [InlineData("ELF", null)]
    public void FindsThePythonTheAwsScriptRunsWith(string firstBytes, string? expected)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, firstBytes);
            Assert.Equal(expected, ModelSources.Shebang(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>The SSM, EKS add-on version and EBS calls the collector makes, and the signing scope in the log.</summary>
public class SsmAndAddonVersionTests
{
    private const string Release = "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/release_version";

    private static AwsTestServer Start() => TestScenario.StartServer(root =>
    {
        root["ssm"] = JsonNode.Parse($$"""
            { "parameters": [ { "Name": "{{Release}}", "Value": "1.33.0-20250715", "Version": 12, "LastModifiedDate": "2025-07-16T00:00:00Z" } ] }
            """);
        root["accounts"]![TestScenario.Account]!["ssm"] = JsonNode.Parse("""{ "parameters": [ { "Name": "/team/own", "Value": "x", "Type": "SecureString" } ] }""");
        root["eks"] = JsonNode.Parse("""
            { "addonVersions": [
                { "addonName": "vpc-cni", "type": "networking", "publisher": "eks", "owner": "aws",
                  "addonVersions": [
                    { "addonVersion": "v1.19.2-eksbuild.1", "architecture": ["amd64", "arm64"],
                      "compatibilities": [ { "clusterVersion": "1.33", "platformVersions": ["*"], "defaultVersion": true },
                                           { "clusterVersion": "1.32", "platformVersions": ["*"], "defaultVersion": false } ] },
                    { "addonVersion": "v1.15.0-eksbuild.2", "architecture": ["amd64"],
                      "compatibilities": [ { "clusterVersion": "1.29", "platformVersions": ["*"], "defaultVersion": true } ] } ] },
                { "addonName": "coredns", "type": "networking", "publisher": "eks", "owner": "aws",
                  "addonVersions": [ { "addonVersion": "v1.11.4-eksbuild.2", "compatibilities": [ { "clusterVersion": "1.33", "defaultVersion": true } ] } ] } ] }
            """);
    });

    [Fact]
    public async Task GetParameterServesPublicAndAccountParameters()
    {
        using var server = Start();
        var client = new SignedClient(server);
        var found = await client.Ssm("GetParameter", $$"""{"Name":"{{Release}}"}""");
        Assert.Equal(200, found.Status);
        Assert.Equal("application/x-amz-json-1.1", found.Message.Content.Headers.ContentType!.MediaType);
        var p = found.Json["Parameter"]!;
        Assert.Equal("1.33.0-20250715", (string?)p["Value"]);
        Assert.Equal(12, (int)p["Version"]!);
        Assert.Equal("String", (string?)p["Type"]);
        Assert.Equal(1752624000, (long)p["LastModifiedDate"]!);
        Assert.Equal($"arn:aws:ssm:{TestScenario.Region}::parameter{Release}", (string?)p["ARN"]);
        Assert.Equal("SecureString", (string?)(await client.Ssm("GetParameter", """{"Name":"/team/own"}""")).Json["Parameter"]!["Type"]);

        var missing = await client.Ssm("GetParameter", """{"Name":"/aws/service/nope"}""");
        Assert.Equal(400, missing.Status);
        Assert.Equal("ParameterNotFound", (string?)missing.Json["__type"]);

        var several = await client.Ssm("GetParameters", $$"""{"Names":["{{Release}}","/nope"]}""");
        Assert.Equal(["/nope"], several.Json["InvalidParameters"]!.AsArray().Select(n => (string)n!));

        var denied = await new SignedClient(server, TestScenario.AuditorKey, TestScenario.AuditorSecret).Ssm("GetParameter", $$"""{"Name":"{{Release}}"}""");
        Assert.Equal(400, denied.Status);
        Assert.Equal("AccessDeniedException", (string?)denied.Json["__type"]);
        Assert.Contains("ssm:GetParameter", (string?)denied.Json["message"]);
    }

    [Fact]
    public async Task DescribeAddonVersionsFiltersByNameAndKubernetesVersion()
    {
        using var server = Start();
        var client = new SignedClient(server);
        var response = await client.Eks("GET", "/addons/supported-versions", query: new() { ["addonName"] = "vpc-cni", ["kubernetesVersion"] = "1.33" });
        Assert.Equal(200, response.Status);
        var addons = response.Json["addons"]!.AsArray();
        var addon = Assert.Single(addons)!;
        Assert.Equal("vpc-cni", (string?)addon["addonName"]);
        var version = Assert.Single(addon["addonVersions"]!.AsArray())!;
        Assert.Equal("v1.19.2-eksbuild.1", (string?)version["addonVersion"]);
        Assert.True((bool)version["compatibilities"]![0]!["defaultVersion"]!);
        Assert.Equal("1.33", (string?)Assert.Single(version["compatibilities"]!.AsArray())!["clusterVersion"]);

        var all = await client.Eks("GET", "/addons/supported-versions", query: new() { ["kubernetesVersion"] = "1.33" });
        Assert.Equal(["vpc-cni", "coredns"], all.Json["addons"]!.AsArray().Select(a => (string)a!["addonName"]!));
        var none = await client.Eks("GET", "/addons/supported-versions", query: new() { ["kubernetesVersion"] = "1.20" });
        Assert.Empty(none.Json["addons"]!.AsArray());
    }

    [Fact]
    public async Task EbsVolumesAndEncryptionByDefault()
    {
        using var server = TestScenario.StartServer(root =>
        {
            var ec2 = root["accounts"]![TestScenario.Account]!["ec2"]!.AsObject();
            ec2["ebsEncryptionByDefault"] = true;
            ec2["volumes"] = JsonNode.Parse("""
                [ { "VolumeId": "vol-01", "Size": 20, "VolumeType": "gp3", "State": "in-use", "Encrypted": true, "KmsKeyId": "arn:aws:kms:us-west-2:111122223333:key/k",
                    "AvailabilityZone": "us-west-2a", "CreateTime": "2025-01-01T00:00:00Z", "Attachments": [ { "InstanceId": "i-0123456789abcdef0", "State": "attached" } ] },
                  { "VolumeId": "vol-02", "Size": 8, "VolumeType": "gp2", "State": "available", "Encrypted": false, "AvailabilityZone": "us-west-2a" } ]
                """);
        });
        var client = new SignedClient(server);
        var ns = System.Xml.Linq.XNamespace.Get("http://ec2.amazonaws.com/doc/2016-11-15/");
        var byDefault = await client.Query("ec2", "GetEbsEncryptionByDefault");
        Assert.Equal(200, byDefault.Status);
        Assert.Equal("true", byDefault.Xml.Root!.Element(ns + "ebsEncryptionByDefault")!.Value);

        var one = await client.Query("ec2", "DescribeVolumes", ("VolumeId.1", "vol-01"));
        Assert.Equal(200, one.Status);
        var item = one.Xml.Root!.Element(ns + "volumeSet")!.Elements(ns + "item").Single();
        Assert.Equal(("vol-01", "true", "in-use"), (item.Element(ns + "volumeId")!.Value, item.Element(ns + "encrypted")!.Value, item.Element(ns + "status")!.Value));
        Assert.Equal("i-0123456789abcdef0", item.Element(ns + "attachmentSet")!.Element(ns + "item")!.Element(ns + "instanceId")!.Value);

        var unencrypted = await client.Query("ec2", "DescribeVolumes", ("Filter.1.Name", "encrypted"), ("Filter.1.Value.1", "false"));
        Assert.Equal(["vol-02"], unencrypted.Xml.Descendants(ns + "volumeId").Select(e => e.Value));
        var missing = await client.Query("ec2", "DescribeVolumes", ("VolumeId.1", "vol-09"));
        Assert.Equal(400, missing.Status);
        Assert.Equal("InvalidVolume.NotFound", missing.Xml.Descendants("Code").Single().Value);
    }

    [Fact]
    public async Task TheLogRecordsTheCredentialScopeAndResourceOfEachCall()
    {
        using var server = Start();
        var client = new SignedClient(server);
        await client.Query("iam", "GetRole", ("RoleName", "admins"));
        await client.Eks("GET", "/clusters/{name}", new() { ["{name}"] = "prod" });
        await client.Ssm("GetParameter", $$"""{"Name":"{{Release}}"}""");
        var log = server.RequestLog;
        Assert.Equal(("us-east-1", "iam"), log.Single(e => e.Action == "iam:GetRole") is var r ? (r.SigningRegion, r.SigningService) : default);
        Assert.Equal((TestScenario.Region, "eks"), log.Single(e => e.Action == "eks:DescribeCluster") is var d ? (d.SigningRegion, d.SigningService) : default);
        Assert.Equal((TestScenario.Region, "ssm"), log.Single(e => e.Action == "ssm:GetParameter") is var s ? (s.SigningRegion, s.SigningService) : default);
        // ...and the resource each call named.
        Assert.Equal("role admins", log.Single(e => e.Action == "iam:GetRole").Resource);
        Assert.Equal($"arn:aws:eks:{TestScenario.Region}:{TestScenario.Account}:cluster/prod", log.Single(e => e.Action == "eks:DescribeCluster").Resource);
        Assert.Equal($"arn:aws:ssm:{TestScenario.Region}::parameter{Release}", log.Single(e => e.Action == "ssm:GetParameter").Resource);
    }
}

/// <summary>The real aws CLI against the new operations.</summary>
public class AwsCliSsmAndAddonTests
{
    [Fact]
    public void SsmGetParameterAndEksDescribeAddonVersions()
    {
        using var server = TestScenario.StartServer(root =>
        {
            root["ssm"] = JsonNode.Parse("""{ "parameters": [ { "Name": "/aws/service/eks/optimized-ami/1.33/amazon-linux-2/recommended/release_version", "Value": "1.33.0-20250715" } ] }""");
            root["eks"] = JsonNode.Parse("""{ "addonVersions": [ { "addonName": "kube-proxy", "addonVersions": [ { "addonVersion": "v1.33.0-eksbuild.2", "compatibilities": [ { "clusterVersion": "1.33", "defaultVersion": true } ] } ] } ] }""");
        });
        var cli = new AwsCli(server.BaseUri);
        var parameter = cli.Run("ssm", "get-parameter", "--name", "/aws/service/eks/optimized-ami/1.33/amazon-linux-2/recommended/release_version");
        Assert.True(parameter.ExitCode == 0, parameter.ToString());
        Assert.Equal("1.33.0-20250715", (string?)parameter.Json["Parameter"]!["Value"]);
        var missing = cli.Run("ssm", "get-parameter", "--name", "/aws/service/none");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("ParameterNotFound", missing.Stderr);
        var versions = cli.Run("eks", "describe-addon-versions", "--addon-name", "kube-proxy", "--kubernetes-version", "1.33");
        Assert.True(versions.ExitCode == 0, versions.ToString());
        Assert.Equal("v1.33.0-eksbuild.2", (string?)versions.Json["addons"]![0]!["addonVersions"]![0]!["addonVersion"]);
    }
}
