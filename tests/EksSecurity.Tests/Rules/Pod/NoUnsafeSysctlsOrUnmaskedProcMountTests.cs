using EksSecurity.Engine.Rules.Pod;
using k8s.Models;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class NoUnsafeSysctlsOrUnmaskedProcMountTests
{
    private static V1PodSpec WithSysctls(params (string Name, string Value)[] sysctls) =>
        Spec(C("app")).With(s => s.SecurityContext = new V1PodSecurityContext { Sysctls = sysctls.Select(x => new V1Sysctl { Name = x.Name, Value = x.Value }).ToList() });

    [Fact]
    public void Unsafe_sysctl_fails()
    {
        var finding = OnPod<NoUnsafeSysctlsOrUnmaskedProcMount>(WithSysctls(("net.ipv4.ip_local_port_range", "1024 65535"), ("kernel.msgmax", "65536")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-018", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("sysctls outside the baseline safe set (kernel.msgmax)", finding.Message);
        Assert.Equal(["spec.securityContext.sysctls[kernel.msgmax] = 65536: not in the baseline safe set (latest)"], finding.Evidence);
    }

    [Theory]
    [InlineData("net.ipv4.ip_unprivileged_port_start")]
    [InlineData("net.ipv4.tcp_keepalive_time")]        // added in policy v1.29
    [InlineData("net.ipv4.ip_local_reserved_ports")]   // added in policy v1.27
    public void Safe_sysctls_pass(string name)
    {
        var finding = OnPod<NoUnsafeSysctlsOrUnmaskedProcMount>(WithSysctls((name, "1")));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains($"spec.securityContext.sysctls[{name}] = 1: in the baseline safe set (latest)", finding.Evidence);
    }

    [Theory]
    [InlineData("net/ipv4/ip_local_port_range")]   // the slash form is not normalised by the admission check either
    [InlineData("NET.IPV4.TCP_SYNCOOKIES")]
    public void Sysctl_names_match_exactly(string name)
    {
        Assert.Equal(FindingStatus.Fail, OnPod<NoUnsafeSysctlsOrUnmaskedProcMount>(WithSysctls((name, "1"))).Status);
    }

    [Fact]
    public void Unmasked_proc_mount_fails_in_any_container()
    {
        var spec = Spec(C("app", new V1SecurityContext { ProcMount = "Default" })).With(s => s.InitContainers = [C("nested", new V1SecurityContext { ProcMount = "Unmasked" })]);
        var finding = OnPod<NoUnsafeSysctlsOrUnmaskedProcMount>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("an unmasked procMount in initContainers[nested]", finding.Message);
        Assert.Equal(["spec.initContainers[nested].securityContext.procMount = Unmasked: /proc is not masked"], finding.Evidence);
    }

    [Fact]
    public void Unmasked_proc_mount_in_a_user_namespace_is_allowed()
    {
        var spec = Spec(C("app", new V1SecurityContext { ProcMount = "Unmasked" })).With(s => s.HostUsers = false);
        var finding = OnPod<NoUnsafeSysctlsOrUnmaskedProcMount>(spec);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("user namespace", Evidence(finding));
    }

    [Fact]
    public void Nothing_set_passes()
    {
        var finding = OnPod<NoUnsafeSysctlsOrUnmaskedProcMount>(Spec(C("app")));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(["spec.securityContext.sysctls: none", "spec.containers[app].securityContext.procMount = (unset)"], finding.Evidence);
    }
}
