using EksSecurity.Engine.PodSecurity;
using k8s.Models;
using static EksSecurity.PodSecurityLevel;
using static EksSecurity.Tests.PodSecurity.PodSecurityTestPods;

namespace EksSecurity.Tests.PodSecurity;

/// <summary>CHECKS.md section 5 (rules the fixtures do not exercise) and the evaluator's contract.</summary>
public class PodSecurityBehaviourTests
{
    [Fact]
    public void Base_pods_are_allowed_at_every_version()
    {
        for (var minor = 0; minor <= 40; minor++)
        {
            Assert.Empty(Eval(RestrictedPod(), Restricted, $"v1.{minor}"));
            Assert.Empty(Eval(BaselinePod(), Baseline, $"v1.{minor}"));
        }
        Assert.Empty(Eval(RestrictedPod(), Restricted, "latest"));
    }

    // ---- seLinuxOptions container_engine_t (v1.31+) ----

    [Theory]
    [InlineData("v1.0", false)]
    [InlineData("v1.30", false)]
    [InlineData("v1.31", true)]
    [InlineData("v1.37", true)]
    [InlineData("latest", true)]
    public void SeLinux_container_engine_t_allowed_from_1_31(string version, bool allowed)
    {
        var pod = BaselinePod();
        pod.Containers[0].SecurityContext = new() { SeLinuxOptions = new() { Type = "container_engine_t" } };
        Assert.Equal(allowed, Eval(pod, Baseline, version).Count == 0);
        var podLevel = BaselinePod();
        podLevel.SecurityContext = new() { SeLinuxOptions = new() { Type = "container_engine_t", Level = "s0:c123,c456" } };
        Assert.Equal(allowed, Eval(podLevel, Baseline, version).Count == 0);
    }

    // ---- hostUsers: false relaxations (v1.35+) ----

    private static V1PodSpec RootPod(bool? hostUsers)
    {
        var pod = RestrictedPod();
        pod.HostUsers = hostUsers;
        pod.SecurityContext.RunAsNonRoot = null;
        pod.SecurityContext.RunAsUser = 0;
        pod.Containers[0].SecurityContext.RunAsNonRoot = false;
        pod.InitContainers[0].SecurityContext.RunAsUser = 0;
        return pod;
    }

    [Theory]
    [InlineData("v1.23", null, new[] { "runAsNonRoot", "runAsUser" })]
    [InlineData("v1.34", false, new[] { "runAsNonRoot", "runAsUser" })]
    [InlineData("v1.35", null, new[] { "runAsNonRoot", "runAsUser" })]
    [InlineData("v1.35", true, new[] { "runAsNonRoot", "runAsUser" })]
    [InlineData("v1.35", false, new string[0])]
    [InlineData("latest", false, new string[0])]
    [InlineData("v1.22", false, new[] { "runAsNonRoot" })] // runAsUser starts at 1.23
    public void RunAsNonRoot_and_RunAsUser_relaxed_for_user_namespaces_from_1_35(string version, bool? hostUsers, string[] failing) =>
        Assert.Equal(failing, Ids(RootPod(hostUsers), Restricted, version));

    [Theory]
    [InlineData(Baseline, "v1.34", false, "procMount")]
    [InlineData(Baseline, "v1.35", false, null)]
    [InlineData(Baseline, "v1.35", true, "procMount")]
    [InlineData(Baseline, "v1.35", null, "procMount")]
    [InlineData(Restricted, "v1.34", false, "procMount")]
    [InlineData(Restricted, "v1.35", false, "procMount_restricted")]
    [InlineData(Restricted, "v1.35", null, "procMount_restricted")]
    [InlineData(Restricted, "latest", false, "procMount_restricted")]
    public void ProcMount_relaxed_for_user_namespaces_only_at_baseline(PodSecurityLevel level, string version, bool? hostUsers, string? failing)
    {
        var pod = level == Restricted ? RestrictedPod() : BaselinePod();
        pod.HostUsers = hostUsers;
        (pod.Containers[0].SecurityContext ??= new()).ProcMount = "Unmasked";
        var ids = Ids(pod, level, version);
        Assert.Equal(failing is null ? [] : [failing], ids);
    }

