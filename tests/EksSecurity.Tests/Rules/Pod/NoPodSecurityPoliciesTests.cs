using System.Text.Json;
using EksSecurity.Engine.Rules.Pod;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using Psp = EksSecurity.Engine.Kubernetes.PodSecurityPolicy;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class NoPodSecurityPoliciesTests
{
    private static Psp P(string name, string spec, params (string Key, string Value)[] annotations) => new()
    {
        ApiVersion = "policy/v1beta1",
        Kind = "PodSecurityPolicy",
        Metadata = new V1ObjectMeta { Name = name, Annotations = annotations.Length == 0 ? null : annotations.ToDictionary(a => a.Key, a => a.Value) },
        Spec = JsonDocument.Parse(spec).RootElement.Clone(),
    };

    private const string Seccomp = "seccomp.security.alpha.kubernetes.io/allowedProfileNames";
    private const string AppArmor = "apparmor.security.beta.kubernetes.io/allowedProfileNames";

    /// <summary>The EKS default PSP of clusters before 1.25.</summary>
    private static readonly Psp EksPrivileged = P("eks.privileged", """
        { "privileged": true, "allowPrivilegeEscalation": true, "allowedCapabilities": ["*"], "volumes": ["*"],
          "hostNetwork": true, "hostPorts": [{ "min": 0, "max": 65535 }], "hostIPC": true, "hostPID": true,
          "runAsUser": { "rule": "RunAsAny" }, "seLinux": { "rule": "RunAsAny" }, "supplementalGroups": { "rule": "RunAsAny" },
          "fsGroup": { "rule": "RunAsAny" }, "readOnlyRootFilesystem": false }
        """, (Seccomp, "*"));

    /// <summary>The upstream example restricted PSP.</summary>
    private static readonly Psp Restricted = P("restricted", """
        { "privileged": false, "allowPrivilegeEscalation": false, "requiredDropCapabilities": ["ALL"],
          "volumes": ["configMap", "emptyDir", "projected", "secret", "downwardAPI", "csi", "persistentVolumeClaim", "ephemeral"],
          "hostNetwork": false, "hostIPC": false, "hostPID": false, "runAsUser": { "rule": "MustRunAsNonRoot" },
          "seLinux": { "rule": "RunAsAny" }, "supplementalGroups": { "rule": "MustRunAs", "ranges": [{ "min": 1, "max": 65535 }] },
          "fsGroup": { "rule": "MustRunAs", "ranges": [{ "min": 1, "max": 65535 }] }, "readOnlyRootFilesystem": false }
        """, (Seccomp, "docker/default,runtime/default"), (AppArmor, "runtime/default"));

    /// <summary>The upstream example baseline PSP, without its seccomp wildcard.</summary>
    private static readonly Psp Baseline = P("baseline", """
        { "privileged": false,
          "allowedCapabilities": ["CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE"],
          "volumes": ["configMap", "emptyDir", "projected", "secret", "downwardAPI", "csi", "persistentVolumeClaim", "ephemeral", "nfs", "awsElasticBlockStore"],
          "hostNetwork": false, "hostIPC": false, "hostPID": false, "runAsUser": { "rule": "RunAsAny" },
          "seLinux": { "rule": "RunAsAny" }, "supplementalGroups": { "rule": "RunAsAny" }, "fsGroup": { "rule": "RunAsAny" } }
        """, (Seccomp, "runtime/default,"), (AppArmor, "runtime/default,"));

    private static EksSecurityFinding Judge(Psp psp) => One<NoPodSecurityPolicies>(Cluster(psp));

    [Fact]
    public void Eks_privileged_maps_to_privileged()
    {
        var finding = Judge(EksPrivileged);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-020", finding.RuleId);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Equal("PodSecurityPolicy", finding.ResourceType);
        Assert.Equal("eks.privileged", finding.ResourceName);
        Assert.Equal("", finding.Namespace);
        Assert.Contains("privileged level", finding.Message);
        Assert.Contains("1.33", finding.Message); // the test cluster's version: the API no longer exists there
        Assert.StartsWith("corresponds to Pod Security Standards level: privileged", finding.Evidence[0]);
        var evidence = Evidence(finding);
        Assert.Contains("limits it to privileged: privileged: true allows privileged containers", evidence);
        Assert.Contains("hostNetwork: true", evidence);
        Assert.Contains("hostPorts allows 0-65535", evidence);
        Assert.Contains("volumes: '*'", evidence);
        Assert.Contains("allowedCapabilities: '*'", evidence);
    }

    [Fact]
    public void Upstream_restricted_example_maps_to_restricted_with_the_selinux_caveat()
    {
        var finding = Judge(Restricted);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("pod-security.kubernetes.io/enforce=restricted", finding.Message);
        Assert.StartsWith("corresponds to Pod Security Standards level: restricted", finding.Evidence[0]);
        Assert.DoesNotContain(finding.Evidence, e => e.StartsWith("limits it to", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.StartsWith("not constrained by the PSP", StringComparison.Ordinal) && e.Contains("seLinux.rule = RunAsAny"));
    }

    [Fact]
    public void Upstream_baseline_example_maps_to_baseline()
    {
        var finding = Judge(Baseline);
        Assert.Contains("pod-security.kubernetes.io/enforce=baseline", finding.Message);
        var evidence = Evidence(finding);
        Assert.Contains("limits it to baseline: volumes allows nfs, awsElasticBlockStore", evidence);
        Assert.Contains("limits it to baseline: runAsUser.rule = RunAsAny allows running as root", evidence);
        Assert.Contains("limits it to baseline: allowPrivilegeEscalation is not false", evidence);
        Assert.Contains("limits it to baseline: requiredDropCapabilities does not include ALL", evidence);
        Assert.Contains("CHOWN", evidence);
        Assert.DoesNotContain("limits it to privileged", evidence);
    }

    [Theory]
    [InlineData("""{ "volumes": ["hostPath"], "allowedHostPaths": [{ "pathPrefix": "/var/log", "readOnly": true }] }""", "volumes allows hostPath (allowedHostPaths: /var/log (read-only)")]
    [InlineData("""{ "allowedCapabilities": ["SYS_ADMIN", "NET_BIND_SERVICE"] }""", "add SYS_ADMIN, beyond the baseline set")]
    [InlineData("""{ "defaultAddCapabilities": ["cap_net_raw"] }""", "add NET_RAW, beyond the baseline set")]
    [InlineData("""{ "allowedUnsafeSysctls": ["kernel.msg*"] }""", "allowedUnsafeSysctls allows kernel.msg*")]
    [InlineData("""{ "allowedProcMountTypes": ["Default", "Unmasked"] }""", "allowedProcMountTypes allows Unmasked")]
    [InlineData("""{ "seLinux": { "rule": "MustRunAs", "seLinuxOptions": { "type": "spc_t" } } }""", "seLinux.seLinuxOptions.type = spc_t")]
    [InlineData("""{ "seLinux": { "rule": "MustRunAs", "seLinuxOptions": { "user": "system_u", "type": "container_t" } } }""", "seLinuxOptions.user = system_u")]
    [InlineData("""{ "hostPID": true }""", "hostPID: true")]
    public void Fields_beyond_baseline_map_to_privileged(string spec, string reason)
    {
        var finding = Judge(P("p", spec, (AppArmor, "runtime/default"), (Seccomp, "runtime/default")));
        Assert.StartsWith("corresponds to Pod Security Standards level: privileged", finding.Evidence[0]);
        Assert.Contains(finding.Evidence, e => e.StartsWith("limits it to privileged: ", StringComparison.Ordinal) && e.Contains(reason));
    }

    [Fact]
    public void Explicitly_unconfined_profiles_map_to_privileged_but_absent_apparmor_is_a_caveat()
    {
        const string tight = """
            { "allowPrivilegeEscalation": false, "requiredDropCapabilities": ["ALL"], "volumes": ["secret"],
              "runAsUser": { "rule": "MustRunAs", "ranges": [{ "min": 1000, "max": 2000 }] },
              "seLinux": { "rule": "MustRunAs", "seLinuxOptions": { "type": "container_t", "level": "s0:c1,c2" } } }
            """;
        var unconfined = Judge(P("unconfined", tight, (Seccomp, "runtime/default"), (AppArmor, "runtime/default,unconfined")));
        Assert.StartsWith("corresponds to Pod Security Standards level: privileged", unconfined.Evidence[0]);
        Assert.Contains("allows unconfined", Evidence(unconfined));

        var absent = Judge(P("no-apparmor", tight, (Seccomp, "runtime/default")));
        Assert.StartsWith("corresponds to Pod Security Standards level: restricted", absent.Evidence[0]);
        Assert.Contains(absent.Evidence, e => e.StartsWith("not constrained by the PSP", StringComparison.Ordinal) && e.Contains("AppArmor"));
        Assert.DoesNotContain("seLinux.rule", Evidence(absent)); // MustRunAs with an allowed type is constrained

        var noSeccomp = Judge(P("no-seccomp", tight, (AppArmor, "runtime/default")));
        Assert.StartsWith("corresponds to Pod Security Standards level: baseline", noSeccomp.Evidence[0]);
        Assert.Contains("pods cannot set a seccomp profile", Evidence(noSeccomp));
    }

    [Fact]
    public void Safe_sysctls_in_allowed_unsafe_sysctls_do_not_lower_the_level()
    {
        var finding = Judge(P("sysctl", """{ "allowedUnsafeSysctls": ["net.ipv4.ip_local_port_range"] }""", (AppArmor, "runtime/default"), (Seccomp, "runtime/default")));
        Assert.DoesNotContain("allowedUnsafeSysctls", Evidence(finding));
    }

    [Fact]
    public void One_finding_per_psp()
    {
        var findings = TestSnapshots.Run<NoPodSecurityPolicies>(Cluster(EksPrivileged, Restricted, Baseline));
        Assert.Equal(3, findings.Count);
        Assert.All(findings, f => Assert.Equal(FindingStatus.Fail, f.Status));
    }

    [Fact]
    public void No_psp_is_not_applicable()
    {
        Assert.Equal(FindingStatus.NotApplicable, One<NoPodSecurityPolicies>(Cluster()).Status);
    }

    [Fact]
    public void Section_not_collected_on_a_current_cluster_is_not_applicable()
    {
        var snapshot = Cluster().With(s => s.Kubernetes.PodSecurityPolicies = null);
        var finding = One<NoPodSecurityPolicies>(snapshot);
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
        Assert.Contains("1.33", finding.Message);
    }

    [Fact]
    public void Section_not_collected_on_an_old_or_unknown_cluster_is_an_error()
    {
        var old = Cluster().With(s =>
        {
            s.Kubernetes.PodSecurityPolicies = Section<Psp>.Denied("list podsecuritypolicies");
            s.Cluster().Version = "1.24";
        });
        var finding = One<NoPodSecurityPolicies>(old);
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("list podsecuritypolicies", string.Join(" ", finding.Evidence));

        var unknown = Cluster().With(s => { s.Kubernetes.PodSecurityPolicies = null; s.Aws.Cluster = null; s.Kubernetes.ServerVersion = null; });
        Assert.Equal(FindingStatus.Error, One<NoPodSecurityPolicies>(unknown).Status);
    }

    [Fact]
    public void Old_cluster_message_says_it_blocks_the_upgrade()
    {
        var snapshot = Cluster(Restricted).With(s => s.Cluster().Version = "1.23");
        Assert.Contains("cannot upgrade", One<NoPodSecurityPolicies>(snapshot).Message);
    }
}
