namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-016: non-system subjects cannot get or create nodes/proxy.</summary>
public sealed class MinimizeNodeProxyAccess : RbacPermissionRule
{
    /// <summary>Nodes are cluster-scoped: only ClusterRoleBindings grant nodes/proxy.</summary>
    internal static readonly RbacPermission[] NodeProxy = [.. RbacPermission.Verbs("", "nodes", "proxy", null, "get", "create")];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-016",
        Title = "Minimize nodes/proxy access",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "nodes/proxy forwards requests to the kubelet API of any node. The kubelet can list pods, read their logs and run " +
                    "commands in their containers, and requests made this way reach it through the API server's proxy, so the API " +
                    "server's audit log sees only the proxy call, not the command. get is enough: a WebSocket connection starts as a " +
                    "GET, and the kubelet authorizes it with the get verb.",
        Remediation = "Monitoring agents that need kubelet metrics should use nodes/metrics and nodes/stats (get) instead of nodes/proxy:\n" +
                      "rules:\n- apiGroups: [\"\"]\n  resources: [\"nodes/metrics\", \"nodes/stats\"]\n  verbs: [\"get\"]\n" +
                      "Remove nodes/proxy from every other role (kubectl edit clusterrole <role>).",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#access-to-proxy-subresource-of-nodes",
            "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.1.10", "Prowler rbac_minimize_node_proxy_subresource_access", "Kubescape C-0279"],
        Reads = RbacHoldings.Sections,
        Tags = ["cis", "rbac", "nodes", "kubelet", "least-privilege", "manifest"],
    };

    private protected override IEnumerable<RbacPermission> Permissions(RuleContext context) => NodeProxy;

    private protected override string Capability => "get or create nodes/proxy";
}
