using EksSecurity.Engine.Rules.Infra;
using k8s.Models;

namespace EksSecurity.Engine.Identity;

/// <summary>
/// Whether a pod can reach the instance metadata service, and so the node's IAM role: a pod on the host network
/// always can; otherwise its packets take one more hop than the node's, so IMDSv2 with a hop limit of 1 stops it
/// (IMDSv1, or a hop limit of 2 or more, does not). Fargate and Auto Mode nodes are AWS's and block it.
/// </summary>
internal static class ImdsReachability
{
    public enum Verdict { Blocked, Reachable, Unknown }

    public sealed record PodVerdict(V1Pod Pod, Verdict Verdict, string Why);

    public static PodVerdict Of(V1Pod pod, WorkloadIdentityFacts facts)
    {
        var name = $"{pod.Metadata?.NamespaceProperty}/{pod.Metadata?.Name}";
        if (pod.Spec?.HostNetwork == true)
            return new(pod, Verdict.Reachable, $"pod {name} uses the host network: it reaches IMDS as the node does");
        var nodeName = pod.Spec?.NodeName;
        if (nodeName is null) return new(pod, Verdict.Unknown, $"pod {name} is not scheduled on a node");
        var node = facts.Node(nodeName);
        if (node is null) return new(pod, Verdict.Unknown, $"pod {name} runs on node {nodeName}, which is not in the snapshot");
        if (NodeFacts.IsFargate(node)) return new(pod, Verdict.Blocked, $"pod {name} runs on Fargate ({nodeName}): no instance metadata service");
        if (Kubernetes.KubeletConfigSample.AwsManagedComputeType(node) == "auto")
            return new(pod, Verdict.Blocked, $"pod {name} runs on an EKS Auto Mode node ({nodeName}), which requires IMDSv2 with hop limit 1");
        var instanceId = NodeFacts.InstanceId(node);
        var instance = facts.Instance(instanceId);
        if (instance?.MetadataOptions is not { } options)
            return new(pod, Verdict.Unknown, $"pod {name} runs on {nodeName} ({instanceId ?? "no instance id"}), whose metadata options were not collected");
        var imds = ImdsProtection.Judge(options.HttpEndpoint, options.HttpTokens, options.HttpPutResponseHopLimit);
        var settings = $"pod {name} on {instance.InstanceId}: {imds.Settings}";
        return imds.Outcome switch
        {
            ImdsProtection.Outcome.Disabled => new(pod, Verdict.Blocked, settings),
            ImdsProtection.Outcome.Protected => new(pod, Verdict.Blocked, $"{settings}: the token answer cannot reach a pod"),
            ImdsProtection.Outcome.HopLimitTooHigh => new(pod, Verdict.Reachable, $"{settings}: the hop limit lets the token answer reach pods"),
            _ => new(pod, Verdict.Reachable, $"{settings}: IMDSv1 answers pods"),
        };
    }
}
