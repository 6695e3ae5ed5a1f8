using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Runtime;

/// <summary>
/// Capability names as the container runtime reads them: containerd and CRI-O upper-case each name and
/// put CAP_ in front, so "net_raw", "NET_RAW" and "CAP_NET_RAW" are the same capability here.
/// </summary>
internal static class LinuxCapabilities
{
    public const string All = "ALL";

    /// <summary>Upper case, without a CAP_ prefix, trimmed; empty for null.</summary>
    public static string Normalize(string? name)
    {
        var n = (name ?? "").Trim().ToUpperInvariant();
        return n.StartsWith("CAP_", StringComparison.Ordinal) ? n[4..] : n;
    }

    public static IReadOnlyList<string> Added(ContainerRef container) => Normalized(container.SecurityContext?.Capabilities?.Add);

    public static IReadOnlyList<string> Dropped(ContainerRef container) => Normalized(container.SecurityContext?.Capabilities?.Drop);

    private static IReadOnlyList<string> Normalized(IList<string>? names) =>
        names is null || names.Count == 0 ? [] : names.Select(Normalize).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Whether the container ends up holding <paramref name="capability"/>, applying add and drop as containerd does:
    /// start from the runtime default set (which holds NET_RAW), "add ALL" grants everything, "drop ALL" clears everything,
    /// then the individual adds, then the individual drops.
    /// </summary>
    public static bool Holds(ContainerRef container, string capability, bool inDefaultSet)
    {
        var add = Added(container);
        var drop = Dropped(container);
        var holds = inDefaultSet;
        if (add.Contains(All)) holds = true;
        if (drop.Contains(All)) holds = false;
        if (add.Contains(capability)) holds = true;
        if (drop.Contains(capability)) holds = false;
        return holds;
    }

    /// <summary>"[a, b]" for evidence, the values as written in the spec.</summary>
    public static string List(IList<string>? values) => "[" + string.Join(", ", values ?? []) + "]";

    /// <summary>Capabilities do not exist for Windows pods (the API server rejects them there), nor seccomp, AppArmor and SELinux.</summary>
    public static bool IsWindows(PodSpecSource source) => string.Equals(source.Spec.Os?.Name, "windows", StringComparison.OrdinalIgnoreCase);
}
