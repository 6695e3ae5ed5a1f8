using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Health;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Health;

public class EksResourcesReportNoHealthIssuesTests
{
    private static EksHealth Issues(params string[] codes) =>
        new() { Issues = codes.Select(c => new EksIssue { Code = c, Message = c + " happened", ResourceIds = ["res-1"] }).ToList() };

    private static ClusterSnapshot Healthy() => TestSnapshots.Empty().With(s =>
    {
        s.Aws.NodeGroups!.Items!.Add(new EksNodegroup { NodegroupName = "general", Status = "ACTIVE", Health = new EksHealth { Issues = [] } });
        s.Aws.Addons!.Items!.Add(new EksAddon { AddonName = "vpc-cni", Status = "ACTIVE" });
        s.Aws.FargateProfiles!.Items!.Add(new EksFargateProfile { FargateProfileName = "serverless", Status = "ACTIVE" });
    });

    [Fact]
    public void Healthy_resources_each_pass()
    {
        var findings = TestSnapshots.Run<EksResourcesReportNoHealthIssues>(Healthy());
        Assert.Equal(["Cluster", "NodeGroup", "Addon", "FargateProfile"], findings.Select(f => f.ResourceType).ToArray());
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
    }

    [Fact]
    public void Node_group_with_issues_fails_with_the_codes()
    {
        var snapshot = Healthy().With(s => s.Aws.NodeGroups!.Items![0] = new EksNodegroup
            { NodegroupName = "general", Status = "DEGRADED", Health = Issues("AsgInstanceLaunchFailures", "IamInstanceProfileNotFound") });
        var finding = Assert.Single(TestSnapshots.Run<EksResourcesReportNoHealthIssues>(snapshot), f => f.ResourceType == "NodeGroup");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("AsgInstanceLaunchFailures, IamInstanceProfileNotFound", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "issue IamInstanceProfileNotFound: IamInstanceProfileNotFound happened [res-1]");
    }

    [Fact]
    public void Active_cluster_with_issues_fails()
    {
        var snapshot = Healthy().With(s => s.Cluster().Health = Issues("KmsKeyDisabled"));
        var finding = Assert.Single(TestSnapshots.Run<EksResourcesReportNoHealthIssues>(snapshot), f => f.ResourceType == "Cluster");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("KmsKeyDisabled", finding.Message);
    }

    [Theory]
    [InlineData("CREATE_FAILED", FindingStatus.Fail)]
    [InlineData("UPDATING", FindingStatus.Warning)]
    [InlineData("", FindingStatus.Error)]
    public void Status_other_than_active(string status, FindingStatus expected)
    {
        var snapshot = Healthy().With(s => s.Aws.Addons!.Items![0].Status = status);
        Assert.Equal(expected, Assert.Single(TestSnapshots.Run<EksResourcesReportNoHealthIssues>(snapshot), f => f.ResourceType == "Addon").Status);
    }

    [Fact]
    public void Fargate_profile_that_failed_fails()
    {
        var snapshot = Healthy().With(s => s.Aws.FargateProfiles!.Items![0].Status = "CREATE_FAILED");
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<EksResourcesReportNoHealthIssues>(snapshot), f => f.ResourceType == "FargateProfile").Status);
    }

    [Fact]
    public void Sections_not_collected_are_errors_beside_the_cluster_verdict()
    {
        var snapshot = Healthy().With(s =>
        {
            s.Aws.NodeGroups = Section<EksNodegroup>.Denied("eks:ListNodegroups");
            s.Aws.FargateProfiles = null;
        });
        var findings = TestSnapshots.Run<EksResourcesReportNoHealthIssues>(snapshot);
        Assert.Equal(FindingStatus.Pass, findings[0].Status);
        var errors = findings.Where(f => f.Status == FindingStatus.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Message.Contains("node groups") && e.Evidence.Any(x => x.Contains("eks:ListNodegroups")));
        Assert.Contains(errors, e => e.Message.Contains("Fargate profiles") && e.Evidence.Any(x => x.Contains("NotCollected")));
    }

    [Fact]
    public void Denied_cluster_description_is_an_error()
    {
        var snapshot = Healthy().With(s => s.Aws.Cluster = ObjectSection<EksCluster>.Denied("eks:DescribeCluster"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<EksResourcesReportNoHealthIssues>(snapshot)).Status);
    }
}
