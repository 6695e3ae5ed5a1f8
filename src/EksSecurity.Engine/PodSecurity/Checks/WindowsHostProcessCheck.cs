namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>windowsHostProcess (baseline, v1.0+): windowsOptions.hostProcess must be unset or false on the pod and every container.</summary>
internal sealed class WindowsHostProcessCheck : PodSecurityCheck
{
    public const string CheckId = "windowsHostProcess";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } = [new(0, V1_0)];

    private static PodSecurityViolation? V1_0(PodSecurityContext pod)
    {
        List<string>? bad = null;
        foreach (ref readonly var c in pod.Containers.AsSpan())
            if (c.SecurityContext?.WindowsOptions?.HostProcess == true) (bad ??= []).Add(c.Name);
        var podForbidden = pod.PodSecurity?.WindowsOptions?.HostProcess == true;
        if (!podForbidden && bad is null) return null;

        string setters;
        if (podForbidden && bad is not null) setters = "pod and " + PodSecurityFormat.Containers(bad);
        else if (podForbidden) setters = "pod";
        else setters = PodSecurityFormat.Containers(bad!);
        return Fail(CheckId, "hostProcess", setters + " must not set securityContext.windowsOptions.hostProcess=true", bad);
    }
}
