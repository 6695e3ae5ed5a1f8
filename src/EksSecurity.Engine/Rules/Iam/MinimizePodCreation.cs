using EksSecurity.Engine.Kubernetes.Rbac;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-013: non-system subjects cannot create pods or the workload controllers that create them.</summary>
public sealed class MinimizePodCreation : RbacPermissionRule
{
    internal static readonly RbacPermission[] CreatePods = [new("create", "", "pods")];

    internal static readonly RbacPermission[] CreateWorkloads =
    [
        .. CreatePods,
        .. RbacPermission.Resources("create", "apps", RbacGraph.AnyNamespace, "deployments", "replicasets", "statefulsets", "daemonsets"),
        .. RbacPermission.Resources("create", "batch", RbacGraph.AnyNamespace, "jobs", "cronjobs"),
        new("create", "", "replicationcontrollers"),
    ];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-013",
        Title = "Minimize create-pods rights",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "Whoever can create a pod, directly or through a Deployment, Job or other controller, chooses what it runs and as whom: " +
                    "it can mount any Secret and ConfigMap of the namespace, run as any of its ServiceAccounts (and so use their RBAC " +
                    "rights and IAM roles), and, unless Pod Security admission stops it, run privileged or on the host network. " +
                    "Pod creation is therefore close to everything the namespace can do, and cluster-wide it reaches kube-system.",
        Remediation = "Keep pod and workload creation with the CI/CD or GitOps identity that deploys, scoped to the namespaces it deploys to, " +
                      "and give people read-only roles (the built-in view ClusterRole through a RoleBinding):\n" +
                      "kubectl create rolebinding team-view --clusterrole=view --group=team-a -n team-a\n" +
                      "Remove create on pods, deployments, replicasets, statefulsets, daemonsets, jobs, cronjobs and replicationcontrollers " +
                      "from other roles, and enforce Pod Security Standards (restricted) on the namespaces where creation stays.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.1.4", "Prowler rbac_minimize_pod_creation_access", "Kubescape C-0188"],
        Reads = RbacHoldings.Sections,
        Tags = ["cis", "rbac", "workloads", "least-privilege", "manifest"],
    };

    private protected override IEnumerable<RbacPermission> Permissions(RuleContext context) => CreateWorkloads;

    private protected override string Capability => "create pods or workload controllers";
}
