using System.Text.RegularExpressions;
using EksSecurity.Engine.Aws.Model;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-021: the core add-ons are EKS-managed, at least at the default version for the cluster's Kubernetes version, and healthy.</summary>
public sealed partial class CoreAddonsManagedCurrentHealthy : Rule
{
    private static readonly HashSet<string> FailedStatuses = new(StringComparer.OrdinalIgnoreCase) { "DEGRADED", "CREATE_FAILED", "UPDATE_FAILED", "DELETE_FAILED" };

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-021",
        Title = "Core add-ons managed, current and healthy",
        Severity = Severity.Medium,
        Area = RuleArea.Infra,
        Rationale = "The VPC CNI, kube-proxy, CoreDNS and the Pod Identity agent run with high privileges on every node or serve every pod. Their " +
                    "security fixes only arrive when someone updates them; as EKS add-ons they can be updated, verified and rolled back through the " +
                    "EKS API, and EKS reports their health. A self-managed copy, or a managed one left below the version EKS installs by default " +
                    "today, is likely to miss fixes and to break at the next cluster upgrade.",
        Remediation = "Adopt a self-managed component as an add-on: aws eks create-addon --cluster-name <cluster> --addon-name <name> " +
                      "--resolve-conflicts OVERWRITE (or PRESERVE to keep its settings). Update a managed one: aws eks describe-addon-versions " +
                      "--addon-name <name> --kubernetes-version <version>, then aws eks update-addon --cluster-name <cluster> --addon-name <name> " +
                      "--addon-version <version>. For a degraded add-on, read aws eks describe-addon --cluster-name <cluster> --addon-name <name> " +
                      "--query addon.health and fix the reported issues.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html",
            "https://docs.aws.amazon.com/eks/latest/best-practices/cluster-upgrades.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/updating-an-add-on.html",
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeAddonVersions.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Cluster, SnapshotSection.Addons],
        OptionallyReads = [SnapshotSection.AddonVersions, SnapshotSection.DaemonSets, SnapshotSection.Deployments],
        Tags = ["aws", "addons", "patching", "lifecycle"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var cluster = context.Aws.Cluster!.Value;
        var clusterVersion = cluster?.Version?.Trim();
        var autoMode = cluster?.ComputeConfig?.Enabled == true;
        foreach (var name in context.Settings.CoreAddons.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.Ordinal))
        {
            var resource = new ResourceRef("Addon", null, name);
            var evidence = new List<string> { $"cluster version = {clusterVersion ?? "(absent)"}" };
            var defaultVersion = DefaultVersion(context, name, clusterVersion, evidence, out var noDefault);
            var addon = context.Aws.Addons!.All.FirstOrDefault(a => a.AddonName == name);
            yield return addon is not null
                ? JudgeManaged(context, resource, addon, defaultVersion, noDefault, evidence)
                : JudgeUnmanaged(context, resource, name, autoMode, defaultVersion, noDefault, evidence);
        }
    }

    private static EksSecurityFinding JudgeManaged(RuleContext context, ResourceRef resource, EksAddon addon, AddonVersion? defaultVersion, string? noDefault, List<string> evidence)
    {
        var name = addon.AddonName!;
        evidence.Add($"addon {name}: addonVersion = {addon.AddonVersion ?? "(absent)"}, status = {addon.Status ?? "(absent)"}");
        var issues = addon.Health?.Issues ?? [];
        evidence.AddRange(issues.Select(i => $"health issue {i.Code ?? "(no code)"}: {i.Message ?? ""}" + (i.ResourceIds is { Count: > 0 } ids ? $" [{string.Join(", ", ids)}]" : "")));

        var problems = new List<string>();
        if (addon.Status is { } status && FailedStatuses.Contains(status)) problems.Add($"its status is {status}");
        if (issues.Count > 0) problems.Add($"it reports health issue(s) {string.Join(", ", issues.Select(i => i.Code ?? "(no code)").Distinct())}");
        var current = AddonVersion.Parse(addon.AddonVersion);
        string? unknown = null;
        if (current is null) unknown = $"its version '{addon.AddonVersion ?? "(absent)"}' cannot be read";
        else if (defaultVersion is null) unknown = noDefault;
        else if (current < defaultVersion) problems.Add($"version {addon.AddonVersion} is older than {defaultVersion.Text}, the default for this cluster version");

        if (problems.Count > 0)
            return context.Fail(resource, $"The {name} add-on is not healthy and current: {string.Join("; ", problems)}.", evidence);
        if (unknown is not null)
            return context.Error(resource, $"Whether the {name} add-on is current could not be judged: {unknown}.", evidence);
        return context.Pass(resource, $"The {name} add-on is EKS-managed at {addon.AddonVersion} (default {defaultVersion!.Text}) and healthy.", evidence);
    }

    private static EksSecurityFinding JudgeUnmanaged(RuleContext context, ResourceRef resource, string name, bool autoMode, AddonVersion? defaultVersion, string? noDefault, List<string> evidence)
    {
        evidence.Add($"addon {name}: not installed as an EKS add-on");
        var (kind, workloadName, container) = Workload(name);
        var section = kind == "DaemonSet" ? SnapshotSection.DaemonSets : SnapshotSection.Deployments;
        if (!context.Has(section))
        {
            var info = context.Snapshot.DescribeSection(section);
            if (autoMode)
                return context.Finding(FindingStatus.NotApplicable, resource, $"The cluster runs EKS Auto Mode, which provides {name} itself.", evidence);
            evidence.Add($"section {section}: {info.Status}" + (info.Permission is null ? "" : $" (needs {info.Permission})"));
            return context.Error(resource, $"The {name} add-on is not EKS-managed, and whether a self-managed copy runs could not be checked.", evidence);
        }
        V1PodSpec? spec = kind == "DaemonSet"
            ? context.Kubernetes.DaemonSets!.All.FirstOrDefault(d => d.Metadata?.NamespaceProperty == "kube-system" && d.Metadata?.Name == workloadName)?.Spec?.Template?.Spec
            : context.Kubernetes.Deployments!.All.FirstOrDefault(d => d.Metadata?.NamespaceProperty == "kube-system" && d.Metadata?.Name == workloadName)?.Spec?.Template?.Spec;
        if (spec is null)
        {
            evidence.Add($"kube-system {kind} {workloadName}: absent");
            return context.Finding(FindingStatus.NotApplicable, resource,
                autoMode ? $"The cluster runs EKS Auto Mode, which provides {name} itself." : $"{name} is not installed, neither as an EKS add-on nor as kube-system/{workloadName}.", evidence);
        }
        var image = (spec.Containers ?? []).FirstOrDefault(c => c.Name == container)?.Image ?? spec.Containers?.FirstOrDefault()?.Image;
        evidence.Add($"kube-system {kind} {workloadName}: image = {image ?? "(none)"}");
        var current = AddonVersion.Parse(ImageTag(image));
        if (current is null)
            return context.Error(resource, $"{name} is self-managed (kube-system {kind} {workloadName}), and its version cannot be read from image '{image ?? "(none)"}'.", evidence);
        if (defaultVersion is null)
            return context.Error(resource, $"{name} is self-managed at {current.Text}; whether that is outdated could not be judged: {noDefault}.", evidence);
        if (current < defaultVersion)
            return context.Fail(resource, $"{name} is self-managed (kube-system {kind} {workloadName}) at {current.Text}, older than {defaultVersion.Text}, the add-on's default for this cluster version.", evidence);
        return context.Warn(resource,
            $"{name} is self-managed (kube-system {kind} {workloadName}) at {current.Text}, which is current; manage it as an EKS add-on so it is updated and health-checked through EKS.",
            evidence, Severity.Low);
    }

    /// <summary>The default version of <paramref name="name"/> for the cluster's Kubernetes version, from eks:DescribeAddonVersions.</summary>
    private static AddonVersion? DefaultVersion(RuleContext context, string name, string? clusterVersion, List<string> evidence, out string? why)
    {
        why = null;
        if (!context.Has(SnapshotSection.AddonVersions))
        {
            var info = context.Snapshot.DescribeSection(SnapshotSection.AddonVersions);
            why = $"the add-on versions were not collected (section AddonVersions: {info.Status}" + (info.Permission is null ? ")" : $", needs {info.Permission})");
            return null;
        }
        if (string.IsNullOrEmpty(clusterVersion))
        {
            why = "the cluster reports no version";
            return null;
        }
        var info2 = context.Aws.AddonVersions!.All.FirstOrDefault(a => a.AddonName == name);
        var defaults = (info2?.AddonVersions ?? [])
            .Where(v => v.Compatibilities?.Any(c => c.ClusterVersion?.Trim() == clusterVersion && c.DefaultVersion == true) == true)
            .Select(v => AddonVersion.Parse(v.AddonVersion))
            .Where(v => v is not null)
            .ToList();
        if (defaults.Count == 0)
        {
            why = $"eks:DescribeAddonVersions lists no default {name} version for Kubernetes {clusterVersion}";
            return null;
        }
        var best = defaults.Max()!;
        evidence.Add($"default {name} version for Kubernetes {clusterVersion} = {best.Text}");
        return best;
    }

    /// <summary>Where a self-managed copy of an add-on lives in kube-system.</summary>
    private static (string Kind, string Name, string Container) Workload(string addon) => addon switch
    {
        "vpc-cni" => ("DaemonSet", "aws-node", "aws-node"),
        "coredns" => ("Deployment", "coredns", "coredns"),
        _ => ("DaemonSet", addon, addon),
    };

    private static string? ImageTag(string? image)
    {
        if (string.IsNullOrWhiteSpace(image)) return null;
        var name = image.Split('@')[0];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[(colon + 1)..] : null;
    }

    [GeneratedRegex(@"^v?(\d{1,6})\.(\d{1,6})\.(\d{1,6})(?:-.*?eksbuild\.(\d{1,6}))?", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    /// <summary>"v1.19.2-eksbuild.1" (add-on), "v1.30.0-minimal-eksbuild.3" (kube-proxy image), "v1.19.2" (upstream image).</summary>
    internal sealed record AddonVersion(int Major, int Minor, int Patch, int Build, string Text) : IComparable<AddonVersion>
    {
        public static AddonVersion? Parse(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var m = VersionPattern().Match(text.Trim());
            if (!m.Success) return null;
            return new AddonVersion(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value),
                m.Groups[4].Success ? int.Parse(m.Groups[4].Value) : 0, text.Trim());
        }

        public int CompareTo(AddonVersion? other) =>
            other is null ? 1 : (Major, Minor, Patch, Build).CompareTo((other.Major, other.Minor, other.Patch, other.Build));

        public static bool operator <(AddonVersion a, AddonVersion b) => a.CompareTo(b) < 0;
        public static bool operator >(AddonVersion a, AddonVersion b) => a.CompareTo(b) > 0;
    }
}
