using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

/// <summary>
/// One flow log of ec2:DescribeFlowLogs, with the PascalCase names `aws ec2 describe-flow-logs` prints; only the
/// fields rules read. Collected for the cluster's VPC and its node subnets.
/// </summary>
public sealed class Ec2FlowLog
{
    [JsonPropertyName("FlowLogId")] public string? FlowLogId { get; set; }
    /// <summary>ACTIVE when it is publishing.</summary>
    [JsonPropertyName("FlowLogStatus")] public string? FlowLogStatus { get; set; }
    /// <summary>The VPC, subnet or network interface whose traffic it records.</summary>
    [JsonPropertyName("ResourceId")] public string? ResourceId { get; set; }
    /// <summary>ACCEPT, REJECT or ALL.</summary>
    [JsonPropertyName("TrafficType")] public string? TrafficType { get; set; }
    /// <summary>cloud-watch-logs, s3 or kinesis-data-firehose.</summary>
    [JsonPropertyName("LogDestinationType")] public string? LogDestinationType { get; set; }
    [JsonPropertyName("LogDestination")] public string? LogDestination { get; set; }
    [JsonPropertyName("LogGroupName")] public string? LogGroupName { get; set; }
    /// <summary>SUCCESS or FAILED: whether records reach the destination.</summary>
    [JsonPropertyName("DeliverLogsStatus")] public string? DeliverLogsStatus { get; set; }
    [JsonPropertyName("DeliverLogsErrorMessage")] public string? DeliverLogsErrorMessage { get; set; }
    [JsonPropertyName("CreationTime"), JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? CreationTime { get; set; }
    [JsonPropertyName("MaxAggregationInterval")] public int? MaxAggregationInterval { get; set; }
    [JsonPropertyName("Tags")] public List<Ec2Tag>? Tags { get; set; }
}
