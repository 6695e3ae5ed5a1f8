using EksSecurity.Engine.Rules.Pod;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class NoHostPidTests
{
    [Fact]
    public void HostPid_pod_fails()
    {
        var finding = OnPod<NoHostPid>(Spec(C()).With(s => s.HostPID = true));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-005", finding.RuleId);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(["spec.hostPID = true"], finding.Evidence);
    }

    [Fact]
    public void HostPid_in_a_cronjob_template_fails_with_the_template_path()
    {
        var finding = One<NoHostPid>(Cluster(CronJob("backup", Spec(C()).With(s => s.HostPID = true))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("CronJob", finding.ResourceType);
        Assert.Equal(["spec.jobTemplate.spec.template.spec.hostPID = true"], finding.Evidence);
    }

    [Theory]
    [InlineData(false, "spec.hostPID = false")]
    [InlineData(null, "spec.hostPID = (unset)")]
    public void Unset_or_false_passes(bool? value, string evidence)
    {
        var finding = OnPod<NoHostPid>(Spec(C()).With(s => s.HostPID = value));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal([evidence], finding.Evidence);
    }

    [Fact]
    public void Share_process_namespace_is_not_host_pid()
    {
        var finding = OnPod<NoHostPid>(Spec(C()).With(s => s.ShareProcessNamespace = true));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }
}