    // ---- ephemeral containers ----

    public static IEnumerable<object[]> EphemeralCases()
    {
        // level, version, check, mutation of the ephemeral container
        yield return [Baseline, "latest", "privileged", (Action<V1EphemeralContainer>)(c => c.SecurityContext.Privileged = true)];
        yield return [Baseline, "latest", "capabilities_baseline", (Action<V1EphemeralContainer>)(c => c.SecurityContext.Capabilities.Add = ["SYS_ADMIN"])];
        yield return [Restricted, "latest", "capabilities_restricted", (Action<V1EphemeralContainer>)(c => c.SecurityContext.Capabilities.Drop = ["NET_RAW"])];
        yield return [Baseline, "latest", "hostPorts", (Action<V1EphemeralContainer>)(c => c.Ports = [new() { ContainerPort = 80, HostPort = 8080 }])];
        yield return [Baseline, "latest", "hostProbesAndHostLifecycle", (Action<V1EphemeralContainer>)(c => c.ReadinessProbe = new() { HttpGet = new() { Host = "10.0.0.1" } })];
        yield return [Baseline, "latest", "appArmorProfile", (Action<V1EphemeralContainer>)(c => c.SecurityContext.AppArmorProfile = new() { Type = "Unconfined" })];
        yield return [Baseline, "latest", "seLinuxOptions", (Action<V1EphemeralContainer>)(c => c.SecurityContext.SeLinuxOptions = new() { Type = "spc_t" })];
        yield return [Baseline, "latest", "procMount", (Action<V1EphemeralContainer>)(c => c.SecurityContext.ProcMount = "Unmasked")];
        yield return [Restricted, "latest", "procMount_restricted", (Action<V1EphemeralContainer>)(c => c.SecurityContext.ProcMount = "Unmasked")];
        yield return [Baseline, "v1.19", "seccompProfile_baseline", (Action<V1EphemeralContainer>)(c => c.SecurityContext.SeccompProfile = new() { Type = "Unconfined" })];
        yield return [Restricted, "latest", "seccompProfile_restricted", (Action<V1EphemeralContainer>)(c => c.SecurityContext.SeccompProfile = new() { Type = "Unconfined" })];
        yield return [Baseline, "latest", "windowsHostProcess", (Action<V1EphemeralContainer>)(c => c.SecurityContext.WindowsOptions = new() { HostProcess = true })];
        yield return [Restricted, "latest", "allowPrivilegeEscalation", (Action<V1EphemeralContainer>)(c => c.SecurityContext.AllowPrivilegeEscalation = null)];
        yield return [Restricted, "latest", "runAsNonRoot", (Action<V1EphemeralContainer>)(c => c.SecurityContext.RunAsNonRoot = false)];
        yield return [Restricted, "latest", "runAsUser", (Action<V1EphemeralContainer>)(c => c.SecurityContext.RunAsUser = 0)];
    }

    [Theory]
    [MemberData(nameof(EphemeralCases))]
    public void Every_container_rule_visits_ephemeral_containers(PodSecurityLevel level, string version, string checkId, Action<V1EphemeralContainer> mutate)
    {
        var pod = RestrictedPod();
        var debug = Ephemeral("debug", RestrictedContainerContext());
        pod.EphemeralContainers = [debug];
        Assert.Empty(Eval(pod, level, version));
        mutate(debug);
        var v = Violation(pod, level, version, checkId);
        Assert.Equal(["debug"], v.Containers);
        Assert.Contains("\"debug\"", v.Detail);
    }

    [Fact]
    public void Seccomp_annotation_for_an_ephemeral_container_is_checked_before_1_19()
    {
        var pod = BaselinePod();
        pod.EphemeralContainers = [Ephemeral("debug")];
        var meta = Annotations(("container.seccomp.security.alpha.kubernetes.io/debug", "unconfined"));
        Assert.Equal(["seccompProfile_baseline"], Ids(pod, Baseline, "v1.18", meta));
        Assert.Empty(Ids(pod, Baseline, "v1.19", meta));
    }

