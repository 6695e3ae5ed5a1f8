using EksSecurity.Engine;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Engine;

public class RuleRunnerTests
{
    private sealed class ThrowingRule : Rule
    {
        public override EksSecurityRule Metadata { get; } = TestRule("EKS-NET-901");
        public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context) => throw new InvalidOperationException("boom");
    }

    private sealed class SilentRule : Rule
    {
        public override EksSecurityRule Metadata { get; } = TestRule("EKS-NET-902");
        public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context) => [];
    }

    private sealed class PodsRule : Rule
    {
        public override EksSecurityRule Metadata { get; } = TestRule("EKS-POD-903", SnapshotSection.Pods, SnapshotSection.Nodes);
        public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context) { yield return context.Pass(context.Cluster, "looked"); }
    }

    private static EksSecurityRule TestRule(string id, params SnapshotSection[] reads) => new()
    {
        Id = id, Title = id, Severity = Severity.Low, Area = Enum.Parse<RuleArea>(id.Split('-')[1], ignoreCase: true),
        Rationale = "r", Remediation = "m", Reads = reads,
    };

    private static IReadOnlyList<EksSecurityFinding> Run(Rule rule, ClusterSnapshot snapshot) =>
        new RuleRunner(new RuleCatalog([rule]), RuleSettings.Default).RunOne(rule, snapshot);

    [Fact]
    public void A_rule_that_throws_reports_Error_not_silence()
    {
        var finding = Assert.Single(Run(new ThrowingRule(), TestSnapshots.Empty()));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("boom", finding.Message);
    }

    [Fact]
    public void A_rule_that_judges_nothing_reports_NotApplicable()
    {
        var finding = Assert.Single(Run(new SilentRule(), TestSnapshots.Empty()));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
    }

    [Theory]
    [InlineData(SectionStatus.Denied, "needs list pods")]
    [InlineData(SectionStatus.Failed, "timeout")]
    [InlineData(SectionStatus.NotCollected, "NotCollected")]
    public void Missing_data_is_an_Error_naming_the_section(SectionStatus status, string text)
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Pods = status switch
        {
            SectionStatus.Denied => Section<k8s.Models.V1Pod>.Denied("list pods"),
            SectionStatus.Failed => Section<k8s.Models.V1Pod>.Failed("timeout"),
            _ => null,
        });
        var finding = Assert.Single(Run(new PodsRule(), snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("Pods", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains(text) || finding.Message.Contains(text));
    }

    [Fact]
    public void Catalogue_rejects_duplicate_and_malformed_ids()
    {
        Assert.Throws<InvalidOperationException>(() => new RuleCatalog([new SilentRule(), new SilentRule()]));
    }

    [Fact]
    public void Catalogue_finds_every_rule_and_metadata_is_complete()
    {
        var rules = RuleCatalog.Default.Rules;
        Assert.NotEmpty(rules);
        foreach (var rule in rules)
        {
            var m = rule.Metadata;
            Assert.False(string.IsNullOrWhiteSpace(m.Title), m.Id);
            Assert.False(string.IsNullOrWhiteSpace(m.Rationale), m.Id);
            Assert.False(string.IsNullOrWhiteSpace(m.Remediation), m.Id);
            Assert.NotEmpty(m.References);
            Assert.True(m.Reads.Count > 0 || m.OptionallyReads.Count > 0, $"{m.Id} declares no snapshot data");
        }
    }

    [Fact]
    public void Evaluation_is_deterministic_and_ordered_by_rule()
    {
        var engine = new SecurityEngine();
        var snapshot = TestSnapshots.Empty();
        var first = engine.Evaluate(snapshot, new EvaluationOptions()).Select(f => f.ToString()).ToList();
        for (var i = 0; i < 5; i++)
            Assert.Equal(first, engine.Evaluate(snapshot, new EvaluationOptions()).Select(f => f.ToString()).ToList());
        var ids = engine.Evaluate(snapshot, new EvaluationOptions()).Select(f => f.RuleId).ToList();
        Assert.Equal(ids.OrderBy(x => x, StringComparer.Ordinal), ids);
    }

    [Fact]
    public void Status_filter_and_rule_selection_apply()
    {
        var engine = new SecurityEngine();
        var findings = engine.Evaluate(TestSnapshots.Empty(), new EvaluationOptions { RuleIds = ["EKS-NET-001"], Statuses = [FindingStatus.Pass] });
        var finding = Assert.Single(findings);
        Assert.Equal("EKS-NET-001", finding.RuleId);
        Assert.Empty(engine.Evaluate(TestSnapshots.Empty(), new EvaluationOptions { RuleIds = ["EKS-NET-001"], Statuses = [FindingStatus.Fail] }));
    }

    [Fact]
    public void Cancellation_stops_evaluation()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new SecurityEngine().Evaluate(TestSnapshots.Empty(), new EvaluationOptions(), cts.Token));
    }
}
