using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.AwsIamFixtures;

namespace EksSecurity.Tests.Rules.Iam;

/// <summary>Builders for the VPC CNI's identity (EKS-IAM-029, EKS-IAM-030): the aws-node DaemonSet, its ServiceAccount, Pod Identity and the add-on.</summary>
internal static class VpcCniFixtures
{
    public const string Irsa = "eks.amazonaws.com/role-arn";
    public static readonly string CniRole = RoleArn("vpc-cni");

    public static V1DaemonSet AwsNode(string? serviceAccount = "aws-node") => new()
    {
        Metadata = TestSnapshots.Meta("aws-node", "kube-system"),
        Spec = new V1DaemonSetSpec
        {
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    ServiceAccountName = serviceAccount,
                    Containers = [new V1Container { Name = "aws-node", Image = "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.20.1-eksbuild.1" }],
                },
            },
        },
    };

    public static V1ServiceAccount Sa(string ns, string name, string? roleArn = null) =>
        new() { Metadata = TestSnapshots.Meta(name, ns, annotations: roleArn is null ? null : new Dictionary<string, string> { [Irsa] = roleArn }) };

    public static EksPodIdentityAssociation Association(string ns, string account, string roleArn, string id = "a-1", bool? disableSessionTags = null, string? targetRoleArn = null) => new()
    {
        ClusterName = "test-cluster",
        Namespace = ns,
        ServiceAccount = account,
        RoleArn = roleArn,
        TargetRoleArn = targetRoleArn,
        AssociationId = id,
        AssociationArn = $"arn:aws:eks:eu-west-1:{Account}:podidentityassociation/test-cluster/{id}",
        DisableSessionTags = disableSessionTags,
    };

    public static EksAddon VpcCniAddon(string? roleArn = null, params string[] associations) => new()
    {
        AddonName = "vpc-cni",
        ClusterName = "test-cluster",
        Status = "ACTIVE",
        AddonVersion = "v1.20.1-eksbuild.1",
        ServiceAccountRoleArn = roleArn,
        PodIdentityAssociations = associations.ToList(),
    };

    /// <summary>The test snapshot with aws-node running as its ServiceAccount, which carries <paramref name="irsaRole"/> when given.</summary>
    public static ClusterSnapshot WithAwsNode(this ClusterSnapshot snapshot, string? irsaRole = null) => snapshot.With(s =>
    {
        s.Kubernetes.DaemonSets!.Items!.Add(AwsNode());
        s.Kubernetes.ServiceAccounts!.Items!.Add(Sa("kube-system", "aws-node", irsaRole));
    });

    public static ClusterSnapshot WithAssociations(this ClusterSnapshot snapshot, params EksPodIdentityAssociation[] associations) =>
        snapshot.With(s => s.Aws.PodIdentityAssociations!.Items!.AddRange(associations));

    public static ClusterSnapshot WithAddons(this ClusterSnapshot snapshot, params EksAddon[] addons) =>
        snapshot.With(s => s.Aws.Addons!.Items!.AddRange(addons));

    public static ClusterSnapshot WithAccounts(this ClusterSnapshot snapshot, params V1ServiceAccount[] accounts) =>
        snapshot.With(s => s.Kubernetes.ServiceAccounts!.Items!.AddRange(accounts));
}
