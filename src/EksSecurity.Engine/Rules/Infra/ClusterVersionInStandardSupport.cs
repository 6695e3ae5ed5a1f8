using System.Globalization;
using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-001: the cluster's Kubernetes version is in EKS standard support, judged against the EKS version calendar.</summary>
public sealed class ClusterVersionInStandardSupport : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-001",
        Title = "Cluster version in standard support",
        Severity = Severity.High,
        Area = RuleArea.Infra,
        Rationale = "Kubernetes minor versions receive security fixes for a limited time. In EKS extended support a version still gets patches, " +
                    "at extra cost and only until a fixed date; after that, or once unsupported, the control plane and its add-ons stop receiving fixes " +
                    "and the cluster is upgraded on EKS's schedule rather than the owner's.",
        Remediation = "Plan the upgrade with EKS upgrade insights (aws eks list-insights --cluster-name <cluster>), then upgrade one minor version at a time: " +
                      "aws eks update-cluster-version --name <cluster> --kubernetes-version <next-minor>, followed by node groups and add-ons. " +
                      "Choose what happens at the end of standard support with aws eks update-cluster-config --name <cluster> --upgrade-policy supportType=STANDARD|EXTENDED.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/cluster-upgrades.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/extended-support-control.html",
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeClusterVersions.html",
        ],
        Frameworks = ["HardenEKS check_eks_version", "Prowler eks_cluster_uses_a_supported_version", "Kubescape C-0273", "Security Hub EKS.2"],
        Reads = [SnapshotSection.Cluster, SnapshotSection.ClusterVersions],
        Tags = ["version", "upgrade", "lifecycle"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var cluster = context.Aws.Cluster!.Value;
        var version = cluster?.Version?.Trim();
        if (string.IsNullOrEmpty(version))
        {
            yield return context.Error(context.Cluster, "The cluster description has no version; its support status cannot be judged.", ["version = (absent)"]);
            yield break;
        }

        var collectedAt = context.Snapshot.CollectedAt;
        var now = collectedAt ?? DateTimeOffset.UtcNow;
        var evidence = new List<string>
        {
            $"version = {version}",
            $"upgradePolicy.supportType = {cluster!.UpgradePolicy?.SupportType ?? "(absent)"}",
            collectedAt is null ? $"reference time = {Day(now)} (now: the snapshot has no collectedAt)" : $"reference time = {Day(now)} (snapshot collectedAt)",
        };

        var calendar = context.Aws.ClusterVersions!.All;
        var matches = calendar.Where(v => string.Equals(v.ClusterVersion?.Trim(), version, StringComparison.Ordinal)).ToList();
        // The calendar may also list other cluster types (such as local clusters on Outposts); prefer the plain EKS entry.
        var entry = matches.FirstOrDefault(v => v.ClusterType is null || v.ClusterType.Equals("eks", StringComparison.OrdinalIgnoreCase)) ?? matches.FirstOrDefault();
        if (entry is null)
        {
            evidence.Add($"clusterVersions lists [{string.Join(", ", calendar.Select(v => v.ClusterVersion).Where(v => v is not null).Distinct())}]");
            yield return context.Error(context.Cluster,
                $"Kubernetes {version} is not in the EKS version calendar collected with the snapshot; its support status cannot be judged.", evidence);
            yield break;
        }

        var (status, source) = StatusOf(entry);
        evidence.Add($"clusterVersions[{version}].{source} = {(source == "versionStatus" ? entry.VersionStatus : entry.Status) ?? "(absent)"}");
        evidence.Add($"clusterVersions[{version}].endOfStandardSupportDate = {Day(entry.EndOfStandardSupportDate)}");
        evidence.Add($"clusterVersions[{version}].endOfExtendedSupportDate = {Day(entry.EndOfExtendedSupportDate)}");

        switch (status)
        {
            case "STANDARD_SUPPORT":
                var standardEnd = entry.EndOfStandardSupportDate is { } se && se > now ? $"; standard support ends on {Day(se)} ({DaysLeft(se, now)} day(s) left)" : "";
                yield return context.Pass(context.Cluster, $"Kubernetes {version} is in EKS standard support{standardEnd}.", evidence);
                break;
            case "EXTENDED_SUPPORT":
                if (entry.EndOfExtendedSupportDate is not { } end)
                    yield return context.Fail(context.Cluster,
                        $"Kubernetes {version} is in EKS extended support (the calendar gives no end date).", evidence, Severity.Medium);
                else if (end <= now)
                    yield return context.Fail(context.Cluster,
                        $"Kubernetes {version} is past the end of EKS extended support ({Day(end)}): it receives no more fixes.", evidence, Severity.High);
                else
                    yield return context.Fail(context.Cluster,
                        $"Kubernetes {version} is in EKS extended support: {DaysLeft(end, now)} day(s) left until it ends on {Day(end)}.", evidence, Severity.Medium);
                break;
            case "UNSUPPORTED":
                yield return context.Fail(context.Cluster, $"Kubernetes {version} is no longer supported by EKS: it receives no more fixes.", evidence, Severity.High);
                break;
            default:
                yield return context.Error(context.Cluster,
                    $"The EKS version calendar gives Kubernetes {version} an unknown support status '{status ?? "(absent)"}'; it cannot be judged.", evidence);
                break;
        }
    }

    /// <summary>versionStatus (UNSUPPORTED, STANDARD_SUPPORT, EXTENDED_SUPPORT), falling back to the deprecated status field (standard-support...).</summary>
    private static (string? Status, string Source) StatusOf(EksClusterVersion entry)
    {
        if (!string.IsNullOrWhiteSpace(entry.VersionStatus))
            return (entry.VersionStatus.Trim().ToUpperInvariant(), "versionStatus");
        if (!string.IsNullOrWhiteSpace(entry.Status))
            return (entry.Status.Trim().Replace('-', '_').ToUpperInvariant(), "status");
        return (null, "versionStatus");
    }

    private static long DaysLeft(DateTimeOffset end, DateTimeOffset now) => (long)Math.Floor((end - now).TotalDays);

    private static string Day(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "(absent)";
}
