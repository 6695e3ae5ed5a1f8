namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>privileged (baseline, v1.0+): no container may set securityContext.privileged=true.</summary>
internal sealed class PrivilegedCheck : PodSecurityCheck
{
    public const string CheckId = "privileged";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } = [new(0, V1_0)];

    private static PodSecurityViolation? V1_0(PodSecurityContext pod)
    {
        List<string>? bad = null;
        foreach (ref readonly var c in pod.Containers.AsSpan())
            if (c.SecurityContext?.Privileged == true) (bad ??= []).Add(c.Name);
        if (bad is null) return null;
        return Fail(CheckId, "privileged", PodSecurityFormat.Containers(bad) + " must not set securityContext.privileged=true", bad);
    }
}
