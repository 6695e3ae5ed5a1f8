using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Health;

/// <summary>EKS-HEALTH-007: the cluster, each managed node group, each add-on and each Fargate profile is ACTIVE and reports no health issues.</summary>
public sealed class EksResourcesReportNoHealthIssues : Rule
{
    /// <summary>States a resource passes through on its way to ACTIVE or away from it: not a failure yet.</summary>
    private static readonly HashSet<string> Transitional = new(StringComparer.OrdinalIgnoreCase) { "CREATING", "UPDATING", "DELETING", "PENDING" };

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-HEALTH-007",
        Title = "Cluster, node groups and add-ons report no health issues",
        Severity = Severity.High,
        Area = RuleArea.Health,
        Rationale = "EKS reports what stops it from managing a resource: a deleted security group or instance profile, a revoked KMS grant, failing " +
                    "instance launches, an add-on that cannot reconcile. Until fixed, node groups cannot replace or scale nodes, add-ons cannot update, " +
                    "and the cluster may be unable to decrypt Secrets; security patches stop arriving and the next failure becomes an outage.",
        Remediation = "Read each reported issue and fix its cause: aws eks describe-cluster --name <cluster> --query cluster.health; " +
                      "aws eks describe-nodegroup --cluster-name <cluster> --nodegroup-name <name> --query nodegroup.health; " +
                      "aws eks describe-addon --cluster-name <cluster> --addon-name <name> --query addon.health; " +
                      "aws eks describe-fargate-profile --cluster-name <cluster> --fargate-profile-name <name>. Recreate what the issue names as missing " +
                      "(security group, IAM role or instance profile, KMS key access), then let EKS reconcile or update the resource again.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/auditing-and-logging.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/troubleshooting.html",
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupHealth.html",
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_ClusterHealth.html",
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_AddonHealth.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Cluster],
        OptionallyReads = [SnapshotSection.NodeGroups, SnapshotSection.Addons, SnapshotSection.FargateProfiles],
        Tags = ["aws", "health", "monitoring", "addons", "nodes"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var cluster = context.Aws.Cluster!.Value;
        if (cluster is null)
            yield return context.Error(context.Cluster, "The cluster description is empty; the cluster's health cannot be judged.");
        else
            yield return Judge(context, context.Cluster, "cluster", cluster.Status, cluster.Health);

        foreach (var finding in Each(context, SnapshotSection.NodeGroups, "node groups", context.Aws.NodeGroups,
                     n => Judge(context, new ResourceRef("NodeGroup", null, n.NodegroupName ?? "(unnamed)"), "node group", n.Status, n.Health)))
            yield return finding;
        foreach (var finding in Each(context, SnapshotSection.Addons, "add-ons", context.Aws.Addons,
                     a => Judge(context, new ResourceRef("Addon", null, a.AddonName ?? "(unnamed)"), "add-on", a.Status, a.Health)))
            yield return finding;
        foreach (var finding in Each(context, SnapshotSection.FargateProfiles, "Fargate profiles", context.Aws.FargateProfiles,
                     f => Judge(context, new ResourceRef("FargateProfile", null, f.FargateProfileName ?? "(unnamed)"), "Fargate profile", f.Status, f.Health)))
            yield return finding;
    }

    private static IEnumerable<EksSecurityFinding> Each<T>(RuleContext context, SnapshotSection section, string what, Snapshot.Section<T>? items, Func<T, EksSecurityFinding> judge)
    {
        if (!context.Has(section))
        {
            var info = context.Snapshot.DescribeSection(section);
            yield return context.Error(context.Cluster, $"The health of the cluster's {what} is unknown: they were not collected.",
                [$"section {section}: {info.Status}" + (info.Permission is null ? "" : $" (needs {info.Permission})") + (info.Reason is null ? "" : $", {info.Reason}")]);
            yield break;
        }
        foreach (var item in items!.All) yield return judge(item);
    }

    private static EksSecurityFinding Judge(RuleContext context, ResourceRef resource, string kind, string? status, EksHealth? health)
    {
        var issues = health?.Issues ?? [];
        var evidence = new List<string> { $"status = {status ?? "(absent)"}", $"health.issues = {(issues.Count == 0 ? "(none)" : issues.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))}" };
        evidence.AddRange(issues.Select(i => $"issue {i.Code ?? "(no code)"}: {i.Message ?? ""}" + (i.ResourceIds is { Count: > 0 } ids ? $" [{string.Join(", ", ids)}]" : "")));
        var codes = string.Join(", ", issues.Select(i => i.Code ?? "(no code)").Distinct());
        var name = resource.Name;

        if (issues.Count > 0)
            return context.Fail(resource, $"The {kind} {name} is {status ?? "in an unknown state"} and reports health issue(s): {codes}.", evidence);
        if (string.IsNullOrWhiteSpace(status))
            return context.Error(resource, $"The {kind} {name} reports no status; its health cannot be judged.", evidence);
        if (string.Equals(status, "ACTIVE", StringComparison.OrdinalIgnoreCase))
            return context.Pass(resource, $"The {kind} {name} is ACTIVE and reports no health issues.", evidence);
        if (Transitional.Contains(status))
            return context.Warn(resource, $"The {kind} {name} is {status}, not ACTIVE: check again once the operation completes.", evidence);
        return context.Fail(resource, $"The {kind} {name} is {status}, not ACTIVE.", evidence);
    }
}
