using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Infra;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Infra.NodeFixtures;

namespace EksSecurity.Tests.Rules.Infra;

internal static class Nodes
{
    public static ClusterSnapshot Of(params V1Node[] nodes) => TestSnapshots.Empty().With(s => s.Kubernetes.Nodes!.Items!.AddRange(nodes));
}

public class KubeletVersionSkewWithinPolicyTests
{
    [Theory]
    [InlineData("v1.33.4-eks-1", FindingStatus.Pass)]
    [InlineData("v1.30.9-eks-1", FindingStatus.Pass)]  // 3 behind: allowed from 1.28
    [InlineData("v1.29.9-eks-1", FindingStatus.Fail)]  // 4 behind
    [InlineData("v1.34.0-eks-1", FindingStatus.Fail)]  // newer than the control plane
    public void Skew_against_the_control_plane(string kubelet, FindingStatus expected)
    {
        var finding = Assert.Single(TestSnapshots.Run<KubeletVersionSkewWithinPolicy>(Nodes.Of(Node("n1", kubelet: kubelet))));
        Assert.Equal(expected, finding.Status);
        Assert.Contains(finding.Evidence, e => e == "cluster.version = 1.33");
    }

    [Fact]
    public void Skew_is_configurable()
    {
        var finding = Assert.Single(TestSnapshots.Run<KubeletVersionSkewWithinPolicy>(Nodes.Of(Node("n1", kubelet: "v1.31.2")), new RuleSettings { KubeletMaxMinorVersionSkew = 1 }));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("2 minor versions behind", finding.Message);
    }

    [Fact]
    public void Older_control_planes_allow_two_minors()
    {
        var snapshot = Nodes.Of(Node("n1", kubelet: "v1.24.17")).With(s => s.Cluster().Version = "1.27");
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<KubeletVersionSkewWithinPolicy>(snapshot)).Status);
    }

    [Fact]
    public void Unsupported_minor_from_the_calendar_fails()
    {
        var snapshot = Nodes.Of(Node("n1", kubelet: "v1.31.2")).With(s => s.Aws.ClusterVersions!.Items!.AddRange(
        [
            new EksClusterVersion { ClusterVersion = "1.31", ClusterType = "eks", VersionStatus = "UNSUPPORTED" },
            new EksClusterVersion { ClusterVersion = "1.33", ClusterType = "eks", VersionStatus = "STANDARD_SUPPORT" },
        ]));
        var finding = Assert.Single(TestSnapshots.Run<KubeletVersionSkewWithinPolicy>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("no longer supported", finding.Message);
    }

    [Fact]
    public void Falls_back_to_the_api_server_version()
    {
        var snapshot = Nodes.Of(Node("n1", kubelet: "v1.32.1")).With(s =>
        {
            s.Aws.Cluster = ObjectSection<EksCluster>.Denied("eks:DescribeCluster");
            s.Kubernetes.ServerVersion = ObjectSection<VersionInfo>.Collected(new VersionInfo { Major = "1", Minor = "33+", GitVersion = "v1.33.5-eks-abc" });
        });
        var finding = Assert.Single(TestSnapshots.Run<KubeletVersionSkewWithinPolicy>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("API server /version", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_control_plane_version_is_an_error()
    {
        var snapshot = Nodes.Of(Node("n1")).With(s =>
        {
            s.Aws.Cluster = ObjectSection<EksCluster>.Denied("eks:DescribeCluster");
            s.Kubernetes.ServerVersion = null;
        });
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<KubeletVersionSkewWithinPolicy>(snapshot)).Status);
    }

    [Fact]
    public void Denied_nodes_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Nodes = Section<V1Node>.Denied("list nodes"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<KubeletVersionSkewWithinPolicy>(snapshot)).Status);
    }
}

public class NodesReplacedRegularlyTests
{
    [Theory]
    [InlineData(30, FindingStatus.Pass)]
    [InlineData(31, FindingStatus.Warning)]
    public void Age_boundary(int days, FindingStatus expected)
    {
        var finding = Assert.Single(TestSnapshots.Run<NodesReplacedRegularly>(Nodes.Of(Node("n1", created: Now.AddDays(-days)))));
        Assert.Equal(expected, finding.Status);
    }

    [Fact]
    public void Earlier_instance_launch_time_counts()
    {
        var snapshot = Nodes.Of(Node("n1", created: Now.AddDays(-2), instanceId: "i-0aaa")).With(s =>
            s.Aws.Instances!.Items!.Add(new Ec2Instance { InstanceId = "i-0aaa", LaunchTime = new DateTimeOffset(Now.AddDays(-90)) }));
        var finding = Assert.Single(TestSnapshots.Run<NodesReplacedRegularly>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("90 days", finding.Message);
    }

    [Fact]
    public void Threshold_is_configurable()
    {
        var finding = Assert.Single(TestSnapshots.Run<NodesReplacedRegularly>(Nodes.Of(Node("n1", created: Now.AddDays(-25))), new RuleSettings { NodeMaxAgeDays = 21 }));
        Assert.Equal(FindingStatus.Warning, finding.Status);
    }

    [Fact]
    public void No_collection_time_is_an_error_not_now()
    {
        var snapshot = Nodes.Of(Node("n1")).With(s => s.CollectedAt = null);
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NodesReplacedRegularly>(snapshot)).Status);
    }
}

public class ContainerOptimizedOsTests
{
    [Theory]
    [InlineData("Bottlerocket OS 1.41.0 (aws-k8s-1.33)", FindingStatus.Pass)]
    [InlineData("Amazon Linux 2023.7.20250512", FindingStatus.Pass)]
    [InlineData("Amazon Linux 2", FindingStatus.Warning)]
    [InlineData("Ubuntu 22.04.5 LTS", FindingStatus.Warning)]
    public void Os_images(string os, FindingStatus expected) =>
        Assert.Equal(expected, Assert.Single(TestSnapshots.Run<ContainerOptimizedOs>(Nodes.Of(Node("n1", os: os)))).Status);

