using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-013: idle exec, attach and port-forward streams are closed after a while.</summary>
public sealed class KubeletStreamingIdleTimeoutSet : KubeletConfigRule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-013",
        Title = "Streaming connection idle timeout not 0",
        Severity = Severity.Low,
        Area = RuleArea.Infra,
        Rationale = "kubectl exec, attach and port-forward sessions are streams held open by the kubelet. A timeout of 0 keeps an abandoned session " +
                    "open forever: a forgotten shell into a production container stays usable by whoever holds the terminal, and the open streams " +
                    "tie up kubelet resources until it is exhausted.",
        Remediation = HowToSet("      streamingConnectionIdleTimeout: 4h0m0s\n") + " Any non-zero value closes idle streams; 5m is a common hardened choice.",
        References = [InfrastructureReference, KubeletConfigReference, CisReference],
        Frameworks = ["CIS EKS 1.8.0 3.2.5", "Kubescape C-0176", "Prowler kubelet_streaming_connection_timeout"],
        Reads = KubeletReads,
        ClusterWide = true,
        Tags = ["cis", "kubelet", "nodes", "configz"],
    };

    protected override Verdict Judge(KubeletConfiguration config, V1Node? node, string who, RuleContext context)
    {
        var value = config.StreamingConnectionIdleTimeout;
        var evidence = new[] { $"streamingConnectionIdleTimeout = {Show(value, "4h0m0s")}" };
        var duration = ParseGoDuration(value ?? "4h0m0s");
        if (duration is null)
            return Verdict.Error($"The kubelet of {who} reports streamingConnectionIdleTimeout '{value}', which is not a duration; it cannot be judged.", evidence);
        return duration.Value <= TimeSpan.Zero
            ? Verdict.Fail($"The kubelet of {who} never closes idle streaming connections (streamingConnectionIdleTimeout is {value}).", evidence)
            : Verdict.Pass($"The kubelet of {who} closes streaming connections idle for {value ?? "4h0m0s"}.", evidence);
    }
}
