using EksSecurity.Engine.PodSecurity;

namespace EksSecurity.Tests.PodSecurity;

/// <summary>CHECKS.md 3.1, 3.2 and 3.4: active checks per level and version, overrides, order.</summary>
public class PodSecurityRegistryTests
{
    private static readonly string[] BaselineOrder =
    [
        "appArmorProfile", "capabilities_baseline", "hostNamespaces", "hostPathVolumes", "hostPorts", "hostProbesAndHostLifecycle",
        "privileged", "procMount", "seLinuxOptions", "seccompProfile_baseline", "sysctls", "windowsHostProcess",
    ];
    private static readonly string[] RestrictedOrder =
    [
        "allowPrivilegeEscalation", "capabilities_restricted", "procMount_restricted", "restrictedVolumes", "runAsNonRoot", "runAsUser",
        "seccompProfile_restricted",
    ];

    private static readonly Dictionary<string, int> FirstMinor = new()
    {
        ["hostProbesAndHostLifecycle"] = 34,
        ["allowPrivilegeEscalation"] = 8,
        ["seccompProfile_restricted"] = 19,
        ["capabilities_restricted"] = 22,
        ["runAsUser"] = 23,
        ["procMount_restricted"] = 35,
    };

    private static readonly (string Restricted, string Baseline, int From)[] Overrides =
    [
        ("restrictedVolumes", "hostPathVolumes", 0),
        ("seccompProfile_restricted", "seccompProfile_baseline", 19),
        ("capabilities_restricted", "capabilities_baseline", 22),
        ("procMount_restricted", "procMount", 35),
    ];

    private static bool Active(string id, int minor) => !FirstMinor.TryGetValue(id, out var first) || minor >= first;

    public static IEnumerable<object[]> Minors() => Enumerable.Range(0, 41).Select(m => new object[] { m });

    [Fact]
    public void Nineteen_checks_with_upstream_levels()
    {
        var checks = PodSecurityCheckRegistry.Default.Checks;
        Assert.Equal(19, checks.Count);
        Assert.Equal(BaselineOrder.Order(StringComparer.Ordinal), checks.Where(c => c.Level == PodSecurityLevel.Baseline).Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal(RestrictedOrder.Order(StringComparer.Ordinal), checks.Where(c => c.Level == PodSecurityLevel.Restricted).Select(c => c.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Minors))]
    public void Active_checks_and_order_per_version(int minor)
    {
        var version = PodSecurityVersion.V1(minor);
        var m = Math.Min(minor, 37);
        var baseline = BaselineOrder.Where(id => Active(id, m)).ToList();
        Assert.Equal(baseline, PodSecurityEvaluator.ActiveCheckIds(PodSecurityLevel.Baseline, version));

        var overridden = Overrides.Where(o => m >= o.From).Select(o => o.Baseline).ToHashSet();
        var restricted = baseline.Where(id => !overridden.Contains(id)).Concat(RestrictedOrder.Where(id => Active(id, m))).ToList();
        Assert.Equal(restricted, PodSecurityEvaluator.ActiveCheckIds(PodSecurityLevel.Restricted, version));

        Assert.Empty(PodSecurityEvaluator.ActiveCheckIds(PodSecurityLevel.Privileged, version));
    }

    [Theory]
    [InlineData(0, 11, 2)]
    [InlineData(7, 11, 2)]
    [InlineData(8, 11, 3)]
    [InlineData(19, 11, 4)]
    [InlineData(22, 11, 5)]
    [InlineData(23, 11, 6)]
    [InlineData(34, 12, 6)]
    [InlineData(35, 12, 7)]
    [InlineData(37, 12, 7)]
    public void Counts_match_the_table(int minor, int baselineCount, int restrictedAdds)
    {
        var version = PodSecurityVersion.V1(minor);
        Assert.Equal(baselineCount, PodSecurityEvaluator.ActiveCheckIds(PodSecurityLevel.Baseline, version).Count);
        var restricted = PodSecurityEvaluator.ActiveCheckIds(PodSecurityLevel.Restricted, version);
        Assert.Equal(restrictedAdds, restricted.Count(id => RestrictedOrder.Contains(id)));
    }

    [Fact]
    public void Latest_is_v1_37()
    {
        foreach (var level in new[] { PodSecurityLevel.Baseline, PodSecurityLevel.Restricted })
        {
            Assert.Equal(PodSecurityEvaluator.ActiveCheckIds(level, PodSecurityVersion.V1(37)), PodSecurityEvaluator.ActiveCheckIds(level, PodSecurityVersion.Latest));
            Assert.Equal(PodSecurityEvaluator.ActiveCheckIds(level, PodSecurityVersion.V1(37)), PodSecurityEvaluator.ActiveCheckIds(level, PodSecurityVersion.V1(1000)));
        }
    }

    [Fact]
    public void Variants_are_strictly_increasing_and_only_restricted_checks_override()
    {
        foreach (var check in PodSecurityCheckRegistry.Default.Checks)
        {
            var minima = check.Variants.Select(v => v.MinimumMinor).ToList();
            Assert.Equal(minima.Order(), minima);
            Assert.Equal(minima.Distinct().Count(), minima.Count);
            if (check.Level == PodSecurityLevel.Baseline) Assert.All(check.Variants, v => Assert.Empty(v.Overrides));
        }
    }

    [Fact]
    public void Registry_refuses_invalid_check_sets()
    {
        var good = PodSecurityCheckRegistry.Default.Checks;
        Assert.Throws<InvalidOperationException>(() => new PodSecurityCheckRegistry([.. good, good[0]]));
        Assert.Throws<InvalidOperationException>(() => new PodSecurityCheckRegistry([new FakeCheck("x", PodSecurityLevel.Baseline, V(1), V(1))]));
        Assert.Throws<InvalidOperationException>(() => new PodSecurityCheckRegistry([new FakeCheck("x", PodSecurityLevel.Baseline, V(1, "y"))]));
        Assert.Throws<InvalidOperationException>(() => new PodSecurityCheckRegistry([new FakeCheck("x", PodSecurityLevel.Privileged, V(1))]));
        Assert.Throws<InvalidOperationException>(() => new PodSecurityCheckRegistry([new FakeCheck("x", PodSecurityLevel.Restricted)]));
        Assert.Throws<InvalidOperationException>(() => new PodSecurityCheckRegistry(
            [new FakeCheck("x", PodSecurityLevel.Restricted, V(1, "y")), new FakeCheck("y", PodSecurityLevel.Restricted, V(1))]));
    }

    private static PodSecurityCheckVariant V(int minimum, params string[] overrides) => new(minimum, _ => null, overrides);

    private sealed class FakeCheck(string id, PodSecurityLevel level, params PodSecurityCheckVariant[] variants) : IPodSecurityCheck
    {
        public string Id => id;
        public PodSecurityLevel Level => level;
        public IReadOnlyList<PodSecurityCheckVariant> Variants => variants;
    }
}
