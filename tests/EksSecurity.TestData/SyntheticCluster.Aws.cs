using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.TestData;

public sealed partial class SyntheticCluster
{
    public IEnumerable<EksNodegroup> NodeGroups()
    {
        foreach (var g in _nodeGroups)
        {
            var rng = Objects.Random("nodegroup/" + g.Name);
            var labels = new Dictionary<string, string> { ["workload-class"] = g.Name.Split('-')[1] };
            yield return Objects.Nodegroup(g.Name, Objects.RoleArn(g.NodeRoleName), g.InstanceTypes, g.CapacityType, g.AmiType, g.Nodes, g.LaunchTemplateId, g.SshKey,
                labels, g.PublicSubnets, g.Created, rng);
        }
    }

    public IEnumerable<Ec2LaunchTemplateVersion> LaunchTemplates()
    {
        foreach (var g in _nodeGroups)
            if (g.LaunchTemplateId is { } id)
                yield return Objects.LaunchTemplate(id, $"{Options.ClusterName}-{g.Name}", g.HttpTokens, g.HopLimit, g.InstanceTypes[0],
                    "ami-0" + Objects.Random("ami/" + g.AmiType).Hex(16), g.PublicSubnets, Objects.Random("launchtemplate/" + g.Name));
    }

    public IEnumerable<Ec2Instance> Instances()
    {
        var groups = _nodeGroups.ToDictionary(g => g.Name);
        for (var i = 0; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            var rng = Objects.Random("instance", i);
            if (node.NodeGroup is { } name && groups.TryGetValue(name, out var g))
                yield return Objects.Instance(node, g.HttpTokens, g.HopLimit, $"eks-{Objects.Random("instance-profile/" + g.Name).Uuid()}", rng);
            else
                yield return Objects.Instance(node, "required", 1, $"KarpenterNodeInstanceProfile-{Options.ClusterName}", rng);
        }
    }

    public IEnumerable<EksAddon> Addons()
    {
        var o = Objects;
        yield return o.Addon("vpc-cni", "v1.19.2-eksbuild.1", null, "{\"enableNetworkPolicy\":\"true\",\"env\":{\"ENABLE_POD_ENI\":\"false\",\"ENABLE_PREFIX_DELEGATION\":\"false\"}}", o.Random("addon/vpc-cni"));
        yield return o.Addon("coredns", "v1.11.4-eksbuild.2", null, null, o.Random("addon/coredns"));
        yield return o.Addon("kube-proxy", $"v{Options.KubernetesVersion}.4-eksbuild.2", null, null, o.Random("addon/kube-proxy"));
        yield return o.Addon("aws-ebs-csi-driver", "v1.38.1-eksbuild.1", o.RoleArn("AmazonEKS_EBS_CSI_DriverRole"), null, o.Random("addon/ebs"));
        yield return o.Addon("eks-pod-identity-agent", "v1.3.4-eksbuild.1", null, null, o.Random("addon/pia"));
        yield return o.Addon("aws-guardduty-agent", "v1.8.1-eksbuild.2", null, null, o.Random("addon/guardduty"));
        yield return o.Addon("amazon-cloudwatch-observability", "v2.6.0-eksbuild.1", o.RoleArn("cloudwatch-agent"), null, o.Random("addon/cloudwatch"));
    }

