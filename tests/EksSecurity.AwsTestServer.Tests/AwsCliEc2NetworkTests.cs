using System.Text.Json.Nodes;

namespace EksSecurity.AwsTestServer.Tests;

/// <summary>The scenario with a VPC's route tables, flow logs, endpoints and the account's IMDS defaults, route tables paged one at a time.</summary>
public sealed class NetworkServerFixture : IDisposable
{
    public const string Vpc = "vpc-0abc";

    public static JsonObject Ec2Network() => JsonNode.Parse($$"""
        {
          "routeTables": [
            { "RouteTableId": "rtb-0main", "VpcId": "{{Vpc}}",
              "Associations": [ { "Main": true, "RouteTableAssociationId": "rtbassoc-0main", "RouteTableId": "rtb-0main", "AssociationState": { "State": "associated" } } ],
              "Routes": [ { "DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active" },
                          { "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-0abc", "Origin": "CreateRoute", "State": "active" } ],
              "Tags": [ { "Key": "Name", "Value": "private" } ] },
            { "RouteTableId": "rtb-0public", "VpcId": "{{Vpc}}",
              "Associations": [ { "Main": false, "RouteTableAssociationId": "rtbassoc-0public", "RouteTableId": "rtb-0public", "SubnetId": "subnet-0a1b2c3d",
                                  "AssociationState": { "State": "associated" } } ],
              "Routes": [ { "DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active" },
                          { "DestinationIpv6CidrBlock": "::/0", "GatewayId": "igw-0abc", "Origin": "CreateRoute", "State": "blackhole" } ],
              "Tags": [] },
            { "RouteTableId": "rtb-0elsewhere", "VpcId": "vpc-0other", "Associations": [], "Routes": [], "Tags": [] }
          ],
          "flowLogs": [
            { "FlowLogId": "fl-0vpc", "FlowLogStatus": "ACTIVE", "ResourceId": "{{Vpc}}", "TrafficType": "ALL", "LogDestinationType": "cloud-watch-logs",
              "LogGroupName": "/vpc/flow", "DeliverLogsStatus": "SUCCESS", "CreationTime": "2024-03-01T10:05:00Z", "MaxAggregationInterval": 600,
              "DeliverLogsPermissionArn": "arn:aws:iam::{{TestScenario.Account}}:role/flow-logs", "Tags": [ { "Key": "team", "Value": "net" } ] },
            { "FlowLogId": "fl-0subnet", "FlowLogStatus": "ACTIVE", "ResourceId": "subnet-0a1b2c3d", "TrafficType": "REJECT", "LogDestinationType": "s3",
              "LogDestination": "arn:aws:s3:::flow-bucket", "DeliverLogsStatus": "FAILED", "DeliverLogsErrorMessage": "Access error",
              "CreationTime": "2024-03-02T10:05:00Z", "MaxAggregationInterval": 60, "Tags": [] }
          ],
          "vpcEndpoints": [
            { "VpcEndpointId": "vpce-0s3", "VpcEndpointType": "Gateway", "VpcId": "{{Vpc}}", "ServiceName": "com.amazonaws.{{TestScenario.Region}}.s3", "State": "available",
              "RouteTableIds": ["rtb-0main"], "SubnetIds": [], "Groups": [], "PrivateDnsEnabled": false, "RequesterManaged": false,
              "NetworkInterfaceIds": [], "DnsEntries": [], "CreationTimestamp": "2024-03-01T10:00:00Z", "Tags": [],
              "PolicyDocument": "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}" },
            { "VpcEndpointId": "vpce-0ecrapi", "VpcEndpointType": "Interface", "VpcId": "{{Vpc}}", "ServiceName": "com.amazonaws.{{TestScenario.Region}}.ecr.api",
              "State": "available", "RouteTableIds": [], "SubnetIds": ["subnet-0a1b2c3d"], "Groups": [ { "GroupId": "sg-0cluster", "GroupName": "eks-cluster-sg-prod" } ],
              "PrivateDnsEnabled": true, "RequesterManaged": false, "NetworkInterfaceIds": ["eni-0ecrapi"], "DnsEntries": [],
              "CreationTimestamp": "2024-03-01T10:00:00Z", "Tags": [] }
          ],
          "instanceMetadataDefaults": { "HttpTokens": "required", "HttpPutResponseHopLimit": 1, "HttpEndpoint": "enabled", "InstanceMetadataTags": "disabled",
            "ManagedBy": "account", "HttpTokensEnforced": "enabled" }
        }
        """)!.AsObject();

    public NetworkServerFixture() => Server = TestScenario.StartServer(root =>
    {
        var ec2 = root["accounts"]![TestScenario.Account]!["ec2"]!.AsObject();
        foreach (var (key, value) in Ec2Network()) ec2[key] = value!.DeepClone();
        root["pageSizes"]!["ec2:DescribeRouteTables"] = 1;
    });

    public AwsTestServer Server { get; }
    public void Dispose() => Server.Dispose();
}

