using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.ImdsFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class NodeInstancesRequireImdsv2Tests
{
    private static IReadOnlyList<EksSecurityFinding> Run(RuleSettings? settings, params Ec2Instance[] nodes) =>
        TestSnapshots.Run<NodeInstancesRequireImdsv2>(Snapshot([], [], nodes), settings);

    [Fact]
    public void Imdsv1_and_a_hop_limit_of_two_fail_and_imdsv2_with_one_hop_passes()
    {
        var findings = Run(null, Node("i-v1", "optional", 1), Node("i-hop2", "required", 2), Node("i-good"));
        var v1 = Assert.Single(findings, f => f.ResourceName == "i-v1");
        Assert.Equal(FindingStatus.Fail, v1.Status);
        Assert.Equal("Ec2Instance", v1.ResourceType);
        Assert.Contains("IMDSv1", v1.Message);
        Assert.Contains("i-v1: HttpEndpoint enabled, HttpTokens optional, hop limit 1", v1.Evidence);
        var hop = Assert.Single(findings, f => f.ResourceName == "i-hop2");
        Assert.Equal(FindingStatus.Fail, hop.Status);
        Assert.Contains("hop limit is 2 (at most 1 allowed)", hop.Message);
        Assert.Equal(FindingStatus.Pass, Assert.Single(findings, f => f.ResourceName == "i-good").Status);
    }

    [Fact]
    public void Allow_listed_node_groups_may_use_two_hops_but_never_imdsv1()
    {
        var settings = new RuleSettings { ImdsHopLimitTwoNodeGroups = ["ci-*"] };
        var findings = Run(settings, Node("i-ci", "required", 2, "ci-runners"), Node("i-ci-v1", "optional", 2, "ci-runners"), Node("i-ci-3", "required", 3, "ci-runners"),
            Node("i-other", "required", 2, "general"));
        Assert.Equal(FindingStatus.Pass, Assert.Single(findings, f => f.ResourceName == "i-ci").Status);
        Assert.Contains("allow-listed", Assert.Single(findings, f => f.ResourceName == "i-ci").Message);
        Assert.Equal(FindingStatus.Fail, Assert.Single(findings, f => f.ResourceName == "i-ci-v1").Status);
        Assert.Equal(FindingStatus.Fail, Assert.Single(findings, f => f.ResourceName == "i-ci-3").Status);
        Assert.Equal(FindingStatus.Fail, Assert.Single(findings, f => f.ResourceName == "i-other").Status);
    }

    [Fact]
    public void Self_managed_groups_are_matched_by_their_eksctl_or_auto_scaling_group_name()
    {
        var settings = new RuleSettings { ImdsHopLimitTwoNodeGroups = ["legacy-asg"] };
        var node = Node("i-asg", "required", 2, null, tags: [("aws:autoscaling:groupName", "legacy-asg")]);
        Assert.Equal(FindingStatus.Pass, Assert.Single(Run(settings, node)).Status);
    }

    [Fact]
    public void Disabled_metadata_passes()
    {
        var finding = Assert.Single(Run(null, Node("i-off", "optional", 5, endpoint: "disabled")));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("turned off", finding.Message);
    }

    [Fact]
    public void Auto_mode_nodes_are_not_applicable_by_tag_or_by_their_kubernetes_node()
    {
        var tagged = Node("i-auto", "optional", 2, null, tags: [("eks:kubernetes-node-pool-name", "general-purpose")]);
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(Run(null, tagged)).Status);

        var snapshot = Snapshot([], [], [Node("i-auto2", "optional", 2, null)]).With(s => s.Kubernetes.Nodes!.Items!.Add(new V1Node
        {
            Metadata = TestSnapshots.Meta("auto-node", labels: new Dictionary<string, string> { ["eks.amazonaws.com/compute-type"] = "auto" }),
            Spec = new V1NodeSpec { ProviderID = "aws:///eu-west-1a/i-auto2" },
        }));
        var finding = Assert.Single(TestSnapshots.Run<NodeInstancesRequireImdsv2>(snapshot));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
        Assert.Contains("EKS Auto Mode", finding.Message);
    }

    [Fact]
    public void Terminated_and_other_clusters_nodes_are_skipped()
    {
        var other = Node("i-elsewhere", "optional", 2);
        other.Tags = [new Ec2Tag { Key = "aws:eks:cluster-name", Value = "other-cluster" }];
        var findings = Run(null, Node("i-gone", "optional", 2, state: "terminated"), other);
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(findings).Status);
    }

    [Fact]
    public void Missing_metadata_options_are_an_error_and_instances_denied_too()
    {
        var node = Node("i-unknown");
        node.MetadataOptions = null;
        Assert.Equal(FindingStatus.Error, Assert.Single(Run(null, node)).Status);

        var denied = Snapshot([], [], []).With(s => s.Aws.Instances = Section<Ec2Instance>.Denied("ec2:DescribeInstances"));
        var finding = Assert.Single(TestSnapshots.Run<NodeInstancesRequireImdsv2>(denied));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("ec2:DescribeInstances", finding.Message);
    }
}
