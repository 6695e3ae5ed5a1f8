using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using k8s.Models;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class WorkloadsAvoidDefaultServiceAccountTests
{
    private static V1PodSpec As(string? account, string? deprecatedAlias = null)
    {
        var spec = Spec(Container("app"));
        spec.ServiceAccountName = account;
        spec.ServiceAccount = deprecatedAlias;
        return spec;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("default")]
    public void Default_or_unset_fails(string? account)
    {
        var finding = Assert.Single(TestSnapshots.Run<WorkloadsAvoidDefaultServiceAccount>(Snapshot(Deployment("api", "shop", As(account)))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-IAM-023", finding.RuleId);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Equal("Deployment", finding.ResourceType);
        Assert.Single(finding.Evidence, e => e.StartsWith("spec.template.spec.serviceAccount", StringComparison.Ordinal));
    }

    [Fact]
    public void Dedicated_account_passes_including_the_deprecated_alias()
    {
        var snapshot = Snapshot(Deployment("api", "shop", As("orders-api")), BarePod("legacy", "shop", As(null, "legacy-sa")));
        var findings = TestSnapshots.Run<WorkloadsAvoidDefaultServiceAccount>(snapshot);
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
        Assert.Contains(findings, f => f.Evidence.Contains("spec.serviceAccount (deprecated alias) = legacy-sa"));
    }

    [Fact]
    public void System_namespaces_are_skipped_and_replicas_judged_through_the_template()
    {
        var snapshot = Snapshot(
            Deployment("coredns", "kube-system", As(null)),
            CronJob("report", "shop", As(null)),
            Job("report-28000000", "shop", As(null), Owner("CronJob", "report")),
            BarePod("report-28000000-x", "shop", As(null), owner: Owner("Job", "report-28000000")));
        var finding = Assert.Single(TestSnapshots.Run<WorkloadsAvoidDefaultServiceAccount>(snapshot));
        Assert.Equal("CronJob", finding.ResourceType);
        Assert.Equal(FindingStatus.Fail, finding.Status);

        var settings = new RuleSettings { SystemNamespaces = new HashSet<string>() };
        Assert.Equal(2, TestSnapshots.Run<WorkloadsAvoidDefaultServiceAccount>(snapshot, settings).Count);
    }

    [Fact]
    public void Manifest_without_a_namespace_is_judged()
    {
        var finding = Assert.Single(TestSnapshots.Run<WorkloadsAvoidDefaultServiceAccount>(Snapshot(Deployment("api", null!, As(null)))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("", finding.Namespace);
    }
}
