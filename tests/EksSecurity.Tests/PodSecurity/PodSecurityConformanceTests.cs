using EksSecurity.Engine.PodSecurity;
using k8s.Models;

namespace EksSecurity.Tests.PodSecurity;

/// <summary>
/// The upstream pod-security-admission fixture corpus (CHECKS.md 2.2): every file evaluated at
/// its own directory's level and version. pass → allowed; fail → denied, and the aggregated
/// message contains the family's substring.
/// </summary>
public class PodSecurityConformanceTests
{
    private const string Missing = "<corpus missing>";

    /// <summary>One row per fixture; a single sentinel row when the corpus is missing, so the theory fails instead of skipping.</summary>
    public static IEnumerable<object[]> Fixtures()
    {
        var fixtures = PsaCorpus.Fixtures;
        if (fixtures.Count == 0)
        {
            yield return [Missing];
            yield break;
        }
        foreach (var f in fixtures) yield return [f.RelativePath];
    }

    /// <summary>One row per level/version directory.</summary>
    public static IEnumerable<object[]> Directories()
    {
        var fixtures = PsaCorpus.Fixtures;
        if (fixtures.Count == 0)
        {
            yield return [Missing, -1];
            yield break;
        }
        foreach (var g in fixtures.GroupBy(f => (f.Level, f.Minor)))
            yield return [g.Key.Level.ToString().ToLowerInvariant(), g.Key.Minor];
    }

    private static readonly Lazy<Dictionary<string, PsaFixture>> ByPath =
        new(() => PsaCorpus.Fixtures.ToDictionary(f => f.RelativePath, StringComparer.Ordinal));

    private static PsaFixture Get(string relativePath)
    {
        Assert.True(relativePath != Missing,
            $"The Pod Security fixture corpus was not found: expected <repo>/../shared/corpus/psa/testdata beside {PsaCorpus.SolutionFile}, searched from {PsaCorpus.SearchedFrom}.");
        return ByPath.Value[relativePath];
    }