    [Fact]
    public void Containers_are_visited_init_then_regular_then_ephemeral()
    {
        var pod = new V1PodSpec
        {
            Containers = [Container("b-app", new() { Privileged = true }), Container("a-app", new() { Privileged = true })],
            InitContainers = [Container("z-init", new() { Privileged = true })],
            EphemeralContainers = [Ephemeral("0-debug", new() { Privileged = true })],
        };
        var v = Violation(pod, Baseline, "latest", "privileged");
        Assert.Equal("containers \"z-init\", \"b-app\", \"a-app\", \"0-debug\" must not set securityContext.privileged=true", v.Detail);
        Assert.Equal(["z-init", "b-app", "a-app", "0-debug"], v.Containers);
    }

    // ---- AppArmor fields ----

    [Theory]
    [InlineData("Unconfined", false)]
    [InlineData("", false)]
    [InlineData("runtime/default", false)]
    [InlineData("RuntimeDefault", true)]
    [InlineData("Localhost", true)]
    public void AppArmor_field_type(string type, bool allowed)
    {
        var podLevel = BaselinePod();
        podLevel.SecurityContext = new() { AppArmorProfile = new() { Type = type } };
        Assert.Equal(allowed, Eval(podLevel, Baseline, "v1.0").Count == 0);
        var containerLevel = BaselinePod();
        containerLevel.Containers[0].SecurityContext = new() { AppArmorProfile = new() { Type = type } };
        Assert.Equal(allowed, Eval(containerLevel, Baseline, "latest").Count == 0);
        var restricted = RestrictedPod();
        restricted.InitContainers[0].SecurityContext.AppArmorProfile = new() { Type = type };
        Assert.Equal(allowed, Eval(restricted, Restricted, "latest").Count == 0);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("runtime/default", true)]
    [InlineData("localhost/", true)]
    [InlineData("localhost/foo", true)]
    [InlineData("unconfined", false)]
    [InlineData("docker/default", false)]
    [InlineData("Localhost/foo", false)]
    public void AppArmor_annotation_value(string value, bool allowed)
    {
        // any key with the prefix counts, even one that names no container
        var meta = Annotations(("container.apparmor.security.beta.kubernetes.io/not-a-container", value));
        Assert.Equal(allowed, Eval(BaselinePod(), Baseline, "latest", meta).Count == 0);
    }

    // ---- seccomp ----

    [Theory]
    [InlineData("runtime/default", true)]
    [InlineData("docker/default", true)]
    [InlineData("localhost/profile.json", true)]
    [InlineData("localhost/", true)]
    [InlineData("unconfined", false)]
    [InlineData("", false)]
    [InlineData("RuntimeDefault", false)]
    public void Seccomp_annotations_before_1_19(string value, bool allowed)
    {
        Assert.Equal(allowed, Eval(BaselinePod(), Baseline, "v1.18", Annotations(("seccomp.security.alpha.kubernetes.io/pod", value))).Count == 0);
        Assert.Equal(allowed, Eval(BaselinePod(), Baseline, "v1.0", Annotations(("container.seccomp.security.alpha.kubernetes.io/init", value))).Count == 0);
        Assert.Equal(allowed, Eval(RestrictedPod(), Restricted, "v1.18", Annotations(("container.seccomp.security.alpha.kubernetes.io/app", value))).Count == 0);
    }

    [Fact]
    public void Seccomp_annotation_for_a_missing_container_is_ignored() =>
        Assert.Empty(Eval(BaselinePod(), Baseline, "v1.0", Annotations(("container.seccomp.security.alpha.kubernetes.io/ghost", "unconfined"))));

    [Fact]
    public void Seccomp_annotations_are_ignored_from_1_19()
    {
        var meta = Annotations(("seccomp.security.alpha.kubernetes.io/pod", "unconfined"), ("container.seccomp.security.alpha.kubernetes.io/app", "unconfined"));
        Assert.Empty(Eval(BaselinePod(), Baseline, "v1.19", meta));
        Assert.Empty(Eval(BaselinePod(), Baseline, "latest", meta));
        Assert.Empty(Eval(RestrictedPod(), Restricted, "v1.19", meta));
    }

