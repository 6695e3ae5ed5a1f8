using System.Globalization;
using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-015: the kubelet's event rate limit lets events through (0 = no limit, or at least the configured minimum).</summary>
public sealed class KubeletEventRecordQpsCapturesEvents : KubeletConfigRule
{
    private const int KubeletDefault = 50;

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-015",
        Title = "eventRecordQPS captures events",
        Severity = Severity.Low,
        Area = RuleArea.Infra,
        Rationale = "Kubernetes events (pulls, kills, probe failures, evictions, mount errors) are often the only record of what happened on a node " +
                    "during an incident. The kubelet drops events above eventRecordQPS per second; set too low, it silently discards the burst " +
                    "of events that matters most, exactly when something goes wrong.",
        Remediation = HowToSet("      eventRecordQPS: 50\n") + " 0 removes the limit; protect the API server with API Priority and Fairness instead.",
        References = [InfrastructureReference, KubeletConfigReference, CisReference],
        Frameworks = ["CIS EKS 1.8.0 3.2.7", "Kubescape C-0180", "Prowler kubelet_event_record_qps"],
        Reads = KubeletReads,
        ClusterWide = true,
        Tags = ["cis", "kubelet", "nodes", "configz", "logging"],
    };

    protected override Verdict Judge(KubeletConfiguration config, V1Node? node, string who, RuleContext context)
    {
        var value = config.EventRecordQps;
        var minimum = context.Settings.KubeletMinEventRecordQps;
        var effective = value ?? KubeletDefault;
        var evidence = new[]
        {
            $"eventRecordQPS = {Show(value, KubeletDefault)}",
            $"minimum = {minimum.ToString(CultureInfo.InvariantCulture)} (KubeletMinEventRecordQps; 0 = no limit passes)",
        };
        var shown = effective.ToString(CultureInfo.InvariantCulture);
        if (effective < 0)
            return Verdict.Fail($"The kubelet of {who} has a negative eventRecordQPS ({shown}), which is invalid.", evidence);
        if (effective == 0)
            return Verdict.Pass($"The kubelet of {who} records events without a rate limit (eventRecordQPS 0).", evidence);
        return effective < minimum
            ? Verdict.Fail($"The kubelet of {who} records at most {shown} event(s) per second, below the minimum of {minimum.ToString(CultureInfo.InvariantCulture)}.", evidence)
            : Verdict.Pass($"The kubelet of {who} records up to {shown} events per second.", evidence);
    }
}
