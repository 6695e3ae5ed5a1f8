using System.Text.Json;
using k8s.Models;

namespace EksSecurity.Engine.Kubernetes;

/// <summary>vpcresources.k8s.aws/v1beta1 SecurityGroupPolicy (security groups for pods). Not in KubernetesClient.</summary>
public sealed class SecurityGroupPolicy
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public V1ObjectMeta? Metadata { get; set; }
    public SecurityGroupPolicySpec? Spec { get; set; }
}

public sealed class SecurityGroupPolicySpec
{
    public V1LabelSelector? PodSelector { get; set; }
    public V1LabelSelector? ServiceAccountSelector { get; set; }
    public SecurityGroupPolicyGroups? SecurityGroups { get; set; }
}

public sealed class SecurityGroupPolicyGroups
{
    public List<string>? GroupIds { get; set; }
}

/// <summary>policy/v1beta1 PodSecurityPolicy, removed in Kubernetes 1.25; kept raw so any version's fields survive.</summary>
public sealed class PodSecurityPolicy
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public V1ObjectMeta? Metadata { get; set; }
    public JsonElement? Spec { get; set; }
}
