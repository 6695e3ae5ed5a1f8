using k8s.Models;

namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// hostProbesAndHostLifecycle (baseline, v1.34+): the host of every liveness, readiness and
/// startup probe and postStart/preStop handler (httpGet and tcpSocket) must be empty.
/// Container names and hosts are reported sorted and de-duplicated, as upstream.
/// </summary>
internal sealed class HostProbesAndHostLifecycleCheck : PodSecurityCheck
{
    public const string CheckId = "hostProbesAndHostLifecycle";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } = [new(34, V1_34)];

    private static bool Add(ref List<string>? hosts, V1HTTPGetAction? httpGet, V1TCPSocketAction? tcpSocket)
    {
        var found = false;
        if (!string.IsNullOrEmpty(httpGet?.Host)) { (hosts ??= []).Add(httpGet.Host); found = true; }
        if (!string.IsNullOrEmpty(tcpSocket?.Host)) { (hosts ??= []).Add(tcpSocket.Host); found = true; }
        return found;
    }

    private static PodSecurityViolation? V1_34(PodSecurityContext pod)
    {
        List<string>? badContainers = null;
        List<string>? hosts = null;
        foreach (ref readonly var c in pod.Containers.AsSpan())
        {
            var bad = false;
            if (c.LivenessProbe is { } l) bad |= Add(ref hosts, l.HttpGet, l.TcpSocket);
            if (c.ReadinessProbe is { } r) bad |= Add(ref hosts, r.HttpGet, r.TcpSocket);
            if (c.StartupProbe is { } s) bad |= Add(ref hosts, s.HttpGet, s.TcpSocket);
            if (c.Lifecycle is { } lc)
            {
                if (lc.PostStart is { } post) bad |= Add(ref hosts, post.HttpGet, post.TcpSocket);
                if (lc.PreStop is { } pre) bad |= Add(ref hosts, pre.HttpGet, pre.TcpSocket);
            }
            if (bad) (badContainers ??= []).Add(c.Name);
        }
        if (badContainers is null) return null;
        PodSecurityFormat.SortedSet(badContainers);
        PodSecurityFormat.SortedSet(hosts!);
        return Fail(CheckId, "probe or lifecycle host",
            PodSecurityFormat.Containers(badContainers) + " " + PodSecurityFormat.Pluralize("uses", "use", badContainers.Count) + " " +
            PodSecurityFormat.Pluralize("probe or lifecycle host", "probe or lifecycle hosts", hosts!.Count) + " " + PodSecurityFormat.JoinQuote(hosts),
            badContainers);
    }
}
