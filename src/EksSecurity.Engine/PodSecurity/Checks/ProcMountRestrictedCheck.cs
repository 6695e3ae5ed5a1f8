namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// procMount_restricted (restricted, v1.35+, overrides procMount): the v1.0 procMount rule,
/// with no relaxation for hostUsers: false.
/// </summary>
internal sealed class ProcMountRestrictedCheck : PodSecurityCheck
{
    public const string CheckId = "procMount_restricted";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } =
    [
        new(35, pod => ProcMountCheck.Evaluate(pod, CheckId), ProcMountCheck.CheckId),
    ];
}
