namespace EksSecurity.Engine.Rules.Log;

/// <summary>EKS-LOG-002: every required control-plane log type is exported.</summary>
public sealed class AllControlPlaneLogTypesEnabled : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-LOG-002",
        Title = "All control-plane log types enabled",
        Severity = Severity.Medium,
        Area = RuleArea.Log,
        Rationale = "Each control-plane log answers a different question: api and audit show requests, authenticator shows which IAM principal " +
                    "became which Kubernetes user, controllerManager and scheduler explain what the control plane did with workloads. " +
                    "A missing type leaves a blind spot exactly where an investigation may need to look.",
        Remediation = "aws eks update-cluster-config --name <cluster> " +
                      "--logging '{\"clusterLogging\":[{\"types\":[\"api\",\"audit\",\"authenticator\",\"controllerManager\",\"scheduler\"],\"enabled\":true}]}'. " +
                      "If cost rules some types out, narrow the RequiredLogTypes setting instead of ignoring the finding.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/auditing-and-logging.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
        ],
        Frameworks = ["CIS EKS 1.8.0 2.1.1", "Kubescape C-0067", "Prowler eks_control_plane_logging_all_types_enabled"],
        Reads = [SnapshotSection.Cluster],
        Tags = ["cis", "logging"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var cluster = context.Aws.Cluster!.Value;
        if (cluster is null)
        {
            yield return context.Error(context.Cluster, "The cluster description is empty; control-plane logging cannot be judged.");
            yield break;
        }
        var required = context.Settings.RequiredLogTypes
            .Where(t => !string.IsNullOrWhiteSpace(t))
            .Select(t => t.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var logging = ControlPlaneLogging.From(cluster);
        var evidence = logging.Evidence.Append($"setting RequiredLogTypes = [{string.Join(", ", required)}]").ToList();
        if (required.Count == 0)
        {
            yield return context.Pass(context.Cluster, "No control-plane log type is required by the RequiredLogTypes setting.", evidence);
            yield break;
        }
        var missing = required.Where(t => !logging.IsEnabled(t)).ToList();
        if (missing.Count == 0)
            yield return context.Pass(context.Cluster, $"All {required.Count} required control-plane log types are exported: {string.Join(", ", required)}.", evidence);
        else
            yield return context.Fail(context.Cluster,
                $"{missing.Count} of {required.Count} required control-plane log types are not exported: {string.Join(", ", missing)}.", evidence);
    }
}
