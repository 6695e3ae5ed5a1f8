using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class ServiceAccountNotSharedByWorkloadsTests
{
    private static V1PodSpec As(string? account)
    {
        var spec = Spec(Container("app"));
        spec.ServiceAccountName = account;
        return spec;
    }

    [Fact]
    public void Shared_account_fails_once_naming_every_workload()
    {
        var snapshot = Snapshot(
            Deployment("api", "shop", As("shop-sa")),
            StatefulSet("db", "shop", As("shop-sa")),
            CronJob("report", "shop", As("shop-sa")),
            Deployment("web", "shop", As("web")));
        var findings = TestSnapshots.Run<ServiceAccountNotSharedByWorkloads>(snapshot);
        Assert.Equal(2, findings.Count);
        var shared = Assert.Single(findings, f => f.Status == FindingStatus.Fail);
        Assert.Equal("EKS-IAM-026", shared.RuleId);
        Assert.Equal(Severity.Low, shared.Severity);
        Assert.Equal("ServiceAccount", shared.ResourceType);
        Assert.Equal("shop", shared.Namespace);
        Assert.Equal("shop-sa", shared.ResourceName);
        Assert.Contains("CronJob/report, Deployment/api, StatefulSet/db", shared.Message);
        Assert.Equal(3, shared.Evidence.Count);
        var single = Assert.Single(findings, f => f.Status == FindingStatus.Pass);
        Assert.Equal("web", single.ResourceName);
    }

    [Fact]
    public void Jobs_of_a_cron_job_count_as_the_cron_job()
    {
        var snapshot = Snapshot(
            CronJob("report", "shop", As("report")),
            Job("report-1", "shop", As("report"), Owner("CronJob", "report")),
            Job("report-2", "shop", As("report"), Owner("CronJob", "report")));
        var finding = Assert.Single(TestSnapshots.Run<ServiceAccountNotSharedByWorkloads>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("CronJob/report", finding.Message);
    }

    [Fact]
    public void A_job_whose_cron_job_is_not_in_the_snapshot_is_its_own_workload()
    {
        var snapshot = Snapshot(
            Job("orphan-1", "shop", As("batch"), Owner("CronJob", "deleted")),
            Job("manual", "shop", As("batch")));
        var finding = Assert.Single(TestSnapshots.Run<ServiceAccountNotSharedByWorkloads>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("Job/manual, Job/orphan-1", finding.Message);
    }

    [Fact]
    public void Unset_account_is_the_default_one_and_namespaces_are_separate()
    {
        var snapshot = Snapshot(
            Deployment("a", "team-a", As(null)),
            DaemonSet("b", "team-a", As("default")),
            Deployment("c", "team-b", As(null)));
        var findings = TestSnapshots.Run<ServiceAccountNotSharedByWorkloads>(snapshot);
        Assert.Equal(2, findings.Count);
        var teamA = Assert.Single(findings, f => f.Namespace == "team-a");
        Assert.Equal(FindingStatus.Fail, teamA.Status);
        Assert.Equal("default", teamA.ResourceName);
        Assert.Contains(teamA.Evidence, e => e == "Deployment/a: spec.template.spec.serviceAccountName = (not set: default)");
        Assert.Equal(FindingStatus.Pass, Assert.Single(findings, f => f.Namespace == "team-b").Status);
    }

    [Fact]
    public void Bare_pods_are_not_workloads_and_missing_sections_are_errors()
    {
        Assert.Equal(FindingStatus.NotApplicable,
            Assert.Single(TestSnapshots.Run<ServiceAccountNotSharedByWorkloads>(Snapshot(BarePod("a", "shop", As("x")), BarePod("b", "shop", As("x"))))).Status);

        var denied = Snapshot(Deployment("api", "shop", As("x"))).With(s => s.Kubernetes.CronJobs = Section<V1CronJob>.Denied("list cronjobs.batch"));
        var error = Assert.Single(TestSnapshots.Run<ServiceAccountNotSharedByWorkloads>(denied));
        Assert.Equal(FindingStatus.Error, error.Status);
        Assert.Contains("list cronjobs.batch", error.Message);
    }
}
