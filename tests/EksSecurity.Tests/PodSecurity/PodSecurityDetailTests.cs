using EksSecurity.Engine.PodSecurity;
using k8s.Models;
using static EksSecurity.PodSecurityLevel;
using static EksSecurity.Tests.PodSecurity.PodSecurityTestPods;

namespace EksSecurity.Tests.PodSecurity;

/// <summary>
/// Exact reasons and details, ported from upstream's policy/check_*_test.go cases (same inputs,
/// same expected strings), evaluated through the public evaluator.
/// </summary>
public class PodSecurityDetailTests
{
    private static V1PodSpec Spec(params V1Container[] containers) => new() { Containers = containers };

    private static V1Container C(string name, V1SecurityContext? sc = null) => Container(name, sc);

    private static void AssertViolation(V1PodSpec spec, PodSecurityLevel level, string version, string checkId, string reason, string detail, V1ObjectMeta? meta = null)
    {
        var v = Violation(spec, level, version, checkId, meta);
        Assert.Equal(reason, v.Reason);
        Assert.Equal(detail, v.Detail);
        Assert.Equal($"{reason} ({detail})", v.ToString());
    }

    [Fact]
    public void Privileged() => AssertViolation(
        Spec(C("a"), C("b", new()), C("c", new() { Privileged = false }), C("d", new() { Privileged = true }), C("e", new() { Privileged = true })),
        Baseline, "v1.0", "privileged", "privileged", "containers \"d\", \"e\" must not set securityContext.privileged=true");

    [Fact]
    public void HostNamespaces() => AssertViolation(
        new V1PodSpec { HostNetwork = true, HostPID = true, HostIPC = true, Containers = [C("a")] },
        Baseline, "v1.0", "hostNamespaces", "host namespaces", "hostNetwork=true, hostPID=true, hostIPC=true");

    [Fact]
    public void CapabilitiesBaseline() => AssertViolation(
        Spec(C("a", new() { Capabilities = new() { Add = ["FOO", "BAR"] } }),
             C("b", new() { Capabilities = new() { Add = ["BAR", "BAZ"] } }),
             C("c", new() { Capabilities = new() { Add = ["CHOWN"], Drop = ["NET_RAW"] } })),
        Baseline, "v1.0", "capabilities_baseline", "non-default capabilities",
        "containers \"a\", \"b\" must not include \"BAR\", \"BAZ\", \"FOO\" in securityContext.capabilities.add");

    [Fact]
    public void CapabilitiesRestricted() => AssertViolation(
        Spec(C("a", new() { Capabilities = new() { Add = ["FOO", "BAR"] } }),
             C("b", new() { Capabilities = new() { Add = ["BAR", "BAZ"] } }),
             C("c", new() { Capabilities = new() { Add = ["NET_BIND_SERVICE", "CHOWN"], Drop = ["ALL", "FOO"] } })),
        Restricted, "v1.25", "capabilities_restricted", "unrestricted capabilities",
        "containers \"a\", \"b\" must set securityContext.capabilities.drop=[\"ALL\"]; containers \"a\", \"b\", \"c\" must not include \"BAR\", \"BAZ\", \"CHOWN\", \"FOO\" in securityContext.capabilities.add");

    [Fact]
    public void CapabilitiesRestricted_missing_security_context() => AssertViolation(
        Spec(C("a"), C("b", RestrictedContainerContext())),
        Restricted, "v1.22", "capabilities_restricted", "unrestricted capabilities", "container \"a\" must set securityContext.capabilities.drop=[\"ALL\"]");

    [Fact]
    public void HostPathVolumes() => AssertViolation(
        new V1PodSpec
        {
            Containers = [C("x")],
            Volumes =
            [
                new() { Name = "a", HostPath = new() { Path = "/a" } },
                new() { Name = "b", HostPath = new() { Path = "/b" } },
                new() { Name = "c", EmptyDir = new() },
            ],
        },
        Baseline, "v1.0", "hostPathVolumes", "hostPath volumes", "volumes \"a\", \"b\"");

    [Fact]
    public void HostPorts_single() => AssertViolation(
        Spec(C("a"), new V1Container { Name = "b", Ports = [new() { ContainerPort = 80, HostPort = 20 }] }),
        Baseline, "v1.0", "hostPorts", "hostPort", "container \"b\" uses hostPort 20");

