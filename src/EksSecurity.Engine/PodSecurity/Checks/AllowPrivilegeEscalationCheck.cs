namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// allowPrivilegeEscalation (restricted, v1.8+): every container must set
/// securityContext.allowPrivilegeEscalation=false. v1.25+: Windows pods (spec.os.name windows) are exempt.
/// </summary>
internal sealed class AllowPrivilegeEscalationCheck : PodSecurityCheck
{
    public const string CheckId = "allowPrivilegeEscalation";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } =
    [
        new(8, V1_8),
        new(25, pod => pod.IsWindows ? null : V1_8(pod)),
    ];

    private static PodSecurityViolation? V1_8(PodSecurityContext pod)
    {
        List<string>? bad = null;
        foreach (ref readonly var c in pod.Containers.AsSpan())
            if (c.SecurityContext?.AllowPrivilegeEscalation != false) (bad ??= []).Add(c.Name);
        if (bad is null) return null;
        return Fail(CheckId, "allowPrivilegeEscalation != false",
            PodSecurityFormat.Containers(bad) + " must set securityContext.allowPrivilegeEscalation=false", bad);
    }
}
