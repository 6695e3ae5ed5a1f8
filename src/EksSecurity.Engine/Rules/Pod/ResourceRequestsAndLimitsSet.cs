using EksSecurity.Engine.Kubernetes;
using k8s.Models;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>
/// EKS-POD-017: every container (init and regular; ephemeral containers cannot carry resources) has a memory
/// limit and CPU and memory requests, and a CPU limit when <see cref="RuleSettings.RequireCpuLimits"/> is on.
/// A value counts as set when Kubernetes will fill it in: a request defaults to the container's limit, a
/// LimitRange of the namespace supplies defaults, and pod-level resources bound the containers without their own.
/// </summary>
public sealed class ResourceRequestsAndLimitsSet : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-017",
        Title = "CPU/memory requests and limits set",
        Severity = Severity.Low,
        Area = RuleArea.Pod,
        Rationale = "Requests are what the scheduler reserves; without them pods pile onto nodes that cannot sustain them, and the BestEffort pods " +
                    "are evicted first under pressure. A container without a memory limit can take all of the node's memory, so one leak or one " +
                    "hostile tenant starves every other pod on the node (a denial of service). CPU limits are optional here: CPU is compressible, and " +
                    "limits cause throttling even when the node is idle, as the EKS Best Practices Guide explains.",
        Remediation = "Give every container requests for CPU and memory and a memory limit (equal to the request for Guaranteed QoS):\n" +
                      "resources:\n  requests:\n    cpu: 250m\n    memory: 256Mi\n  limits:\n    memory: 256Mi\n" +
                      "Set defaults for a whole namespace with a LimitRange (type: Container, default and defaultRequest) and cap it with a ResourceQuota. " +
                      "Size the values from observed usage (Container Insights, metrics-server, VPA in recommendation mode).",
        References =
        [
            BestPracticesPodSecurity,
            "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
            "https://kubernetes.io/docs/concepts/policy/limit-range/",
        ],
        Frameworks =
        [
            "HardenEKS set_requests_limits_for_containers", "Prowler core_cpu_limits_set", "Prowler core_cpu_requests_set",
            "Prowler core_memory_limits_set", "Prowler core_memory_requests_set", "Kubescape C-0004", "Kubescape C-0050",
            "Kubescape C-0268", "Kubescape C-0269", "Kubescape C-0270", "Kubescape C-0271",
        ],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = [.. PodSpecSource.WorkloadSections, SnapshotSection.LimitRanges],
        Tags = ["pod-security", "manifest", "resources", "dos"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var requireCpuLimit = context.Settings.RequireCpuLimits;
        var limitRanges = context.Has(SnapshotSection.LimitRanges)
            ? context.Kubernetes.LimitRanges!.All
                .OrderBy(l => l.Metadata?.Name, StringComparer.Ordinal)
                .ToLookup(l => l.Metadata?.NamespaceProperty ?? "")
            : Enumerable.Empty<V1LimitRange>().ToLookup(l => "");
        var required = new List<(string Kind, string Resource)> { ("requests", "cpu"), ("requests", "memory"), ("limits", "memory") };
        if (requireCpuLimit) required.Add(("limits", "cpu"));

        foreach (var source in context.Index.PodSpecs)
        {
            var ranges = limitRanges[source.Namespace].ToList();
            var podResources = source.Spec.Resources;
            var checks = new List<Check>();
            foreach (var container in source.Containers)
            {
                var prefix = $"{source.SpecPath}.{container.Path}.resources";
                if (container.Field == "ephemeralContainers")
                {
                    checks.Add(new Check(container.Path, false, $"{prefix}: not judged (the API does not allow resources on ephemeral containers)"));
                    continue;
                }
                var missing = new List<string>();
                var shown = new List<string>();
                foreach (var (kind, resource) in required)
                {
                    var value = Resolve(container.Resources, podResources, ranges, kind, resource);
                    if (value is null) missing.Add($"{kind}.{resource}");
                    shown.Add($"{kind}.{resource} = {value ?? "(unset)"}");
                }
                if (!requireCpuLimit)
                    shown.Add($"limits.cpu = {Resolve(container.Resources, podResources, ranges, "limits", "cpu") ?? "(unset)"} (not required)");
                checks.Add(new Check(container.Path, missing.Count > 0,
                    $"{prefix}: {string.Join(", ", shown)}" + (missing.Count > 0 ? $"; missing {string.Join(", ", missing)}" : "")));
            }
            yield return Conclude(context, source, checks,
                bad => $"{Describe(source)} has {bad.Count} container(s) without the required requests and limits: {string.Join(", ", bad)}.",
                $"Every container of {Describe(source)} has CPU and memory requests and a memory limit" + (requireCpuLimit ? ", and a CPU limit." : "."));
        }
    }

    /// <summary>The value Kubernetes will use, with where it comes from when not from the field itself; null when nothing sets it.</summary>
    private static string? Resolve(V1ResourceRequirements? own, V1ResourceRequirements? pod, IReadOnlyList<V1LimitRange> ranges, string kind, string resource)
    {
        static string? Get(IDictionary<string, ResourceQuantity>? map, string key) =>
            map is not null && map.TryGetValue(key, out var q) && q is not null ? q.ToString() : null;

        if (kind == "requests")
        {
            if (Get(own?.Requests, resource) is { } request) return request;
            // The API server defaults a missing request to the container's limit.
            if (Get(own?.Limits, resource) is { } limit) return $"{limit} (from limits.{resource})";
        }
        else if (Get(own?.Limits, resource) is { } limit)
        {
            return limit;
        }
        foreach (var range in ranges)
            foreach (var item in range.Spec?.Limits ?? [])
            {
                if (item.Type != "Container") continue;
                var value = kind == "requests"
                    ? Get(item.DefaultRequest, resource) ?? Get(item.DefaultProperty, resource)
                    : Get(item.DefaultProperty, resource);
                if (value is not null) return $"{value} (default of LimitRange {range.Metadata?.Name})";
            }
        var podValue = kind == "requests" ? Get(pod?.Requests, resource) ?? Get(pod?.Limits, resource) : Get(pod?.Limits, resource);
        return podValue is null ? null : $"{podValue} (pod-level spec.resources)";
    }
}
