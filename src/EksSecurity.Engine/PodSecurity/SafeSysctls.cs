using System.Collections.Frozen;

namespace EksSecurity.Engine.PodSecurity;

/// <summary>
/// The sysctls the baseline <c>sysctls</c> check allows, by policy version (CHECKS.md, sysctls).
/// Names match exactly: no '/' separator normalisation, no prefix match, case-sensitive.
/// </summary>
public static class SafeSysctls
{
    private static readonly string[] V1_0 =
    [
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
    ];
    private static readonly string[] V1_27 = ["net.ipv4.ip_local_reserved_ports"];
    private static readonly string[] V1_29 =
    [
        "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
    ];
    private static readonly string[] V1_32 = ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];
    private static readonly string[] V1_37 = ["net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"];

    /// <summary>The minor versions at which the allowed set changes, ascending.</summary>
    internal static readonly int[] VariantMinors = [0, 27, 29, 32, 37];

    private static readonly FrozenSet<string>[] Sets = BuildSets();

    private static FrozenSet<string>[] BuildSets()
    {
        string[][] additions = [V1_0, V1_27, V1_29, V1_32, V1_37];
        var sets = new FrozenSet<string>[additions.Length];
        var acc = new List<string>();
        for (var i = 0; i < additions.Length; i++)
        {
            acc.AddRange(additions[i]);
            sets[i] = acc.ToFrozenSet(StringComparer.Ordinal);
        }
        return sets;
    }

    /// <summary>The baseline-allowed sysctl names at <paramref name="version"/> (latest and newer versions clamp to v1.37).</summary>
    public static IReadOnlySet<string> AllowedAt(PodSecurityVersion version) => SetFor(version.EffectiveMinor);

    /// <summary>True when <paramref name="name"/> is allowed at baseline at <paramref name="version"/>.</summary>
    public static bool IsAllowed(string? name, PodSecurityVersion version) => name is not null && SetFor(version.EffectiveMinor).Contains(name);

    internal static FrozenSet<string> SetFor(int effectiveMinor)
    {
        var i = VariantMinors.Length - 1;
        while (i > 0 && VariantMinors[i] > effectiveMinor) i--;
        return Sets[i];
    }
}
