using System.Globalization;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Scenario;

/// <summary>
/// metrics.k8s.io/v1beta1 answers derived from the nodes and pods: usage is a stable fraction of
/// each node's allocatable CPU and memory (and a few hundred millicores / MiB per container),
/// chosen from the object's name and the scenario's seed, in metrics-server's units.
/// </summary>
public static class Metrics
{
    public static IEnumerable<NodeMetrics> ForNodes(IEnumerable<V1Node> nodes, int seed)
    {
        foreach (var node in nodes)
        {
            var name = node.Metadata?.Name ?? "";
            var cpuCores = Quantity(node.Status?.Allocatable, "cpu", 2);
            var memoryBytes = Quantity(node.Status?.Allocatable, "memory", 8L << 30);
            var share = 0.05 + 0.65 * Fraction(seed, "cpu/" + name);
            var memShare = 0.2 + 0.6 * Fraction(seed, "mem/" + name);
            yield return new NodeMetrics
            {
                Metadata = new V1ObjectMeta { Name = name, CreationTimestamp = Now(), Labels = node.Metadata?.Labels },
                Timestamp = Now().AddSeconds(-10),
                Window = "20.032s",
                Usage = new Dictionary<string, ResourceQuantity>
                {
                    ["cpu"] = new(((long)(cpuCores * share * 1e9)).ToString(CultureInfo.InvariantCulture) + "n"),
                    ["memory"] = new(((long)(memoryBytes * memShare / 1024)).ToString(CultureInfo.InvariantCulture) + "Ki"),
                },
            };
        }
    }

    public static IEnumerable<PodMetrics> ForPods(IEnumerable<V1Pod> pods, int seed)
    {
        foreach (var pod in pods)
        {
            if (pod.Status?.Phase is { } phase && phase != "Running") continue;
            var ns = pod.Metadata?.NamespaceProperty ?? "";
            var name = pod.Metadata?.Name ?? "";
            var containers = new List<ContainerMetrics>();
            foreach (var c in pod.Spec?.Containers ?? [])
            {
                var f = Fraction(seed, $"pod/{ns}/{name}/{c.Name}");
                containers.Add(new ContainerMetrics
                {
                    Name = c.Name,
                    Usage = new Dictionary<string, ResourceQuantity>
                    {
                        ["cpu"] = new(((long)(1_000_000 + f * 400_000_000)).ToString(CultureInfo.InvariantCulture) + "n"),
                        ["memory"] = new(((long)(8192 + f * 512 * 1024)).ToString(CultureInfo.InvariantCulture) + "Ki"),
                    },
                });
            }
            yield return new PodMetrics
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, CreationTimestamp = Now(), Labels = pod.Metadata?.Labels },
                Timestamp = Now().AddSeconds(-10),
                Window = "18.981s",
                Containers = containers,
            };
        }
    }

    private static DateTime Now()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }

    private static double Fraction(int seed, string key)
    {
        // FNV-1a, then a final avalanche: stable across runs and platforms (string.GetHashCode is not).
        var hash = 14695981039346656037UL ^ (ulong)seed;
        foreach (var ch in key)
        {
            hash ^= ch;
            hash *= 1099511628211UL;
        }
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return (hash >> 11) / (double)(1UL << 53);
    }

    private static double Quantity(IDictionary<string, ResourceQuantity>? values, string key, double fallback) =>
        values is not null && values.TryGetValue(key, out var q) ? (double)q.ToDecimal() : fallback;
}
