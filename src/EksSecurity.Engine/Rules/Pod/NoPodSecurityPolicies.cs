using System.Text.Json;
using EksSecurity.Engine.PodSecurity;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>
/// EKS-POD-020: no PodSecurityPolicy object remains. One Fail per PSP, naming the Pod Security Standards level
/// it corresponds to, computed from its spec and annotations after the upstream mapping
/// (https://kubernetes.io/docs/reference/access-authn-authz/psp-to-pod-security-standards/).
/// </summary>
public sealed class NoPodSecurityPolicies : Rule
{
    private const string MappingUrl = "https://kubernetes.io/docs/reference/access-authn-authz/psp-to-pod-security-standards/";
    private const string SeccompAnnotation = "seccomp.security.alpha.kubernetes.io/allowedProfileNames";
    private const string AppArmorAnnotation = "apparmor.security.beta.kubernetes.io/allowedProfileNames";

    private static readonly HashSet<string> BaselineCapabilities = new(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    private static readonly HashSet<string> RestrictedVolumes = new(StringComparer.Ordinal)
    {
        "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
    };

    /// <summary>The SELinux types baseline allows (latest policy version), "" meaning unset.</summary>
    private static readonly HashSet<string> SeLinuxTypes = new(StringComparer.Ordinal)
    {
        "", "container_t", "container_init_t", "container_kvm_t", "container_engine_t",
    };

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-020",
        Title = "No PodSecurityPolicy objects remain",
        Severity = Severity.Low,
        Area = RuleArea.Pod,
        Rationale = "PodSecurityPolicy was removed in Kubernetes 1.25. On a current cluster a leftover PSP enforces nothing while its presence in " +
                    "manifests suggests that pods are still constrained; on an older cluster it blocks the upgrade path. Pod Security Admission " +
                    "replaces it, and knowing which Pod Security Standards level a PSP corresponds to is what the migration needs.",
        Remediation = "Label the namespaces the PSP covered with the level it corresponds to (reported in the finding), check for violations, " +
                      "then delete the PSP and the RBAC that grants 'use' on it:\n" +
                      "kubectl label --dry-run=server --overwrite namespace <ns> pod-security.kubernetes.io/enforce=baseline\n" +
                      "kubectl label --overwrite namespace <ns> pod-security.kubernetes.io/enforce=baseline pod-security.kubernetes.io/warn=restricted\n" +
                      "kubectl delete podsecuritypolicy <name>\n" +
                      "Remove PodSecurityPolicy objects (apiVersion: policy/v1beta1, kind: PodSecurityPolicy) from manifests and Helm charts too.",
        References =
        [
            BestPracticesPodSecurity,
            MappingUrl,
            "https://kubernetes.io/docs/tasks/configure-pod-container/migrate-from-psp/",
            "https://docs.aws.amazon.com/eks/latest/userguide/pod-security-policy-removal-faq.html",
        ],
        Frameworks = [],
        // Not in Reads: on clusters from 1.25 the API no longer exists, and the rule says so instead of erroring.
        OptionallyReads = [SnapshotSection.PodSecurityPolicies, SnapshotSection.Cluster, SnapshotSection.ServerVersion],
        Tags = ["pod-security", "manifest", "psp", "deprecated-api"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var minor = context.KubernetesMinor;
        if (!context.Has(SnapshotSection.PodSecurityPolicies))
        {
            var section = context.Snapshot.DescribeSection(SnapshotSection.PodSecurityPolicies);
            if (minor >= 25)
                yield return context.Finding(FindingStatus.NotApplicable, context.Cluster,
                    $"The cluster runs Kubernetes 1.{minor}: the PodSecurityPolicy API was removed in 1.25, so no PSP can exist.",
                    [$"section PodSecurityPolicies: {section.Status}", $"Kubernetes version: 1.{minor}"]);
            else
                yield return context.Error(context.Cluster,
                    $"Could not evaluate: the PodSecurityPolicies section was not collected ({section.Describe()}) and the cluster version " +
                    (minor is null ? "is unknown." : $"(1.{minor}) still serves the API."),
                    [$"section PodSecurityPolicies: {section.Status}" + (section.Permission is null ? "" : $" (needs {section.Permission})")]);
            yield break;
        }

        foreach (var psp in context.Kubernetes.PodSecurityPolicies!.All)
        {
            var name = psp.Metadata?.Name ?? "(unnamed)";
            var mapping = Map(psp.Spec, psp.Metadata?.Annotations);
            var level = mapping.Level.ToString().ToLowerInvariant();
            var evidence = new List<string> { $"corresponds to Pod Security Standards level: {level} (mapping: {MappingUrl})" };
            evidence.AddRange(mapping.Limits.Select(l => $"limits it to {l.Level.ToString().ToLowerInvariant()}: {l.Reason}"));
            evidence.AddRange(mapping.Caveats.Select(c => $"not constrained by the PSP, which {level} does constrain: {c}"));
            if (mapping.Limits.Count == 0 && mapping.Caveats.Count == 0) evidence.Add("every mapped field is within restricted");

            var why = minor switch
            {
                >= 25 => $"the cluster runs 1.{minor}, where the PodSecurityPolicy API no longer exists and the object enforces nothing",
                not null => $"PodSecurityPolicy is removed in Kubernetes 1.25, and the cluster (1.{minor}) cannot upgrade while it relies on it",
                null => "PodSecurityPolicy was removed in Kubernetes 1.25",
            };
            var advice = mapping.Level == PodSecurityLevel.Privileged
                ? "it corresponds to the privileged level: its workloads need pod-security.kubernetes.io/enforce=privileged or changes before a stricter level"
                : $"it corresponds to the {level} level: replace it with pod-security.kubernetes.io/enforce={level} on the namespaces it covered";
            yield return context.Fail(new ResourceRef("PodSecurityPolicy", null, name),
                $"PodSecurityPolicy {name} remains: {why}; {advice}.", evidence);
        }
    }

    internal sealed record Mapping(PodSecurityLevel Level, IReadOnlyList<(PodSecurityLevel Level, string Reason)> Limits, IReadOnlyList<string> Caveats);

    /// <summary>The most restrictive level that admits everything the PSP admits, with the fields that decide it.</summary>
    internal static Mapping Map(JsonElement? specElement, IDictionary<string, string>? annotations)
    {
        var limits = new List<(PodSecurityLevel Level, string Reason)>();
        var caveats = new List<string>();
        void Limit(PodSecurityLevel level, string reason) => limits.Add((level, reason));

        var spec = specElement is { ValueKind: JsonValueKind.Object } s ? s : default;
        bool Has(string property, out JsonElement value)
        {
            value = default;
            return spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty(property, out value) && value.ValueKind != JsonValueKind.Null;
        }
        bool True(string property) => Has(property, out var v) && v.ValueKind == JsonValueKind.True;
        List<string> Strings(string property) => Has(property, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

        if (True("privileged")) Limit(PodSecurityLevel.Privileged, "privileged: true allows privileged containers");
        foreach (var host in new[] { "hostPID", "hostIPC", "hostNetwork" })
            if (True(host)) Limit(PodSecurityLevel.Privileged, $"{host}: true allows the node's namespace");

        if (Has("hostPorts", out var ports) && ports.ValueKind == JsonValueKind.Array)
        {
            var ranges = ports.EnumerateArray()
                .Select(r => (Min: Int(r, "min"), Max: Int(r, "max")))
                .Where(r => r.Max > 0 || r.Min > 0)
                .Select(r => $"{r.Min}-{r.Max}")
                .ToList();
            if (ranges.Count > 0) Limit(PodSecurityLevel.Privileged, $"hostPorts allows {string.Join(", ", ranges)}");
        }

        var volumes = Strings("volumes");
        if (volumes.Contains("*")) Limit(PodSecurityLevel.Privileged, "volumes: '*' allows every volume type, hostPath included");
        else if (volumes.Contains("hostPath"))
        {
            var paths = Has("allowedHostPaths", out var allowed) && allowed.ValueKind == JsonValueKind.Array
                ? allowed.EnumerateArray().Select(p => (p.TryGetProperty("pathPrefix", out var x) ? x.GetString() : null) +
                                                       (p.TryGetProperty("readOnly", out var ro) && ro.ValueKind == JsonValueKind.True ? " (read-only)" : "")).ToList()
                : [];
            Limit(PodSecurityLevel.Privileged, "volumes allows hostPath" + (paths.Count > 0 ? $" (allowedHostPaths: {string.Join(", ", paths)}; baseline allows no hostPath at all)" : ""));
        }
        var beyondRestricted = volumes.Where(v => v != "*" && v != "hostPath" && !RestrictedVolumes.Contains(v)).ToList();
        if (beyondRestricted.Count > 0 && !volumes.Contains("*"))
            Limit(PodSecurityLevel.Baseline, $"volumes allows {string.Join(", ", beyondRestricted)} (restricted allows only {string.Join(", ", RestrictedVolumes.Order(StringComparer.Ordinal))})");

        var added = Strings("allowedCapabilities").Concat(Strings("defaultAddCapabilities")).Select(NormalizeCapability).Distinct().ToList();
        if (added.Contains("*")) Limit(PodSecurityLevel.Privileged, "allowedCapabilities: '*' allows any capability");
        else
        {
            var beyondBaseline = added.Where(c => !BaselineCapabilities.Contains(c)).ToList();
            if (beyondBaseline.Count > 0) Limit(PodSecurityLevel.Privileged, $"allowedCapabilities/defaultAddCapabilities add {string.Join(", ", beyondBaseline)}, beyond the baseline set");
            var beyondRestrictedCaps = added.Where(c => c != "NET_BIND_SERVICE" && BaselineCapabilities.Contains(c)).ToList();
            if (beyondRestrictedCaps.Count > 0) Limit(PodSecurityLevel.Baseline, $"allowedCapabilities/defaultAddCapabilities add {string.Join(", ", beyondRestrictedCaps)} (restricted allows only NET_BIND_SERVICE)");
        }
        if (!Strings("requiredDropCapabilities").Select(NormalizeCapability).Contains("ALL"))
            Limit(PodSecurityLevel.Baseline, "requiredDropCapabilities does not include ALL");

        var runAsUser = Has("runAsUser", out var rau) && rau.ValueKind == JsonValueKind.Object ? rau : default;
        var userRule = runAsUser.ValueKind == JsonValueKind.Object && runAsUser.TryGetProperty("rule", out var ur) ? ur.GetString() : null;
        var nonRootRanges = userRule == "MustRunAs" && runAsUser.TryGetProperty("ranges", out var rr) && rr.ValueKind == JsonValueKind.Array &&
                            rr.GetArrayLength() > 0 && rr.EnumerateArray().All(r => Int(r, "min") >= 1);
        if (userRule != "MustRunAsNonRoot" && !nonRootRanges)
            Limit(PodSecurityLevel.Baseline, $"runAsUser.rule = {userRule ?? "(unset)"} allows running as root");

        if (!(Has("allowPrivilegeEscalation", out var ape) && ape.ValueKind == JsonValueKind.False))
            Limit(PodSecurityLevel.Baseline, "allowPrivilegeEscalation is not false (unset means true)");

        var unsafeSysctls = Strings("allowedUnsafeSysctls").Where(n => !SafeSysctls.IsAllowed(n, PodSecurityVersion.Latest)).ToList();
        if (unsafeSysctls.Count > 0) Limit(PodSecurityLevel.Privileged, $"allowedUnsafeSysctls allows {string.Join(", ", unsafeSysctls)}");

        var procMounts = Strings("allowedProcMountTypes").Where(p => p != "Default").ToList();
        if (procMounts.Count > 0) Limit(PodSecurityLevel.Privileged, $"allowedProcMountTypes allows {string.Join(", ", procMounts)}");

        var seLinux = Has("seLinux", out var sel) && sel.ValueKind == JsonValueKind.Object ? sel : default;
        var seLinuxRule = seLinux.ValueKind == JsonValueKind.Object && seLinux.TryGetProperty("rule", out var slr) ? slr.GetString() : null;
        if (seLinuxRule == "MustRunAs")
        {
            var options = seLinux.TryGetProperty("seLinuxOptions", out var o) && o.ValueKind == JsonValueKind.Object ? o : default;
            string Opt(string key) => options.ValueKind == JsonValueKind.Object && options.TryGetProperty(key, out var x) && x.ValueKind == JsonValueKind.String ? x.GetString()! : "";
            if (Opt("user") != "") Limit(PodSecurityLevel.Privileged, $"seLinux.seLinuxOptions.user = {Opt("user")} (baseline forbids setting the user)");
            if (Opt("role") != "") Limit(PodSecurityLevel.Privileged, $"seLinux.seLinuxOptions.role = {Opt("role")} (baseline forbids setting the role)");
            if (!SeLinuxTypes.Contains(Opt("type"))) Limit(PodSecurityLevel.Privileged, $"seLinux.seLinuxOptions.type = {Opt("type")} (not an allowed container type)");
        }
        else
        {
            caveats.Add($"seLinux.rule = {seLinuxRule ?? "(unset)"}: pods may set any SELinux user, role and type");
        }

        var seccomp = annotations is not null && annotations.TryGetValue(SeccompAnnotation, out var sc) ? sc : null;
        if (seccomp is null)
            Limit(PodSecurityLevel.Baseline, $"no {SeccompAnnotation} annotation: pods cannot set a seccomp profile, which restricted requires");
        else
            ProfileList(seccomp, SeccompAnnotation, isSeccomp: true, Limit, caveats);

        var appArmor = annotations is not null && annotations.TryGetValue(AppArmorAnnotation, out var aa) ? aa : null;
        if (appArmor is null)
            caveats.Add($"no {AppArmorAnnotation} annotation: pods may set any AppArmor profile, unconfined included");
        else
            ProfileList(appArmor, AppArmorAnnotation, isSeccomp: false, Limit, caveats);

        var level = limits.Count == 0 ? PodSecurityLevel.Restricted : limits.Min(l => l.Level);
        return new Mapping(level, limits.OrderBy(l => l.Level).ToList(), caveats);
    }

    /// <summary>
    /// A seccomp or AppArmor allowedProfileNames list: runtime/default (and docker/default, its old seccomp name) and localhost/* are
    /// fine; an empty entry (trailing comma) allows no profile, which is baseline; "*" (seccomp only) allows any; anything else, such as
    /// "unconfined", is privileged.
    /// </summary>
    private static void ProfileList(string value, string annotation, bool isSeccomp, Action<PodSecurityLevel, string> limit, List<string> caveats)
    {
        foreach (var entry in value.Split(',').Select(e => e.Trim()).Distinct())
        {
            if (entry == "")
                limit(PodSecurityLevel.Baseline, $"{annotation} = \"{value}\": the empty entry allows no profile, which restricted requires");
            else if (isSeccomp && entry == "*")
            {
                limit(PodSecurityLevel.Baseline, $"{annotation} = \"{value}\": '*' allows no profile, which restricted requires");
                caveats.Add($"{annotation} = \"{value}\": '*' allows any seccomp profile, unconfined included");
            }
            else if (entry == "runtime/default" || (isSeccomp && entry == "docker/default") || (entry.StartsWith("localhost/", StringComparison.Ordinal) && entry.Length > "localhost/".Length))
                continue;
            else
                limit(PodSecurityLevel.Privileged, $"{annotation} = \"{value}\": allows {entry}");
        }
    }

    private static string NormalizeCapability(string capability)
    {
        var upper = capability.Trim().ToUpperInvariant();
        return upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper[4..] : upper;
    }

    private static long Int(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var v) && v.TryGetInt64(out var n) ? n : 0;


}
