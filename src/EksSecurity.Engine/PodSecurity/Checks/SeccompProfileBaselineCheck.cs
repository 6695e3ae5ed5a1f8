namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// seccompProfile_baseline (baseline, v1.0+; overridden by seccompProfile_restricted at
/// restricted from v1.19). v1.0–1.18: the alpha annotations only (pod, and one per existing
/// container name); v1.19+: the securityContext.seccompProfile.type fields only.
/// </summary>
internal sealed class SeccompProfileBaselineCheck : PodSecurityCheck
{
    public const string CheckId = "seccompProfile_baseline";
    public const string AnnotationKeyPod = "seccomp.security.alpha.kubernetes.io/pod";
    public const string AnnotationKeyContainerPrefix = "container.seccomp.security.alpha.kubernetes.io/";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } = [new(0, V1_0), new(19, V1_19)];

    internal static bool ValidType(string? type) => type is "Localhost" or "RuntimeDefault";

    private static bool ValidAnnotationValue(string v) =>
        v == "runtime/default" || v == "docker/default" || v.StartsWith("localhost/", StringComparison.Ordinal);

    private static PodSecurityViolation? V1_0(PodSecurityContext pod)
    {
        var annotations = pod.Annotations;
        if (annotations.Count == 0) return null;
        List<string>? forbidden = null;
        if (annotations.TryGetValue(AnnotationKeyPod, out var podValue) && !ValidAnnotationValue(podValue ?? ""))
            (forbidden ??= []).Add(AnnotationKeyPod + "=" + PodSecurityFormat.GoQuote(podValue ?? ""));
        foreach (ref readonly var c in pod.Containers.AsSpan())
        {
            var key = AnnotationKeyContainerPrefix + c.Name;
            if (annotations.TryGetValue(key, out var value) && !ValidAnnotationValue(value ?? ""))
                (forbidden ??= []).Add(key + "=" + PodSecurityFormat.GoQuote(value ?? ""));
        }
        if (forbidden is null) return null;
        PodSecurityFormat.SortedSet(forbidden);
        return Fail(CheckId, "seccompProfile",
            "forbidden " + PodSecurityFormat.Pluralize("annotation", "annotations", forbidden.Count) + " " + string.Join(", ", forbidden));
    }

    private static PodSecurityViolation? V1_19(PodSecurityContext pod)
    {
        List<string>? badSetters = null;
        List<string>? badValues = null;
        if (pod.PodSecurity?.SeccompProfile is { } podProfile && !ValidType(podProfile.Type))
        {
            (badSetters ??= []).Add("pod");
            (badValues ??= []).Add(podProfile.Type ?? "");
        }
        List<string>? badContainers = null;
        foreach (ref readonly var c in pod.Containers.AsSpan())
        {
            if (c.SecurityContext?.SeccompProfile is { } profile && !ValidType(profile.Type))
            {
                (badContainers ??= []).Add(c.Name);
                (badValues ??= []).Add(profile.Type ?? "");
            }
        }
        if (badContainers is not null) (badSetters ??= []).Add(PodSecurityFormat.Containers(badContainers));
        if (badSetters is null) return null;
        return Fail(CheckId, "seccompProfile",
            string.Join(" and ", badSetters) + " must not set securityContext.seccompProfile.type to " +
            PodSecurityFormat.JoinQuote(PodSecurityFormat.SortedSet(badValues!)),
            badContainers);
    }
}
