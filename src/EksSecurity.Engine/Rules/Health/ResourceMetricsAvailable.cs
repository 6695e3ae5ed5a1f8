using System.Globalization;
using EksSecurity.Engine.Rules.Infra;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Health;

/// <summary>EKS-HEALTH-006: the resource metrics API (metrics-server) is registered and Available; live node usage is reported when collected.</summary>
public sealed class ResourceMetricsAvailable : Rule
{
    private const string MetricsApiService = "v1beta1.metrics.k8s.io";

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-HEALTH-006",
        Title = "Resource metrics are available",
        Severity = Severity.Low,
        Area = RuleArea.Health,
        Rationale = "The resource metrics API is what the Horizontal Pod Autoscaler, kubectl top and many dashboards read. Without it, workloads " +
                    "cannot scale on load, a pod exhausting a node goes unnoticed until the kubelet evicts its neighbours, and nobody can compare " +
                    "what runs with what was requested.",
        Remediation = "Install metrics-server, preferably as the EKS add-on: aws eks create-addon --cluster-name <cluster> --addon-name metrics-server. " +
                      "If the APIService exists but is not Available, read kubectl get apiservice v1beta1.metrics.k8s.io -o yaml and the metrics-server " +
                      "logs: the usual causes are a security group that blocks the control plane from reaching port 10250/4443 on the nodes, or " +
                      "kubelet serving certificates it cannot verify (see EKS-INFRA-017).",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/userguide/metrics-server.html",
            "https://kubernetes.io/docs/tasks/debug/debug-cluster/resource-metrics-pipeline/",
            "https://docs.aws.amazon.com/eks/latest/best-practices/auditing-and-logging.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.ApiServices],
        OptionallyReads = [SnapshotSection.NodeMetrics, SnapshotSection.Nodes],
        ClusterWide = true,
        Tags = ["health", "monitoring", "metrics", "capacity"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var resource = new ResourceRef("APIService", null, MetricsApiService);
        var service = context.Kubernetes.ApiServices!.All.FirstOrDefault(a => a.Metadata?.Name == MetricsApiService);
        if (service is null)
        {
            yield return context.Fail(resource, "The resource metrics API is not registered: no metrics-server, so no HPA scaling on CPU or memory and no kubectl top.",
                [$"APIService {MetricsApiService}: absent"]);
            yield break;
        }
        var available = service.Status?.Conditions?.FirstOrDefault(c => c.Type == "Available");
        var evidence = new List<string>
        {
            $"APIService {MetricsApiService}: service = {(service.Spec?.Service is { } s ? $"{s.NamespaceProperty}/{s.Name}" : "(local)")}",
            $"Available = {available?.Status ?? "(not reported)"}" + (available?.Reason is { } r ? $", reason {r}" : "") + (available?.Message is { } m ? $": {m}" : ""),
        };
        if (!string.Equals(available?.Status, "True", StringComparison.Ordinal))
        {
            yield return context.Fail(resource, "The resource metrics API is registered but not Available: metrics clients (HPA, kubectl top) get errors.", evidence);
            yield break;
        }

        if (!context.Has(SnapshotSection.NodeMetrics) || !context.Has(SnapshotSection.Nodes))
        {
            var info = context.Snapshot.DescribeSection(context.Has(SnapshotSection.NodeMetrics) ? SnapshotSection.Nodes : SnapshotSection.NodeMetrics);
            evidence.Add($"live usage per node not reported: section {info.Section} {info.Status}" + (info.Permission is null ? "" : $" (needs {info.Permission})"));
            yield return context.Pass(resource, "The resource metrics API is Available.", evidence);
            yield break;
        }

        var metrics = context.Kubernetes.NodeMetrics!.All.Where(m => m.Metadata?.Name is { Length: > 0 }).GroupBy(m => m.Metadata!.Name!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var nodes = context.Kubernetes.Nodes!.All;
        var missing = nodes.Count(n => !metrics.ContainsKey(NodeFacts.Name(n)));
        evidence.Add($"node metrics for {(nodes.Count - missing).ToString(CultureInfo.InvariantCulture)} of {nodes.Count.ToString(CultureInfo.InvariantCulture)} node(s)");
        yield return context.Pass(resource, "The resource metrics API is Available.", evidence);

        foreach (var node in nodes)
        {
            var name = NodeFacts.Name(node);
            var nodeRef = NodeFacts.Ref(node);
            if (!metrics.TryGetValue(name, out var metric))
            {
                yield return context.Warn(nodeRef, $"The metrics API reports no usage for node {name}: metrics-server cannot scrape its kubelet.", [$"NodeMetrics {name}: absent"]);
                continue;
            }
            var lines = new List<string>();
            foreach (var key in new[] { "cpu", "memory" })
            {
                var used = Value(metric.Usage, key);
                var alloc = Value(node.Status?.Allocatable, key);
                lines.Add($"{key}: usage {Format(key, used)} of {Format(key, alloc)} allocatable" +
                          (used is { } u && alloc is > 0 ? $" ({Math.Round(u * 100m / alloc.Value).ToString(CultureInfo.InvariantCulture)}%)" : ""));
            }
            if (metric.Timestamp is { } ts) lines.Add($"measured at {NodeFacts.Day(new DateTimeOffset(DateTime.SpecifyKind(ts, DateTimeKind.Utc)))}" + (metric.Window is { } w ? $" over {w}" : ""));
            yield return context.Pass(nodeRef, $"Node {name}: {lines[0]}; {lines[1]}.", lines);
        }
    }

    private static decimal? Value(IDictionary<string, ResourceQuantity>? map, string key)
    {
        if (map is null || !map.TryGetValue(key, out var q) || q is null) return null;
        try { return q.ToDecimal(); }
        catch (FormatException) { return null; }
    }

    private static string Format(string key, decimal? value) => value is not { } v ? "(unknown)"
        : key == "cpu" ? v.ToString("0.###", CultureInfo.InvariantCulture) + " cores"
        : (v / (1024m * 1024m)).ToString("0", CultureInfo.InvariantCulture) + "Mi";
}
