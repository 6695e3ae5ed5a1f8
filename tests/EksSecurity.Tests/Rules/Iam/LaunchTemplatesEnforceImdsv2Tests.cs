using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Iam.ImdsFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class LaunchTemplatesEnforceImdsv2Tests
{
    private static EksSecurityFinding Run(ClusterSnapshot snapshot, RuleSettings? settings = null) =>
        Assert.Single(TestSnapshots.Run<LaunchTemplatesEnforceImdsv2>(snapshot, settings));

    private static EksSecurityFinding RunTemplate(Ec2LaunchTemplateVersion template, Ec2InstanceMetadataDefaults? defaults = null, params Ec2Instance[] nodes) =>
        Run(Snapshot([NodeGroup("general", template.LaunchTemplateId)], [template], nodes, defaults));

    [Fact]
    public void A_template_requiring_imdsv2_with_one_hop_passes()
    {
        var finding = RunTemplate(Template("lt-1", 1, "required", 1), null, Node("i-1"));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(("NodeGroup", "general"), (finding.ResourceType, finding.ResourceName));
        Assert.Contains("launch template lt-1 version 1: HttpTokens required, HttpPutResponseHopLimit 1, HttpEndpoint (unset)", finding.Evidence);
    }

    [Fact]
    public void Imdsv1_or_two_hops_in_the_template_fail()
    {
        var v1 = RunTemplate(Template("lt-1", 1, "optional", 1));
        Assert.Equal(FindingStatus.Fail, v1.Status);
        Assert.Contains("leaves IMDSv1 on", v1.Message);
        var hops = RunTemplate(Template("lt-1", 1, "required", 2));
        Assert.Equal(FindingStatus.Fail, hops.Status);
        Assert.Contains("hop limit 2", hops.Message);
    }

    [Fact]
    public void Unset_fields_inherit_the_account_defaults()
    {
        var defaults = new Ec2InstanceMetadataDefaults { HttpTokens = "required", HttpPutResponseHopLimit = 1, ManagedBy = "account" };
        var inherited = RunTemplate(Template("lt-1", 1, null, null), defaults);
        Assert.Equal(FindingStatus.Pass, inherited.Status);
        Assert.Contains("HttpTokens = required, inherited from the account's IMDS defaults", inherited.Evidence);

        var none = RunTemplate(Template("lt-1", 1, null, 1), new Ec2InstanceMetadataDefaults());
        Assert.Equal(FindingStatus.Fail, none.Status);
        Assert.Contains("neither it nor the account's IMDS defaults set HttpTokens", none.Message);

        var enforced = RunTemplate(Template("lt-1", 1, null, 1), new Ec2InstanceMetadataDefaults { HttpTokensEnforced = "enabled" });
        Assert.Equal(FindingStatus.Pass, enforced.Status);

        var hopTwo = RunTemplate(Template("lt-1", 1, "required", null), new Ec2InstanceMetadataDefaults { HttpPutResponseHopLimit = 2 });
        Assert.Equal(FindingStatus.Fail, hopTwo.Status);
    }

    [Fact]
    public void A_hop_limit_set_nowhere_warns_until_its_nodes_show_it()
    {
        var unset = RunTemplate(Template("lt-1", 1, "required", null));
        Assert.Equal(FindingStatus.Warning, unset.Status);
        Assert.Contains("the AMI decides", unset.Message);
        var seen = RunTemplate(Template("lt-1", 1, "required", null), null, Node("i-1", "required", 2));
        Assert.Equal(FindingStatus.Fail, seen.Status);
        Assert.Contains(seen.Evidence, e => e.Contains("its nodes got 2"));
    }

    [Fact]
    public void Unset_fields_with_the_account_defaults_not_collected_are_an_error()
    {
        var snapshot = Snapshot([NodeGroup("general", "lt-1")], [Template("lt-1", 1, null, 1)], [])
            .With(s => s.Aws.InstanceMetadataDefaults = ObjectSection<Ec2InstanceMetadataDefaults>.Denied("ec2:GetInstanceMetadataDefaults"));
        var finding = Run(snapshot);
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("ec2:GetInstanceMetadataDefaults", finding.Message);
        // A template that sets everything needs no account default.
        var complete = Snapshot([NodeGroup("general", "lt-1")], [Template("lt-1", 1, "required", 1, "enabled")], [])
            .With(s => s.Aws.InstanceMetadataDefaults = ObjectSection<Ec2InstanceMetadataDefaults>.Denied("ec2:GetInstanceMetadataDefaults"));
        Assert.Equal(FindingStatus.Pass, Run(complete).Status);
    }

    [Fact]
    public void Nodes_that_differ_from_their_template_warn()
    {
        var finding = RunTemplate(Template("lt-1", 1, "required", 1), null, Node("i-ok"), Node("i-drift", "optional", 2));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("1 of its node(s)", finding.Message);
        Assert.Contains("node i-drift: HttpEndpoint enabled, HttpTokens optional, hop limit 2 differs from the template", finding.Evidence);
    }

    [Fact]
    public void A_node_group_without_its_own_template_warns_unless_allow_listed()
    {
        var snapshot = Snapshot([NodeGroup("default-lt")], [], [Node("i-1", "required", 2, "default-lt")]);
        var finding = Run(snapshot);
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("hop limit 2", finding.Message);
        Assert.Equal(FindingStatus.Pass, Run(snapshot, new RuleSettings { ImdsHopLimitTwoNodeGroups = ["default-*"] }).Status);
    }

    [Fact]
    public void Eks_own_template_found_through_the_node_tags_decides_when_it_keeps_imdsv1()
    {
        var node = Node("i-1", "optional", 2, "legacy", tags: [("aws:ec2launchtemplate:id", "lt-eks"), ("aws:ec2launchtemplate:version", "1")]);
        var finding = Run(Snapshot([NodeGroup("legacy")], [Template("lt-eks", 1, "optional", 2)], [node]));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("EKS's launch template lt-eks version 1: HttpTokens optional, HttpPutResponseHopLimit 2, HttpEndpoint (unset)", finding.Evidence);
    }

    [Fact]
    public void Self_managed_nodes_are_judged_through_the_template_they_were_launched_from()
    {
        var node = Node("i-self", "required", 1, null, tags: [("aws:ec2launchtemplate:id", "lt-self"), ("aws:ec2launchtemplate:version", "4")]);
        var finding = Run(Snapshot([], [Template("lt-self", 4, "optional", 1)], [node]));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(("LaunchTemplate", "lt-self version 4"), (finding.ResourceType, finding.ResourceName));
        var missing = Run(Snapshot([], [], [node]));
        Assert.Equal(FindingStatus.Error, missing.Status);
        Assert.Contains("i-self", missing.Message);
    }

    [Fact]
    public void A_template_not_collected_is_an_error()
    {
        var finding = Run(Snapshot([NodeGroup("general", "lt-9", "3")], [], []));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("lt-9 version 3", finding.Message);
        var denied = Snapshot([NodeGroup("general", "lt-9")], [], []).With(s => s.Aws.LaunchTemplates = Section<Ec2LaunchTemplateVersion>.Denied("ec2:DescribeLaunchTemplateVersions"));
        Assert.Contains("ec2:DescribeLaunchTemplateVersions", Run(denied).Message);
    }
}