    public IEnumerable<EksAccessEntry> AccessEntries()
    {
        var o = Objects;
        EksAccessEntry Entry(string principal, string type, string? username, IEnumerable<string>? groups, params EksAssociatedAccessPolicy[] policies)
        {
            var rng = o.Random("access-entry/" + principal);
            return new EksAccessEntry
            {
                ClusterName = Options.ClusterName,
                PrincipalArn = principal,
                KubernetesGroups = groups?.ToList() ?? [],
                AccessEntryArn = $"arn:aws:eks:{Options.Region}:{Options.AccountId}:access-entry/{Options.ClusterName}/{(principal.Contains(":user/") ? "user" : "role")}/{Options.AccountId}/{principal.Split('/')[^1]}/{rng.Uuid()}",
                CreatedAt = new DateTimeOffset(o.CreatedAgo(rng, 10, 400), TimeSpan.Zero),
                ModifiedAt = new DateTimeOffset(o.CreatedAgo(rng, 1, 10), TimeSpan.Zero),
                Tags = [],
                Username = username,
                Type = type,
                AssociatedAccessPolicies = policies.ToList(),
            };
        }
        EksAssociatedAccessPolicy Policy(string name, string scope, params string[] namespaces) => new()
        {
            PolicyArn = $"arn:aws:eks::aws:cluster-access-policy/{name}",
            AccessScope = new EksAccessScope { Type = scope, Namespaces = namespaces.ToList() },
            AssociatedAt = new DateTimeOffset(o.ClusterCreated.AddDays(3), TimeSpan.Zero),
            ModifiedAt = new DateTimeOffset(o.ClusterCreated.AddDays(3), TimeSpan.Zero),
        };
        foreach (var node in _nodeRoleNames.Append(_karpenterNodeRole).OfType<string>())
            yield return Entry(o.RoleArn(node), "EC2_LINUX", "system:node:{{EC2PrivateDNSName}}", ["system:nodes"]);
        yield return Entry($"arn:aws:iam::{Options.AccountId}:user/platform-bootstrap", "STANDARD", $"arn:aws:iam::{Options.AccountId}:user/platform-bootstrap", null,
            Policy("AmazonEKSClusterAdminPolicy", "cluster"));
        yield return Entry(o.RoleArn("platform-admin"), "STANDARD", "platform-admin:{{SessionName}}", null, Policy("AmazonEKSClusterAdminPolicy", "cluster"));
        yield return Entry(o.RoleArn("security-auditor"), "STANDARD", "security-auditor:{{SessionName}}", null, Policy("AmazonEKSViewPolicy", "cluster"));
        var apps = _namespaces.Where(n => n.Kind == NamespaceKind.Application).Take(8).Select(n => n.Name).ToArray();
        yield return Entry(o.RoleArn("developer"), "STANDARD", "developer:{{SessionName}}", ["developers"], Policy("AmazonEKSEditPolicy", "namespace", apps));
        yield return Entry(o.RoleArn("ci-deployer"), "STANDARD", null, ["ci-deployers"], Policy("AmazonEKSAdminPolicy", "cluster"));
    }

    public IEnumerable<EksPodIdentityAssociation> PodIdentityAssociations()
    {
        foreach (var role in _roles.Where(r => r.Kind == IamRoleKind.PodIdentity || (r.Kind == IamRoleKind.AddOn && r.ServiceAccount == "karpenter")))
        {
            if (role.Namespace is null || role.ServiceAccount is null) continue;
            var rng = Objects.Random("pod-identity/" + role.Name);
            var id = "a-" + rng.KubeSuffix(17);
            yield return new EksPodIdentityAssociation
            {
                ClusterName = Options.ClusterName,
                Namespace = role.Namespace,
                ServiceAccount = role.ServiceAccount,
                RoleArn = Objects.RoleArn(role.Name, role.Path),
                AssociationArn = $"arn:aws:eks:{Options.Region}:{Options.AccountId}:podidentityassociation/{Options.ClusterName}/{id}",
                AssociationId = id,
                Tags = [],
                CreatedAt = new DateTimeOffset(Objects.CreatedAgo(rng, 1, 200), TimeSpan.Zero),
                ModifiedAt = new DateTimeOffset(Objects.CreatedAgo(rng, 0, 1), TimeSpan.Zero),
                DisableSessionTags = rng.Chance(0.1),
            };
        }
    }

    public IEnumerable<EksFargateProfile> FargateProfiles()
    {
        var rng = Objects.Random("fargate");
        yield return new EksFargateProfile
        {
            FargateProfileName = "fp-batch",
            FargateProfileArn = $"arn:aws:eks:{Options.Region}:{Options.AccountId}:fargateprofile/{Options.ClusterName}/fp-batch/{rng.Uuid()}",
            ClusterName = Options.ClusterName,
            CreatedAt = new DateTimeOffset(Objects.CreatedAgo(rng, 50, 300), TimeSpan.Zero),
            PodExecutionRoleArn = Objects.RoleArn("AmazonEKSFargatePodExecutionRole"),
            Subnets = Objects.PrivateSubnets.ToList(),
            Selectors = [new EksFargateProfileSelector { Namespace = "batch-fargate", Labels = new Dictionary<string, string> { ["compute"] = "fargate" } }],
            Status = "ACTIVE",
            Tags = [],
        };
    }

