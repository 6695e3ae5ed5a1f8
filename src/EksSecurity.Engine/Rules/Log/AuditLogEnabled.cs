namespace EksSecurity.Engine.Rules.Log;

/// <summary>EKS-LOG-001: the Kubernetes audit log of the control plane is exported to CloudWatch Logs.</summary>
public sealed class AuditLogEnabled : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-LOG-001",
        Title = "Audit log enabled",
        Severity = Severity.High,
        Area = RuleArea.Log,
        Rationale = "The Kubernetes audit log is the only record of who called the API server, with which identity, on what object and with what result. " +
                    "EKS does not export it unless asked, and without it an intrusion, a privilege escalation or an unexpected change " +
                    "cannot be investigated or alerted on.",
        Remediation = "aws eks update-cluster-config --name <cluster> " +
                      "--logging '{\"clusterLogging\":[{\"types\":[\"audit\"],\"enabled\":true}]}' " +
                      "(the log group /aws/eks/<cluster>/cluster then receives the audit stream; set a retention on it).",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/auditing-and-logging.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
            "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/",
        ],
        Frameworks = ["CIS EKS 1.8.0 2.1.1", "Kubescape C-0067", "HardenEKS check_logs_are_enabled", "Security Hub EKS.8"],
        Reads = [SnapshotSection.Cluster],
        Tags = ["cis", "logging", "audit"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var cluster = context.Aws.Cluster!.Value;
        if (cluster is null)
        {
            yield return context.Error(context.Cluster, "The cluster description is empty; control-plane logging cannot be judged.");
            yield break;
        }
        var logging = ControlPlaneLogging.From(cluster);
        if (logging.IsEnabled("audit"))
            yield return context.Pass(context.Cluster, "The control-plane audit log is exported to CloudWatch Logs.", logging.Evidence);
        else
            yield return context.Fail(context.Cluster,
                logging.Conflicting.Contains("audit")
                    ? "The audit log type is listed as both enabled and disabled; it is not counted as exported."
                    : "The control-plane audit log is not exported: API calls to the cluster leave no record.",
                logging.Evidence);
    }
}
