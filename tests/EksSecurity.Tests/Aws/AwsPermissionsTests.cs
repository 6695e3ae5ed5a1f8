using System.Text.Json;
using EksSecurity.Engine.Aws.Collection;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Aws;

public class AwsPermissionsTests
{
    [Fact]
    public void Every_aws_section_declares_its_actions()
    {
        var missing = Enum.GetValues<SnapshotSection>().Where(ClusterSnapshot.IsAwsSection).Where(s => !AwsPermissions.BySection.ContainsKey(s)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Policy_is_read_only_and_covers_every_rule()
    {
        var document = JsonDocument.Parse(AwsPermissions.PolicyDocument(RuleCatalog.Default.Rules)).RootElement;
        var actions = document.GetProperty("Statement")[0].GetProperty("Action").EnumerateArray().Select(a => a.GetString()!).ToList();
        Assert.Contains("eks:DescribeCluster", actions);
        Assert.All(actions, a => Assert.Matches(@"^(eks|iam|ec2|kms|ssm|sts):(Describe|List|Get)", a));
        Assert.Equal(actions.Order(StringComparer.Ordinal), actions);
    }

    [Fact]
    public void Kubernetes_only_rules_need_nothing_but_the_cluster_description()
    {
        var pods = RuleCatalog.Default.Rules.Where(r => r.Metadata.Reads.All(s => !ClusterSnapshot.IsAwsSection(s)) && r.Metadata.OptionallyReads.All(s => !ClusterSnapshot.IsAwsSection(s)));
        Assert.Equal(["eks:DescribeCluster"], AwsPermissions.ActionsFor(pods));
    }
}
