namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// procMount (baseline, v1.0+; overridden by procMount_restricted at restricted from v1.35):
/// every container's procMount must be unset or Default. From v1.35 any value is allowed
/// when spec.hostUsers is false.
/// </summary>
internal sealed class ProcMountCheck : PodSecurityCheck
{
    public const string CheckId = "procMount";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } =
    [
        new(0, pod => Evaluate(pod, CheckId)),
        new(35, pod => pod.UserNamespaced ? null : Evaluate(pod, CheckId)),
    ];

    /// <summary>procMount_1_0, shared with procMount_restricted.</summary>
    internal static PodSecurityViolation? Evaluate(PodSecurityContext pod, string checkId)
    {
        List<string>? bad = null;
        List<string>? types = null;
        foreach (ref readonly var c in pod.Containers.AsSpan())
        {
            var procMount = c.SecurityContext?.ProcMount;
            if (procMount is null) continue;
            if (procMount != "Default")
            {
                (bad ??= []).Add(c.Name);
                (types ??= []).Add(procMount);
            }
        }
        if (bad is null) return null;
        return Fail(checkId, "procMount",
            PodSecurityFormat.Containers(bad) + " must not set securityContext.procMount to " + PodSecurityFormat.JoinQuote(PodSecurityFormat.SortedSet(types!)),
            bad);
    }
}
