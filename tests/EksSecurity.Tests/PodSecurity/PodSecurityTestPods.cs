using EksSecurity.Engine.PodSecurity;
using k8s.Models;

namespace EksSecurity.Tests.PodSecurity;

/// <summary>Pods for the Pod Security tests, built in code.</summary>
internal static class PodSecurityTestPods
{
    public static V1SecurityContext RestrictedContainerContext() => new()
    {
        AllowPrivilegeEscalation = false,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
    };

    public static V1Container Container(string name, V1SecurityContext? sc = null) => new() { Name = name, Image = "registry.k8s.io/pause", SecurityContext = sc };

    public static V1EphemeralContainer Ephemeral(string name, V1SecurityContext? sc = null) => new() { Name = name, Image = "busybox", SecurityContext = sc };

    /// <summary>Allowed at restricted, every version: init "init", container "app".</summary>
    public static V1PodSpec RestrictedPod() => new()
    {
        SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
        InitContainers = [Container("init", RestrictedContainerContext())],
        Containers = [Container("app", RestrictedContainerContext())],
    };

    /// <summary>Allowed at baseline, every version: init "init", container "app", no security context.</summary>
    public static V1PodSpec BaselinePod() => new()
    {
        InitContainers = [Container("init")],
        Containers = [Container("app")],
    };

    public static PodSecurityVersion V(string version) => PodSecurityVersion.Parse(version);

    public static IReadOnlyList<PodSecurityViolation> Eval(V1PodSpec spec, PodSecurityLevel level, string version, V1ObjectMeta? meta = null) =>
        PodSecurityEvaluator.Evaluate(meta, spec, level, V(version));

    public static string[] Ids(V1PodSpec spec, PodSecurityLevel level, string version, V1ObjectMeta? meta = null) =>
        Eval(spec, level, version, meta).Select(v => v.CheckId).ToArray();

    public static string Message(V1PodSpec spec, PodSecurityLevel level, string version, V1ObjectMeta? meta = null) =>
        PodSecurityEvaluator.FormatMessage(Eval(spec, level, version, meta));

    /// <summary>The one violation of <paramref name="checkId"/>; fails when absent.</summary>
    public static PodSecurityViolation Violation(V1PodSpec spec, PodSecurityLevel level, string version, string checkId, V1ObjectMeta? meta = null)
    {
        var all = Eval(spec, level, version, meta);
        var found = all.SingleOrDefault(v => v.CheckId == checkId);
        Assert.True(found is not null, $"expected {checkId} to fail at {level}:{version}; got: {PodSecurityEvaluator.FormatMessage(all)}");
        return found!;
    }

    public static V1ObjectMeta Annotations(params (string Key, string Value)[] annotations) =>
        new() { Name = "p", Annotations = annotations.ToDictionary(a => a.Key, a => a.Value) };
}
