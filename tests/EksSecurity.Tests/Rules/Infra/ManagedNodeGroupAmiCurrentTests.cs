using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Infra;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Rules.Infra;

public class ManagedNodeGroupAmiCurrentTests
{
    private const string Al2023 = "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/release_version";
    private const string Bottlerocket = "/aws/service/bottlerocket/aws-k8s-1.33/arm64/latest/image_version";

    private static EksNodegroup Group(string name, string amiType, string release, params EksIssue[] issues) => new()
    {
        NodegroupName = name, Version = "1.33", AmiType = amiType, ReleaseVersion = release, Status = "ACTIVE",
        Health = new EksHealth { Issues = issues.ToList() },
    };

    private static SsmParameter Parameter(string name, string value, DateTimeOffset? published = null) =>
        new() { Name = name, Type = "String", Value = value, Version = 42, LastModifiedDate = published };

    private static ClusterSnapshot With(EksNodegroup[] groups, params SsmParameter[] parameters) => TestSnapshots.Empty().With(s =>
    {
        s.Aws.NodeGroups!.Items!.AddRange(groups);
        s.Aws.AmiReleases!.Items!.AddRange(parameters);
    });

    [Fact]
    public void Parameter_names_follow_the_published_paths()
    {
        Assert.Equal(Al2023, ManagedNodeGroupAmiCurrent.RecommendedReleaseParameter("1.33", "AL2023_x86_64_STANDARD"));
        Assert.Equal("/aws/service/eks/optimized-ami/1.30/amazon-linux-2-arm64/recommended/release_version", ManagedNodeGroupAmiCurrent.RecommendedReleaseParameter("1.30", "AL2_ARM_64"));
        Assert.Equal(Bottlerocket, ManagedNodeGroupAmiCurrent.RecommendedReleaseParameter("1.33", "BOTTLEROCKET_ARM_64"));
        Assert.Equal("/aws/service/bottlerocket/aws-k8s-1.33-nvidia-fips/x86_64/latest/image_version", ManagedNodeGroupAmiCurrent.RecommendedReleaseParameter("1.33", "BOTTLEROCKET_x86_64_NVIDIA_FIPS"));
        Assert.Null(ManagedNodeGroupAmiCurrent.RecommendedReleaseParameter("1.33", "CUSTOM"));
    }

    [Fact]
    public void Amazon_linux_release_far_behind_fails()
    {
        var snapshot = With([Group("general", "AL2023_x86_64_STANDARD", "1.33.0-20250601")], Parameter(Al2023, "1.33.5-20251015"));
        var finding = Assert.Single(TestSnapshots.Run<ManagedNodeGroupAmiCurrent>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("NodeGroup", finding.ResourceType);
        Assert.Equal("general", finding.ResourceName);
        Assert.Contains("136 days older", finding.Message);
        Assert.Contains(finding.Evidence, e => e == $"{Al2023} = 1.33.5-20251015");
    }

    [Theory]
    [InlineData("1.33.4-20250915", FindingStatus.Pass)]  // exactly 30 days behind
    [InlineData("1.33.4-20250914", FindingStatus.Fail)]  // 31 days
    [InlineData("1.33.5-20251015", FindingStatus.Pass)]  // the recommended release
    [InlineData("1.33.6-20251101", FindingStatus.Pass)]  // newer than the parameter
    public void Days_behind_boundary(string release, FindingStatus expected)
    {
        var snapshot = With([Group("general", "AL2023_x86_64_STANDARD", release)], Parameter(Al2023, "1.33.5-20251015"));
        Assert.Equal(expected, Assert.Single(TestSnapshots.Run<ManagedNodeGroupAmiCurrent>(snapshot)).Status);
    }

    [Fact]
    public void Bottlerocket_behind_for_longer_than_allowed_fails()
    {
        var published = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);
        var stale = With([Group("br", "BOTTLEROCKET_ARM_64", "1.40.0-aabbccdd")], Parameter(Bottlerocket, "1.41.2-11223344", published));
        var finding = Assert.Single(TestSnapshots.Run<ManagedNodeGroupAmiCurrent>(stale));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("recommended for 61 days", finding.Message);
        var recent = With([Group("br", "BOTTLEROCKET_ARM_64", "1.41.1-aabbccdd")], Parameter(Bottlerocket, "1.41.2-11223344", new DateTimeOffset(2026, 10, 20, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<ManagedNodeGroupAmiCurrent>(recent)).Status);
    }

    [Fact]
    public void Health_issues_fail_even_on_a_current_release()
    {
        var issue = new EksIssue { Code = "Ec2SecurityGroupNotFound", Message = "sg-123 not found", ResourceIds = ["sg-123"] };
        var snapshot = With([Group("general", "AL2023_x86_64_STANDARD", "1.33.5-20251015", issue)], Parameter(Al2023, "1.33.5-20251015"));
        var finding = Assert.Single(TestSnapshots.Run<ManagedNodeGroupAmiCurrent>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("Ec2SecurityGroupNotFound", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("[sg-123]"));
    }

    [Fact]
    public void Custom_ami_is_not_judged_for_currency()
    {
        var finding = Assert.Single(TestSnapshots.Run<ManagedNodeGroupAmiCurrent>(With([Group("custom", "CUSTOM", "ami-0123456789abcdef0")])));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
        Assert.Contains("custom", finding.Message);
    }

    [Fact]
    public void Missing_release_parameter_is_an_error_not_a_pass()
    {
        var snapshot = With([Group("general", "AL2023_x86_64_STANDARD", "1.33.5-20251015")]);
        var finding = Assert.Single(TestSnapshots.Run<ManagedNodeGroupAmiCurrent>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains(Al2023, finding.Message);
    }

    [Fact]
    public void Release_section_not_collected_is_an_error()
    {
        var snapshot = With([Group("general", "AL2023_x86_64_STANDARD", "1.33.5-20251015")]).With(s => s.Aws.AmiReleases = Section<SsmParameter>.Denied("ssm:GetParameter"));
        var finding = Assert.Single(TestSnapshots.Run<ManagedNodeGroupAmiCurrent>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("ssm:GetParameter", finding.Message);
    }

    [Fact]
    public void Threshold_is_configurable()
    {
        var snapshot = With([Group("general", "AL2023_x86_64_STANDARD", "1.33.0-20250601")], Parameter(Al2023, "1.33.5-20251015"));
        var finding = Assert.Single(TestSnapshots.Run<ManagedNodeGroupAmiCurrent>(snapshot, new RuleSettings { AmiMaxDaysBehindRecommended = 200 }));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Denied_node_groups_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.NodeGroups = Section<EksNodegroup>.Denied("eks:DescribeNodegroup"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ManagedNodeGroupAmiCurrent>(snapshot)).Status);
    }
}
