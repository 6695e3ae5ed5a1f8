using System.Collections.Frozen;
using k8s.Models;

namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// seLinuxOptions (baseline, v1.0+): pod and container seLinuxOptions.type must be in the
/// allowed set (v1.31 adds container_engine_t); user and role must be empty; level is free.
/// </summary>
internal sealed class SeLinuxOptionsCheck : PodSecurityCheck
{
    public const string CheckId = "seLinuxOptions";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } =
    [
        new(0, pod => Evaluate(pod, AllowedTypes1_0)),
        new(31, pod => Evaluate(pod, AllowedTypes1_31)),
    ];

    internal static readonly FrozenSet<string> AllowedTypes1_0 =
        new[] { "", "container_t", "container_init_t", "container_kvm_t" }.ToFrozenSet(StringComparer.Ordinal);
    internal static readonly FrozenSet<string> AllowedTypes1_31 =
        new[] { "", "container_t", "container_init_t", "container_kvm_t", "container_engine_t" }.ToFrozenSet(StringComparer.Ordinal);

    private struct State
    {
        public List<string>? BadTypes;
        public bool SetUser;
        public bool SetRole;
    }

    private static bool Valid(V1SELinuxOptions opts, FrozenSet<string> allowed, ref State state)
    {
        var valid = true;
        var type = opts.Type ?? "";
        if (!allowed.Contains(type))
        {
            valid = false;
            (state.BadTypes ??= []).Add(type);
        }
        if (!string.IsNullOrEmpty(opts.User)) { valid = false; state.SetUser = true; }
        if (!string.IsNullOrEmpty(opts.Role)) { valid = false; state.SetRole = true; }
        return valid;
    }

    private static PodSecurityViolation? Evaluate(PodSecurityContext pod, FrozenSet<string> allowed)
    {
        var state = default(State);
        List<string>? badSetters = null;
        if (pod.PodSecurity?.SeLinuxOptions is { } podOpts && !Valid(podOpts, allowed, ref state)) (badSetters ??= []).Add("pod");

        List<string>? badContainers = null;
        foreach (ref readonly var c in pod.Containers.AsSpan())
            if (c.SecurityContext?.SeLinuxOptions is { } opts && !Valid(opts, allowed, ref state)) (badContainers ??= []).Add(c.Name);
        if (badContainers is not null) (badSetters ??= []).Add(PodSecurityFormat.Containers(badContainers));
        if (badSetters is null) return null;

        var badData = new List<string>(3);
        if (state.BadTypes is not null)
        {
            var types = PodSecurityFormat.SortedSet(state.BadTypes);
            badData.Add(PodSecurityFormat.Pluralize("type", "types", types.Count) + " " + PodSecurityFormat.JoinQuote(types));
        }
        if (state.SetUser) badData.Add("user may not be set");
        if (state.SetRole) badData.Add("role may not be set");

        return Fail(CheckId, "seLinuxOptions",
            string.Join(" and ", badSetters) + " set forbidden securityContext.seLinuxOptions: " + string.Join("; ", badData),
            badContainers);
    }
}