    public IEnumerable<EksOidcIdentityProviderConfig> IdentityProviderConfigs()
    {
        var rng = Objects.Random("idp");
        yield return new EksOidcIdentityProviderConfig
        {
            IdentityProviderConfigName = "corp-okta",
            IdentityProviderConfigArn = $"arn:aws:eks:{Options.Region}:{Options.AccountId}:identityproviderconfig/{Options.ClusterName}/oidc/corp-okta/{rng.Uuid()}",
            ClusterName = Options.ClusterName,
            IssuerUrl = "https://example.okta.com/oauth2/default",
            ClientId = "0oa" + rng.Hex(17),
            UsernameClaim = "email",
            UsernamePrefix = "okta:",
            GroupsClaim = "groups",
            GroupsPrefix = null,
            RequiredClaims = [],
            Tags = [],
            Status = "ACTIVE",
        };
    }

    public IEnumerable<IamRole> IamRoles()
    {
        var o = Objects;
        foreach (var plan in _roles)
        {
            var rng = o.Random("iam-role/" + plan.Name);
            var created = o.CreatedAgo(rng, 5, 600);
            var inline = new List<IamInlinePolicy>();
            List<IamAttachedPolicy> attached;
            string trust;
            string? boundary = null;
            string? description = null;
            switch (plan.Kind)
            {
                case IamRoleKind.Cluster:
                    trust = o.EksServiceTrust();
                    attached = [SyntheticObjects.ManagedPolicy("AmazonEKSClusterPolicy"), SyntheticObjects.ManagedPolicy("AmazonEKSVPCResourceController")];
                    description = "EKS cluster role";
                    created = o.ClusterCreated.AddHours(-2);
                    break;
                case IamRoleKind.Node:
                    trust = o.Ec2Trust();
                    attached =
                    [
                        SyntheticObjects.ManagedPolicy("AmazonEKSWorkerNodePolicy"), SyntheticObjects.ManagedPolicy("AmazonEC2ContainerRegistryReadOnly"),
                        SyntheticObjects.ManagedPolicy("AmazonEKS_CNI_Policy"), SyntheticObjects.ManagedPolicy("AmazonSSMManagedInstanceCore"),
                    ];
                    if (plan.Name.EndsWith("-2", StringComparison.Ordinal))
                        inline.Add(new IamInlinePolicy { PolicyName = "node-extra", PolicyDocument = SyntheticObjects.PolicyDocument(SyntheticObjects.Statement("Allow", new[] { "s3:*", "ecr:PutImage" }, "*")) });
                    break;
                case IamRoleKind.Human:
                    trust = o.SamlTrust();
                    attached = plan.Name switch
                    {
                        "platform-admin" or "break-glass-admin" => [SyntheticObjects.ManagedPolicy("AdministratorAccess")],
                        "developer" => [SyntheticObjects.ManagedPolicy("PowerUserAccess")],
                        "ci-deployer" => [SyntheticObjects.ManagedPolicy("AmazonEC2ContainerRegistryReadOnly"), o.AppPolicy("platform", "deployer", "prod", rng, overBroad: true)],
                        _ => [SyntheticObjects.ManagedPolicy("ReadOnlyAccess")],
                    };
                    if (plan.Name == "ci-deployer")
                        trust = SyntheticObjects.PolicyDocument(new Dictionary<string, object>
                        {
                            ["Effect"] = "Allow",
                            ["Principal"] = new Dictionary<string, object> { ["Federated"] = $"arn:aws:iam::{Options.AccountId}:oidc-provider/token.actions.githubusercontent.com" },
                            ["Action"] = "sts:AssumeRoleWithWebIdentity",
                            ["Condition"] = new Dictionary<string, object> { ["StringLike"] = new Dictionary<string, object> { ["token.actions.githubusercontent.com:sub"] = "repo:example/*" } },
                        });
                    break;
                case IamRoleKind.AddOn:
                    trust = plan.ServiceAccount == "karpenter" ? o.PodIdentityTrust(true) : o.IrsaTrust(plan.Namespace!, plan.ServiceAccount!, IrsaTrustVariant.Scoped);
                    attached = [AddOnPolicy(plan.Name)];
                    break;
                case IamRoleKind.PodIdentity:
                    trust = o.PodIdentityTrust(rng.Chance(0.7));
                    attached = [o.AppPolicy(plan.Team ?? "platform", plan.ServiceAccount ?? "app", "prod", rng, rng.Chance(0.04))];
                    break;
                default:
                    trust = o.IrsaTrust(plan.Namespace ?? "default", plan.ServiceAccount ?? "unused", plan.Trust);
                    attached = [o.AppPolicy(plan.Team ?? "platform", plan.ServiceAccount ?? "app", plan.Namespace?.Split('-')[^1] ?? "prod", rng, rng.Chance(0.04))];
                    if (rng.Chance(0.2)) attached.Add(SyntheticObjects.ManagedPolicy("AmazonS3ReadOnlyAccess"));
                    if (rng.Chance(0.05)) attached.Add(SyntheticObjects.ManagedPolicy("AmazonSQSFullAccess"));
                    if (rng.Chance(0.1)) attached.Add(SyntheticObjects.ManagedPolicy("AmazonDynamoDBReadOnlyAccess"));
                    if (rng.Chance(0.005)) attached.Add(SyntheticObjects.ManagedPolicy("AdministratorAccess"));
                    if (rng.Chance(0.15))
                        inline.Add(new IamInlinePolicy { PolicyName = "cloudwatch-metrics", PolicyDocument = SyntheticObjects.PolicyDocument(SyntheticObjects.Statement("Allow", new[] { "cloudwatch:PutMetricData", "logs:PutLogEvents", "logs:CreateLogStream" }, "*")) });
                    if (rng.Chance(0.15)) boundary = $"arn:aws:iam::{Options.AccountId}:policy/workload-boundary";
                    description = plan.Namespace is null ? "IRSA role (unused)" : $"IRSA role for {plan.Namespace}/{plan.ServiceAccount}";
                    break;
            }
            yield return o.IamRole(plan.Name, trust, attached, inline, created, rng, plan.Path, description, boundary,
                [("team", plan.Team ?? "platform"), ("cluster", Options.ClusterName), ("managed-by", rng.Chance(0.7) ? "terraform" : "eksctl")]);
        }
    }

