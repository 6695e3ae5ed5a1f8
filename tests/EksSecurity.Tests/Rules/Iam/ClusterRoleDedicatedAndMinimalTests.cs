using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Iam.AwsIamFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class ClusterRoleDedicatedAndMinimalTests
{
    private const string EksTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}""";

    private static IamAttachedPolicy Managed(string name) => new() { PolicyName = name, PolicyArn = $"arn:aws:iam::aws:policy/{name}" };

    private static ClusterSnapshot WithClusterRole(string trust = EksTrust, List<IamAttachedPolicy>? attached = null, List<IamInlinePolicy>? inline = null) =>
        TestSnapshots.Empty().With(s => s.Cluster().RoleArn = RoleArn("eks-cluster")).WithRoles(new IamRole
        {
            RoleName = "eks-cluster",
            Arn = RoleArn("eks-cluster"),
            AssumeRolePolicyDocument = trust,
            AttachedPolicies = attached ?? [Managed("AmazonEKSClusterPolicy")],
            InlinePolicies = inline ?? [],
        });

    [Fact]
    public void Dedicated_minimal_role_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<ClusterRoleDedicatedAndMinimal>(WithClusterRole()));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("IamRole", finding.ResourceType);
        Assert.Equal(RoleArn("eks-cluster"), finding.ResourceName);
        Assert.Contains(finding.Evidence, e => e.StartsWith("trust statement 0: Allow Principal Service:eks.amazonaws.com"));
    }

    [Fact]
    public void Extra_managed_and_inline_policies_fail()
    {
        var snapshot = WithClusterRole(
            attached: [Managed("AmazonEKSClusterPolicy"), Managed("AdministratorAccess"), new IamAttachedPolicy { PolicyName = "AmazonEKSClusterPolicy", PolicyArn = $"arn:aws:iam::{Account}:policy/AmazonEKSClusterPolicy" }],
            inline: [new IamInlinePolicy { PolicyName = "s3-access", PolicyDocument = "{}" }]);
        var finding = Assert.Single(TestSnapshots.Run<ClusterRoleDedicatedAndMinimal>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("AdministratorAccess", finding.Message);
        // A customer managed policy that borrows the AWS name is not the AWS policy.
        Assert.Contains($"arn:aws:iam::{Account}:policy/AmazonEKSClusterPolicy", finding.Message);
        Assert.Contains("s3-access", finding.Message);
    }

    [Fact]
    public void Trust_in_other_principals_fails()
    {
        const string trust = """{"Statement":{"Effect":"Allow","Principal":{"Service":["eks.amazonaws.com","ec2.amazonaws.com"],"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}}""";
        var finding = Assert.Single(TestSnapshots.Run<ClusterRoleDedicatedAndMinimal>(WithClusterRole(trust)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("Service:ec2.amazonaws.com", finding.Message);
        Assert.Contains("AWS:arn:aws:iam::111122223333:root", finding.Message);
    }

    [Fact]
    public void Auto_mode_policies_are_allowed_only_on_auto_mode()
    {
        List<IamAttachedPolicy> auto = [Managed("AmazonEKSClusterPolicy"), Managed("AmazonEKSComputePolicy"), Managed("AmazonEKSBlockStoragePolicy"),
            Managed("AmazonEKSLoadBalancingPolicy"), Managed("AmazonEKSNetworkingPolicy")];
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<ClusterRoleDedicatedAndMinimal>(WithClusterRole(attached: auto))).Status);
        var autoMode = WithClusterRole(attached: auto).With(s => s.Cluster().ComputeConfig = new EksComputeConfig { Enabled = true });
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<ClusterRoleDedicatedAndMinimal>(autoMode)).Status);
    }

    [Fact]
    public void Unlisted_policies_are_an_error_not_a_pass()
    {
        var snapshot = WithClusterRole().With(s => s.Aws.IamRoles!.Items![0].AttachedPolicies = null);
        var finding = Assert.Single(TestSnapshots.Run<ClusterRoleDedicatedAndMinimal>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("ListAttachedRolePolicies", finding.Message);
    }

    [Fact]
    public void Deleted_cluster_role_fails()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Cluster().RoleArn = RoleArn("eks-cluster")).WithRoles(Role("eks-cluster", missing: true));
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<ClusterRoleDedicatedAndMinimal>(snapshot)).Status);
    }

    [Fact]
    public void Role_not_looked_up_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Cluster().RoleArn = RoleArn("eks-cluster"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ClusterRoleDedicatedAndMinimal>(snapshot)).Status);
    }

    [Fact]
    public void Denied_iam_roles_are_an_error()
    {
        var snapshot = WithClusterRole().With(s => s.Aws.IamRoles = Section<IamRole>.Denied("iam:GetRole"));
        var finding = Assert.Single(TestSnapshots.Run<ClusterRoleDedicatedAndMinimal>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("iam:GetRole", finding.Message);
    }
}
