using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Log;

/// <summary>
/// The control-plane log types a cluster exports, read from every element of
/// <c>logging.clusterLogging</c>: DescribeCluster returns one group of enabled types and one of
/// disabled types, in no promised order, so reading only the first element misjudges clusters.
/// </summary>
internal sealed class ControlPlaneLogging
{
    private ControlPlaneLogging(IReadOnlySet<string> enabled, IReadOnlySet<string> conflicting, IReadOnlyList<string> evidence)
    {
        Enabled = enabled;
        Conflicting = conflicting;
        Evidence = evidence;
    }

    /// <summary>Types listed in an element with enabled = true and in no element with enabled = false (case-insensitive).</summary>
    public IReadOnlySet<string> Enabled { get; }

    /// <summary>Types listed both as enabled and as disabled: not counted as enabled.</summary>
    public IReadOnlySet<string> Conflicting { get; }

    /// <summary>One line per element, as seen.</summary>
    public IReadOnlyList<string> Evidence { get; }

    public bool IsEnabled(string type) => Enabled.Contains(type);

    public static ControlPlaneLogging From(EksCluster cluster)
    {
        var elements = cluster.Logging?.ClusterLogging;
        var evidence = new List<string>();
        var on = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var off = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (cluster.Logging is null) evidence.Add("logging = (absent): no log type is exported");
        else if (elements is null || elements.Count == 0) evidence.Add("logging.clusterLogging = []: no log type is exported");
        else
        {
            for (var i = 0; i < elements.Count; i++)
            {
                var element = elements[i];
                var types = (element?.Types ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToList();
                var enabled = element?.Enabled;
                evidence.Add($"logging.clusterLogging[{i}]: enabled = {(enabled is null ? "(absent)" : enabled.Value ? "true" : "false")}, types = [{string.Join(", ", types)}]");
                // An element without "enabled" enables nothing: only an explicit true turns logs on.
                (enabled == true ? on : off).UnionWith(types);
            }
        }
        var conflicting = new HashSet<string>(on.Where(off.Contains), StringComparer.OrdinalIgnoreCase);
        if (conflicting.Count > 0)
            evidence.Add($"listed both enabled and disabled, so not counted as enabled: {string.Join(", ", conflicting)}");
        on.ExceptWith(conflicting);
        return new ControlPlaneLogging(on, conflicting, evidence);
    }
}
