using System.Text.Json;
using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.TestData;

/// <summary>How an IRSA role's trust policy is written; all but <see cref="Scoped"/> are findings.</summary>
public enum IrsaTrustVariant
{
    /// <summary>StringEquals on both :sub (namespace and service account) and :aud.</summary>
    Scoped,
    /// <summary>StringLike with a wildcard service account (system:serviceaccount:ns:*).</summary>
    WildcardServiceAccount,
    /// <summary>Only :sub; no audience condition.</summary>
    MissingAudience,
    /// <summary>Trusts another (deleted) cluster's OIDC provider.</summary>
    OtherCluster,
}

public sealed partial class SyntheticObjects
{
    private static readonly JsonSerializerOptions PolicyJsonOptions = new() { WriteIndented = false };

    /// <summary>A policy document as IAM returns it once decoded: compact JSON text.</summary>
    public static string PolicyDocument(params object[] statements) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = statements }, PolicyJsonOptions);

    public static Dictionary<string, object> Statement(string effect, object action, object resource, string? sid = null, object? condition = null)
    {
        var s = new Dictionary<string, object>();
        if (sid is not null) s["Sid"] = sid;
        s["Effect"] = effect;
        s["Action"] = action;
        s["Resource"] = resource;
        if (condition is not null) s["Condition"] = condition;
        return s;
    }

    private static Dictionary<string, object> TrustStatement(object principal, object action, object? condition = null)
    {
        var s = new Dictionary<string, object> { ["Effect"] = "Allow", ["Principal"] = principal, ["Action"] = action };
        if (condition is not null) s["Condition"] = condition;
        return s;
    }

    public string EksServiceTrust() => PolicyDocument(TrustStatement(new Dictionary<string, object> { ["Service"] = "eks.amazonaws.com" }, new[] { "sts:AssumeRole", "sts:TagSession" }));

    public string Ec2Trust() => PolicyDocument(TrustStatement(new Dictionary<string, object> { ["Service"] = "ec2.amazonaws.com" }, "sts:AssumeRole"));

    public string PodIdentityTrust(bool withSourceConditions) => PolicyDocument(TrustStatement(
        new Dictionary<string, object> { ["Service"] = "pods.eks.amazonaws.com" }, new[] { "sts:AssumeRole", "sts:TagSession" },
        withSourceConditions
            ? new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = AccountId },
                ["ArnEquals"] = new Dictionary<string, object> { ["aws:SourceArn"] = ClusterArn },
            }
            : null));

    /// <summary>A role humans assume through the company's SAML identity provider.</summary>
    public string SamlTrust() => PolicyDocument(TrustStatement(
        new Dictionary<string, object> { ["Federated"] = $"arn:aws:iam::{AccountId}:saml-provider/corp-okta" }, "sts:AssumeRoleWithSAML",
        new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["SAML:aud"] = "https://signin.aws.amazon.com/saml" } }));

    public string IrsaTrust(string ns, string serviceAccount, IrsaTrustVariant variant)
    {
        var host = variant == IrsaTrustVariant.OtherCluster ? $"oidc.eks.{Region}.amazonaws.com/id/{Random("old-cluster").UpperAlphaNumeric(32)}" : OidcIssuerHost;
        var principal = new Dictionary<string, object> { ["Federated"] = $"arn:aws:iam::{AccountId}:oidc-provider/{host}" };
        object condition = variant switch
        {
            IrsaTrustVariant.WildcardServiceAccount => new Dictionary<string, object>
            {
                ["StringLike"] = new Dictionary<string, object> { [$"{host}:sub"] = $"system:serviceaccount:{ns}:*" },
                ["StringEquals"] = new Dictionary<string, object> { [$"{host}:aud"] = "sts.amazonaws.com" },
            },
            IrsaTrustVariant.MissingAudience => new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { [$"{host}:sub"] = $"system:serviceaccount:{ns}:{serviceAccount}" },
            },
            _ => new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object>
                {
                    [$"{host}:sub"] = $"system:serviceaccount:{ns}:{serviceAccount}",
                    [$"{host}:aud"] = "sts.amazonaws.com",
                },
            },
        };
        return PolicyDocument(TrustStatement(principal, "sts:AssumeRoleWithWebIdentity", condition));
    }

    /// <summary>AWS managed policies by name, with plausible default-version documents (shortened, not verbatim).</summary>
    public static IamAttachedPolicy ManagedPolicy(string name) => new()
    {
        PolicyName = name,
        PolicyArn = name == "AmazonEBSCSIDriverPolicy" ? $"arn:aws:iam::aws:policy/service-role/{name}" : $"arn:aws:iam::aws:policy/{name}",
        DefaultVersionId = "v" + (Math.Abs(name.Length * 7 % 9) + 1),
        Document = name switch
        {
            "AdministratorAccess" => PolicyDocument(Statement("Allow", "*", "*")),
            "PowerUserAccess" => PolicyDocument(new Dictionary<string, object> { ["Effect"] = "Allow", ["NotAction"] = new[] { "iam:*", "organizations:*", "account:*" }, ["Resource"] = "*" }),
            "IAMFullAccess" => PolicyDocument(Statement("Allow", new[] { "iam:*", "organizations:DescribeAccount", "organizations:DescribeOrganization" }, "*")),
            "AmazonEKSClusterPolicy" => PolicyDocument(
                Statement("Allow", new[] { "autoscaling:DescribeAutoScalingGroups", "autoscaling:UpdateAutoScalingGroup", "ec2:AttachVolume", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateRoute",
                    "ec2:CreateSecurityGroup", "ec2:CreateTags", "ec2:CreateVolume", "ec2:DeleteRoute", "ec2:DeleteSecurityGroup", "ec2:DeleteVolume", "ec2:DescribeInstances",
                    "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVolumes", "ec2:DescribeVpcs", "ec2:DetachVolume",
                    "ec2:ModifyInstanceAttribute", "ec2:ModifyVolume", "ec2:RevokeSecurityGroupIngress", "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses",
                    "ec2:DescribeInternetGateways", "elasticloadbalancing:AddTags", "elasticloadbalancing:ApplySecurityGroupsToLoadBalancer", "elasticloadbalancing:CreateListener",
                    "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:Describe*", "elasticloadbalancing:ModifyLoadBalancerAttributes",
                    "elasticloadbalancing:RegisterTargets", "kms:DescribeKey" }, "*", "AmazonEKSClusterPolicy"),
                Statement("Allow", "iam:CreateServiceLinkedRole", "*", "AmazonEKSClusterPolicySLRCreate",
                    new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["iam:AWSServiceName"] = "elasticloadbalancing.amazonaws.com" } })),
            "AmazonEKSWorkerNodePolicy" => PolicyDocument(Statement("Allow", new[] { "ec2:DescribeInstances", "ec2:DescribeInstanceTypes", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups",
                "ec2:DescribeSubnets", "ec2:DescribeVolumes", "ec2:DescribeVolumesModifications", "ec2:DescribeVpcs", "eks:DescribeCluster", "eks-auth:AssumeRoleForPodIdentity" }, "*", "WorkerNodePermissions")),
            "AmazonEC2ContainerRegistryReadOnly" => PolicyDocument(Statement("Allow", new[] { "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
                "ecr:GetRepositoryPolicy", "ecr:DescribeRepositories", "ecr:ListImages", "ecr:DescribeImages", "ecr:BatchGetImage", "ecr:GetLifecyclePolicy",
                "ecr:GetLifecyclePolicyPreview", "ecr:ListTagsForResource", "ecr:DescribeImageScanFindings" }, "*")),
            "AmazonEKS_CNI_Policy" => PolicyDocument(
                Statement("Allow", new[] { "ec2:AssignPrivateIpAddresses", "ec2:AttachNetworkInterface", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeInstances",
                    "ec2:DescribeTags", "ec2:DescribeNetworkInterfaces", "ec2:DescribeInstanceTypes", "ec2:DescribeSubnets", "ec2:DetachNetworkInterface",
                    "ec2:ModifyNetworkInterfaceAttribute", "ec2:UnassignPrivateIpAddresses" }, "*", "AmazonEKSCNIPolicy"),
                Statement("Allow", "ec2:CreateTags", "arn:aws:ec2:*:*:network-interface/*", "AmazonEKSCNIPolicyENITag")),
            "AmazonSSMManagedInstanceCore" => PolicyDocument(
                Statement("Allow", new[] { "ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument", "ssm:DescribeDocument", "ssm:GetManifest",
                    "ssm:GetParameter", "ssm:GetParameters", "ssm:ListAssociations", "ssm:ListInstanceAssociations", "ssm:PutInventory", "ssm:PutComplianceItems",
                    "ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus", "ssm:UpdateInstanceAssociationStatus", "ssm:UpdateInstanceInformation" }, "*"),
                Statement("Allow", new[] { "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel" }, "*"),
                Statement("Allow", new[] { "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply" }, "*")),
            "AmazonS3ReadOnlyAccess" => PolicyDocument(Statement("Allow", new[] { "s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*" }, "*")),
            "AmazonSQSFullAccess" => PolicyDocument(Statement("Allow", "sqs:*", "*")),
            "AmazonDynamoDBReadOnlyAccess" => PolicyDocument(Statement("Allow", new[] { "application-autoscaling:DescribeScalableTargets", "cloudwatch:GetMetricData", "dynamodb:BatchGetItem",
                "dynamodb:Describe*", "dynamodb:List*", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:PartiQLSelect" }, "*")),
            "CloudWatchAgentServerPolicy" => PolicyDocument(Statement("Allow", new[] { "cloudwatch:PutMetricData", "ec2:DescribeVolumes", "ec2:DescribeTags", "logs:PutLogEvents",
                "logs:DescribeLogStreams", "logs:DescribeLogGroups", "logs:CreateLogStream", "logs:CreateLogGroup", "xray:PutTraceSegments" }, "*")),
            "AmazonEBSCSIDriverPolicy" => PolicyDocument(
                Statement("Allow", new[] { "ec2:CreateSnapshot", "ec2:AttachVolume", "ec2:DetachVolume", "ec2:ModifyVolume", "ec2:DescribeAvailabilityZones", "ec2:DescribeInstances",
                    "ec2:DescribeSnapshots", "ec2:DescribeTags", "ec2:DescribeVolumes", "ec2:DescribeVolumesModifications" }, "*"),
                Statement("Allow", "ec2:CreateVolume", "arn:aws:ec2:*:*:volume/*", condition: new Dictionary<string, object> { ["StringLike"] = new Dictionary<string, object> { ["aws:RequestTag/ebs.csi.aws.com/cluster"] = "true" } })),
            "SecretsManagerReadWrite" => PolicyDocument(Statement("Allow", new[] { "secretsmanager:*", "cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet",
                "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "kms:DescribeKey", "kms:ListAliases", "kms:ListKeys", "lambda:ListFunctions", "rds:DescribeDBClusters",
                "rds:DescribeDBInstances", "tag:GetResources" }, "*")),
            "ReadOnlyAccess" => PolicyDocument(Statement("Allow", new[] { "ec2:Describe*", "eks:Describe*", "eks:List*", "iam:Get*", "iam:List*", "s3:Get*", "s3:List*", "logs:Describe*", "logs:Get*", "cloudwatch:Get*", "cloudwatch:List*" }, "*")),
            _ => PolicyDocument(Statement("Allow", "sts:GetCallerIdentity", "*")),
        },
    };

    /// <summary>A customer-managed policy for one application: its bucket, queue, table and key.</summary>
    public IamAttachedPolicy AppPolicy(string team, string app, string env, SyntheticRandom rng, bool overBroad)
    {
        var name = $"{team}-{app}-{env}";
        var statements = new List<object>
        {
            Statement("Allow", new[] { "s3:GetObject", "s3:PutObject", "s3:DeleteObject" }, $"arn:aws:s3:::{name}-{AccountId}/*", "ObjectAccess"),
            Statement("Allow", "s3:ListBucket", $"arn:aws:s3:::{name}-{AccountId}", "BucketList"),
        };
        if (rng.Chance(0.5)) statements.Add(Statement("Allow", new[] { "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:SendMessage", "sqs:GetQueueAttributes" }, $"arn:aws:sqs:{Region}:{AccountId}:{name}", "Queue"));
        if (rng.Chance(0.4)) statements.Add(Statement("Allow", new[] { "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem" }, new[] { $"arn:aws:dynamodb:{Region}:{AccountId}:table/{name}", $"arn:aws:dynamodb:{Region}:{AccountId}:table/{name}/index/*" }, "Table"));
        if (rng.Chance(0.3)) statements.Add(Statement("Allow", new[] { "kms:Decrypt", "kms:GenerateDataKey" }, $"arn:aws:kms:{Region}:{AccountId}:key/{rng.Uuid()}", "Key"));
        if (rng.Chance(0.3)) statements.Add(Statement("Allow", "secretsmanager:GetSecretValue", $"arn:aws:secretsmanager:{Region}:{AccountId}:secret:{team}/{app}/*", "Secrets"));
        if (overBroad)
        {
            statements.Add(rng.Pick(new object[]
            {
                Statement("Allow", "s3:*", "*", "Debug"),
                Statement("Allow", "iam:PassRole", "*", "PassAnyRole"),
                Statement("Allow", "*", "*", "TemporaryFullAccess"),
                Statement("Allow", new[] { "ec2:*", "dynamodb:*" }, "*", "Ops"),
            }));
        }
        return new IamAttachedPolicy
        {
            PolicyName = name + "-policy",
            PolicyArn = $"arn:aws:iam::{AccountId}:policy/{name}-policy",
            DefaultVersionId = "v" + rng.Between(1, 7),
            Document = PolicyDocument(statements.ToArray()),
        };
    }

    public IamRole IamRole(string name, string trustPolicy, IEnumerable<IamAttachedPolicy> attached, IEnumerable<IamInlinePolicy> inline, DateTime created, SyntheticRandom rng,
        string path = "/", string? description = null, string? permissionsBoundaryArn = null, IEnumerable<(string Key, string Value)>? tags = null) => new()
    {
        Path = path,
        RoleName = name,
        RoleId = "AROA" + rng.UpperAlphaNumeric(17),
        Arn = $"arn:aws:iam::{AccountId}:role{path}{name}",
        CreateDate = new DateTimeOffset(created, TimeSpan.Zero),
        AssumeRolePolicyDocument = trustPolicy,
        Description = description,
        MaxSessionDuration = rng.Chance(0.8) ? 3600 : 43200,
        PermissionsBoundary = permissionsBoundaryArn is null ? null : new IamPermissionsBoundary { PermissionsBoundaryType = "PermissionsBoundaryPolicy", PermissionsBoundaryArn = permissionsBoundaryArn },
        Tags = tags?.Select(t => new IamTag { Key = t.Key, Value = t.Value }).ToList(),
        RoleLastUsed = new IamRoleLastUsed { LastUsedDate = rng.Chance(0.9) ? new DateTimeOffset(Now.AddHours(-rng.Between(0, 2000)), TimeSpan.Zero) : null, Region = Region },
        AttachedPolicies = attached.ToList(),
        InlinePolicies = inline.ToList(),
    };

    public string RoleArn(string name, string path = "/") => $"arn:aws:iam::{AccountId}:role{path}{name}";

    public EksCluster Cluster(SyntheticRandom rng) => new()
    {
        Name = ClusterName,
        Arn = ClusterArn,
        CreatedAt = new DateTimeOffset(ClusterCreated, TimeSpan.Zero),
        Version = Options.KubernetesVersion,
        Endpoint = $"https://{OidcId}.gr7.{Region}.eks.amazonaws.com",
        RoleArn = RoleArn($"{ClusterName}-cluster-role"),
        ResourcesVpcConfig = new EksVpcConfig
        {
            SubnetIds = PrivateSubnets.Concat(PublicSubnets).ToList(),
            SecurityGroupIds = ["sg-0" + rng.Hex(16)],
            ClusterSecurityGroupId = ClusterSecurityGroupId,
            VpcId = VpcId,
            EndpointPublicAccess = true,
            EndpointPrivateAccess = true,
            PublicAccessCidrs = ["0.0.0.0/0"],
        },
        KubernetesNetworkConfig = new EksKubernetesNetworkConfig { ServiceIpv4Cidr = "172.20.0.0/16", IpFamily = "ipv4" },
        Logging = new EksLogging
        {
            ClusterLogging =
            [
                new EksLogSetup { Types = ["api", "audit", "authenticator"], Enabled = true },
                new EksLogSetup { Types = ["controllerManager", "scheduler"], Enabled = false },
            ],
        },
        Identity = new EksIdentity { Oidc = new EksOidc { Issuer = OidcIssuer } },
        Status = "ACTIVE",
        PlatformVersion = "eks.21",
        Tags = new Dictionary<string, string> { ["environment"] = "production", ["team"] = "platform", ["karpenter.sh/discovery"] = ClusterName },
        EncryptionConfig = [new EksEncryptionConfig { Resources = ["secrets"], Provider = new EksEncryptionProvider { KeyArn = KmsKeyArn } }],
        Id = null,
        Health = new EksHealth { Issues = [] },
        AccessConfig = new EksAccessConfig { AuthenticationMode = "API_AND_CONFIG_MAP", BootstrapClusterCreatorAdminPermissions = true },
        UpgradePolicy = new EksUpgradePolicy { SupportType = "EXTENDED" },
        DeletionProtection = false,
    };

    /// <summary>The EKS version calendar around the cluster's version.</summary>
    public IEnumerable<EksClusterVersion> ClusterVersions()
    {
        var calendar = new (string Version, DateTimeOffset Release)[]
        {
            ("1.27", new(2023, 5, 24, 0, 0, 0, TimeSpan.Zero)), ("1.28", new(2023, 9, 26, 0, 0, 0, TimeSpan.Zero)),
            ("1.29", new(2024, 1, 23, 0, 0, 0, TimeSpan.Zero)), ("1.30", new(2024, 5, 23, 0, 0, 0, TimeSpan.Zero)),
            ("1.31", new(2024, 9, 26, 0, 0, 0, TimeSpan.Zero)), ("1.32", new(2025, 1, 23, 0, 0, 0, TimeSpan.Zero)),
            ("1.33", new(2025, 5, 29, 0, 0, 0, TimeSpan.Zero)), ("1.34", new(2025, 10, 2, 0, 0, 0, TimeSpan.Zero)),
        };
        var now = Options.CollectedAt;
        foreach (var (version, release) in calendar)
        {
            var standardEnd = release.AddMonths(14);
            var extendedEnd = release.AddMonths(26);
            yield return new EksClusterVersion
            {
                ClusterVersion = version,
                ClusterType = "eks",
                DefaultPlatformVersion = "eks.21",
                DefaultVersion = version == "1.33",
                ReleaseDate = release,
                EndOfStandardSupportDate = standardEnd,
                EndOfExtendedSupportDate = extendedEnd,
                Status = now < standardEnd ? "STANDARD_SUPPORT" : now < extendedEnd ? "EXTENDED_SUPPORT" : "UNSUPPORTED",
                VersionStatus = now < standardEnd ? "STANDARD_SUPPORT" : now < extendedEnd ? "EXTENDED_SUPPORT" : "UNSUPPORTED",
                KubernetesPatchVersion = $"{version}.{PatchVersion + 2}",
            };
        }
    }

    public EksNodegroup Nodegroup(string name, string nodeRoleArn, IReadOnlyList<string> instanceTypes, string capacityType, string amiType, int size,
        string? launchTemplateId, string? sshKey, IDictionary<string, string>? labels, bool publicSubnets, DateTime created, SyntheticRandom rng) => new()
    {
        NodegroupName = name,
        NodegroupArn = $"arn:aws:eks:{Region}:{AccountId}:nodegroup/{ClusterName}/{name}/{rng.Uuid()}",
        ClusterName = ClusterName,
        Version = Options.KubernetesVersion,
        ReleaseVersion = amiType.StartsWith("AL2023", StringComparison.Ordinal) ? $"{Options.KubernetesVersion}.{PatchVersion}-20241213" : $"{Options.KubernetesVersion}.{PatchVersion}-20241115",
        CreatedAt = new DateTimeOffset(created, TimeSpan.Zero),
        ModifiedAt = new DateTimeOffset(created.AddDays(rng.Between(1, 60)), TimeSpan.Zero),
        Status = rng.Chance(0.95) ? "ACTIVE" : "DEGRADED",
        CapacityType = capacityType,
        ScalingConfig = new EksNodegroupScalingConfig { MinSize = Math.Max(1, size / 2), MaxSize = size * 2, DesiredSize = size },
        InstanceTypes = launchTemplateId is null ? instanceTypes.ToList() : null,
        Subnets = (publicSubnets ? PublicSubnets : PrivateSubnets).ToList(),
        RemoteAccess = launchTemplateId is null && sshKey is not null ? new EksRemoteAccessConfig { Ec2SshKey = sshKey, SourceSecurityGroups = [] } : null,
        AmiType = launchTemplateId is null ? amiType : "CUSTOM",
        NodeRole = nodeRoleArn,
        Labels = labels is null ? null : new Dictionary<string, string>(labels),
        Taints = amiType.Contains("NVIDIA", StringComparison.Ordinal) ? [new EksTaint { Key = "nvidia.com/gpu", Value = "true", Effect = "NO_SCHEDULE" }] : null,
        Resources = new EksNodegroupResources { AutoScalingGroups = [new EksAutoScalingGroup { Name = $"eks-{name}-{rng.Uuid()}" }] },
        DiskSize = launchTemplateId is null ? 50 : null,
        Health = new EksHealth { Issues = [] },
        UpdateConfig = new EksNodegroupUpdateConfig { MaxUnavailable = 1 },
        LaunchTemplate = launchTemplateId is null ? null : new EksLaunchTemplateSpecification { Id = launchTemplateId, Name = $"{ClusterName}-{name}", Version = "1" },
        Tags = new Dictionary<string, string> { ["team"] = "platform", ["karpenter.sh/discovery"] = ClusterName },
    };

    public Ec2LaunchTemplateVersion LaunchTemplate(string id, string name, string httpTokens, int hopLimit, string instanceType, string imageId, bool publicIp, SyntheticRandom rng) => new()
    {
        LaunchTemplateId = id,
        LaunchTemplateName = name,
        VersionNumber = 1,
        DefaultVersion = true,
        LaunchTemplateData = new Ec2LaunchTemplateData
        {
            ImageId = imageId,
            InstanceType = instanceType,
            MetadataOptions = new Ec2LaunchTemplateMetadataOptions { HttpTokens = httpTokens, HttpPutResponseHopLimit = hopLimit, HttpEndpoint = "enabled" },
            NetworkInterfaces = publicIp ? [new Ec2LaunchTemplateNetworkInterface { AssociatePublicIpAddress = true, DeviceIndex = 0, Groups = [NodeSecurityGroupId] }] : null,
            SecurityGroupIds = publicIp ? null : [NodeSecurityGroupId, ClusterSecurityGroupId],
            BlockDeviceMappings = [new Ec2LaunchTemplateBlockDeviceMapping { DeviceName = "/dev/xvda", Ebs = new Ec2LaunchTemplateEbsBlockDevice { Encrypted = rng.Chance(0.8) ? true : null, VolumeSize = 100, VolumeType = "gp3" } }],
        },
    };

    public Ec2Instance Instance(NodeSpecification node, string httpTokens, int hopLimit, string instanceProfileName, SyntheticRandom rng)
    {
        var tags = new List<Ec2Tag>
        {
            new() { Key = "Name", Value = node.NodeGroup is null ? $"{ClusterName}-karpenter" : $"{ClusterName}-{node.NodeGroup}-Node" },
            new() { Key = $"kubernetes.io/cluster/{ClusterName}", Value = "owned" },
            new() { Key = "eks:cluster-name", Value = ClusterName },
            new() { Key = "aws:eks:cluster-name", Value = ClusterName },
        };
        if (node.NodeGroup is not null)
        {
            tags.Add(new Ec2Tag { Key = "eks:nodegroup-name", Value = node.NodeGroup });
            tags.Add(new Ec2Tag { Key = "aws:autoscaling:groupName", Value = $"eks-{node.NodeGroup}-{Random("asg/" + node.NodeGroup).Uuid()}" });
        }
        if (node.KarpenterNodePool is not null) tags.Add(new Ec2Tag { Key = "karpenter.sh/nodepool", Value = node.KarpenterNodePool });
        return new Ec2Instance
        {
            InstanceId = node.InstanceId,
            InstanceType = node.InstanceType,
            ImageId = node.ImageId,
            LaunchTime = new DateTimeOffset(node.Created.AddMinutes(-2), TimeSpan.Zero),
            State = new Ec2InstanceState { Name = node.Ready ? "running" : rng.Chance(0.5) ? "running" : "stopping" },
            PrivateIpAddress = node.PrivateIp,
            PublicIpAddress = node.PublicIp,
            PublicDnsName = node.PublicIp is null ? "" : $"ec2-{node.PublicIp.Replace('.', '-')}.{Region}.compute.amazonaws.com",
            SubnetId = PrivateSubnets[node.Zone[^1] - 'a'],
            VpcId = VpcId,
            IamInstanceProfile = new Ec2IamInstanceProfile { Arn = $"arn:aws:iam::{AccountId}:instance-profile/{instanceProfileName}", Id = "AIPA" + rng.UpperAlphaNumeric(17) },
            SecurityGroups = [new Ec2GroupIdentifier { GroupId = ClusterSecurityGroupId, GroupName = $"eks-cluster-sg-{ClusterName}" }, new Ec2GroupIdentifier { GroupId = NodeSecurityGroupId, GroupName = $"{ClusterName}-node" }],
            MetadataOptions = new Ec2InstanceMetadataOptions { HttpTokens = httpTokens, HttpPutResponseHopLimit = hopLimit, HttpEndpoint = "enabled", HttpProtocolIpv6 = "disabled", InstanceMetadataTags = "disabled", State = "applied" },
            Tags = tags,
            BlockDeviceMappings = [new Ec2InstanceBlockDeviceMapping { DeviceName = "/dev/xvda", Ebs = new Ec2EbsInstanceBlockDevice { VolumeId = "vol-0" + rng.Hex(16), Status = "attached" } }],
            Placement = new Ec2Placement { AvailabilityZone = node.Zone },
        };
    }

    public IEnumerable<Ec2SecurityGroup> SecurityGroups()
    {
        var all = new Ec2IpPermission { IpProtocol = "-1", IpRanges = [new Ec2IpRange { CidrIp = "0.0.0.0/0" }] };
        yield return new Ec2SecurityGroup
        {
            GroupId = ClusterSecurityGroupId, GroupName = $"eks-cluster-sg-{ClusterName}", VpcId = VpcId, OwnerId = AccountId,
            Description = "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.",
            IpPermissions = [new Ec2IpPermission { IpProtocol = "-1", UserIdGroupPairs = [new Ec2UserIdGroupPair { GroupId = ClusterSecurityGroupId, UserId = AccountId }] }],
            IpPermissionsEgress = [all],
            Tags = [new Ec2Tag { Key = "aws:eks:cluster-name", Value = ClusterName }, new Ec2Tag { Key = $"kubernetes.io/cluster/{ClusterName}", Value = "owned" }],
        };
        yield return new Ec2SecurityGroup
        {
            GroupId = NodeSecurityGroupId, GroupName = $"{ClusterName}-node", VpcId = VpcId, OwnerId = AccountId, Description = "EKS node shared security group",
            IpPermissions =
            [
                new Ec2IpPermission { IpProtocol = "tcp", FromPort = 443, ToPort = 443, UserIdGroupPairs = [new Ec2UserIdGroupPair { GroupId = ClusterSecurityGroupId, UserId = AccountId, Description = "Cluster API to node groups" }] },
                new Ec2IpPermission { IpProtocol = "tcp", FromPort = 10250, ToPort = 10250, UserIdGroupPairs = [new Ec2UserIdGroupPair { GroupId = ClusterSecurityGroupId, UserId = AccountId, Description = "Cluster API to node kubelets" }] },
                new Ec2IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, IpRanges = [new Ec2IpRange { CidrIp = "0.0.0.0/0", Description = "temporary debug access" }] },
                new Ec2IpPermission { IpProtocol = "-1", UserIdGroupPairs = [new Ec2UserIdGroupPair { GroupId = NodeSecurityGroupId, UserId = AccountId, Description = "Node to node" }] },
            ],
            IpPermissionsEgress = [all],
            Tags = [new Ec2Tag { Key = "karpenter.sh/discovery", Value = ClusterName }],
        };
        yield return new Ec2SecurityGroup
        {
            GroupId = "sg-0" + Random("sg/alb").Hex(16), GroupName = $"k8s-{ClusterName}-alb-shared", VpcId = VpcId, OwnerId = AccountId, Description = "[k8s] Shared Backend SecurityGroup for LoadBalancer",
            IpPermissions = [new Ec2IpPermission { IpProtocol = "tcp", FromPort = 443, ToPort = 443, IpRanges = [new Ec2IpRange { CidrIp = "0.0.0.0/0" }], Ipv6Ranges = [new Ec2Ipv6Range { CidrIpv6 = "::/0" }] }],
            IpPermissionsEgress = [all],
        };
    }

    public KmsKeyInfo KmsKey() => new()
    {
        KeyMetadata = new KmsKeyMetadata
        {
            KeyId = KmsKeyId, Arn = KmsKeyArn, KeyManager = "CUSTOMER", KeyState = "Enabled", Enabled = true, KeySpec = "SYMMETRIC_DEFAULT",
            KeyUsage = "ENCRYPT_DECRYPT", Origin = "AWS_KMS", CreationDate = new DateTimeOffset(ClusterCreated.AddHours(-1), TimeSpan.Zero), MultiRegion = false,
        },
        KeyRotationEnabled = true,
        Policy = PolicyDocument(
            new Dictionary<string, object> { ["Sid"] = "Enable IAM User Permissions", ["Effect"] = "Allow", ["Principal"] = new Dictionary<string, object> { ["AWS"] = $"arn:aws:iam::{AccountId}:root" }, ["Action"] = "kms:*", ["Resource"] = "*" },
            new Dictionary<string, object> { ["Sid"] = "Allow EKS", ["Effect"] = "Allow", ["Principal"] = new Dictionary<string, object> { ["AWS"] = RoleArn($"{ClusterName}-cluster-role") }, ["Action"] = new[] { "kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant" }, ["Resource"] = "*" }),
    };

    public EksAddon Addon(string name, string version, string? serviceAccountRoleArn, string? configurationValues, SyntheticRandom rng) => new()
    {
        AddonName = name,
        ClusterName = ClusterName,
        Status = "ACTIVE",
        AddonVersion = version,
        Health = new EksHealth { Issues = [] },
        AddonArn = $"arn:aws:eks:{Region}:{AccountId}:addon/{ClusterName}/{name}/{rng.Uuid()}",
        CreatedAt = new DateTimeOffset(ClusterCreated.AddHours(1), TimeSpan.Zero),
        ModifiedAt = new DateTimeOffset(Now.AddDays(-rng.Between(1, 90)), TimeSpan.Zero),
        ServiceAccountRoleArn = serviceAccountRoleArn,
        Tags = [],
        ConfigurationValues = configurationValues,
    };
}
