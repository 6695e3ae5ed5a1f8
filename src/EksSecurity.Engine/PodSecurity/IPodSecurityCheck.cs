namespace EksSecurity.Engine.PodSecurity;

/// <summary>
/// One Pod Security Standards check, as upstream's <c>policy.Check</c>: an id, a level
/// (baseline or restricted) and one or more versioned variants. Implementations live under
/// <c>PodSecurity/Checks/</c>, one class each, and are found by <see cref="PodSecurityCheckRegistry"/>.
/// </summary>
internal interface IPodSecurityCheck
{
    /// <summary>The upstream check id, such as <c>runAsNonRoot</c>.</summary>
    string Id { get; }

    /// <summary><see cref="PodSecurityLevel.Baseline"/> or <see cref="PodSecurityLevel.Restricted"/>.</summary>
    PodSecurityLevel Level { get; }

    /// <summary>The variants, by strictly increasing <see cref="PodSecurityCheckVariant.MinimumMinor"/>. The check is active from the first one.</summary>
    IReadOnlyList<PodSecurityCheckVariant> Variants { get; }
}

/// <summary>Evaluates one pod; null when allowed.</summary>
internal delegate PodSecurityViolation? PodSecurityCheckFunc(PodSecurityContext pod);

/// <summary>
/// One versioned variant of a check (upstream <c>VersionedCheck</c>): used from
/// v1.<see cref="MinimumMinor"/> until the next variant's minimum. A restricted variant may
/// override (replace) baseline checks while it is the active variant.
/// </summary>
internal sealed class PodSecurityCheckVariant
{
    public PodSecurityCheckVariant(int minimumMinor, PodSecurityCheckFunc check, params string[] overrides)
    {
        MinimumMinor = minimumMinor;
        Check = check;
        Overrides = overrides;
    }

    public int MinimumMinor { get; }
    public PodSecurityCheckFunc Check { get; }
    /// <summary>Baseline check ids this (restricted) variant replaces.</summary>
    public IReadOnlyList<string> Overrides { get; }
}
