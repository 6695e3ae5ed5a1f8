using System.Globalization;
using EksSecurity.Engine.Rules.Infra;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Health;

/// <summary>EKS-HEALTH-003: no pod is crash-looping, unable to pull or configure its containers, OOM-killed, Failed, or Pending for too long.</summary>
public sealed class PodsNotFailing : Rule
{
    private static readonly HashSet<string> FailingWaitReasons = new(StringComparer.Ordinal)
    {
        "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
    };

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-HEALTH-003",
        Title = "Pods are not failing",
        Severity = Severity.Medium,
        Area = RuleArea.Health,
        Rationale = "A crash-looping, OOM-killed, unpullable or long-Pending pod is a workload that is not doing its job: an outage in progress, " +
                    "a missing Secret or ConfigMap, an image that was deleted or never scanned, a limit set too low. Some of these are security " +
                    "signals too: an image pull failing after a registry change, or a container killed as it starts misbehaving.",
        Remediation = "Read why: kubectl describe pod -n <ns> <pod> (events) and kubectl logs -n <ns> <pod> --previous. Then fix the cause: the image " +
                      "reference or the pull credentials for ImagePullBackOff, the referenced Secret or ConfigMap for CreateContainerConfigError, the memory " +
                      "limit for OOMKilled, capacity or node selectors for Pending (see kubectl get events --field-selector reason=FailedScheduling). " +
                      "Delete Failed pods that are no longer needed.",
        References =
        [
            "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/",
            "https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/",
            "https://docs.aws.amazon.com/eks/latest/best-practices/auditing-and-logging.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Pods],
        ClusterWide = true,
        Tags = ["health", "pods", "monitoring"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var now = context.Snapshot.CollectedAt;
        var maxPending = context.Settings.PendingPodMaxMinutes;
        foreach (var pod in context.Kubernetes.Pods!.All)
        {
            var ns = pod.Metadata?.NamespaceProperty;
            var name = pod.Metadata?.Name ?? "(unnamed)";
            var resource = ResourceRef.Of("Pod", pod.Metadata);
            var what = string.IsNullOrEmpty(ns) ? $"Pod {name}" : $"Pod {ns}/{name}";
            var phase = pod.Status?.Phase;
            var evidence = new List<string> { $"status.phase = {phase ?? "(absent)"}" + (pod.Status?.Reason is { } r ? $", reason {r}" : "") };
            var problems = new List<string>();

            foreach (var (field, status) in Statuses(pod))
            {
                var restarts = status.RestartCount;
                var waiting = status.State?.Waiting;
                var last = status.LastState?.Terminated;
                var line = $"{field}[{status.Name}]: restartCount = {restarts.ToString(CultureInfo.InvariantCulture)}";
                if (waiting?.Reason is { } wr) line += $", waiting {wr}" + (waiting.Message is { } wm ? $": {wm}" : "");
                if (status.State?.Terminated?.Reason is { } tr) line += $", terminated {tr}";
                if (last?.Reason is { } lr) line += $", last terminated {lr}" + $" (exit {last.ExitCode.ToString(CultureInfo.InvariantCulture)})";
                evidence.Add(line);
                if (waiting?.Reason is { } reason && FailingWaitReasons.Contains(reason)) problems.Add($"{status.Name} is in {reason}");
                else if (string.Equals(last?.Reason, "OOMKilled", StringComparison.Ordinal) || string.Equals(status.State?.Terminated?.Reason, "OOMKilled", StringComparison.Ordinal))
                    problems.Add($"{status.Name} was OOMKilled");
            }

            if (string.Equals(phase, "Failed", StringComparison.Ordinal))
                problems.Insert(0, "the pod Failed" + (pod.Status?.Reason is { } fr ? $" ({fr})" : ""));
            else if (string.Equals(phase, "Pending", StringComparison.Ordinal))
            {
                var created = pod.Metadata?.CreationTimestamp is { } c ? new DateTimeOffset(DateTime.SpecifyKind(c, DateTimeKind.Utc)) : (DateTimeOffset?)null;
                var scheduled = pod.Status?.Conditions?.FirstOrDefault(x => x.Type == "PodScheduled");
                if (scheduled is { Status: "False" }) evidence.Add($"PodScheduled = False, reason {scheduled.Reason ?? "(none)"}" + (scheduled.Message is { } sm ? $": {sm}" : ""));
                if (created is null || now is null)
                {
                    if (problems.Count == 0)
                    {
                        yield return context.Error(resource, $"{what} is Pending and {(now is null ? "the snapshot has no collectedAt" : "it has no creation time")}: how long it has waited is unknown.", evidence);
                        continue;
                    }
                }
                else
                {
                    var waited = now.Value - created.Value;
                    evidence.Add($"pending since {NodeFacts.Day(created.Value)} ({NodeFacts.Span(waited)}; allowed {maxPending}m, PendingPodMaxMinutes)");
                    if (waited.TotalMinutes > maxPending) problems.Add($"it has been Pending for {NodeFacts.Span(waited)}");
                }
            }

            if (problems.Count > 0)
                yield return context.Fail(resource, $"{what} is failing: {string.Join("; ", problems)}.", evidence);
            else
                yield return context.Pass(resource, $"{what} is {phase ?? "in an unreported phase"} with no failing container.", evidence);
        }
    }

    private static IEnumerable<(string Field, V1ContainerStatus Status)> Statuses(V1Pod pod)
    {
        foreach (var s in pod.Status?.InitContainerStatuses ?? []) yield return ("initContainers", s);
        foreach (var s in pod.Status?.ContainerStatuses ?? []) yield return ("containers", s);
    }
}