    [Fact]
    public void HostPorts_several() => AssertViolation(
        Spec(new V1Container { Name = "a", Ports = [new() { ContainerPort = 80, HostPort = 0 }] },
             new V1Container { Name = "b", Ports = [new() { ContainerPort = 80, HostPort = 20 }] },
             new V1Container { Name = "c", Ports = [new() { ContainerPort = 80, HostPort = 10 }, new() { ContainerPort = 81, HostPort = 30 }] }),
        Baseline, "v1.0", "hostPorts", "hostPort", "containers \"b\", \"c\" use hostPorts 10, 20, 30");

    [Fact]
    public void HostPorts_are_sorted_as_strings() => AssertViolation(
        Spec(new V1Container { Name = "a", Ports = [new() { ContainerPort = 1, HostPort = 8080 }, new() { ContainerPort = 2, HostPort = 10000 }, new() { ContainerPort = 3, HostPort = 8080 }] }),
        Baseline, "v1.0", "hostPorts", "hostPort", "container \"a\" uses hostPorts 10000, 8080");

    [Fact]
    public void HostProbes_local_hosts() => AssertViolation(
        Spec(new V1Container
        {
            Name = "a",
            LivenessProbe = new() { HttpGet = new() { Host = "127.0.0.1" } },
            ReadinessProbe = new() { TcpSocket = new() { Host = "::1" } },
            StartupProbe = new() { HttpGet = new() { Host = "localhost" } },
        }),
        Baseline, "v1.34", "hostProbesAndHostLifecycle", "probe or lifecycle host",
        "container \"a\" uses probe or lifecycle hosts \"127.0.0.1\", \"::1\", \"localhost\"");

    [Fact]
    public void HostProbes_containers_and_hosts_sorted_and_deduplicated() => AssertViolation(
        Spec(C("valid"),
             new V1Container { Name = "invalid2", Lifecycle = new() { PreStop = new() { TcpSocket = new() { Host = "b.com" } } }, StartupProbe = new() { HttpGet = new() { Host = "a.com" } } },
             new V1Container { Name = "invalid1", LivenessProbe = new() { HttpGet = new() { Host = "a.com" } } }),
        Baseline, "v1.34", "hostProbesAndHostLifecycle", "probe or lifecycle host",
        "containers \"invalid1\", \"invalid2\" use probe or lifecycle hosts \"a.com\", \"b.com\"");

    [Fact]
    public void ProcMount() => AssertViolation(
        Spec(C("a"), C("b", new()), C("c", new() { ProcMount = "Default" }), C("d", new() { ProcMount = "Unmasked" }), C("e", new() { ProcMount = "other" })),
        Baseline, "v1.0", "procMount", "procMount", "containers \"d\", \"e\" must not set securityContext.procMount to \"Unmasked\", \"other\"");

    [Fact]
    public void ProcMountRestricted() => AssertViolation(
        new V1PodSpec
        {
            HostUsers = false,
            Containers = [C("a"), C("b", new()), C("c", new() { ProcMount = "Default" }), C("d", new() { ProcMount = "Unmasked" }), C("e", new() { ProcMount = "other" })],
        },
        Restricted, "v1.35", "procMount_restricted", "procMount", "containers \"d\", \"e\" must not set securityContext.procMount to \"Unmasked\", \"other\"");