/// <summary>The real aws CLI against the server: the EC2 network calls (route tables, flow logs, VPC endpoints) and the account's IMDS defaults.</summary>
public class AwsCliEc2NetworkTests(NetworkServerFixture fixture) : IClassFixture<NetworkServerFixture>
{
    private readonly AwsCli _cli = new(fixture.Server.BaseUri);
    private static JsonArray Scenario(string collection) => NetworkServerFixture.Ec2Network()[collection]!.AsArray();
    private static readonly HashSet<string> s_owner = ["OwnerId"];

    [Fact]
    public void DescribeRouteTablesOfAVpcAcrossPages()
    {
        fixture.Server.ClearLog();
        var result = _cli.Run("ec2", "describe-route-tables", "--filters", $"Name=vpc-id,Values={NetworkServerFixture.Vpc}");
        Assert.True(result.ExitCode == 0, result.ToString());
        var tables = result.Json["RouteTables"]!.AsArray();
        Assert.Equal(2, tables.Count);
        for (var i = 0; i < 2; i++) JsonAssert.Equivalent(Scenario("routeTables")[i], tables[i], allowedExtra: s_owner);
        Assert.Equal(TestScenario.Account, (string?)tables[0]!["OwnerId"]);
        Assert.Equal(2, fixture.Server.RequestLog.Count(e => e.Action == "ec2:DescribeRouteTables")); // page size 1 forced by the scenario

        var bySubnet = _cli.Run("ec2", "describe-route-tables", "--filters", "Name=association.subnet-id,Values=subnet-0a1b2c3d");
        Assert.Equal(["rtb-0public"], bySubnet.Json["RouteTables"]!.AsArray().Select(t => (string)t!["RouteTableId"]!));
        var missing = _cli.Run("ec2", "describe-route-tables", "--route-table-ids", "rtb-0nothere");
        Assert.Contains("An error occurred (InvalidRouteTableID.NotFound) when calling the DescribeRouteTables operation: The routeTable ID 'rtb-0nothere' does not exist", missing.Stderr);
    }

    [Fact]
    public void DescribeFlowLogsByResourceWithTheSingularFilterMember()
    {
        var result = _cli.Run("ec2", "describe-flow-logs", "--filter", $"Name=resource-id,Values={NetworkServerFixture.Vpc},subnet-0a1b2c3d");
        Assert.True(result.ExitCode == 0, result.ToString());
        var logs = result.Json["FlowLogs"]!.AsArray();
        Assert.Equal(2, logs.Count);
        for (var i = 0; i < 2; i++) JsonAssert.Equivalent(Scenario("flowLogs")[i], logs[i]);

        var rejected = _cli.Run("ec2", "describe-flow-logs", "--filter", "Name=traffic-type,Values=REJECT", "Name=deliver-log-status,Values=FAILED");
        Assert.Equal(["fl-0subnet"], rejected.Json["FlowLogs"]!.AsArray().Select(l => (string)l!["FlowLogId"]!));
        var unknown = _cli.Run("ec2", "describe-flow-logs", "--flow-log-ids", "fl-0nothere");
        Assert.True(unknown.ExitCode == 0, unknown.ToString());
        Assert.Empty(unknown.Json["FlowLogs"]!.AsArray());
    }

    [Fact]
    public void DescribeVpcEndpointsOfAVpcByService()
    {
        var result = _cli.Run("ec2", "describe-vpc-endpoints", "--filters", $"Name=vpc-id,Values={NetworkServerFixture.Vpc}");
        Assert.True(result.ExitCode == 0, result.ToString());
        var endpoints = result.Json["VpcEndpoints"]!.AsArray();
        Assert.Equal(2, endpoints.Count);
        for (var i = 0; i < 2; i++) JsonAssert.Equivalent(Scenario("vpcEndpoints")[i], endpoints[i], allowedExtra: s_owner);

        var s3 = _cli.Run("ec2", "describe-vpc-endpoints", "--filters", $"Name=service-name,Values=com.amazonaws.{TestScenario.Region}.s3", "Name=vpc-endpoint-type,Values=Gateway");
        Assert.Equal(["vpce-0s3"], s3.Json["VpcEndpoints"]!.AsArray().Select(e => (string)e!["VpcEndpointId"]!));
        var missing = _cli.Run("ec2", "describe-vpc-endpoints", "--vpc-endpoint-ids", "vpce-0nothere");
        Assert.Contains("An error occurred (InvalidVpcEndpointId.NotFound) when calling the DescribeVpcEndpoints operation", missing.Stderr);
    }

    [Fact]
    public void GetInstanceMetadataDefaultsReturnsTheAccountLevel()
    {
        var result = _cli.Run("ec2", "get-instance-metadata-defaults");
        Assert.True(result.ExitCode == 0, result.ToString());
        JsonAssert.Equivalent(NetworkServerFixture.Ec2Network()["instanceMetadataDefaults"], result.Json["AccountLevel"]);
    }

    [Fact]
    public void GetInstanceMetadataDefaultsOfAnAccountThatSetNothing()
    {
        using var server = TestScenario.StartServer();
        var result = new AwsCli(server.BaseUri).Run("ec2", "get-instance-metadata-defaults");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Json["AccountLevel"] is null or JsonObject { Count: 0 }, result.Stdout);
    }
}
