using EksSecurity.Engine.Rules.Tenant;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Tenant.NamespaceHasResourceQuotaTests;

namespace EksSecurity.Tests.Rules.Tenant;

public class NamespaceHasLimitRangeTests
{
    private static V1LimitRange Range(string name, string ns, params string[] types) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns),
        Spec = new V1LimitRangeSpec { Limits = types.Select(t => new V1LimitRangeItem { Type = t }).ToList() },
    };

    private static ClusterSnapshot Snapshot(V1Namespace[] namespaces, params V1LimitRange[] ranges) => TestSnapshots.Empty().With(s =>
    {
        s.Kubernetes.Namespaces = Section<V1Namespace>.Collected(namespaces);
        s.Kubernetes.LimitRanges = Section<V1LimitRange>.Collected(ranges);
    });

    [Fact]
    public void Namespace_without_limit_range_fails_and_one_with_it_passes()
    {
        var findings = TestSnapshots.Run<NamespaceHasLimitRange>(Snapshot([Ns("kube-node-lease"), Ns("team-a"), Ns("team-b")], Range("defaults", "team-b", "Container", "PersistentVolumeClaim")));
        Assert.Equal(2, findings.Count);

        var a = Assert.Single(findings, f => f.ResourceName == "team-a");
        Assert.Equal(FindingStatus.Fail, a.Status);
        Assert.Equal("EKS-TENANT-002", a.RuleId);
        Assert.Equal(Severity.Low, a.Severity);
        Assert.Contains("no LimitRange", a.Message);

        var b = Assert.Single(findings, f => f.ResourceName == "team-b");
        Assert.Equal(FindingStatus.Pass, b.Status);
        Assert.Contains(b.Evidence, e => e == "LimitRange defaults: spec.limits = [Container, PersistentVolumeClaim]");
    }

    [Fact]
    public void Limit_range_without_limits_does_not_count()
    {
        var finding = Assert.Single(TestSnapshots.Run<NamespaceHasLimitRange>(Snapshot([Ns("team-a")], Range("empty", "team-a"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("no spec.limits", finding.Message);
    }

    [Fact]
    public void Limit_range_in_another_namespace_does_not_count()
    {
        var finding = Assert.Single(TestSnapshots.Run<NamespaceHasLimitRange>(Snapshot([Ns("team-a")], Range("defaults", "team-b", "Container"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("team-a", finding.ResourceName);
    }

    [Fact]
    public void Failed_limit_ranges_are_an_error()
    {
        var snapshot = Snapshot([Ns("team-a")]).With(s => s.Kubernetes.LimitRanges = Section<V1LimitRange>.Failed("timeout"));
        var finding = Assert.Single(TestSnapshots.Run<NamespaceHasLimitRange>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("LimitRanges", finding.Message);
    }
}
