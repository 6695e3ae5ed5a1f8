using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Net.WorkerNodesNoPublicIpTests;

namespace EksSecurity.Tests.Rules.Net;

public class NodeGroupsWithoutSshAccessTests
{
    private static ClusterSnapshot With(EksNodegroup group, params Ec2LaunchTemplateVersion[] templates) => TestSnapshots.Empty().With(s =>
    {
        s.Aws.NodeGroups!.Items!.Add(group);
        s.Aws.LaunchTemplates!.Items!.AddRange(templates);
    });

    [Fact]
    public void Ssh_key_without_source_groups_fails()
    {
        var snapshot = With(NodeGroup("debug", remote: new EksRemoteAccessConfig { Ec2SshKey = "ops-key", SourceSecurityGroups = [] }));
        var finding = Assert.Single(TestSnapshots.Run<NodeGroupsWithoutSshAccess>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("NodeGroup", finding.ResourceType);
        Assert.Equal("debug", finding.ResourceName);
        Assert.Contains("0.0.0.0/0", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "remoteAccess.ec2SshKey = ops-key, remoteAccess.sourceSecurityGroups = []");
    }

    [Fact]
    public void Ssh_key_with_source_groups_warns()
    {
        var snapshot = With(NodeGroup("bastion", remote: new EksRemoteAccessConfig { Ec2SshKey = "ops-key", SourceSecurityGroups = ["sg-bastion"] }));
        var finding = Assert.Single(TestSnapshots.Run<NodeGroupsWithoutSshAccess>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("sg-bastion", finding.Message);
    }

    [Fact]
    public void Key_in_the_launch_template_warns()
    {
        var snapshot = With(NodeGroup("lt", template: new EksLaunchTemplateSpecification { Name = "lt-a-name", Version = "$Latest" }),
            Template("lt-a", 1, keyName: null), Template("lt-a", 2, keyName: "legacy-key", isDefault: false));
        var finding = Assert.Single(TestSnapshots.Run<NodeGroupsWithoutSshAccess>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("legacy-key", finding.Message);
    }

    [Fact]
    public void No_key_anywhere_passes()
    {
        var snapshot = With(NodeGroup("lt", template: new EksLaunchTemplateSpecification { Id = "lt-a", Version = "1" }), Template("lt-a", 1));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<NodeGroupsWithoutSshAccess>(snapshot)).Status);
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<NodeGroupsWithoutSshAccess>(With(NodeGroup("plain")))).Status);
    }

    [Fact]
    public void Launch_template_that_cannot_be_read_is_an_error()
    {
        var snapshot = With(NodeGroup("lt", template: new EksLaunchTemplateSpecification { Id = "lt-a", Version = "7" }), Template("lt-a", 1))
            .With(s => s.Aws.LaunchTemplates = Section<Ec2LaunchTemplateVersion>.Denied("ec2:DescribeLaunchTemplateVersions"));
        var finding = Assert.Single(TestSnapshots.Run<NodeGroupsWithoutSshAccess>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("ec2:DescribeLaunchTemplateVersions", finding.Message);
        var missingVersion = With(NodeGroup("lt", template: new EksLaunchTemplateSpecification { Id = "lt-a", Version = "7" }), Template("lt-a", 1));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NodeGroupsWithoutSshAccess>(missingVersion)).Status);
    }

    [Fact]
    public void Denied_node_groups_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.NodeGroups = Section<EksNodegroup>.Denied("eks:DescribeNodegroup"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NodeGroupsWithoutSshAccess>(snapshot)).Status);
    }
}