    [Fact]
    public void RestrictedVolumes_every_restricted_type()
    {
        var pod = k8s.KubernetesYaml.Deserialize<V1Pod>("""
            apiVersion: v1
            kind: Pod
            metadata: {name: v}
            spec:
              containers: [{name: x}]
              volumes:
              - {name: a1, emptyDir: {}}
              - {name: a2, secret: {}}
              - {name: a3, persistentVolumeClaim: {claimName: c}}
              - {name: a4, downwardAPI: {}}
              - {name: a5, configMap: {}}
              - {name: a6, projected: {}}
              - {name: a7, csi: {driver: d}}
              - {name: a8, ephemeral: {}}
              - {name: a9, image: {}}
              - {name: b1, hostPath: {path: /}}
              - {name: b2, gcePersistentDisk: {pdName: p}}
              - {name: b3, awsElasticBlockStore: {volumeID: v}}
              - {name: b4, gitRepo: {repository: r}}
              - {name: b5, nfs: {server: s, path: /}}
              - {name: b6, iscsi: {targetPortal: t, iqn: i, lun: 0}}
              - {name: b7, glusterfs: {endpoints: e, path: p}}
              - {name: b8, rbd: {monitors: [m], image: i}}
              - {name: b9, flexVolume: {driver: d}}
              - {name: b10, cinder: {volumeID: v}}
              - {name: b11, cephfs: {monitors: [m]}}
              - {name: b12, flocker: {}}
              - {name: b13, fc: {}}
              - {name: b14, azureFile: {secretName: s, shareName: s}}
              - {name: b15, vsphereVolume: {volumePath: p}}
              - {name: b16, quobyte: {registry: r, volume: v}}
              - {name: b17, azureDisk: {diskName: d, diskURI: u}}
              - {name: b18, photonPersistentDisk: {pdID: p}}
              - {name: b19, portworxVolume: {volumeID: v}}
              - {name: b20, scaleIO: {gateway: g, system: s, secretRef: {}}}
              - {name: b21, storageos: {}}
            """);
        AssertViolation(pod.Spec, Restricted, "v1.0", "restrictedVolumes", "restricted volume types",
            "volumes \"b1\", \"b2\", \"b3\", \"b4\", \"b5\", \"b6\", \"b7\", \"b8\", \"b9\", \"b10\", \"b11\", \"b12\", \"b13\", \"b14\", \"b15\", \"b16\", \"b17\", \"b18\", \"b19\", \"b20\", \"b21\"" +
            " use restricted volume types " +
            "\"awsElasticBlockStore\", \"azureDisk\", \"azureFile\", \"cephfs\", \"cinder\", \"fc\", \"flexVolume\", \"flocker\", \"gcePersistentDisk\", \"gitRepo\", \"glusterfs\", " +
            "\"hostPath\", \"iscsi\", \"nfs\", \"photonPersistentDisk\", \"portworxVolume\", \"quobyte\", \"rbd\", \"scaleIO\", \"storageos\", \"vsphereVolume\"");
    }

    [Fact]
    public void RestrictedVolumes_single() => AssertViolation(
        new V1PodSpec { Containers = [C("x")], Volumes = [new() { Name = "h", HostPath = new() { Path = "/" } }] },
        Restricted, "v1.0", "restrictedVolumes", "restricted volume types", "volume \"h\" uses restricted volume type \"hostPath\"");

    [Fact]
    public void RunAsNonRoot_unset() => AssertViolation(
        Spec(C("a")), Restricted, "v1.0", "runAsNonRoot", "runAsNonRoot != true", "pod or container \"a\" must set securityContext.runAsNonRoot=true");

    [Fact]
    public void RunAsNonRoot_pod_false() => AssertViolation(
        new V1PodSpec { SecurityContext = new() { RunAsNonRoot = false }, Containers = [C("a", new() { RunAsNonRoot = true })] },
        Restricted, "v1.0", "runAsNonRoot", "runAsNonRoot != true", "pod must not set securityContext.runAsNonRoot=false");

    [Fact]
    public void RunAsNonRoot_containers_false_win_over_unset() => AssertViolation(
        new V1PodSpec { Containers = [C("a"), C("b", new()), C("c", new() { RunAsNonRoot = false }), C("d", new() { RunAsNonRoot = false }), C("e", new() { RunAsNonRoot = true })] },
        Restricted, "v1.0", "runAsNonRoot", "runAsNonRoot != true", "containers \"c\", \"d\" must not set securityContext.runAsNonRoot=false");

    [Fact]
    public void RunAsNonRoot_several_unset() => AssertViolation(
        new V1PodSpec { Containers = [C("a"), C("b", new()), C("c", new() { RunAsNonRoot = true })] },
        Restricted, "v1.0", "runAsNonRoot", "runAsNonRoot != true", "pod or containers \"a\", \"b\" must set securityContext.runAsNonRoot=true");

