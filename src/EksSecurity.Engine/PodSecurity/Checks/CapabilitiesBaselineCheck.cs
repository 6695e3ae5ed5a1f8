using System.Collections.Frozen;

namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// capabilities_baseline (baseline, v1.0+): capabilities.add may hold only the default set,
/// matched exactly (no CAP_ prefix stripping, no case folding). drop is ignored.
/// </summary>
internal sealed class CapabilitiesBaselineCheck : PodSecurityCheck
{
    public const string CheckId = "capabilities_baseline";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } = [new(0, V1_0)];

    internal static readonly FrozenSet<string> Allowed = new[]
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
        "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static PodSecurityViolation? V1_0(PodSecurityContext pod)
    {
        List<string>? bad = null;
        List<string>? caps = null;
        foreach (ref readonly var c in pod.Containers.AsSpan())
        {
            var add = c.SecurityContext?.Capabilities?.Add;
            if (add is null) continue;
            var valid = true;
            for (var i = 0; i < add.Count; i++)
            {
                var cap = add[i] ?? "";
                if (!Allowed.Contains(cap))
                {
                    valid = false;
                    (caps ??= []).Add(cap);
                }
            }
            if (!valid) (bad ??= []).Add(c.Name);
        }
        if (bad is null) return null;
        return Fail(CheckId, "non-default capabilities",
            PodSecurityFormat.Containers(bad) + " must not include " + PodSecurityFormat.JoinQuote(PodSecurityFormat.SortedSet(caps!)) +
            " in securityContext.capabilities.add", bad);
    }
}