    [Fact]
    public void Al2_warning_names_the_deprecation_and_the_ami_type()
    {
        var snapshot = Nodes.Of(Node("n1", os: "Amazon Linux 2")).With(s => s.Aws.NodeGroups!.Items!.Add(new EksNodegroup { NodegroupName = "general", AmiType = "AL2_x86_64" }));
        var finding = Assert.Single(TestSnapshots.Run<ContainerOptimizedOs>(snapshot));
        Assert.Contains("deprecated", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "node group general: amiType = AL2_x86_64");
    }

    [Fact]
    public void Fargate_and_windows_are_not_applicable()
    {
        var windows = Node("w1", os: "Windows Server 2022 Datacenter");
        windows.Metadata.Labels["kubernetes.io/os"] = "windows";
        var findings = TestSnapshots.Run<ContainerOptimizedOs>(Nodes.Of(Node("fargate-ip-1", nodeGroup: null, computeType: "fargate", os: "Amazon Linux 2"), windows));
        Assert.All(findings, f => Assert.Equal(FindingStatus.NotApplicable, f.Status));
    }

    [Fact]
    public void Missing_os_image_is_an_error()
    {
        var node = Node("n1");
        node.Status.NodeInfo.OsImage = null;
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ContainerOptimizedOs>(Nodes.Of(node))).Status);
    }
}

public class NodesManagedTests
{
    [Fact]
    public void Self_managed_node_warns_and_managed_ones_pass()
    {
        var findings = TestSnapshots.Run<NodesManaged>(Nodes.Of(
            Node("mng"),
            Node("karp", nodeGroup: null, labels: new Dictionary<string, string> { ["karpenter.sh/nodepool"] = "default" }),
            Node("auto", nodeGroup: null, computeType: "auto"),
            Node("fargate-ip-1", nodeGroup: null, computeType: "fargate"),
            Node("self", nodeGroup: null, labels: new Dictionary<string, string> { ["alpha.eksctl.io/nodegroup-name"] = "legacy" })));
        Assert.Equal([FindingStatus.Pass, FindingStatus.Pass, FindingStatus.Pass, FindingStatus.Pass, FindingStatus.Warning], findings.Select(f => f.Status).ToArray());
        Assert.Contains(findings[4].Evidence, e => e.Contains("legacy"));
    }

    [Fact]
    public void Hybrid_nodes_are_not_applicable()
    {
        var finding = Assert.Single(TestSnapshots.Run<NodesManaged>(Nodes.Of(Node("mi-0123", nodeGroup: null, computeType: "hybrid"))));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
    }

    [Fact]
    public void No_nodes_is_not_applicable()
    {
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<NodesManaged>(TestSnapshots.Empty())).Status);
    }
}

public class NodeAccessThroughSsmTests
{
    private const string RoleArn = "arn:aws:iam::111122223333:role/eks-node-role";

    private static ClusterSnapshot With(IamRole role) => TestSnapshots.Empty().With(s =>
    {
        s.Aws.NodeGroups!.Items!.Add(new EksNodegroup { NodegroupName = "general", NodeRole = RoleArn });
        s.Aws.IamRoles!.Items!.Add(role);
    });

    private static IamRole Role(params IamAttachedPolicy[] policies) =>
        new() { Arn = RoleArn, RoleName = "eks-node-role", AttachedPolicies = policies.ToList(), InlinePolicies = [] };

    private static IamAttachedPolicy Managed(string name, string? document = null) =>
        new() { PolicyName = name, PolicyArn = $"arn:aws:iam::aws:policy/{name}", Document = document };

    [Fact]
    public void Role_with_ssm_core_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<NodeAccessThroughSsm>(With(Role(Managed("AmazonEKSWorkerNodePolicy"), Managed("AmazonSSMManagedInstanceCore")))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("IamRole", finding.ResourceType);
        Assert.Contains(finding.Evidence, e => e == "node role of: node group general");
    }

    [Fact]
    public void Role_without_ssm_warns()
    {
        var finding = Assert.Single(TestSnapshots.Run<NodeAccessThroughSsm>(With(Role(Managed("AmazonEKSWorkerNodePolicy"), Managed("AmazonEC2ContainerRegistryReadOnly")))));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("ssm:UpdateInstanceInformation", finding.Message);
    }

    [Fact]
    public void Custom_policy_granting_the_agent_actions_passes()
    {
        const string document = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:UpdateInstanceInformation","ssmmessages:*"],"Resource":"*"}]}""";
        var finding = Assert.Single(TestSnapshots.Run<NodeAccessThroughSsm>(With(Role(Managed("custom-ssm", document)))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Unlisted_policies_are_an_error()
    {
        var role = Role();
        role.AttachedPolicies = null;
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NodeAccessThroughSsm>(With(role))).Status);
    }

    [Fact]
    public void Role_missing_from_the_snapshot_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.AccessEntries!.Items!.Add(new EksAccessEntry { PrincipalArn = RoleArn, Type = "EC2_LINUX" }));
        var finding = Assert.Single(TestSnapshots.Run<NodeAccessThroughSsm>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("access entry of type EC2_LINUX"));
    }

    [Fact]
    public void Denied_iam_roles_are_an_error()
    {
        var snapshot = With(Role()).With(s => s.Aws.IamRoles = Section<IamRole>.Denied("iam:GetRole"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NodeAccessThroughSsm>(snapshot)).Status);
    }
}
