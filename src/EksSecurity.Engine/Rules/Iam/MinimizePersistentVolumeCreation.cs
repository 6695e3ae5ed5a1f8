namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-015: non-system subjects cannot create PersistentVolumes.</summary>
public sealed class MinimizePersistentVolumeCreation : RbacPermissionRule
{
    /// <summary>PersistentVolumes are cluster-scoped: only ClusterRoleBindings grant them.</summary>
    internal static readonly RbacPermission[] CreatePersistentVolumes = [new("create", "", "persistentvolumes") { Namespace = null }];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-015",
        Title = "Minimize create PersistentVolumes",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "A PersistentVolume can point at a hostPath on the node. Whoever can create one, and then claim it from a namespace, " +
                    "mounts the node's file system into a pod without ever writing a hostPath volume into a pod spec, which Pod Security " +
                    "admission would refuse. Volumes should come from StorageClasses and their CSI provisioners, not from people.",
        Remediation = "Provision storage dynamically: users create PersistentVolumeClaims against a StorageClass (gp3 on the EBS CSI driver) " +
                      "and the driver creates the volume. Remove create on persistentvolumes from the role:\n" +
                      "kubectl edit clusterrole <role>   # drop \"create\" from the persistentvolumes rule\n" +
                      "Keep the right with the CSI controllers and the storage administrators who need it.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
            "https://docs.aws.amazon.com/eks/latest/best-practices/pod-security.html",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.1.9", "Prowler rbac_minimize_pv_creation_access", "Kubescape C-0278"],
        Reads = RbacHoldings.Sections,
        Tags = ["cis", "rbac", "storage", "least-privilege", "manifest"],
    };

    private protected override IEnumerable<RbacPermission> Permissions(RuleContext context) => CreatePersistentVolumes;

    private protected override string Capability => "create PersistentVolumes";
}