    [Fact]
    public void Seccomp_fields_are_ignored_before_1_19()
    {
        var pod = BaselinePod();
        pod.SecurityContext = new() { SeccompProfile = new() { Type = "Unconfined" } };
        Assert.Empty(Eval(pod, Baseline, "v1.18"));
        Assert.Equal(["seccompProfile_baseline"], Ids(pod, Baseline, "v1.19"));
    }

    [Theory]
    [InlineData("Localhost", true)]
    [InlineData("RuntimeDefault", true)]
    [InlineData("Unconfined", false)]
    [InlineData("localhost", false)]
    public void Seccomp_field_types_at_baseline(string type, bool allowed)
    {
        var pod = BaselinePod();
        pod.SecurityContext = new() { SeccompProfile = new() { Type = type, LocalhostProfile = type == "Localhost" ? "p.json" : null } };
        pod.InitContainers[0].SecurityContext = new() { SeccompProfile = new() { Type = type } };
        Assert.Equal(allowed, Eval(pod, Baseline, "v1.19").Count == 0);
    }

    [Fact]
    public void Seccomp_restricted_containers_may_cover_an_unset_pod()
    {
        var pod = RestrictedPod();
        pod.SecurityContext.SeccompProfile = null;
        pod.Containers[0].SecurityContext.SeccompProfile = new() { Type = "RuntimeDefault" };
        pod.InitContainers[0].SecurityContext.SeccompProfile = new() { Type = "Localhost", LocalhostProfile = "p" };
        Assert.Empty(Eval(pod, Restricted, "latest"));
        pod.InitContainers[0].SecurityContext.SeccompProfile = null;
        Assert.Equal(["seccompProfile_restricted"], Ids(pod, Restricted, "latest"));
        Assert.Empty(Eval(pod, Restricted, "v1.18")); // no seccomp requirement before 1.19
    }

    // ---- Windows ----

    private static V1PodSpec WindowsPod() => new()
    {
        Os = new() { Name = "windows" },
        SecurityContext = new() { RunAsNonRoot = true },
        InitContainers = [Container("init")],
        Containers = [Container("app")],
    };

    [Theory]
    [InlineData("v1.24", new[] { "allowPrivilegeEscalation", "capabilities_restricted", "seccompProfile_restricted" })]
    [InlineData("v1.25", new string[0])]
    [InlineData("v1.26", new string[0])]
    [InlineData("v1.28", new string[0])]
    [InlineData("v1.29", new string[0])]
    [InlineData("latest", new string[0])]
    public void Windows_pods_are_exempt_from_three_checks_from_1_25(string version, string[] failing) =>
        Assert.Equal(failing, Ids(WindowsPod(), Restricted, version));

    [Theory]
    [InlineData("Windows")]
    [InlineData("linux")]
    [InlineData("")]
    public void Only_os_name_windows_exempts(string os)
    {
        var pod = WindowsPod();
        pod.Os.Name = os;
        Assert.Equal(["allowPrivilegeEscalation", "capabilities_restricted", "seccompProfile_restricted"], Ids(pod, Restricted, "v1.25"));
    }

    [Fact]
    public void Windows_pods_still_fail_the_other_checks()
    {
        var pod = WindowsPod();
        pod.SecurityContext.RunAsNonRoot = null;
        pod.SecurityContext.RunAsUser = 0;
        pod.Volumes = [new() { Name = "h", HostPath = new() { Path = "C:\\" } }];
        pod.Containers[0].SecurityContext = new() { Capabilities = new() { Add = ["NET_RAW"] } };
        Assert.Equal(["restrictedVolumes", "runAsNonRoot", "runAsUser"], Ids(pod, Restricted, "v1.27"));
        // upstream quirk: at restricted, capabilities_restricted overrides capabilities_baseline and exempts Windows pods,
        // so an added NET_RAW passes restricted but fails baseline
        Assert.Equal(["capabilities_baseline", "hostPathVolumes"], Ids(pod, Baseline, "v1.27"));
        // at 1.22–1.24 capabilities_restricted overrides the baseline capabilities check and has no Windows exemption yet
        Assert.Equal(["allowPrivilegeEscalation", "capabilities_restricted", "restrictedVolumes", "runAsNonRoot", "runAsUser", "seccompProfile_restricted"],
            Ids(pod, Restricted, "v1.24"));
    }

