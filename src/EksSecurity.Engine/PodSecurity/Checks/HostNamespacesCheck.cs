namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>hostNamespaces (baseline, v1.0+): hostNetwork, hostPID and hostIPC must be unset or false.</summary>
internal sealed class HostNamespacesCheck : PodSecurityCheck
{
    public const string CheckId = "hostNamespaces";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } = [new(0, V1_0)];

    private static PodSecurityViolation? V1_0(PodSecurityContext pod)
    {
        var spec = pod.Spec;
        var net = spec.HostNetwork == true;
        var pid = spec.HostPID == true;
        var ipc = spec.HostIPC == true;
        if (!net && !pid && !ipc) return null;
        var parts = new List<string>(3);
        if (net) parts.Add("hostNetwork=true");
        if (pid) parts.Add("hostPID=true");
        if (ipc) parts.Add("hostIPC=true");
        return Fail(CheckId, "host namespaces", string.Join(", ", parts));
    }
}
