namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// runAsNonRoot (restricted, v1.0+): no explicit false at pod or container level, and every
/// container sets true or inherits a pod-level true. v1.35+: allowed when spec.hostUsers is false.
/// </summary>
internal sealed class RunAsNonRootCheck : PodSecurityCheck
{
    public const string CheckId = "runAsNonRoot";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } =
    [
        new(0, V1_0),
        new(35, pod => pod.UserNamespaced ? null : V1_0(pod)),
    ];

    private static PodSecurityViolation? V1_0(PodSecurityContext pod)
    {
        List<string>? badSetters = null;
        var podRunAsNonRoot = false;
        if (pod.PodSecurity?.RunAsNonRoot is { } podValue)
        {
            if (!podValue) (badSetters ??= []).Add("pod");
            else podRunAsNonRoot = true;
        }

        List<string>? explicitlyBad = null;
        List<string>? implicitlyBad = null;
        foreach (ref readonly var c in pod.Containers.AsSpan())
        {
            if (c.SecurityContext?.RunAsNonRoot is { } value)
            {
                if (!value) (explicitlyBad ??= []).Add(c.Name);
            }
            else if (!podRunAsNonRoot)
            {
                (implicitlyBad ??= []).Add(c.Name);
            }
        }

        if (explicitlyBad is not null) (badSetters ??= []).Add(PodSecurityFormat.Containers(explicitlyBad));
        if (badSetters is not null)
            return Fail(CheckId, "runAsNonRoot != true", string.Join(" and ", badSetters) + " must not set securityContext.runAsNonRoot=false", explicitlyBad);

        if (implicitlyBad is not null)
            return Fail(CheckId, "runAsNonRoot != true",
                "pod or " + PodSecurityFormat.Containers(implicitlyBad) + " must set securityContext.runAsNonRoot=true", implicitlyBad);
        return null;
    }
}