    private IamAttachedPolicy AddOnPolicy(string role)
    {
        var policy = AddOnRoles.First(a => a.Name == role).Policy;
        if (policy is "AmazonEBSCSIDriverPolicy" or "AmazonEKS_CNI_Policy" or "SecretsManagerReadWrite" or "CloudWatchAgentServerPolicy")
            return SyntheticObjects.ManagedPolicy(policy);
        var document = policy switch
        {
            "AWSLoadBalancerControllerIAMPolicy" => SyntheticObjects.PolicyDocument(
                SyntheticObjects.Statement("Allow", new[] { "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways", "ec2:DescribeVpcs",
                    "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "elasticloadbalancing:Describe*",
                    "acm:ListCertificates", "acm:DescribeCertificate", "wafv2:GetWebACL", "shield:GetSubscriptionState" }, "*"),
                SyntheticObjects.Statement("Allow", new[] { "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyLoadBalancerAttributes",
                    "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets", "ec2:AuthorizeSecurityGroupIngress",
                    "ec2:RevokeSecurityGroupIngress", "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup" }, "*",
                    condition: new Dictionary<string, object> { ["Null"] = new Dictionary<string, object> { ["aws:ResourceTag/elbv2.k8s.aws/cluster"] = "false" } })),
            "ClusterAutoscalerPolicy" => SyntheticObjects.PolicyDocument(
                SyntheticObjects.Statement("Allow", new[] { "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities", "ec2:DescribeImages", "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplateVersions", "eks:DescribeNodegroup" }, "*"),
                SyntheticObjects.Statement("Allow", new[] { "autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup" }, "*",
                    condition: new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { [$"aws:ResourceTag/k8s.io/cluster-autoscaler/{Options.ClusterName}"] = "owned" } })),
            _ => SyntheticObjects.PolicyDocument(
                SyntheticObjects.Statement("Allow", new[] { "ec2:CreateFleet", "ec2:CreateLaunchTemplate", "ec2:RunInstances", "ec2:CreateTags", "ec2:TerminateInstances", "ec2:DeleteLaunchTemplate",
                    "ec2:Describe*", "pricing:GetProducts", "ssm:GetParameter", "iam:GetInstanceProfile", "iam:CreateInstanceProfile", "iam:TagInstanceProfile", "iam:AddRoleToInstanceProfile" }, "*"),
                SyntheticObjects.Statement("Allow", "iam:PassRole", Objects.RoleArn(_karpenterNodeRole ?? "KarpenterNodeRole")),
                SyntheticObjects.Statement("Allow", "sqs:*", $"arn:aws:sqs:{Options.Region}:{Options.AccountId}:{Options.ClusterName}")),
        };
        return new IamAttachedPolicy { PolicyName = policy, PolicyArn = $"arn:aws:iam::{Options.AccountId}:policy/{policy}", DefaultVersionId = "v3", Document = document };
    }

    public IEnumerable<IamUser> IamUsers()
    {
        var o = Objects;
        IamUser User(string name, bool console, bool mfa, int keyAgeDays, bool keyUsed)
        {
            var rng = o.Random("iam-user/" + name);
            var created = o.CreatedAgo(rng, 300, 1500);
            return new IamUser
            {
                Path = "/",
                UserName = name,
                UserId = "AIDA" + rng.UpperAlphaNumeric(17),
                Arn = $"arn:aws:iam::{Options.AccountId}:user/{name}",
                CreateDate = new DateTimeOffset(created, TimeSpan.Zero),
                PasswordLastUsed = console ? new DateTimeOffset(o.CreatedAgo(rng, 0, 20), TimeSpan.Zero) : null,
                Tags = [new IamTag { Key = "owner", Value = "platform" }],
                MfaDevices = mfa ? [new IamMfaDevice { SerialNumber = $"arn:aws:iam::{Options.AccountId}:mfa/{name}", EnableDate = new DateTimeOffset(created.AddDays(1), TimeSpan.Zero) }] : [],
                HasLoginProfile = console,
                AccessKeys = keyAgeDays < 0 ? [] :
                [
                    new IamAccessKey
                    {
                        AccessKeyId = "AKIA" + rng.UpperAlphaNumeric(16), Status = "Active",
                        CreateDate = new DateTimeOffset(o.Now.AddDays(-keyAgeDays), TimeSpan.Zero),
                        LastUsedDate = keyUsed ? new DateTimeOffset(o.CreatedAgo(rng, 0, 3), TimeSpan.Zero) : null,
                        LastUsedServiceName = keyUsed ? "eks" : "N/A",
                    },
                ],
            };
        }
        yield return User("platform-bootstrap", console: false, mfa: false, keyAgeDays: 412, keyUsed: false);
        yield return User("alice.admin", console: true, mfa: true, keyAgeDays: 45, keyUsed: true);
        yield return User("legacy-ci", console: false, mfa: false, keyAgeDays: 900, keyUsed: true);
    }

    public IEnumerable<IamOidcProvider> OidcProviders()
    {
        var o = Objects;
        yield return new IamOidcProvider
        {
            Arn = o.OidcProviderArn, Url = o.OidcIssuerHost, ClientIdList = ["sts.amazonaws.com"], ThumbprintList = [o.Random("thumbprint").Hex(40)],
            CreateDate = new DateTimeOffset(o.ClusterCreated.AddHours(1), TimeSpan.Zero), Tags = [new IamTag { Key = "alpha.eksctl.io/cluster-name", Value = Options.ClusterName }],
        };
        var stale = $"oidc.eks.{Options.Region}.amazonaws.com/id/{o.Random("old-cluster").UpperAlphaNumeric(32)}";
        yield return new IamOidcProvider
        {
            Arn = $"arn:aws:iam::{Options.AccountId}:oidc-provider/{stale}", Url = stale, ClientIdList = ["sts.amazonaws.com"], ThumbprintList = [o.Random("thumbprint-old").Hex(40)],
            CreateDate = new DateTimeOffset(o.ClusterCreated.AddDays(-500), TimeSpan.Zero),
        };
        yield return new IamOidcProvider
        {
            Arn = $"arn:aws:iam::{Options.AccountId}:oidc-provider/token.actions.githubusercontent.com", Url = "token.actions.githubusercontent.com",
            ClientIdList = ["sts.amazonaws.com"], ThumbprintList = ["6938fd4d98bab03faadb97b34396831e3780aea1"], CreateDate = new DateTimeOffset(o.ClusterCreated.AddDays(-200), TimeSpan.Zero),
        };
    }

    public IamAccountSettings AccountSettings() => new()
    {
        PasswordPolicy = new IamPasswordPolicy
        {
            MinimumPasswordLength = 14, RequireSymbols = true, RequireNumbers = true, RequireUppercaseCharacters = true, RequireLowercaseCharacters = true,
            AllowUsersToChangePassword = true, ExpirePasswords = true, MaxPasswordAge = 90, PasswordReusePrevention = 24, HardExpiry = false,
        },
        SummaryMap = new Dictionary<string, int>
        {
            ["AccountMFAEnabled"] = 1, ["AccountAccessKeysPresent"] = 0, ["Users"] = 3, ["Roles"] = Options.IamRoles, ["Policies"] = Options.IamRoles / 2,
            ["MFADevicesInUse"] = 1, ["Providers"] = 3, ["UsersQuota"] = 5000, ["RolesQuota"] = 5000,
        },
    };
}
