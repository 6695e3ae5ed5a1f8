namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// seccompProfile_restricted (restricted, v1.19+, overrides seccompProfile_baseline): the pod
/// or every container must set seccompProfile.type RuntimeDefault or Localhost, and nothing may
/// set another type. v1.25+: Windows pods are exempt.
/// </summary>
internal sealed class SeccompProfileRestrictedCheck : PodSecurityCheck
{
    public const string CheckId = "seccompProfile_restricted";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } =
    [
        new(19, V1_19, SeccompProfileBaselineCheck.CheckId),
        new(25, pod => pod.IsWindows ? null : V1_19(pod), SeccompProfileBaselineCheck.CheckId),
    ];

    private static PodSecurityViolation? V1_19(PodSecurityContext pod)
    {
        List<string>? badSetters = null;
        List<string>? badValues = null;
        var podSeccompSet = false;
        if (pod.PodSecurity?.SeccompProfile is { } podProfile)
        {
            if (!SeccompProfileBaselineCheck.ValidType(podProfile.Type))
            {
                (badSetters ??= []).Add("pod");
                (badValues ??= []).Add(podProfile.Type ?? "");
            }
            else podSeccompSet = true;
        }

        List<string>? explicitlyBad = null;
        List<string>? implicitlyBad = null;
        foreach (ref readonly var c in pod.Containers.AsSpan())
        {
            if (c.SecurityContext?.SeccompProfile is { } profile)
            {
                if (!SeccompProfileBaselineCheck.ValidType(profile.Type))
                {
                    (explicitlyBad ??= []).Add(c.Name);
                    (badValues ??= []).Add(profile.Type ?? "");
                }
            }
            else if (!podSeccompSet)
            {
                (implicitlyBad ??= []).Add(c.Name);
            }
        }

        if (explicitlyBad is not null) (badSetters ??= []).Add(PodSecurityFormat.Containers(explicitlyBad));
        if (badSetters is not null)
            return Fail(CheckId, "seccompProfile",
                string.Join(" and ", badSetters) + " must not set securityContext.seccompProfile.type to " +
                PodSecurityFormat.JoinQuote(PodSecurityFormat.SortedSet(badValues!)), explicitlyBad);

        if (implicitlyBad is not null)
            return Fail(CheckId, "seccompProfile",
                "pod or " + PodSecurityFormat.Containers(implicitlyBad) + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
                implicitlyBad);
        return null;
    }
}
