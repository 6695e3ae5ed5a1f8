using System.Collections.Frozen;

namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// sysctls (baseline, v1.0+): every spec.securityContext.sysctls[*].name must be in
/// <see cref="SafeSysctls"/> for the version (the set grows at 1.27, 1.29, 1.32 and 1.37).
/// </summary>
internal sealed class SysctlsCheck : PodSecurityCheck
{
    public const string CheckId = "sysctls";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } = BuildVariants();

    private static PodSecurityCheckVariant[] BuildVariants()
    {
        var minors = SafeSysctls.VariantMinors;
        var variants = new PodSecurityCheckVariant[minors.Length];
        for (var i = 0; i < minors.Length; i++)
        {
            var allowed = SafeSysctls.SetFor(minors[i]);
            variants[i] = new PodSecurityCheckVariant(minors[i], pod => Evaluate(pod, allowed));
        }
        return variants;
    }

    private static PodSecurityViolation? Evaluate(PodSecurityContext pod, FrozenSet<string> allowed)
    {
        var sysctls = pod.PodSecurity?.Sysctls;
        if (sysctls is null) return null;
        List<string>? forbidden = null;
        for (var i = 0; i < sysctls.Count; i++)
        {
            if (sysctls[i] is not { } sysctl) continue;
            var name = sysctl.Name ?? "";
            if (!allowed.Contains(name)) (forbidden ??= []).Add(name);
        }
        return forbidden is null ? null : Fail(CheckId, "forbidden sysctls", string.Join(", ", forbidden));
    }
}
