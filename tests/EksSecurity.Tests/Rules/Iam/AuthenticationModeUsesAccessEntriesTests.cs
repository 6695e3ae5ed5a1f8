using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Iam;

public class AuthenticationModeUsesAccessEntriesTests
{
    private static ClusterSnapshot Mode(string? mode) =>
        TestSnapshots.Empty().With(s => s.Cluster().AccessConfig = mode is null ? null : new EksAccessConfig { AuthenticationMode = mode });

    [Fact]
    public void Config_map_mode_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<AuthenticationModeUsesAccessEntries>(Mode("CONFIG_MAP")));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-IAM-001", finding.RuleId);
        Assert.Equal("Cluster", finding.ResourceType);
        Assert.Equal("test-cluster", finding.ResourceName);
        Assert.Contains("accessConfig.authenticationMode = CONFIG_MAP", finding.Evidence);
    }

    [Fact]
    public void Api_mode_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<AuthenticationModeUsesAccessEntries>(Mode("API")));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("accessConfig.authenticationMode = API", finding.Evidence);
    }

    [Fact]
    public void Both_modes_with_remaining_aws_auth_mappings_warns()
    {
        var snapshot = Mode("API_AND_CONFIG_MAP").WithAwsAuth(IamFixtures.AwsAuth(IamFixtures.NodeRole));
        var finding = Assert.Single(TestSnapshots.Run<AuthenticationModeUsesAccessEntries>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("unfinished", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("mapRoles 1 entries"));
    }

    [Fact]
    public void Both_modes_without_aws_auth_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<AuthenticationModeUsesAccessEntries>(Mode("API_AND_CONFIG_MAP")));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("aws-auth: absent"));
    }

    [Fact]
    public void Both_modes_with_empty_aws_auth_passes()
    {
        var snapshot = Mode("API_AND_CONFIG_MAP").WithAwsAuth(IamFixtures.AwsAuth(mapRoles: "[]"));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<AuthenticationModeUsesAccessEntries>(snapshot)).Status);
    }

    [Fact]
    public void Both_modes_with_unparseable_aws_auth_warns()
    {
        var snapshot = Mode("API_AND_CONFIG_MAP").WithAwsAuth(IamFixtures.AwsAuth(mapRoles: "- rolearn: [unclosed"));
        var finding = Assert.Single(TestSnapshots.Run<AuthenticationModeUsesAccessEntries>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("aws-auth parse error: mapRoles line"));
    }

    [Fact]
    public void Denied_config_maps_are_optional_and_give_a_warning_in_migration_mode()
    {
        var snapshot = Mode("API_AND_CONFIG_MAP").With(s => s.Kubernetes.ConfigMaps = Section<V1ConfigMap>.Denied("list configmaps"));
        var finding = Assert.Single(TestSnapshots.Run<AuthenticationModeUsesAccessEntries>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("needs list configmaps"));

        var configMapMode = Mode("CONFIG_MAP").With(s => s.Kubernetes.ConfigMaps = Section<V1ConfigMap>.Denied("list configmaps"));
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<AuthenticationModeUsesAccessEntries>(configMapMode)).Status);
    }

    [Fact]
    public void Missing_access_config_warns_rather_than_passing()
    {
        var finding = Assert.Single(TestSnapshots.Run<AuthenticationModeUsesAccessEntries>(Mode(null)));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("accessConfig.authenticationMode = (not reported)", finding.Evidence);
    }

    [Fact]
    public void Denied_cluster_description_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.Cluster = ObjectSection<EksCluster>.Denied("eks:DescribeCluster"));
        var finding = Assert.Single(TestSnapshots.Run<AuthenticationModeUsesAccessEntries>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("eks:DescribeCluster", finding.Message);
    }
}
