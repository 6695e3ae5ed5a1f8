namespace EksSecurity.Engine.PodSecurity;

/// <summary>Base for the check classes: id, level and variants, plus the violation factory.</summary>
internal abstract class PodSecurityCheck : IPodSecurityCheck
{
    public abstract string Id { get; }
    public abstract PodSecurityLevel Level { get; }
    public abstract IReadOnlyList<PodSecurityCheckVariant> Variants { get; }

    protected static PodSecurityViolation Fail(string checkId, string reason, string detail, IReadOnlyList<string>? containers = null) => new()
    {
        CheckId = checkId,
        Reason = reason,
        Detail = detail,
        Containers = containers is null ? [] : PodSecurityFormat.Distinct(containers as List<string> ?? [.. containers]),
    };
}