    [Fact]
    public void Corpus_is_present_and_complete()
    {
        Assert.True(PsaCorpus.Root is not null,
            $"The Pod Security fixture corpus was not found: expected <repo>/../shared/corpus/psa/testdata beside {PsaCorpus.SolutionFile}, searched from {PsaCorpus.SearchedFrom}.");
        var all = PsaCorpus.Fixtures;
        Assert.Equal(PsaCorpus.ExpectedFileCount, all.Count);
        Assert.Equal(1051, all.Count(f => f.Pass));
        Assert.Equal(3486, all.Count(f => !f.Pass));
        Assert.Equal(1555, all.Count(f => f.Level == PodSecurityLevel.Baseline));
        Assert.Equal(2982, all.Count(f => f.Level == PodSecurityLevel.Restricted));
        Assert.Equal(Enumerable.Range(0, 38), all.Select(f => f.Minor).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_matches_admission(string fixture)
    {
        var f = Get(fixture);
        var pod = PsaCorpus.Load(f);
        var violations = PodSecurityEvaluator.Evaluate(pod.Metadata, pod.Spec, f.Level, f.Version);
        var message = PodSecurityEvaluator.FormatMessage(violations);
        if (f.Pass)
        {
            Assert.True(violations.Count == 0, $"{fixture} must be allowed at {f.Level}:{f.Version}, but: {message}");
            return;
        }
        Assert.True(violations.Count > 0, $"{fixture} must be denied at {f.Level}:{f.Version}, but was allowed.");
        Assert.True(PsaCorpus.ExpectedSubstring.TryGetValue(f.Family, out var expected), $"no expected substring for family '{f.Family}'");
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    /// <summary>Stricter than upstream's substring rule: the exact set of failing check ids (CHECKS.md 2.4).</summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fail_fixture_fails_exactly_the_expected_checks(string fixture)
    {
        var f = Get(fixture);
        if (f.Pass) return;
        var pod = PsaCorpus.Load(f);
        var actual = PodSecurityEvaluator.Evaluate(pod.Metadata, pod.Spec, f.Level, f.Version).Select(v => v.CheckId).ToHashSet();
        var expected = PsaCorpus.ExpectedFailingIds(f);
        Assert.True(expected.SetEquals(actual),
            $"{fixture}: expected failing checks [{string.Join(", ", expected.Order())}], got [{string.Join(", ", actual.Order())}]");
    }

    /// <summary>The optional cross-level properties of CHECKS.md 2.2, per directory.</summary>
    [Theory]
    [MemberData(nameof(Directories))]
    public void Cross_level_properties_hold(string level, int minor)
    {
        Assert.True(level != Missing, $"The Pod Security fixture corpus was not found (searched from {PsaCorpus.SearchedFrom}).");
        var lvl = Enum.Parse<PodSecurityLevel>(level, ignoreCase: true);
        var version = PodSecurityVersion.V1(minor);
        foreach (var f in PsaCorpus.Fixtures.Where(x => x.Level == lvl && x.Minor == minor))
        {
            var pod = PsaCorpus.Load(f);
            Assert.Empty(PodSecurityEvaluator.Evaluate(pod.Metadata, pod.Spec, PodSecurityLevel.Privileged, version));
            if (f.Pass && lvl == PodSecurityLevel.Restricted)
                Assert.True(PodSecurityEvaluator.IsAllowed(pod.Metadata, pod.Spec, PodSecurityLevel.Baseline, version), $"{f.RelativePath} must be allowed at baseline");
            if (!f.Pass && lvl == PodSecurityLevel.Baseline)
                Assert.False(PodSecurityEvaluator.IsAllowed(pod.Metadata, pod.Spec, PodSecurityLevel.Restricted, version), $"{f.RelativePath} must be denied at restricted");
            if (minor == PodSecurityVersion.NewestMinor)
            {
                var at37 = PodSecurityEvaluator.FormatMessage(PodSecurityEvaluator.Evaluate(pod.Metadata, pod.Spec, lvl, version));
                Assert.Equal(at37, PodSecurityEvaluator.FormatMessage(PodSecurityEvaluator.Evaluate(pod.Metadata, pod.Spec, lvl, PodSecurityVersion.Latest)));
                Assert.Equal(at37, PodSecurityEvaluator.FormatMessage(PodSecurityEvaluator.Evaluate(pod.Metadata, pod.Spec, lvl, PodSecurityVersion.Parse("v1.99"))));
            }
        }
    }

    /// <summary>KubernetesYaml keeps "present but empty" apart from "absent", which the corpus relies on (CHECKS.md 2.1).</summary>
    [Fact]
    public void KubernetesYaml_tells_empty_objects_from_absent()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: t
            spec:
              containers:
              - name: a
                securityContext:
                  capabilities: {}
              - name: b
                securityContext:
                  capabilities:
                    drop: []
                  seLinuxOptions: {}
              - name: c
              volumes:
              - name: v0
              - name: v1
                emptyDir: {}
            """;
        var pod = k8s.KubernetesYaml.Deserialize<V1Pod>(yaml);
        Assert.Null(pod.Spec.Volumes[0].EmptyDir);
        Assert.NotNull(pod.Spec.Volumes[1].EmptyDir);
        Assert.NotNull(pod.Spec.Containers[0].SecurityContext.Capabilities);
        Assert.Null(pod.Spec.Containers[0].SecurityContext.Capabilities.Drop);
        Assert.NotNull(pod.Spec.Containers[1].SecurityContext.Capabilities.Drop);
        Assert.Empty(pod.Spec.Containers[1].SecurityContext.Capabilities.Drop);
        Assert.NotNull(pod.Spec.Containers[1].SecurityContext.SeLinuxOptions);
        Assert.Null(pod.Spec.Containers[2].SecurityContext);
    }
}
