using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Snapshot;

/// <summary>The AWS half of a snapshot, in the wire form of each API.</summary>
public sealed class AwsSections
{
    /// <summary>eks:DescribeCluster's "cluster".</summary>
    public ObjectSection<EksCluster>? Cluster { get; set; }
    /// <summary>eks:DescribeClusterVersions: the EKS version calendar as of collection.</summary>
    public Section<EksClusterVersion>? ClusterVersions { get; set; }
    public Section<EksNodegroup>? NodeGroups { get; set; }
    public Section<EksAddon>? Addons { get; set; }
    public Section<EksAccessEntry>? AccessEntries { get; set; }
    public Section<EksPodIdentityAssociation>? PodIdentityAssociations { get; set; }
    public Section<EksFargateProfile>? FargateProfiles { get; set; }
    public Section<EksOidcIdentityProviderConfig>? IdentityProviderConfigs { get; set; }
    /// <summary>Every IAM role in play: cluster role, node roles, IRSA and Pod Identity roles, mapped roles.</summary>
    public Section<IamRole>? IamRoles { get; set; }
    /// <summary>IAM users with cluster access.</summary>
    public Section<IamUser>? IamUsers { get; set; }
    public Section<IamOidcProvider>? OidcProviders { get; set; }
    public ObjectSection<IamAccountSettings>? AccountSettings { get; set; }
    public Section<Ec2Instance>? Instances { get; set; }
    public Section<Ec2LaunchTemplateVersion>? LaunchTemplates { get; set; }
    public Section<Ec2SecurityGroup>? SecurityGroups { get; set; }
    /// <summary>ec2:DescribeSubnets for the cluster's and the node groups' subnets.</summary>
    public Section<Ec2Subnet>? Subnets { get; set; }
    /// <summary>ssm:GetParameter: the recommended EKS optimized AMI release of each node group's Kubernetes version and AMI type.</summary>
    public Section<SsmParameter>? AmiReleases { get; set; }
    /// <summary>eks:DescribeAddonVersions for the cluster's Kubernetes version: available and default add-on versions.</summary>
    public Section<EksAddonInfo>? AddonVersions { get; set; }
    /// <summary>ec2:GetEbsEncryptionByDefault in the cluster's Region: whether EC2 encrypts every new volume.</summary>
    public ObjectSection<Ec2EbsEncryptionDefault>? EbsEncryptionByDefault { get; set; }
    /// <summary>ec2:DescribeVolumes for the EBS volumes behind the cluster's PersistentVolumes.</summary>
    public Section<Ec2Volume>? EbsVolumes { get; set; }
    /// <summary>ec2:DescribeRouteTables for the cluster's VPC (every table of it, so a subnet without an explicit association finds the main table).</summary>
    public Section<Ec2RouteTable>? RouteTables { get; set; }
    /// <summary>ec2:DescribeFlowLogs whose resource is the cluster's VPC or one of its node subnets.</summary>
    public Section<Ec2FlowLog>? FlowLogs { get; set; }
    /// <summary>ec2:DescribeVpcEndpoints in the cluster's VPC.</summary>
    public Section<Ec2VpcEndpoint>? VpcEndpoints { get; set; }
    /// <summary>ec2:GetInstanceMetadataDefaults in the cluster's Region: what a launch that sets no metadata option inherits.</summary>
    public ObjectSection<Ec2InstanceMetadataDefaults>? InstanceMetadataDefaults { get; set; }
    /// <summary>eks:ListClusters + eks:DescribeCluster in the scan's region: every cluster of the account there, for their issuers.</summary>
    public Section<EksCluster>? AccountClusters { get; set; }
    /// <summary>iam:ListRoles: every role of the account, with its trust policy (no attached policies, tags or boundary).</summary>
    public Section<IamRole>? AccountRoles { get; set; }
    public ObjectSection<KmsKeyInfo>? KmsKey { get; set; }
}