    [Fact]
    public void Windows_hostProcess_fails_and_false_is_allowed()
    {
        var pod = WindowsPod();
        pod.HostNetwork = true;
        pod.SecurityContext.WindowsOptions = new() { HostProcess = true, RunAsUserName = "NT AUTHORITY\\SYSTEM" };
        Assert.Equal(["hostNamespaces", "windowsHostProcess"], Ids(pod, Baseline, "latest"));
        Assert.Equal(
            "host namespaces (hostNetwork=true), hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)",
            Message(pod, Restricted, "v1.28"));

        var off = WindowsPod();
        off.SecurityContext.WindowsOptions = new() { HostProcess = false };
        off.Containers[0].SecurityContext = new() { WindowsOptions = new() { HostProcess = false } };
        Assert.Empty(Eval(off, Restricted, "latest"));

        var container = WindowsPod();
        container.InitContainers[0].SecurityContext = new() { WindowsOptions = new() { HostProcess = true } };
        Assert.Equal("container \"init\" must not set securityContext.windowsOptions.hostProcess=true",
            Violation(container, Baseline, "v1.0", "windowsHostProcess").Detail);
    }

    // ---- probes and lifecycle hosts ----

    public static IEnumerable<object[]> HostFields()
    {
        yield return ["livenessProbe.httpGet", (Action<V1Container>)(c => c.LivenessProbe = new() { HttpGet = new() { Host = "h" } })];
        yield return ["livenessProbe.tcpSocket", (Action<V1Container>)(c => c.LivenessProbe = new() { TcpSocket = new() { Host = "h" } })];
        yield return ["readinessProbe.httpGet", (Action<V1Container>)(c => c.ReadinessProbe = new() { HttpGet = new() { Host = "h" } })];
        yield return ["readinessProbe.tcpSocket", (Action<V1Container>)(c => c.ReadinessProbe = new() { TcpSocket = new() { Host = "h" } })];
        yield return ["startupProbe.httpGet", (Action<V1Container>)(c => c.StartupProbe = new() { HttpGet = new() { Host = "h" } })];
        yield return ["startupProbe.tcpSocket", (Action<V1Container>)(c => c.StartupProbe = new() { TcpSocket = new() { Host = "h" } })];
        yield return ["postStart.httpGet", (Action<V1Container>)(c => c.Lifecycle = new() { PostStart = new() { HttpGet = new() { Host = "h" } } })];
        yield return ["postStart.tcpSocket", (Action<V1Container>)(c => c.Lifecycle = new() { PostStart = new() { TcpSocket = new() { Host = "h" } } })];
        yield return ["preStop.httpGet", (Action<V1Container>)(c => c.Lifecycle = new() { PreStop = new() { HttpGet = new() { Host = "h" } } })];
        yield return ["preStop.tcpSocket", (Action<V1Container>)(c => c.Lifecycle = new() { PreStop = new() { TcpSocket = new() { Host = "h" } } })];
    }

    [Theory]
    [MemberData(nameof(HostFields))]
    public void Every_probe_and_lifecycle_host_field_is_checked_from_1_34(string field, Action<V1Container> set)
    {
        _ = field;
        var pod = BaselinePod();
        set(pod.InitContainers[0]);
        Assert.Empty(Eval(pod, Baseline, "v1.33"));
        Assert.Equal("probe or lifecycle host (container \"init\" uses probe or lifecycle host \"h\")", Message(pod, Baseline, "v1.34"));
        Assert.Equal(["hostProbesAndHostLifecycle"], Ids(pod, Baseline, "latest"));
    }

    [Fact]
    public void Empty_probe_hosts_are_allowed()
    {
        var pod = BaselinePod();
        pod.Containers[0].LivenessProbe = new() { HttpGet = new() { Host = "" } };
        pod.Containers[0].ReadinessProbe = new() { TcpSocket = new() };
        pod.Containers[0].Lifecycle = new() { PreStop = new() { HttpGet = new() { Path = "/stop" } }, PostStart = new() { Exec = new() { Command = ["true"] } } };
        Assert.Empty(Eval(pod, Baseline, "latest"));
    }