    [Fact]
    public void RunAsNonRoot_pod_and_container_false() => AssertViolation(
        new V1PodSpec { SecurityContext = new() { RunAsNonRoot = false }, Containers = [C("a", new() { RunAsNonRoot = false })] },
        Restricted, "v1.0", "runAsNonRoot", "runAsNonRoot != true", "pod and container \"a\" must not set securityContext.runAsNonRoot=false");

    [Fact]
    public void RunAsUser_pod() => AssertViolation(
        new V1PodSpec { SecurityContext = new() { RunAsUser = 0 }, Containers = [C("a"), C("b", new() { RunAsUser = 1000 })] },
        Restricted, "v1.23", "runAsUser", "runAsUser=0", "pod must not set runAsUser=0");

    [Fact]
    public void RunAsUser_containers() => AssertViolation(
        new V1PodSpec { SecurityContext = new() { RunAsUser = 1000 }, Containers = [C("a"), C("b", new()), C("c", new() { RunAsUser = 0 }), C("d", new() { RunAsUser = 0 })] },
        Restricted, "v1.23", "runAsUser", "runAsUser=0", "containers \"c\", \"d\" must not set runAsUser=0");

    [Fact]
    public void RunAsUser_pod_and_container() => AssertViolation(
        new V1PodSpec { SecurityContext = new() { RunAsUser = 0 }, Containers = [C("c", new() { RunAsUser = 0 })] },
        Restricted, "v1.23", "runAsUser", "runAsUser=0", "pod and container \"c\" must not set runAsUser=0");

    private static V1PodSpec SeLinuxPod() => new()
    {
        SecurityContext = new() { SeLinuxOptions = new() { Type = "foo", User = "bar", Role = "baz" } },
        Containers =
        [
            C("a", new() { SeLinuxOptions = new() { Type = "container_t" } }),
            C("b", new() { SeLinuxOptions = new() { Type = "container_init_t" } }),
            C("c", new() { SeLinuxOptions = new() { Type = "container_kvm_t" } }),
            C("d", new() { SeLinuxOptions = new() { Type = "container_engine_t" } }),
            C("e", new() { SeLinuxOptions = new() { Type = "bar" } }),
            C("f", new() { SeLinuxOptions = new() { User = "bar" } }),
            C("g", new() { SeLinuxOptions = new() { Role = "baz" } }),
        ],
    };

    [Fact]
    public void SeLinuxOptions_v1_31() => AssertViolation(SeLinuxPod(), Baseline, "v1.31", "seLinuxOptions", "seLinuxOptions",
        "pod and containers \"e\", \"f\", \"g\" set forbidden securityContext.seLinuxOptions: types \"bar\", \"foo\"; user may not be set; role may not be set");

    [Fact]
    public void SeLinuxOptions_v1_30_forbids_container_engine_t() => AssertViolation(SeLinuxPod(), Baseline, "v1.30", "seLinuxOptions", "seLinuxOptions",
        "pod and containers \"d\", \"e\", \"f\", \"g\" set forbidden securityContext.seLinuxOptions: types \"bar\", \"container_engine_t\", \"foo\"; user may not be set; role may not be set");

    [Theory]
    [InlineData("bad", null, null, "type \"bad\"")]
    [InlineData(null, "user", null, "user may not be set")]
    [InlineData(null, null, "role", "role may not be set")]
    public void SeLinuxOptions_pod_only(string? type, string? user, string? role, string data) => AssertViolation(
        new V1PodSpec { SecurityContext = new() { SeLinuxOptions = new() { Type = type, User = user, Role = role, Level = "s0:c1" } }, Containers = [C("a")] },
        Baseline, "v1.0", "seLinuxOptions", "seLinuxOptions", "pod set forbidden securityContext.seLinuxOptions: " + data);

    [Fact]
    public void SeccompBaseline_pod_annotation() => AssertViolation(
        Spec(C("a")), Baseline, "v1.0", "seccompProfile_baseline", "seccompProfile",
        "forbidden annotation seccomp.security.alpha.kubernetes.io/pod=\"unconfined\"",
        Annotations(("seccomp.security.alpha.kubernetes.io/pod", "unconfined")));

