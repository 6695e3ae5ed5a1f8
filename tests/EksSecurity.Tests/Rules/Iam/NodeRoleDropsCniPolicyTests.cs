using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Iam.AwsIamFixtures;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.VpcCniFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class NodeRoleDropsCniPolicyTests
{
    private const string CniPolicy = "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy";

    private static IamAttachedPolicy Managed(string name) => new() { PolicyName = name, PolicyArn = $"arn:aws:iam::aws:policy/{name}" };

    private static IamRole NodeRole(string name, params IamAttachedPolicy[] attached) => new()
    {
        RoleName = name,
        Arn = RoleArn(name),
        AttachedPolicies = attached.ToList(),
        InlinePolicies = [],
    };

    private static IamRole Standard(string name = "node") =>
        NodeRole(name, Managed("AmazonEKSWorkerNodePolicy"), Managed("AmazonEC2ContainerRegistryReadOnly"), Managed("AmazonEKS_CNI_Policy"));

    private static IamRole Trimmed(string name = "node") =>
        NodeRole(name, Managed("AmazonEKSWorkerNodePolicy"), Managed("AmazonEC2ContainerRegistryReadOnly"));

    private static ClusterSnapshot WithNodeGroup(IamRole role, string group = "ng-1") => TestSnapshots.Empty()
        .With(s => s.Aws.NodeGroups!.Items!.Add(new EksNodegroup { NodegroupName = group, NodeRole = role.Arn }))
        .WithRoles(role);

    [Fact]
    public void Cni_policy_on_the_node_role_fails_once_aws_node_has_its_own_role()
    {
        var findings = TestSnapshots.Run<NodeRoleDropsCniPolicy>(WithNodeGroup(Standard()).WithAwsNode(CniRole));
        var finding = Assert.Single(findings);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-IAM-030", finding.RuleId);
        Assert.Equal("IamRole", finding.ResourceType);
        Assert.Equal(RoleArn("node"), finding.ResourceName);
        Assert.Contains("AmazonEKS_CNI_Policy", finding.Message);
        Assert.Contains("node role of: node group ng-1", finding.Evidence);
        Assert.Contains($"CNI permissions: AmazonEKS_CNI_Policy (attached, {CniPolicy})", finding.Evidence);
        Assert.Contains(finding.Evidence, e => e.StartsWith("aws-node has its own identity: IRSA"));
    }

    [Fact]
    public void Node_role_without_the_policy_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(WithNodeGroup(Trimmed()).WithAwsNode(CniRole)));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("Node role node carries no CNI policy.", finding.Message);
    }

    [Fact]
    public void Cni_using_the_node_role_passes_by_design_and_says_so()
    {
        var finding = Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(WithNodeGroup(Standard()).WithAwsNode()));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("by design", finding.Message);
        Assert.Contains("EKS-IAM-029", finding.Message);
        // The two rules agree: the one that judges the CNI fails instead.
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<VpcCniUsesOwnIdentity>(WithNodeGroup(Standard()).WithAwsNode())).Status);
    }

    [Fact]
    public void Identity_from_the_add_on_or_pod_identity_counts_as_in_eks_iam_029()
    {
        var viaAddon = WithNodeGroup(Standard()).WithAwsNode().WithAddons(VpcCniAddon(CniRole));
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(viaAddon)).Status);
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<VpcCniUsesOwnIdentity>(viaAddon)).Status);

        var viaPodIdentity = WithNodeGroup(Standard()).WithAwsNode().WithAssociations(Association("kube-system", "aws-node", CniRole));
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(viaPodIdentity)).Status);
    }

    [Fact]
    public void Ipv6_customer_managed_policy_counts_by_name()
    {
        var role = NodeRole("node6", Managed("AmazonEKSWorkerNodePolicy"),
            new IamAttachedPolicy { PolicyName = "AmazonEKS_CNI_IPv6_Policy", PolicyArn = $"arn:aws:iam::{Account}:policy/AmazonEKS_CNI_IPv6_Policy" });
        var finding = Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(WithNodeGroup(role).WithAwsNode(CniRole)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("AmazonEKS_CNI_IPv6_Policy", finding.Message);
    }

    [Fact]
    public void A_policy_under_another_name_counts_by_what_it_allows()
    {
        var role = Trimmed("node");
        role.InlinePolicies = [new IamInlinePolicy { PolicyName = "ipv6-cni", PolicyDocument = """{"Statement":[{"Effect":"Allow","Action":["ec2:AssignIpv6Addresses","ec2:DescribeInstances"],"Resource":"*"}]}""" }];
        role.AttachedPolicies!.Add(new IamAttachedPolicy
        {
            PolicyName = "eni-manager",
            PolicyArn = $"arn:aws:iam::{Account}:policy/eni-manager",
            Document = """{"Statement":{"Effect":"Allow","Action":"ec2:Assign*","Resource":"*"}}""",
        });
        var finding = Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(WithNodeGroup(role).WithAwsNode(CniRole)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("CNI permissions: ipv6-cni (inline, allows ec2:AssignIpv6Addresses)", finding.Evidence);
        Assert.Contains(finding.Evidence, e => e.StartsWith("CNI permissions: eni-manager (attached") && e.EndsWith("allows ec2:AssignPrivateIpAddresses)"));
    }

    [Fact]
    public void A_deny_does_not_make_a_cni_policy()
    {
        var role = Trimmed();
        role.InlinePolicies = [new IamInlinePolicy { PolicyName = "no-eni", PolicyDocument = """{"Statement":{"Effect":"Deny","Action":"ec2:Assign*","Resource":"*"}}""" }];
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(WithNodeGroup(role).WithAwsNode(CniRole))).Status);
    }

    [Fact]
    public void Self_managed_and_aws_auth_node_roles_are_judged_hybrid_and_windows_not()
    {
        var snapshot = TestSnapshots.Empty().WithAwsNode(CniRole)
            .WithRoles(Standard("self"), Standard("mapped"), Standard("hybrid"), Standard("windows"))
            .WithEntries(
                new EksAccessEntry { PrincipalArn = RoleArn("self"), Type = "EC2_LINUX" },
                new EksAccessEntry { PrincipalArn = RoleArn("hybrid"), Type = "HYBRID_LINUX" })
            .WithAwsAuth(AwsAuth(mapRoles:
                $"- rolearn: {RoleArn("mapped")}\n  username: system:node:{{{{EC2PrivateDNSName}}}}\n  groups: [system:bootstrappers, system:nodes]\n" +
                $"- rolearn: {RoleArn("windows")}\n  username: system:node:{{{{EC2PrivateDNSName}}}}\n  groups: [system:bootstrappers, system:nodes, eks:kube-proxy-windows]\n"));
        var findings = TestSnapshots.Run<NodeRoleDropsCniPolicy>(snapshot);
        Assert.Equal([RoleArn("mapped"), RoleArn("self")], findings.Select(f => f.ResourceName).Order(StringComparer.Ordinal));
        Assert.All(findings, f => Assert.Equal(FindingStatus.Fail, f.Status));
        Assert.Contains("node role of: access entry of type EC2_LINUX", findings.Single(f => f.ResourceName == RoleArn("self")).Evidence);
        Assert.Contains("node role of: aws-auth mapRoles (system:nodes)", findings.Single(f => f.ResourceName == RoleArn("mapped")).Evidence);
    }

    [Fact]
    public void Auto_mode_node_role_is_left_out_unless_a_node_group_uses_it()
    {
        var autoRole = Standard("auto");
        var snapshot = TestSnapshots.Empty().WithAwsNode(CniRole).WithRoles(autoRole)
            .With(s => s.Cluster().ComputeConfig = new EksComputeConfig { Enabled = true, NodeRoleArn = autoRole.Arn })
            .WithEntries(new EksAccessEntry { PrincipalArn = autoRole.Arn, Type = "EC2_LINUX" });
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(snapshot)).Status);

        snapshot.Aws.NodeGroups!.Items!.Add(new EksNodegroup { NodegroupName = "ng-1", NodeRole = autoRole.Arn });
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(snapshot)).Status);
    }

    [Fact]
    public void No_aws_node_with_the_policy_warns()
    {
        var finding = Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(WithNodeGroup(Standard())));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("no aws-node DaemonSet", finding.Message);
    }

    [Fact]
    public void Unknown_cni_identity_is_an_error_only_where_the_policy_is_present()
    {
        var snapshot = WithNodeGroup(Standard()).WithRoles(Trimmed("other")).WithAwsNode()
            .With(s => s.Aws.NodeGroups!.Items!.Add(new EksNodegroup { NodegroupName = "ng-2", NodeRole = RoleArn("other") }))
            .With(s => s.Aws.Addons = Section<EksAddon>.Denied("eks:DescribeAddon"));
        var findings = TestSnapshots.Run<NodeRoleDropsCniPolicy>(snapshot);
        var error = Assert.Single(findings, f => f.Status == FindingStatus.Error);
        Assert.Equal(RoleArn("node"), error.ResourceName);
        Assert.Contains("Addons", error.Message);
        Assert.Equal(FindingStatus.Pass, findings.Single(f => f.ResourceName == RoleArn("other")).Status);
    }

    [Fact]
    public void Without_daemon_sets_only_roles_without_the_policy_are_judged()
    {
        var snapshot = WithNodeGroup(Standard()).WithRoles(Trimmed("other")).WithAwsNode(CniRole)
            .With(s => s.Aws.NodeGroups!.Items!.Add(new EksNodegroup { NodegroupName = "ng-2", NodeRole = RoleArn("other") }))
            .With(s => s.Kubernetes.DaemonSets = Section<k8s.Models.V1DaemonSet>.Denied("list daemonsets"));
        var findings = TestSnapshots.Run<NodeRoleDropsCniPolicy>(snapshot);
        var error = Assert.Single(findings, f => f.Status == FindingStatus.Error);
        Assert.Equal(RoleArn("node"), error.ResourceName);
        Assert.Contains("DaemonSets", error.Message);
        Assert.Equal(FindingStatus.Pass, findings.Single(f => f.ResourceName == RoleArn("other")).Status);
    }

    [Fact]
    public void Unlisted_policies_are_an_error_not_a_pass()
    {
        var role = Trimmed();
        role.InlinePolicies = null;
        var finding = Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(WithNodeGroup(role).WithAwsNode(CniRole)));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("ListRolePolicies", finding.Message);
    }

    [Fact]
    public void Role_not_looked_up_is_an_error_and_a_deleted_one_not_applicable()
    {
        var missing = TestSnapshots.Empty().WithAwsNode(CniRole)
            .With(s => s.Aws.NodeGroups!.Items!.Add(new EksNodegroup { NodegroupName = "ng-1", NodeRole = RoleArn("node") }));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(missing)).Status);
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(missing.WithRoles(Role("node", missing: true)))).Status);
    }

    [Fact]
    public void Policy_names_come_from_the_settings()
    {
        var role = NodeRole("node", new IamAttachedPolicy { PolicyName = "team-vpc-cni", PolicyArn = $"arn:aws:iam::{Account}:policy/team-vpc-cni" });
        var snapshot = WithNodeGroup(role).WithAwsNode(CniRole);
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(snapshot)).Status);
        var settings = new RuleSettings { CniPolicyNames = ["AmazonEKS_CNI_Policy", "*-vpc-cni"] };
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(snapshot, settings)).Status);
    }

    [Fact]
    public void No_node_roles_is_not_applicable()
    {
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(TestSnapshots.Empty().WithAwsNode(CniRole))).Status);
    }

    [Fact]
    public void Denied_node_groups_are_an_error()
    {
        var snapshot = WithNodeGroup(Standard()).WithAwsNode(CniRole).With(s => s.Aws.NodeGroups = Section<EksNodegroup>.Denied("eks:DescribeNodegroup"));
        var finding = Assert.Single(TestSnapshots.Run<NodeRoleDropsCniPolicy>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("eks:DescribeNodegroup", finding.Message);
    }
}
