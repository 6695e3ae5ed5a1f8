using System.Text;
using k8s.Models;

namespace EksSecurity.Engine.PodSecurity;

/// <summary>
/// Pod Security Standards, evaluated as the Kubernetes pod-security admission controller does
/// (k8s.io/pod-security-admission, policy/): the same checks, versions, overrides, order,
/// reasons and details. Pure and thread-safe; the input objects are never modified.
/// </summary>
public static class PodSecurityEvaluator
{
    /// <summary>
    /// The checks that fail for the pod at <paramref name="level"/> and <paramref name="version"/>,
    /// in the admission controller's order; empty when the pod is allowed (always at privileged).
    /// The API server's defaulting the checks depend on is applied on the fly: a volume with no
    /// source counts as emptyDir, and with hostNetwork a port's unset hostPort is its containerPort.
    /// </summary>
    /// <param name="podMetadata">The pod's metadata (annotations are read); null means none.</param>
    public static IReadOnlyList<PodSecurityViolation> Evaluate(V1ObjectMeta? podMetadata, V1PodSpec spec, PodSecurityLevel level, PodSecurityVersion version)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var checks = PodSecurityCheckRegistry.Default.ChecksFor(level, version);
        if (checks.Length == 0) return [];
        var pod = new PodSecurityContext(podMetadata, spec);
        List<PodSecurityViolation>? violations = null;
        for (var i = 0; i < checks.Length; i++)
            if (checks[i](pod) is { } v) (violations ??= new List<PodSecurityViolation>(2)).Add(v);
        return violations is null ? [] : violations;
    }

    /// <summary>True when no check fails.</summary>
    public static bool IsAllowed(V1ObjectMeta? podMetadata, V1PodSpec spec, PodSecurityLevel level, PodSecurityVersion version) =>
        Evaluate(podMetadata, spec, level, version).Count == 0;

    /// <summary>
    /// The admission controller's forbidden detail: <c>reason (detail)</c> items joined with ", "
    /// (the detail's parentheses are left out when it is empty).
    /// </summary>
    public static string FormatMessage(IReadOnlyList<PodSecurityViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (violations.Count == 0) return "";
        var sb = new StringBuilder();
        for (var i = 0; i < violations.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            var v = violations[i];
            sb.Append(v.Reason.Length == 0 ? "unknown forbidden reason" : v.Reason);
            if (v.Detail.Length > 0) sb.Append(" (").Append(v.Detail).Append(')');
        }
        return sb.ToString();
    }

    /// <summary>The check ids run at a level and version, in evaluation order.</summary>
    public static IReadOnlyList<string> ActiveCheckIds(PodSecurityLevel level, PodSecurityVersion version) =>
        PodSecurityCheckRegistry.Default.CheckIdsFor(level, version);

    /// <summary>The newest policy version the checks know; latest and newer versions evaluate as this one.</summary>
    public static PodSecurityVersion NewestVersion => PodSecurityVersion.V1(PodSecurityCheckRegistry.Default.MaxMinor);
}
