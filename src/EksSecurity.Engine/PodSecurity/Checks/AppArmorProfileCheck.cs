namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// appArmorProfile (baseline, v1.0+): appArmorProfile.type at pod or container level must be
/// RuntimeDefault or Localhost when present; every annotation whose key starts with
/// <c>container.apparmor.security.beta.kubernetes.io/</c> must be empty, runtime/default or localhost/*.
/// </summary>
internal sealed class AppArmorProfileCheck : PodSecurityCheck
{
    public const string CheckId = "appArmorProfile";
    public const string AnnotationKeyPrefix = "container.apparmor.security.beta.kubernetes.io/";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } = [new(0, V1_0)];

    private static bool AllowedAnnotationValue(string profile) =>
        profile.Length == 0 || profile == "runtime/default" || profile.StartsWith("localhost/", StringComparison.Ordinal);

    private static bool AllowedProfileType(string? type) => type is "RuntimeDefault" or "Localhost";

    private static PodSecurityViolation? V1_0(PodSecurityContext pod)
    {
        List<string>? badSetters = null;
        List<string>? badValues = null;

        if (pod.PodSecurity?.AppArmorProfile is { } podProfile && !AllowedProfileType(podProfile.Type))
        {
            (badSetters ??= []).Add("pod");
            (badValues ??= []).Add(podProfile.Type ?? "");
        }

        List<string>? badContainers = null;
        foreach (ref readonly var c in pod.Containers.AsSpan())
        {
            if (c.SecurityContext?.AppArmorProfile is { } profile && !AllowedProfileType(profile.Type))
            {
                (badContainers ??= []).Add(c.Name);
                (badValues ??= []).Add(profile.Type ?? "");
            }
        }
        if (badContainers is not null) (badSetters ??= []).Add(PodSecurityFormat.Containers(badContainers));

        List<string>? forbiddenAnnotations = null;
        if (pod.Annotations.Count > 0)
        {
            foreach (var kv in pod.Annotations)
            {
                if (kv.Key is null || !kv.Key.StartsWith(AnnotationKeyPrefix, StringComparison.Ordinal)) continue;
                var value = kv.Value ?? "";
                if (!AllowedAnnotationValue(value)) (forbiddenAnnotations ??= []).Add(kv.Key + "=" + PodSecurityFormat.GoQuote(value));
            }
        }

        var valueList = badValues is null ? [] : PodSecurityFormat.SortedSet(badValues);
        if (forbiddenAnnotations is not null)
        {
            forbiddenAnnotations.Sort(GoStringComparer.Instance);
            valueList.AddRange(forbiddenAnnotations);
            (badSetters ??= []).Add(PodSecurityFormat.Pluralize("annotation", "annotations", forbiddenAnnotations.Count));
        }
        if (badSetters is null) return null;

        return Fail(CheckId,
            PodSecurityFormat.Pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", valueList.Count),
            string.Join(" and ", badSetters) + " must not set AppArmor profile type to " + PodSecurityFormat.JoinQuote(valueList),
            badContainers);
    }
}