    // ---- volumes ----

    [Fact]
    public void Csi_ephemeral_and_image_volumes_are_allowed_photon_is_not()
    {
        var pod = RestrictedPod();
        pod.Volumes =
        [
            new() { Name = "csi", Csi = new() { Driver = "secrets-store.csi.k8s.io" } },
            new() { Name = "eph", Ephemeral = new() { VolumeClaimTemplate = new() { Spec = new() { AccessModes = ["ReadWriteOnce"] } } } },
            new() { Name = "img", Image = new() { Reference = "registry.k8s.io/pause" } },
        ];
        Assert.Empty(Eval(pod, Restricted, "v1.0"));
        Assert.Empty(Eval(pod, Restricted, "latest"));
        pod.Volumes.Add(new() { Name = "photon", PhotonPersistentDisk = new() { PdID = "x" } });
        Assert.Equal("restricted volume types (volume \"photon\" uses restricted volume type \"photonPersistentDisk\")", Message(pod, Restricted, "latest"));
        Assert.Empty(Eval(pod, Baseline, "latest")); // baseline only forbids hostPath
    }

    [Fact]
    public void A_volume_with_no_source_is_emptyDir_and_the_input_is_not_changed()
    {
        var pod = RestrictedPod();
        var bare = new V1Volume { Name = "scratch" };
        pod.Volumes = [bare];
        Assert.Empty(Eval(pod, Restricted, "latest"));
        Assert.Null(bare.EmptyDir);
    }

    [Fact]
    public void HostPath_volume_is_reported_by_restrictedVolumes_at_restricted()
    {
        var pod = RestrictedPod();
        pod.Volumes = [new() { Name = "host", HostPath = new() { Path = "/var/run" } }];
        Assert.Equal(["hostPathVolumes"], Ids(pod, Baseline, "latest"));
        Assert.Equal(["restrictedVolumes"], Ids(pod, Restricted, "latest"));
    }

    // ---- sysctls ----

    [Theory]
    [InlineData("kernel.shm_rmid_forced", 0)]
    [InlineData("net.ipv4.ip_unprivileged_port_start", 0)]
    [InlineData("net.ipv4.ip_local_reserved_ports", 27)]
    [InlineData("net.ipv4.tcp_keepalive_time", 29)]
    [InlineData("net.ipv4.tcp_fin_timeout", 29)]
    [InlineData("net.ipv4.tcp_keepalive_intvl", 29)]
    [InlineData("net.ipv4.tcp_keepalive_probes", 29)]
    [InlineData("net.ipv4.tcp_rmem", 32)]
    [InlineData("net.ipv4.tcp_wmem", 32)]
    [InlineData("net.ipv4.tcp_slow_start_after_idle", 37)]
    [InlineData("net.ipv4.tcp_notsent_lowat", 37)]
    public void Sysctl_allowed_from_its_version_on(string name, int from)
    {
        var pod = BaselinePod();
        pod.SecurityContext = new() { Sysctls = [new() { Name = name, Value = "1" }] };
        for (var minor = 0; minor <= 38; minor++)
        {
            var ids = Ids(pod, Baseline, $"v1.{minor}");
            Assert.True((minor >= from) == (ids.Length == 0), $"{name} at v1.{minor}: {string.Join(",", ids)}");
        }
        Assert.Empty(Eval(pod, Baseline, "latest"));
        if (from > 0) Assert.Equal($"forbidden sysctls ({name})", Message(pod, Baseline, $"v1.{from - 1}"));
    }

    [Fact]
    public void All_earlier_sysctls_stay_allowed_at_1_32_and_1_37()
    {
        foreach (var version in new[] { "v1.32", "v1.36", "v1.37", "latest" })
        {
            var pod = BaselinePod();
            pod.SecurityContext = new() { Sysctls = SafeSysctls.AllowedAt(V(version)).Select(n => new V1Sysctl { Name = n, Value = "1" }).ToList() };
            Assert.Empty(Eval(pod, Baseline, version));
        }
    }

