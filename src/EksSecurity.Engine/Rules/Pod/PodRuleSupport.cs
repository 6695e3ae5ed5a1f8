using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>
/// What the per-pod-spec rules (EKS-POD-004 to EKS-POD-019) share: field paths for evidence,
/// host path normalisation, and the volume/mount joins. Not a rule.
/// </summary>
internal static class PodRuleSupport
{
    public const string BestPracticesPodSecurity = "https://docs.aws.amazon.com/eks/latest/best-practices/pod-security.html";
    public const string PodSecurityStandards = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";

    /// <summary>One judged item of a pod spec: the subject ("containers[app]" or "pod"), whether it offends, and the evidence line.</summary>
    public readonly record struct Check(string Subject, bool Offends, string Evidence);

    /// <summary>
    /// The one finding of a pod spec source: Fail naming the offending subjects, with their evidence lines
    /// only; Pass otherwise, with every line (what was checked).
    /// </summary>
    public static EksSecurityFinding Conclude(RuleContext context, PodSpecSource source, IReadOnlyList<Check> checks,
        Func<IReadOnlyList<string>, string> failMessage, string passMessage, IEnumerable<string>? notes = null)
    {
        var offending = checks.Where(c => c.Offends).ToList();
        var extra = notes?.ToList() ?? [];
        if (offending.Count > 0)
            return context.Fail(source.Ref, failMessage(offending.Select(c => c.Subject).Distinct().ToList()),
                [.. offending.Select(c => c.Evidence), .. extra]);
        List<string> evidence = checks.Count == 0 ? [$"{source.SpecPath}: nothing to check"] : [.. checks.Select(c => c.Evidence)];
        return context.Pass(source.Ref, passMessage, [.. evidence, .. extra]);
    }

    /// <summary>"Deployment payments/api", "Pod default/debug".</summary>
    public static string Describe(PodSpecSource source) =>
        string.IsNullOrEmpty(source.Namespace) ? $"{source.Kind} {source.Name}" : $"{source.Kind} {source.Namespace}/{source.Name}";

    /// <summary>A pod-level field: "spec.template.spec.hostPID".</summary>
    public static string PodField(PodSpecSource source, string field) => $"{source.SpecPath}.{field}";

    /// <summary>A container field: "spec.template.spec.initContainers[setup].securityContext.privileged".</summary>
    public static string ContainerField(PodSpecSource source, ContainerRef container, string field) =>
        $"{source.SpecPath}.{container.Path}.{field}";

    /// <summary>True for pods pinned to Windows nodes (spec.os.name), where Linux-only securityContext fields are rejected by the API.</summary>
    public static bool IsWindows(V1PodSpec spec) => string.Equals(spec.Os?.Name, "windows", StringComparison.OrdinalIgnoreCase);

    public static string Show(bool? value) => value switch { true => "true", false => "false", null => "(unset)" };
    public static string Show(long? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(unset)";
    public static string Show(string? value) => value is null ? "(unset)" : value;

    /// <summary>The containers (as "containers[app]") that mount the pod volume <paramref name="volume"/>.</summary>
    public static List<string> MountedBy(PodSpecSource source, string? volume) =>
        source.Containers.Where(c => c.VolumeMounts?.Any(m => m.Name == volume) == true).Select(c => c.Path).ToList();

    public static string MountedByText(PodSpecSource source, string? volume)
    {
        var by = MountedBy(source, volume);
        return by.Count == 0 ? "not mounted by any container" : "mounted by " + string.Join(", ", by);
    }

    /// <summary>Every hostPath volume of the pod spec.</summary>
    public static IEnumerable<(V1Volume Volume, string Path)> HostPathVolumes(PodSpecSource source) =>
        (source.Spec.Volumes ?? []).Where(v => v.HostPath is not null).Select(v => (v, v.HostPath.Path ?? ""));

    /// <summary>"spec.volumes[logs].hostPath.path".</summary>
    public static string HostPathField(PodSpecSource source, V1Volume volume) =>
        PodField(source, $"volumes[{volume.Name}].hostPath.path");

    /// <summary>
    /// A host path as the node resolves it, for comparison: duplicate slashes collapsed, "." and ".."
    /// resolved (".." at the root stays at the root), the trailing slash removed, always rooted.
    /// Windows paths (a drive letter or a \\.\pipe\ name) are returned with backslashes, lower-cased
    /// and without a trailing separator, since Windows paths are case-insensitive.
    /// </summary>
    public static string NormalizeHostPath(string path)
    {
        if (IsWindowsPath(path))
        {
            var windows = path.Replace('/', '\\').TrimEnd('\\').ToLowerInvariant();
            return windows.Length == 0 ? "\\" : windows;
        }
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..")
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        return "/" + string.Join('/', segments);
    }

    /// <summary>The segments of a normalised Linux path; empty for "/".</summary>
    public static string[] Segments(string normalized) => normalized.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static bool IsWindowsPath(string path) =>
        path.StartsWith(@"\\", StringComparison.Ordinal) || path.StartsWith("//./", StringComparison.Ordinal) ||
        (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':');

    /// <summary>"/var/run/ (normalised: /var/run)", or just the path when normalising changed nothing.</summary>
    public static string ShowPath(string raw, string normalized) =>
        raw == normalized ? raw : $"{raw} (normalised: {normalized})";

    /// <summary>At most <paramref name="max"/> items, then "and N more".</summary>
    public static string JoinCapped(IReadOnlyCollection<string> items, int max = 10) =>
        items.Count <= max ? string.Join(", ", items) : string.Join(", ", items.Take(max)) + $" and {items.Count - max} more";

    /// <summary>The shared logic of the three host namespace rules (EKS-POD-005, 006, 007): one pod-level boolean.</summary>
    public static IEnumerable<EksSecurityFinding> EvaluateHostNamespace(RuleContext context, string field, Func<V1PodSpec, bool?> value, string failure,
        Func<PodSpecSource, IEnumerable<string>>? notes = null)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            var v = value(source.Spec);
            var check = new Check("pod", v == true, $"{PodField(source, field)} = {Show(v)}");
            yield return Conclude(context, source, [check],
                _ => $"{Describe(source)} {failure}.",
                $"{Describe(source)} does not set {field}.", v == true ? notes?.Invoke(source) : null);
        }
    }
}
