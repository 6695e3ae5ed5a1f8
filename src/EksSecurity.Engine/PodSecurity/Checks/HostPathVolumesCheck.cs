namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>hostPathVolumes (baseline, v1.0+; overridden by restrictedVolumes at restricted): no hostPath volumes.</summary>
internal sealed class HostPathVolumesCheck : PodSecurityCheck
{
    public const string CheckId = "hostPathVolumes";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } = [new(0, V1_0)];

    private static PodSecurityViolation? V1_0(PodSecurityContext pod)
    {
        var volumes = pod.Spec.Volumes;
        if (volumes is null) return null;
        List<string>? bad = null;
        for (var i = 0; i < volumes.Count; i++)
            if (volumes[i]?.HostPath is not null) (bad ??= []).Add(volumes[i].Name ?? "");
        if (bad is null) return null;
        return Fail(CheckId, "hostPath volumes", PodSecurityFormat.Pluralize("volume", "volumes", bad.Count) + " " + PodSecurityFormat.JoinQuote(bad));
    }
}
