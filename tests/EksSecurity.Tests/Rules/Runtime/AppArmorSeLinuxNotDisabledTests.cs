using EksSecurity.Engine.Rules.Runtime;
using k8s.Models;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Runtime;

public class AppArmorSeLinuxNotDisabledTests
{
    private static V1SecurityContext AppArmor(string type) => new() { AppArmorProfile = new V1AppArmorProfile { Type = type } };
    private static V1SecurityContext SeLinux(string? type = null, string? user = null, string? role = null, string? level = null) =>
        new() { SeLinuxOptions = new V1SELinuxOptions { Type = type, User = user, Role = role, Level = level } };

    [Fact]
    public void Unconfined_apparmor_field_fails()
    {
        var snapshot = Snapshot(Deployment("api", "shop", Spec(Container("app", securityContext: AppArmor("Unconfined")))));
        var finding = Assert.Single(TestSnapshots.Run<AppArmorSeLinuxNotDisabled>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-RUNTIME-005", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains(finding.Evidence, e => e == "containers[app].securityContext.appArmorProfile.type = Unconfined");
    }

    [Fact]
    public void Pod_level_unconfined_is_inherited_unless_the_container_overrides()
    {
        var spec = Spec(Container("app"), Container("confined", securityContext: AppArmor("RuntimeDefault")));
        spec.SecurityContext = new V1PodSecurityContext { AppArmorProfile = new V1AppArmorProfile { Type = "Unconfined" } };
        var finding = Assert.Single(TestSnapshots.Run<AppArmorSeLinuxNotDisabled>(Snapshot(BarePod("p", "shop", spec))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e == "containers[app]: inherits spec.securityContext.appArmorProfile.type = Unconfined");
        Assert.DoesNotContain(finding.Evidence, e => e.StartsWith("containers[confined]: inherits", StringComparison.Ordinal));
    }

    [Fact]
    public void Unconfined_annotation_on_a_template_fails_for_its_container()
    {
        var annotations = new Dictionary<string, string> { ["container.apparmor.security.beta.kubernetes.io/setup"] = "unconfined" };
        var spec = Spec(Container("app")).WithInit(Container("setup"));
        var finding = Assert.Single(TestSnapshots.Run<AppArmorSeLinuxNotDisabled>(Snapshot(Deployment("api", "shop", spec, annotations))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e == "annotation container.apparmor.security.beta.kubernetes.io/setup = unconfined");
    }

    [Theory]
    [InlineData("spc_t", null, null, "type spc_t")]
    [InlineData("unconfined_t", null, null, "not a container type")]
    [InlineData(null, "system_u", null, "user is set")]
    [InlineData("container_t", null, "system_r", "role is set")]
    public void Selinux_escapes_fail(string? type, string? user, string? role, string expected)
    {
        var spec = Spec(Container("app")).WithEphemeral(Ephemeral("debugger", securityContext: SeLinux(type, user, role)));
        var finding = Assert.Single(TestSnapshots.Run<AppArmorSeLinuxNotDisabled>(Snapshot(BarePod("p", "shop", spec))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("ephemeralContainers[debugger].securityContext.seLinuxOptions", StringComparison.Ordinal) && e.Contains(expected));
    }

    [Fact]
    public void Pod_level_spc_t_fails_even_when_containers_set_their_own()
    {
        var spec = Spec(Container("app", securityContext: SeLinux("container_t")));
        spec.SecurityContext = new V1PodSecurityContext { SeLinuxOptions = new V1SELinuxOptions { Type = "spc_t" } };
        var finding = Assert.Single(TestSnapshots.Run<AppArmorSeLinuxNotDisabled>(Snapshot(DaemonSet("agent", "monitoring", spec))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("spec.template.spec.securityContext.seLinuxOptions = {type: spc_t}", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_runtime_default_and_level_only_pass()
    {
        var snapshot = Snapshot(
            BarePod("plain", "shop", Spec(Container("app"))),
            BarePod("hardened", "shop", Spec(Container("app", securityContext: AppArmor("RuntimeDefault")), Container("db", securityContext: SeLinux(level: "s0:c1,c2")))),
            BarePod("annotated", "shop", Spec(Container("app")), new Dictionary<string, string> { ["container.apparmor.security.beta.kubernetes.io/app"] = "runtime/default" }));
        var findings = TestSnapshots.Run<AppArmorSeLinuxNotDisabled>(snapshot);
        Assert.Equal(3, findings.Count);
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
    }
}