    [Fact]
    public void SeccompBaseline_container_annotations_sorted() => AssertViolation(
        Spec(C("a"), C("b"), C("c")), Baseline, "v1.18", "seccompProfile_baseline", "seccompProfile",
        "forbidden annotations container.seccomp.security.alpha.kubernetes.io/a=\"unconfined\", container.seccomp.security.alpha.kubernetes.io/b=\"unknown\", seccomp.security.alpha.kubernetes.io/pod=\"unconfined\"",
        Annotations(("seccomp.security.alpha.kubernetes.io/pod", "unconfined"),
                    ("container.seccomp.security.alpha.kubernetes.io/b", "unknown"),
                    ("container.seccomp.security.alpha.kubernetes.io/a", "unconfined"),
                    ("container.seccomp.security.alpha.kubernetes.io/c", "runtime/default"),
                    ("container.seccomp.security.alpha.kubernetes.io/zzz", "unconfined")));

    [Fact]
    public void SeccompBaseline_annotation_values_are_Go_quoted() => AssertViolation(
        Spec(C("a")), Baseline, "v1.0", "seccompProfile_baseline", "seccompProfile",
        "forbidden annotation container.seccomp.security.alpha.kubernetes.io/a=\"un\\\"con\\\\fined\\n\\x01é\"",
        Annotations(("container.seccomp.security.alpha.kubernetes.io/a", "un\"con\\fined\n\u0001é")));

    [Fact]
    public void SeccompBaseline_fields_pod() => AssertViolation(
        new V1PodSpec { SecurityContext = new() { SeccompProfile = new() { Type = "Unconfined" } }, Containers = [C("a")] },
        Baseline, "v1.19", "seccompProfile_baseline", "seccompProfile", "pod must not set securityContext.seccompProfile.type to \"Unconfined\"");

    [Fact]
    public void SeccompBaseline_fields_pod_and_containers() => AssertViolation(
        new V1PodSpec
        {
            SecurityContext = new() { SeccompProfile = new() { Type = "Unconfined" } },
            Containers = [C("a"), C("b", new() { SeccompProfile = new() { Type = "RuntimeDefault" } }),
                C("c", new() { SeccompProfile = new() { Type = "Unconfined" } }), C("d", new() { SeccompProfile = new() { Type = "Unconfined" } })],
        },
        Baseline, "v1.19", "seccompProfile_baseline", "seccompProfile", "pod and containers \"c\", \"d\" must not set securityContext.seccompProfile.type to \"Unconfined\"");

    [Fact]
    public void SeccompRestricted_implicit() => AssertViolation(
        new V1PodSpec { Containers = [C("a"), C("b", new() { SeccompProfile = new() { Type = "Localhost", LocalhostProfile = "p" } })] },
        Restricted, "v1.19", "seccompProfile_restricted", "seccompProfile",
        "pod or container \"a\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");

    [Fact]
    public void SeccompRestricted_explicit_wins_over_implicit() => AssertViolation(
        new V1PodSpec { Containers = [C("a"), C("c", new() { SeccompProfile = new() { Type = "Unconfined" } }), C("d", new() { SeccompProfile = new() { Type = "Bogus" } })] },
        Restricted, "v1.25", "seccompProfile_restricted", "seccompProfile",
        "containers \"c\", \"d\" must not set securityContext.seccompProfile.type to \"Bogus\", \"Unconfined\"");

    [Fact]
    public void SeccompRestricted_invalid_pod_value_does_not_cover_containers() => AssertViolation(
        new V1PodSpec { SecurityContext = new() { SeccompProfile = new() { Type = "Unconfined" } }, Containers = [C("a")] },
        Restricted, "v1.19", "seccompProfile_restricted", "seccompProfile", "pod must not set securityContext.seccompProfile.type to \"Unconfined\"");

    [Fact]
    public void Sysctls() => AssertViolation(
        new V1PodSpec { SecurityContext = new() { Sysctls = [new() { Name = "a", Value = "1" }, new() { Name = "kernel.shm_rmid_forced", Value = "1" }, new() { Name = "b", Value = "1" }] }, Containers = [C("x")] },
        Baseline, "v1.0", "sysctls", "forbidden sysctls", "a, b");

