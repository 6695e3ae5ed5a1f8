using System.Globalization;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Health;

/// <summary>EKS-HEALTH-004: every Deployment, StatefulSet and DaemonSet has as many ready pods as it asks for.</summary>
public sealed class WorkloadsHaveDesiredReplicas : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-HEALTH-004",
        Title = "Workloads have their desired replicas",
        Severity = Severity.Medium,
        Area = RuleArea.Health,
        Rationale = "A workload below its desired replicas is degraded: less capacity, no redundancy left for the next node failure, and for a " +
                    "DaemonSet some nodes without the agent it runs, which for a security agent (runtime monitoring, log shipping, the CNI's " +
                    "network policy enforcement) means nodes that are not watched or not protected.",
        Remediation = "See why pods are missing: kubectl rollout status -n <ns> <kind>/<name>, kubectl describe -n <ns> <kind>/<name> and the events of " +
                      "its pods (failed scheduling, image pulls, crash loops, see EKS-HEALTH-003). For a DaemonSet, check the taints of the nodes " +
                      "without its pod against its tolerations. Roll back a bad rollout with kubectl rollout undo -n <ns> deployment/<name>.",
        References =
        [
            "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#deployment-status",
            "https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/",
            "https://docs.aws.amazon.com/eks/latest/best-practices/auditing-and-logging.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Deployments, SnapshotSection.StatefulSets, SnapshotSection.DaemonSets],
        ClusterWide = true,
        Tags = ["health", "workloads", "monitoring", "availability"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var d in context.Kubernetes.Deployments!.All)
            yield return Judge(context, "Deployment", d.Metadata, d.Spec?.Replicas ?? 1, d.Status?.ReadyReplicas ?? 0, "spec.replicas", "status.readyReplicas",
                d.Status?.ObservedGeneration, d.Spec?.Paused == true);
        foreach (var s in context.Kubernetes.StatefulSets!.All)
            yield return Judge(context, "StatefulSet", s.Metadata, s.Spec?.Replicas ?? 1, s.Status?.ReadyReplicas ?? 0, "spec.replicas", "status.readyReplicas",
                s.Status?.ObservedGeneration, false);
        foreach (var ds in context.Kubernetes.DaemonSets!.All)
            yield return Judge(context, "DaemonSet", ds.Metadata, ds.Status?.DesiredNumberScheduled ?? 0, ds.Status?.NumberReady ?? 0,
                "status.desiredNumberScheduled", "status.numberReady", ds.Status?.ObservedGeneration, false);
    }

    private static EksSecurityFinding Judge(RuleContext context, string kind, V1ObjectMeta? meta, int desired, int ready, string desiredField, string readyField,
        long? observedGeneration, bool paused)
    {
        var resource = ResourceRef.Of(kind, meta);
        var what = $"{kind} {(string.IsNullOrEmpty(meta?.NamespaceProperty) ? "" : meta.NamespaceProperty + "/")}{meta?.Name ?? "(unnamed)"}";
        var evidence = new List<string>
        {
            $"{desiredField} = {desired.ToString(CultureInfo.InvariantCulture)}",
            $"{readyField} = {ready.ToString(CultureInfo.InvariantCulture)}",
        };
        if (paused) evidence.Add("spec.paused = true");
        var rollingOut = meta?.Generation is { } generation && observedGeneration is { } observed && observed < generation;
        if (rollingOut) evidence.Add($"metadata.generation = {meta!.Generation}, status.observedGeneration = {observedGeneration} (the controller has not caught up)");
        if (ready >= desired)
            return context.Pass(resource, desired == 0 ? $"{what} asks for no pods." : $"{what} has {ready} of {desired} pod(s) ready.", evidence);
        if (rollingOut)
            return context.Warn(resource, $"{what} has {ready} of {desired} pod(s) ready while a change is being rolled out; check again once it completes.", evidence);
        return context.Fail(resource, $"{what} has {ready} of {desired} pod(s) ready.", evidence);
    }
}
