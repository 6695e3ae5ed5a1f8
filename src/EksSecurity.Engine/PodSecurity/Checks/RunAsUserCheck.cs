namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// runAsUser (restricted, v1.23+): runAsUser must not be 0 at pod or container level.
/// v1.35+: allowed when spec.hostUsers is false.
/// </summary>
internal sealed class RunAsUserCheck : PodSecurityCheck
{
    public const string CheckId = "runAsUser";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } =
    [
        new(23, V1_23),
        new(35, pod => pod.UserNamespaced ? null : V1_23(pod)),
    ];

    private static PodSecurityViolation? V1_23(PodSecurityContext pod)
    {
        var podBad = pod.PodSecurity?.RunAsUser == 0;
        List<string>? bad = null;
        foreach (ref readonly var c in pod.Containers.AsSpan())
            if (c.SecurityContext?.RunAsUser == 0) (bad ??= []).Add(c.Name);
        if (!podBad && bad is null) return null;

        string setters;
        if (podBad && bad is not null) setters = "pod and " + PodSecurityFormat.Containers(bad);
        else if (podBad) setters = "pod";
        else setters = PodSecurityFormat.Containers(bad!);
        return Fail(CheckId, "runAsUser=0", setters + " must not set runAsUser=0", bad);
    }
}
