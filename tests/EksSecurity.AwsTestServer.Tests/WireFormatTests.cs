using System.Text;
using System.Text.Json.Nodes;
using System.Xml;
using EksSecurity.AwsTestServer.Protocols;

namespace EksSecurity.AwsTestServer.Tests;

/// <summary>The model-driven serializers and parsers, and the shipped sample scenario.</summary>
public class WireFormatTests
{
    [Fact]
    public void Ec2QueryInputWithNestedFilterListsAndIdLists()
    {
        var flat = new Dictionary<string, string>
        {
            ["Action"] = "DescribeInstances", ["Filter.1.Name"] = "tag:env", ["Filter.1.Value.1"] = "prod", ["Filter.1.Value.2"] = "dev",
            ["Filter.2.Name"] = "instance-state-name", ["Filter.2.Value.1"] = "running", ["InstanceId.1"] = "i-1", ["InstanceId.2"] = "i-2",
            ["MaxResults"] = "5",
        };
        var model = AwsModels.Ec2;
        var input = WireFormat.ReadQueryInput(model, model.Operations["DescribeInstances"].InputShape, flat, ec2: true);
        Assert.Equal("""[{"Name":"tag:env","Values":["prod","dev"]},{"Name":"instance-state-name","Values":["running"]}]""", input["Filters"]!.ToJsonString());
        Assert.Equal("""["i-1","i-2"]""", input["InstanceIds"]!.ToJsonString());
        Assert.Equal(5, (long)input["MaxResults"]!);
        Assert.Equal(3, input.Count);
    }

    [Fact]
    public void QueryInputWithMemberLists()
    {
        var flat = new Dictionary<string, string>
        {
            ["RoleArn"] = "arn:aws:iam::1:role/r", ["RoleSessionName"] = "s", ["PolicyArns.member.1.arn"] = "arn:aws:iam::aws:policy/A",
            ["Tags.member.1.Key"] = "k", ["Tags.member.1.Value"] = "v", ["DurationSeconds"] = "900",
        };
        var model = AwsModels.Sts;
        var input = WireFormat.ReadQueryInput(model, model.Operations["AssumeRole"].InputShape, flat, ec2: false);
        Assert.Equal("arn:aws:iam::aws:policy/A", (string?)input["PolicyArns"]![0]!["arn"]);
        Assert.Equal("v", (string?)input["Tags"]![0]!["Value"]);
        Assert.Equal(900, (long)input["DurationSeconds"]!);
    }

    [Fact]
    public void JsonOutputKeepsModelMembersOnlyAndWritesEpochSeconds()
    {
        var cluster = JsonNode.Parse("""{"name":"a","createdAt":"2024-03-01T10:00:00.5Z","nodegroups":[{"x":1}],"tags":{"k":"v"},"unknown":true}""");
        var wire = WireFormat.ToWireJson(AwsModels.Eks, cluster, "Cluster")!;
        Assert.Equal("""{"name":"a","createdAt":1709287200.5,"tags":{"k":"v"}}""", wire.ToJsonString());
    }

    [Fact]
    public void QueryXmlWritesMapsAsEntriesAndUrlEncodesIamDocuments()
    {
        var op = AwsModels.Iam.Operations["GetAccountSummary"];
        var xml = Encoding.UTF8.GetString(WireFormat.QueryResponse(AwsModels.Iam, op, new JsonObject { ["SummaryMap"] = new JsonObject { ["Users"] = 3 } }, "rid"));
        var doc = new XmlDocument();
        doc.LoadXml(xml);
        var ns = new XmlNamespaceManager(doc.NameTable);
        ns.AddNamespace("i", "https://iam.amazonaws.com/doc/2010-05-08/");
        Assert.Equal("3", doc.SelectSingleNode("/i:GetAccountSummaryResponse/i:GetAccountSummaryResult/i:SummaryMap/i:entry[i:key='Users']/i:value", ns)!.InnerText);
        Assert.Equal("rid", doc.SelectSingleNode("//i:ResponseMetadata/i:RequestId", ns)!.InnerText);

        var role = WireFormat.QueryResponse(AwsModels.Iam, AwsModels.Iam.Operations["GetRole"],
            new JsonObject { ["Role"] = new JsonObject { ["RoleName"] = "r", ["AssumeRolePolicyDocument"] = new JsonObject { ["Version"] = "2012-10-17" } } }, "rid");
        Assert.Contains("<AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22%7D</AssumeRolePolicyDocument>", Encoding.UTF8.GetString(role));
    }

    [Fact]
    public void ModelsCarryEveryImplementedOperation()
    {
        Assert.Equal(17, AwsModels.Eks.Operations.Count);
        Assert.Equal("rest-json", AwsModels.Eks.Protocol);
        Assert.Equal("query", AwsModels.Iam.Protocol);
        Assert.Equal("ec2", AwsModels.Ec2.Protocol);
        Assert.Equal("TrentService", AwsModels.Kms.TargetPrefix);
        Assert.Equal("GetRoleResult", AwsModels.Iam.Operations["GetRole"].ResultWrapper);
        Assert.Equal("nextToken", (string?)AwsModels.Eks.Operations["ListClusters"].Paginator!["output_token"]);
    }

    [Fact]
    public async Task SampleScenarioServes()
    {
        using var server = AwsTestServer.FromFile(Path.Combine(AppContext.BaseDirectory, "scenarios", "sample.json"));
        server.Start();
        var client = new SignedClient(server, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        var cluster = await client.Eks("GET", "/clusters/{name}", new() { ["{name}"] = "prod" });
        Assert.Equal(200, cluster.Status);
        Assert.Equal("API_AND_CONFIG_MAP", (string?)cluster.Json["cluster"]!["accessConfig"]!["authenticationMode"]);
        var auditor = new SignedClient(server, "AKIAREADONLYEXAMPLE1", "readonly-secret-key-example-000000000000");
        Assert.Equal(403, (await auditor.Query("ec2", "DescribeInstances")).Status);
    }
}
