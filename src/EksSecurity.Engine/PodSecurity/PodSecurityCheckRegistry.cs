using System.Reflection;

namespace EksSecurity.Engine.PodSecurity;

/// <summary>
/// Every <see cref="IPodSecurityCheck"/> in this assembly, validated and inflated into one
/// ordered check list per level and minor version, as upstream's <c>policy/registry.go</c>:
/// <list type="bullet">
/// <item>a check is active from its first variant's minimum; the variant used at v1.N is the one with the largest minimum ≤ N;</item>
/// <item>restricted = active restricted variants + active baseline variants that no active restricted variant overrides;</item>
/// <item>order: baseline ids sorted (Go byte order), then restricted ids sorted.</item>
/// </list>
/// </summary>
internal sealed class PodSecurityCheckRegistry
{
    public static PodSecurityCheckRegistry Default { get; } = new(Discover());

    private readonly PodSecurityCheckFunc[][] _baseline;   // [minor]
    private readonly PodSecurityCheckFunc[][] _restricted; // [minor]
    private readonly string[][] _baselineIds;
    private readonly string[][] _restrictedIds;

    public PodSecurityCheckRegistry(IReadOnlyList<IPodSecurityCheck> checks)
    {
        Validate(checks);
        Checks = checks;

        var max = 0;
        foreach (var c in checks) max = Math.Max(max, c.Variants[^1].MinimumMinor);
        MaxMinor = max;

        var baselineIds = checks.Where(c => c.Level == PodSecurityLevel.Baseline).Select(c => c.Id).ToList();
        var restrictedIds = checks.Where(c => c.Level == PodSecurityLevel.Restricted).Select(c => c.Id).ToList();
        baselineIds.Sort(GoStringComparer.Instance);
        restrictedIds.Sort(GoStringComparer.Instance);
        var orderedIds = baselineIds.Concat(restrictedIds).ToList();
        var byId = checks.ToDictionary(c => c.Id, StringComparer.Ordinal);

        _baseline = new PodSecurityCheckFunc[max + 1][];
        _restricted = new PodSecurityCheckFunc[max + 1][];
        _baselineIds = new string[max + 1][];
        _restrictedIds = new string[max + 1][];
        for (var minor = 0; minor <= max; minor++)
        {
            var active = new Dictionary<string, PodSecurityCheckVariant>(StringComparer.Ordinal);
            foreach (var c in checks)
                if (VariantAt(c, minor) is { } v) active[c.Id] = v;

            var overridden = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (id, v) in active)
                if (byId[id].Level == PodSecurityLevel.Restricted)
                    foreach (var o in v.Overrides) overridden.Add(o);

            var b = new List<(string, PodSecurityCheckFunc)>();
            var r = new List<(string, PodSecurityCheckFunc)>();
            foreach (var id in orderedIds)
            {
                if (!active.TryGetValue(id, out var v)) continue;
                if (byId[id].Level == PodSecurityLevel.Baseline)
                {
                    b.Add((id, v.Check));
                    if (!overridden.Contains(id)) r.Add((id, v.Check));
                }
                else r.Add((id, v.Check));
            }
            _baseline[minor] = b.Select(x => x.Item2).ToArray();
            _baselineIds[minor] = b.Select(x => x.Item1).ToArray();
            _restricted[minor] = r.Select(x => x.Item2).ToArray();
            _restrictedIds[minor] = r.Select(x => x.Item1).ToArray();
        }
    }

    /// <summary>The checks, as found.</summary>
    public IReadOnlyList<IPodSecurityCheck> Checks { get; }

    /// <summary>The newest minimum version over all checks: newer versions (and latest) evaluate as this one.</summary>
    public int MaxMinor { get; }

    /// <summary>The minor the checks see for <paramref name="version"/>.</summary>
    public int Clamp(PodSecurityVersion version) => version.IsLatest || version.Minor > MaxMinor ? MaxMinor : version.Minor;

    /// <summary>The check functions to run, in order; empty for privileged.</summary>
    public PodSecurityCheckFunc[] ChecksFor(PodSecurityLevel level, PodSecurityVersion version) => level switch
    {
        PodSecurityLevel.Privileged => [],
        PodSecurityLevel.Baseline => _baseline[Clamp(version)],
        PodSecurityLevel.Restricted => _restricted[Clamp(version)],
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown Pod Security level."),
    };

    /// <summary>The ids of <see cref="ChecksFor"/>, same order.</summary>
    public IReadOnlyList<string> CheckIdsFor(PodSecurityLevel level, PodSecurityVersion version) => level switch
    {
        PodSecurityLevel.Privileged => [],
        PodSecurityLevel.Baseline => _baselineIds[Clamp(version)],
        PodSecurityLevel.Restricted => _restrictedIds[Clamp(version)],
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown Pod Security level."),
    };

    private static PodSecurityCheckVariant? VariantAt(IPodSecurityCheck check, int minor)
    {
        PodSecurityCheckVariant? found = null;
        foreach (var v in check.Variants)
        {
            if (v.MinimumMinor > minor) break;
            found = v;
        }
        return found;
    }

    private static List<IPodSecurityCheck> Discover()
    {
        var checks = new List<IPodSecurityCheck>();
        Type?[] types;
        try { types = typeof(PodSecurityCheckRegistry).Assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types; }
        foreach (var t in types)
        {
            if (t is null || t.IsAbstract || t.IsInterface || !typeof(IPodSecurityCheck).IsAssignableFrom(t)) continue;
            if (t.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes) is not { } ctor) continue;
            checks.Add((IPodSecurityCheck)ctor.Invoke(null));
        }
        checks.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return checks;
    }

    /// <summary>upstream validateChecks.</summary>
    private static void Validate(IReadOnlyList<IPodSecurityCheck> checks)
    {
        var levels = new Dictionary<string, PodSecurityLevel>(StringComparer.Ordinal);
        foreach (var c in checks)
        {
            if (!levels.TryAdd(c.Id, c.Level)) throw new InvalidOperationException($"Multiple Pod Security checks registered for id {c.Id}.");
            if (c.Level is not (PodSecurityLevel.Baseline or PodSecurityLevel.Restricted))
                throw new InvalidOperationException($"Pod Security check {c.Id}: invalid level {c.Level}.");
            if (c.Variants.Count == 0) throw new InvalidOperationException($"Pod Security check {c.Id}: no variants.");
            var last = -1;
            foreach (var v in c.Variants)
            {
                if (v.MinimumMinor <= last) throw new InvalidOperationException($"Pod Security check {c.Id}: variant versions must be strictly increasing.");
                last = v.MinimumMinor;
            }
        }
        foreach (var c in checks)
            foreach (var v in c.Variants)
            {
                if (v.Overrides.Count == 0) continue;
                if (c.Level != PodSecurityLevel.Restricted) throw new InvalidOperationException($"Pod Security check {c.Id}: only restricted checks may override.");
                foreach (var o in v.Overrides)
                    if (levels.TryGetValue(o, out var l) && l != PodSecurityLevel.Baseline)
                        throw new InvalidOperationException($"Pod Security check {c.Id}: overrides {l} check {o}.");
            }
    }
}
