using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

/// <summary>
/// One VPC endpoint of ec2:DescribeVpcEndpoints, with the PascalCase names `aws ec2 describe-vpc-endpoints` prints;
/// only the fields rules read. Collected for the cluster's VPC.
/// </summary>
public sealed class Ec2VpcEndpoint
{
    [JsonPropertyName("VpcEndpointId")] public string? VpcEndpointId { get; set; }
    /// <summary>Interface, Gateway, GatewayLoadBalancer, Resource or ServiceNetwork.</summary>
    [JsonPropertyName("VpcEndpointType")] public string? VpcEndpointType { get; set; }
    [JsonPropertyName("VpcId")] public string? VpcId { get; set; }
    /// <summary>com.amazonaws.&lt;region&gt;.&lt;service&gt; for AWS services (cn.com.amazonaws… in China).</summary>
    [JsonPropertyName("ServiceName")] public string? ServiceName { get; set; }
    /// <summary>available when it serves traffic; pendingAcceptance, pending, deleting, deleted, rejected, failed otherwise.</summary>
    [JsonPropertyName("State")] public string? State { get; set; }
    /// <summary>The endpoint policy (JSON text); full access when AWS wrote the default one.</summary>
    [JsonPropertyName("PolicyDocument")] public string? PolicyDocument { get; set; }
    /// <summary>Gateway endpoints: the route tables that send the service's prefix list to it.</summary>
    [JsonPropertyName("RouteTableIds")] public List<string>? RouteTableIds { get; set; }
    /// <summary>Interface endpoints: the subnets holding its network interfaces.</summary>
    [JsonPropertyName("SubnetIds")] public List<string>? SubnetIds { get; set; }
    [JsonPropertyName("Groups")] public List<Ec2GroupIdentifier>? Groups { get; set; }
    /// <summary>Interface endpoints: true when the service's default DNS name resolves to the endpoint inside the VPC.</summary>
    [JsonPropertyName("PrivateDnsEnabled")] public bool? PrivateDnsEnabled { get; set; }
    [JsonPropertyName("OwnerId")] public string? OwnerId { get; set; }
    [JsonPropertyName("CreationTimestamp"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? CreationTimestamp { get; set; }
    [JsonPropertyName("Tags")] public List<Ec2Tag>? Tags { get; set; }
}
