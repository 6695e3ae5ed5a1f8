using EksSecurity.Engine;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests;

/// <summary>
/// The demo (examples/demo-cluster) is what the README runs: snapshot.json, a misconfigured
/// production-like cluster, and sandbox.json, a small cluster for the few rules that cannot fire
/// beside the first one's story (a customer KMS key that is badly kept, while snapshot.json has no key
/// at all; no namespace enforcing Pod Security). Every rule of the catalogue must fire on one of them
/// at least once, beside compliant resources that pass. A new rule without a demo line fails here.
/// </summary>
public class DemoSnapshotTests
{
    private static readonly Lazy<string> s_path = new(() => RepoPaths.InRepo("examples", "demo-cluster", "snapshot.json"));
    private static readonly Lazy<IReadOnlyList<string>> s_all = new(() =>
        Directory.GetFiles(RepoPaths.InRepo("examples", "demo-cluster"), "*.json").Order(StringComparer.Ordinal).ToList());
    private static readonly Lazy<IReadOnlyList<EksSecurityFinding>> s_findings = new(() =>
        s_all.Value.SelectMany(path => Evaluate(SnapshotReader.Read(path))).ToList());

    public static string DemoPath => s_path.Value;

    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var rule in RuleCatalog.Default.Rules) data.Add(rule.Metadata.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_fires_on_the_demo(string ruleId)
    {
        var findings = s_findings.Value.Where(f => f.RuleId == ruleId).ToList();
        Assert.True(findings.Any(f => f.Status is FindingStatus.Fail or FindingStatus.Warning),
            $"{ruleId} does not fail or warn on any demo snapshot ({string.Join(", ", s_all.Value.Select(Path.GetFileName))}); add a demo line where it fires. Its findings:\n" + Describe(findings));
    }

    [Fact]
    public void The_demo_covers_the_whole_catalogue()
    {
        var engine = new SecurityEngine();
        var fired = s_findings.Value.Where(f => f.Status is FindingStatus.Fail or FindingStatus.Warning).Select(f => f.RuleId).ToHashSet();
        var silent = engine.Rules.Select(r => r.Id).Where(id => !fired.Contains(id)).ToList();
        Assert.True(silent.Count == 0, "Rules that never fire on the demo: " + string.Join(", ", silent));
    }

    [Fact]
    public void No_rule_errors_on_the_demo()
    {
        var errors = s_findings.Value.Where(f => f.Status == FindingStatus.Error).ToList();
        Assert.True(errors.Count == 0, "Findings with status Error:\n" + Describe(errors));
    }

    [Fact]
    public void The_demo_also_has_compliant_resources()
    {
        var passes = s_findings.Value.Where(f => f.Status == FindingStatus.Pass).ToList();
        Assert.NotEmpty(passes);
        // Compliance beside violations across areas, not only one cluster-level check.
        Assert.True(passes.Select(f => f.Area).Distinct().Count() >= 2,
            "Passing findings come from a single area: " + string.Join(", ", passes.Select(f => f.RuleId).Distinct()));
    }

    [Fact]
    public void The_demo_describes_the_cluster_it_claims()
    {
        var snapshot = SnapshotReader.Read(DemoPath);
        Assert.Equal("demo-cluster", snapshot.ClusterName);
        Assert.Equal("eu-west-1", snapshot.Region);
        Assert.Equal("111122223333", snapshot.AccountId);
        Assert.Equal("arn:aws:eks:eu-west-1:111122223333:cluster/demo-cluster", snapshot.ClusterArn);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), snapshot.CollectedAt);
        Assert.Equal("1.31", snapshot.Aws.Cluster!.Value!.Version);
        // Sections written in the file are collected; nothing is denied or failed.
        Assert.DoesNotContain(snapshot.Sections, s => s.Status is SectionStatus.Denied or SectionStatus.Failed);
        Assert.True(snapshot.Index.AwsAuth.Exists);
        Assert.Empty(snapshot.Index.AwsAuth.ParseErrors);
    }

    [Fact]
    public void Findings_survive_a_write_and_read_round_trip()
    {
        var original = SnapshotReader.Read(DemoPath);
        var before = Evaluate(original);

        using var stream = new MemoryStream();
        SnapshotWriter.Write(original, stream);
        stream.Position = 0;
        var reread = SnapshotReader.Read(stream, "demo round trip");
        var after = Evaluate(reread);

        Assert.Equal(Keys(before), Keys(after));
    }

    private static IReadOnlyList<EksSecurityFinding> Evaluate(ClusterSnapshot snapshot) =>
        new SecurityEngine().Evaluate(snapshot, new EvaluationOptions());

    private static List<string> Keys(IEnumerable<EksSecurityFinding> findings) =>
        findings
            .Select(f => string.Join(" | ", f.RuleId, f.Status, f.Severity, f.Resource, f.Message, string.Join(" ; ", f.Evidence)))
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToList();

    private static string Describe(IEnumerable<EksSecurityFinding> findings)
    {
        var lines = findings.Select(f => "  " + f).ToList();
        return lines.Count == 0 ? "  (none)" : string.Join("\n", lines);
    }
}