    [Fact]
    public void Sysctl_names_match_exactly()
    {
        var pod = BaselinePod();
        pod.SecurityContext = new() { Sysctls = [new() { Name = "net/ipv4/tcp_syncookies", Value = "1" }, new() { Name = "net.ipv4.tcp_syncookies", Value = "1" }, new() { Name = "kernel.shm_rmid_forced.x", Value = "1" }] };
        Assert.Equal("forbidden sysctls (net/ipv4/tcp_syncookies, kernel.shm_rmid_forced.x)", Message(pod, Baseline, "latest"));
    }

    // ---- hostPort and hostNetwork defaulting ----

    [Fact]
    public void Explicit_hostPort_zero_is_allowed()
    {
        var pod = BaselinePod();
        pod.Containers[0].Ports = [new() { ContainerPort = 8080, HostPort = 0 }, new() { ContainerPort = 9090 }];
        Assert.Empty(Eval(pod, Baseline, "latest"));
    }

    [Fact]
    public void HostNetwork_defaults_hostPort_to_containerPort_without_changing_the_input()
    {
        var pod = BaselinePod();
        pod.HostNetwork = true;
        var port = new V1ContainerPort { ContainerPort = 8080 };
        pod.Containers[0].Ports = [port];
        pod.InitContainers[0].Ports = [new() { ContainerPort = 9090, HostPort = 0 }];
        Assert.Equal(
            "host namespaces (hostNetwork=true), hostPort (containers \"init\", \"app\" use hostPorts 8080, 9090)",
            Message(pod, Baseline, "latest"));
        Assert.Null(port.HostPort);
    }

    [Fact]
    public void HostNetwork_does_not_default_ephemeral_container_ports()
    {
        var pod = BaselinePod();
        pod.HostNetwork = true;
        pod.EphemeralContainers = [new V1EphemeralContainer { Name = "debug", Ports = [new() { ContainerPort = 8080 }] }];
        Assert.Equal(["hostNamespaces"], Ids(pod, Baseline, "latest"));
    }

    // ---- capabilities ----

    [Theory]
    [InlineData("NET_RAW", false)]
    [InlineData("chown", false)]
    [InlineData("CAP_CHOWN", false)]
    [InlineData("SYS_ADMIN", false)]
    [InlineData("CHOWN", true)]
    [InlineData("NET_BIND_SERVICE", true)]
    [InlineData("SYS_CHROOT", true)]
    public void Baseline_capabilities_exact_match(string cap, bool allowed)
    {
        var pod = BaselinePod();
        pod.Containers[0].SecurityContext = new() { Capabilities = new() { Add = [cap], Drop = ["ALL"] } };
        Assert.Equal(allowed, Eval(pod, Baseline, "latest").Count == 0);
    }

    [Fact]
    public void Restricted_capabilities_need_drop_ALL_exactly()
    {
        var pod = RestrictedPod();
        pod.Containers[0].SecurityContext.Capabilities = new() { Drop = ["all"] };
        Assert.Equal(["capabilities_restricted"], Ids(pod, Restricted, "latest"));
        pod.Containers[0].SecurityContext.Capabilities = new() { Drop = ["ALL"], Add = ["NET_BIND_SERVICE"] };
        Assert.Empty(Eval(pod, Restricted, "latest"));
        pod.Containers[0].SecurityContext.Capabilities = new() { Drop = ["ALL"], Add = ["CHOWN"] };
        Assert.Equal(["capabilities_restricted"], Ids(pod, Restricted, "latest"));
        Assert.Empty(Eval(pod, Restricted, "v1.21")); // before 1.22 the baseline rule applies and CHOWN is a default capability
    }

    // ---- privileged and message format ----

    [Fact]
    public void Privileged_level_allows_everything()
    {
        var pod = new V1PodSpec
        {
            HostNetwork = true, HostPID = true, HostIPC = true,
            Containers = [Container("a", new() { Privileged = true, RunAsUser = 0, Capabilities = new() { Add = ["SYS_ADMIN"] } })],
            Volumes = [new() { Name = "h", HostPath = new() { Path = "/" } }],
        };
        foreach (var version in new[] { "v1.0", "v1.25", "latest" }) Assert.Empty(Eval(pod, Privileged, version));
    }

