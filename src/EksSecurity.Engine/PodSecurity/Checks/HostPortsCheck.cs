using System.Globalization;

namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// hostPorts (baseline, v1.0+): every container port's hostPort must be unset or 0, after the
/// API server's hostNetwork defaulting (hostPort = containerPort).
/// </summary>
internal sealed class HostPortsCheck : PodSecurityCheck
{
    public const string CheckId = "hostPorts";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } = [new(0, V1_0)];

    private static PodSecurityViolation? V1_0(PodSecurityContext pod)
    {
        List<string>? bad = null;
        List<string>? ports = null;
        foreach (ref readonly var c in pod.Containers.AsSpan())
        {
            var list = c.Ports;
            if (list is null) continue;
            var valid = true;
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not { } port) continue;
                var hostPort = pod.EffectiveHostPort(in c, port);
                if (hostPort != 0)
                {
                    valid = false;
                    (ports ??= []).Add(hostPort.ToString(CultureInfo.InvariantCulture));
                }
            }
            if (!valid) (bad ??= []).Add(c.Name);
        }
        if (bad is null) return null;
        PodSecurityFormat.SortedSet(ports!);
        return Fail(CheckId, "hostPort",
            PodSecurityFormat.Containers(bad) + " " + PodSecurityFormat.Pluralize("uses", "use", bad.Count) + " " +
            PodSecurityFormat.Pluralize("hostPort", "hostPorts", ports!.Count) + " " + string.Join(", ", ports), bad);
    }
}
