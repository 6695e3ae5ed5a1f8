using EksSecurity.Engine.Rules.Tenant;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Tenant;

public class NamespaceHasResourceQuotaTests
{
    internal static V1Namespace Ns(string name) => new() { Metadata = TestSnapshots.Meta(name) };

    private static V1ResourceQuota Quota(string name, string ns, Dictionary<string, ResourceQuantity>? hard) =>
        new() { Metadata = TestSnapshots.Meta(name, ns), Spec = new V1ResourceQuotaSpec { Hard = hard } };

    private static ClusterSnapshot Snapshot(V1Namespace[] namespaces, params V1ResourceQuota[] quotas) => TestSnapshots.Empty().With(s =>
    {
        s.Kubernetes.Namespaces = Section<V1Namespace>.Collected(namespaces);
        s.Kubernetes.ResourceQuotas = Section<V1ResourceQuota>.Collected(quotas);
    });

    [Fact]
    public void Namespace_without_quota_fails_and_one_with_quota_passes()
    {
        var snapshot = Snapshot([Ns("kube-system"), Ns("team-a"), Ns("team-b")],
            Quota("compute", "team-b", new() { ["requests.cpu"] = new ResourceQuantity("4"), ["pods"] = new ResourceQuantity("50") }),
            Quota("elsewhere", "kube-system", new() { ["pods"] = new ResourceQuantity("10") }));
        var findings = TestSnapshots.Run<NamespaceHasResourceQuota>(snapshot);
        Assert.Equal(2, findings.Count);

        var a = Assert.Single(findings, f => f.ResourceName == "team-a");
        Assert.Equal(FindingStatus.Fail, a.Status);
        Assert.Equal("EKS-TENANT-001", a.RuleId);
        Assert.Contains("no ResourceQuota", a.Message);

        var b = Assert.Single(findings, f => f.ResourceName == "team-b");
        Assert.Equal(FindingStatus.Pass, b.Status);
        Assert.Contains(b.Evidence, e => e == "ResourceQuota compute: spec.hard = {pods=50, requests.cpu=4}");
    }

    [Fact]
    public void Quota_without_hard_limits_does_not_count()
    {
        var finding = Assert.Single(TestSnapshots.Run<NamespaceHasResourceQuota>(Snapshot([Ns("team-a")], Quota("placeholder", "team-a", null))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("no spec.hard", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "ResourceQuota placeholder: spec.hard = (empty)");
    }

    [Fact]
    public void Denied_quotas_are_an_error()
    {
        var snapshot = Snapshot([Ns("team-a")]).With(s => s.Kubernetes.ResourceQuotas = Section<V1ResourceQuota>.Denied("list resourcequotas"));
        var finding = Assert.Single(TestSnapshots.Run<NamespaceHasResourceQuota>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("list resourcequotas", finding.Message);
    }
}
