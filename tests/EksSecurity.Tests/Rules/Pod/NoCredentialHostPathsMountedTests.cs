using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Pod;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class NoCredentialHostPathsMountedTests
{
    private static EksSecurityFinding Judge(string path, RuleSettings? settings = null) =>
        OnPod<NoCredentialHostPathsMounted>(Spec(C("app", mounts: [Mount("host", "/host", readOnly: true)])).With(s => s.Volumes = [HostPath("host", path)]), settings);

    [Theory]
    [InlineData("/root/.aws", "matches /root/.aws")]
    [InlineData("/root/.aws/credentials", "is inside /root/.aws")]
    [InlineData("/home/ec2-user/.aws", "matches /home/*/.aws")]
    [InlineData("/home/ec2-user/.aws/", "matches /home/*/.aws")]
    [InlineData("/home/ssm-user/.aws/config", "is inside /home/*/.aws")]
    [InlineData("/opt/app/.aws/credentials", "matches */.aws/*")]
    [InlineData("/srv/.aws/sso/cache", "is inside */.aws/*")]
    [InlineData("/opt/app/.aws", "is a directory above */.aws/*")]
    [InlineData("/etc/kubernetes", "matches /etc/kubernetes")]
    [InlineData("/etc/kubernetes/kubelet/config.json", "is inside /etc/kubernetes")]
    [InlineData("/var/lib/kubelet", "matches /var/lib/kubelet")]
    [InlineData("/var/lib/kubelet/pki/", "matches /var/lib/kubelet/pki")]
    [InlineData("/var/lib/kubelet/pods", "is inside /var/lib/kubelet")]
    [InlineData("/etc/eks", "matches /etc/eks")]
    [InlineData("/etc", "is a directory above /etc/kubernetes")]
    [InlineData("/home", "is a directory above /home/*/.aws")]
    [InlineData("/var/lib", "is a directory above /var/lib/kubelet")]
    [InlineData("/", "is a directory above /root/.aws")]
    [InlineData("/etc//kubernetes/../kubernetes/", "matches /etc/kubernetes")]
    public void Credential_and_node_config_paths_fail(string path, string how)
    {
        var finding = Judge(path);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-015", finding.RuleId);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains(how, Evidence(finding));
        Assert.Contains("mounted by containers[app]", Evidence(finding));
    }

    [Fact]
    public void Nested_paths_report_every_pattern_they_meet()
    {
        var evidence = Evidence(Judge("/var/lib/kubelet/pki"));
        Assert.Contains("is inside /var/lib/kubelet", evidence);
        Assert.Contains("matches /var/lib/kubelet/pki", evidence);
    }

    [Theory]
    [InlineData("/var/log")]
    [InlineData("/home/ec2-user/.awsome")]
    [InlineData("/home/ec2-user/data")]
    [InlineData("/opt/aws")]
    [InlineData("/etc/kubernetes-backup")]
    [InlineData("/var/lib/kubelet-plugins")]
    [InlineData("/data/.aws-cache/x")]
    public void Other_paths_pass(string path)
    {
        var finding = Judge(path);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("no credential or node-config path", Evidence(finding));
    }

    [Fact]
    public void Patterns_come_from_the_settings()
    {
        var settings = new RuleSettings { CredentialHostPaths = ["/opt/vault"] };
        Assert.Equal(FindingStatus.Pass, Judge("/root/.aws", settings).Status);
        Assert.Equal(FindingStatus.Fail, Judge("/opt/vault/token", settings).Status);
    }
}