    [Fact]
    public void WindowsHostProcess() => AssertViolation(
        new V1PodSpec
        {
            SecurityContext = new() { WindowsOptions = new() { HostProcess = true } },
            Containers = [C("a"), C("b", new()), C("c", new() { WindowsOptions = new() }), C("d", new() { WindowsOptions = new() { HostProcess = false } }),
                C("e", new() { WindowsOptions = new() { HostProcess = true } }), C("f", new() { WindowsOptions = new() { HostProcess = true } })],
        },
        Baseline, "v1.0", "windowsHostProcess", "hostProcess", "pod and containers \"e\", \"f\" must not set securityContext.windowsOptions.hostProcess=true");

    [Fact]
    public void AppArmor_annotations() => AssertViolation(
        Spec(C("a")), Baseline, "v1.0", "appArmorProfile", "forbidden AppArmor profiles",
        "annotations must not set AppArmor profile type to \"container.apparmor.security.beta.kubernetes.io/=\"bogus\"\", \"container.apparmor.security.beta.kubernetes.io/e=\"unconfined\"\", \"container.apparmor.security.beta.kubernetes.io/f=\"unknown\"\"",
        Annotations(("container.apparmor.security.beta.kubernetes.io/", "bogus"),
                    ("container.apparmor.security.beta.kubernetes.io/a", ""),
                    ("container.apparmor.security.beta.kubernetes.io/b", "runtime/default"),
                    ("container.apparmor.security.beta.kubernetes.io/c", "localhost/"),
                    ("container.apparmor.security.beta.kubernetes.io/d", "localhost/foo"),
                    ("container.apparmor.security.beta.kubernetes.io/f", "unknown"),
                    ("container.apparmor.security.beta.kubernetes.io/e", "unconfined")));

    [Fact]
    public void AppArmor_pod_field() => AssertViolation(
        new V1PodSpec { SecurityContext = new() { AppArmorProfile = new() { Type = "Unconfined" } }, Containers = [C("a")] },
        Baseline, "v1.0", "appArmorProfile", "forbidden AppArmor profile", "pod must not set AppArmor profile type to \"Unconfined\"");

    [Fact]
    public void AppArmor_init_container_field() => AssertViolation(
        new V1PodSpec
        {
            SecurityContext = new() { AppArmorProfile = new() { Type = "RuntimeDefault" } },
            InitContainers = [C("bar", new() { AppArmorProfile = new() { Type = "Unconfined" } })],
            Containers = [C("foo", new() { AppArmorProfile = new() { Type = "Localhost", LocalhostProfile = "p" } })],
        },
        Baseline, "v1.0", "appArmorProfile", "forbidden AppArmor profile", "container \"bar\" must not set AppArmor profile type to \"Unconfined\"");

    [Fact]
    public void AppArmor_pod_container_and_annotation_together() => AssertViolation(
        new V1PodSpec
        {
            SecurityContext = new() { AppArmorProfile = new() { Type = "Unconfined" } },
            Containers = [C("foo", new() { AppArmorProfile = new() { Type = "Unconfined" } }), C("bar", new() { AppArmorProfile = new() { Type = "Bogus" } })],
        },
        Baseline, "v1.0", "appArmorProfile", "forbidden AppArmor profiles",
        "pod and containers \"foo\", \"bar\" and annotation must not set AppArmor profile type to \"Bogus\", \"Unconfined\", \"container.apparmor.security.beta.kubernetes.io/foo=\"unconfined\"\"",
        Annotations(("container.apparmor.security.beta.kubernetes.io/foo", "unconfined")));

    [Fact]
    public void AllowPrivilegeEscalation() => AssertViolation(
        Spec(C("a"), C("b", new()), C("c", new() { AllowPrivilegeEscalation = true }), C("d", new() { AllowPrivilegeEscalation = false })),
        Restricted, "v1.8", "allowPrivilegeEscalation", "allowPrivilegeEscalation != false",
        "containers \"a\", \"b\", \"c\" must set securityContext.allowPrivilegeEscalation=false");

    [Fact]
    public void Violation_names_the_containers()
    {
        var v = Violation(Spec(C("a", new() { Privileged = true }), C("b"), C("c", new() { Privileged = true })), Baseline, "latest", "privileged");
        Assert.Equal(["a", "c"], v.Containers);
        var pod = Violation(new V1PodSpec { HostPID = true, Containers = [C("a")] }, Baseline, "latest", "hostNamespaces");
        Assert.Empty(pod.Containers);
    }
}