    [Fact]
    public void Message_joins_reason_and_detail_in_check_order()
    {
        var pod = new V1PodSpec
        {
            HostPID = true,
            SecurityContext = new() { Sysctls = [new() { Name = "kernel.msgmax", Value = "1" }] },
            InitContainers = [Container("init", new() { Privileged = true, AllowPrivilegeEscalation = true })],
            Containers = [Container("app", new() { RunAsUser = 0, Capabilities = new() { Add = ["NET_ADMIN"] } })],
            Volumes = [new() { Name = "host", HostPath = new() { Path = "/" } }],
        };
        Assert.Equal(
            "host namespaces (hostPID=true), " +
            "privileged (container \"init\" must not set securityContext.privileged=true), " +
            "forbidden sysctls (kernel.msgmax), " +
            "allowPrivilegeEscalation != false (containers \"init\", \"app\" must set securityContext.allowPrivilegeEscalation=false), " +
            "unrestricted capabilities (containers \"init\", \"app\" must set securityContext.capabilities.drop=[\"ALL\"]; container \"app\" must not include \"NET_ADMIN\" in securityContext.capabilities.add), " +
            "restricted volume types (volume \"host\" uses restricted volume type \"hostPath\"), " +
            "runAsNonRoot != true (pod or containers \"init\", \"app\" must set securityContext.runAsNonRoot=true), " +
            "runAsUser=0 (container \"app\" must not set runAsUser=0), " +
            "seccompProfile (pod or containers \"init\", \"app\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            Message(pod, Restricted, "latest"));
        Assert.Equal(
            "non-default capabilities (container \"app\" must not include \"NET_ADMIN\" in securityContext.capabilities.add), " +
            "host namespaces (hostPID=true), hostPath volumes (volume \"host\"), " +
            "privileged (container \"init\" must not set securityContext.privileged=true), forbidden sysctls (kernel.msgmax)",
            Message(pod, Baseline, "latest"));
    }

    [Fact]
    public void Result_message_matches_the_api_server()
    {
        var pod = BaselinePod();
        pod.HostIPC = true;
        var violations = Eval(pod, Baseline, "v1.29");
        var result = new PodSecurityResult { Kind = "Pod", Name = "p", Level = Baseline, Version = "v1.29", Allowed = false, Violations = violations };
        Assert.Equal("violates PodSecurity \"baseline:v1.29\": host namespaces (hostIPC=true)", result.Message);
        Assert.Equal(PodSecurityEvaluator.FormatMessage(violations), string.Join(", ", violations));
        Assert.Equal("", PodSecurityEvaluator.FormatMessage([]));
    }

    [Fact]
    public void Null_metadata_means_no_annotations_and_null_spec_is_refused()
    {
        Assert.Empty(PodSecurityEvaluator.Evaluate(null, RestrictedPod(), Restricted, PodSecurityVersion.Latest));
        Assert.Empty(PodSecurityEvaluator.Evaluate(new V1ObjectMeta(), RestrictedPod(), Restricted, PodSecurityVersion.V1(0)));
        Assert.Throws<ArgumentNullException>(() => PodSecurityEvaluator.Evaluate(null, null!, Restricted, PodSecurityVersion.Latest));
        Assert.Throws<ArgumentOutOfRangeException>(() => PodSecurityEvaluator.Evaluate(null, RestrictedPod(), (PodSecurityLevel)7, PodSecurityVersion.Latest));
    }

    [Fact]
    public void Empty_spec_and_null_list_entries_do_not_throw()
    {
        Assert.Empty(Eval(new V1PodSpec(), Restricted, "latest"));
        var pod = new V1PodSpec
        {
            Containers = [new V1Container()],
            Volumes = [null!],
            SecurityContext = new() { Sysctls = [null!] },
        };
        Assert.Equal(["allowPrivilegeEscalation", "capabilities_restricted", "runAsNonRoot", "seccompProfile_restricted"], Ids(pod, Restricted, "latest"));
    }
}
