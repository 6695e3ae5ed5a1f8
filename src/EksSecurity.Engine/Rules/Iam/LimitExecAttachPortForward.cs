using EksSecurity.Engine.Kubernetes.Rbac;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-020: non-admin subjects cannot exec into, attach to or port-forward to pods (Fail cluster-wide, Warning namespaced).</summary>
public sealed class LimitExecAttachPortForward : RbacPermissionRule
{
    private static readonly string[] Subresources = ["exec", "attach", "portforward"];

    /// <summary>create, the verb of a SPDY (POST) connection.</summary>
    internal static readonly RbacPermission[] Create = [.. Subresources.Select(s => new RbacPermission("create", "", "pods", s))];

    /// <summary>Also get: before Kubernetes 1.35 a WebSocket connection (kubectl's default since 1.30) is authorized with get alone.</summary>
    internal static readonly RbacPermission[] CreateOrGet = [.. Create, .. Subresources.Select(s => new RbacPermission("get", "", "pods", s))];

    /// <summary>The first minor version that also requires create for WebSocket connections (AuthorizePodWebsocketUpgradeCreatePermission).</summary>
    internal const int CreateRequiredFromMinor = 35;

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-020",
        Title = "Limit exec/attach/port-forward",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "exec and attach give a shell, or the main process's terminal, inside a running container: its files, its mounted " +
                    "Secrets and ServiceAccount token, its IAM role credentials and its network position. port-forward reaches any port " +
                    "of the pod around Services and NetworkPolicies. They are the usual first step of an incident and should stay with " +
                    "administrators, preferably only in the namespaces they run. Before Kubernetes 1.35, get on these subresources is " +
                    "enough, because a WebSocket connection is authorized as a get.",
        Remediation = "Remove pods/exec, pods/attach and pods/portforward from everyday roles (kubectl edit role <role> -n <namespace>, or the " +
                      "ClusterRole), and give break-glass access through a separate, audited role bound only when needed:\n" +
                      "kubectl create role debug --verb=create,get --resource=pods/exec -n <namespace>\n" +
                      "kubectl create rolebinding debug --role=debug --user=<on-call> -n <namespace>\n" +
                      "Prefer kubectl debug with ephemeral containers and audit-log alerts on exec.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/incident-response-and-forensics.html",
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        ],
        Frameworks = ["Kubescape C-0002", "Kubescape C-0063"],
        Reads = RbacHoldings.Sections,
        OptionallyReads = [SnapshotSection.Cluster, SnapshotSection.ServerVersion],
        Tags = ["rbac", "exec", "incident-response", "least-privilege", "manifest"],
    };

    private protected override IEnumerable<RbacPermission> Permissions(RuleContext context) =>
        context.KubernetesMinor >= CreateRequiredFromMinor ? Create : CreateOrGet;



    private protected override string Capability => "exec into, attach to or port-forward to pods";

    /// <summary>Administrators (setting ClusterAdminAllowedSubjects) are expected to exec.</summary>
    private protected override string? Exemption(RuleContext context, RbacSubject subject) =>
        WildcardMatch.FirstMatch(subject.Key, context.Settings.ClusterAdminAllowedSubjects) is { } pattern
            ? $"an administrator (setting ClusterAdminAllowedSubjects, pattern '{pattern}')."
            : null;

    private protected override EksSecurityFinding Judge(RuleContext context, RbacHolding holding)
    {
        var message = $"{holding.Subject} can {holding.Rights} {holding.Scope}.";
        return holding.IsClusterWide
            ? context.Fail(holding.Ref, message, holding.Evidence())
            : context.Warn(holding.Ref, message + " Namespaced access: review that it is meant.", holding.Evidence());
    }
}
