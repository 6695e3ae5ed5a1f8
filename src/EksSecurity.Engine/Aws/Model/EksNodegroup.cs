using System.Text.Json.Serialization;

namespace EksSecurity.Engine.Aws.Model;

// Shapes of eks:DescribeNodegroup (aws-models/eks, shape Nodegroup), with the wire's member names,
// so each "nodegroup" object of `aws eks describe-nodegroup` output is a valid snapshot item.

public sealed class EksNodegroup
{
    public string? NodegroupName { get; set; }
    public string? NodegroupArn { get; set; }
    public string? ClusterName { get; set; }
    public string? Version { get; set; }
    public string? ReleaseVersion { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? CreatedAt { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? ModifiedAt { get; set; }
    public string? Status { get; set; }
    /// <summary>ON_DEMAND, SPOT or CAPACITY_BLOCK.</summary>
    public string? CapacityType { get; set; }
    public EksNodegroupScalingConfig? ScalingConfig { get; set; }
    public List<string>? InstanceTypes { get; set; }
    public List<string>? Subnets { get; set; }
    /// <summary>Null when the node group was created with a launch template (SSH access is then set there).</summary>
    public EksRemoteAccessConfig? RemoteAccess { get; set; }
    /// <summary>CUSTOM when a launch template supplies the AMI.</summary>
    public string? AmiType { get; set; }
    public string? NodeRole { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public List<EksTaint>? Taints { get; set; }
    public EksNodegroupResources? Resources { get; set; }
    /// <summary>Null when the node group was created with a launch template.</summary>
    public int? DiskSize { get; set; }
    /// <summary>Same wire form as the cluster's health (issues with code, message, resourceIds).</summary>
    public EksHealth? Health { get; set; }
    public EksNodegroupUpdateConfig? UpdateConfig { get; set; }
    public EksNodeRepairConfig? NodeRepairConfig { get; set; }
    public EksLaunchTemplateSpecification? LaunchTemplate { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    public EksWarmPoolConfig? WarmPoolConfig { get; set; }
}

public sealed class EksNodegroupScalingConfig
{
    public int? MinSize { get; set; }
    public int? MaxSize { get; set; }
    public int? DesiredSize { get; set; }
}

public sealed class EksRemoteAccessConfig
{
    public string? Ec2SshKey { get; set; }
    /// <summary>Empty with an SSH key set means the SSH (Windows: RDP) port is open to 0.0.0.0/0.</summary>
    public List<string>? SourceSecurityGroups { get; set; }
}

public sealed class EksTaint
{
    public string? Key { get; set; }
    public string? Value { get; set; }
    /// <summary>NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE (EKS spelling, not Kubernetes').</summary>
    public string? Effect { get; set; }
}

public sealed class EksNodegroupResources
{
    public List<EksAutoScalingGroup>? AutoScalingGroups { get; set; }
    public string? RemoteAccessSecurityGroup { get; set; }
}

public sealed class EksAutoScalingGroup
{
    public string? Name { get; set; }
}

public sealed class EksNodegroupUpdateConfig
{
    public int? MaxUnavailable { get; set; }
    public int? MaxUnavailablePercentage { get; set; }
    /// <summary>DEFAULT or MINIMAL.</summary>
    public string? UpdateStrategy { get; set; }
}

public sealed class EksNodeRepairConfig
{
    public bool? Enabled { get; set; }
    public int? MaxUnhealthyNodeThresholdCount { get; set; }
    public int? MaxUnhealthyNodeThresholdPercentage { get; set; }
    public int? MaxParallelNodesRepairedCount { get; set; }
    public int? MaxParallelNodesRepairedPercentage { get; set; }
    public List<EksNodeRepairConfigOverrides>? NodeRepairConfigOverrides { get; set; }
}

public sealed class EksNodeRepairConfigOverrides
{
    public string? NodeMonitoringCondition { get; set; }
    public string? NodeUnhealthyReason { get; set; }
    public int? MinRepairWaitTimeMins { get; set; }
    public string? RepairAction { get; set; }
}

public sealed class EksLaunchTemplateSpecification
{
    public string? Name { get; set; }
    public string? Version { get; set; }
    public string? Id { get; set; }
}

public sealed class EksWarmPoolConfig
{
    public bool? Enabled { get; set; }
    public int? MinSize { get; set; }
    public int? MaxGroupPreparedCapacity { get; set; }
    public string? PoolState { get; set; }
    public bool? ReuseOnScaleIn { get; set; }
}
