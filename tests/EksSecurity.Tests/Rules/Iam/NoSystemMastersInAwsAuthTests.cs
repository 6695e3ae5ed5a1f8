using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Iam;

public class NoSystemMastersInAwsAuthTests
{
    private const string AdminRole = """
        - rolearn: arn:aws:iam::111122223333:role/platform-admin
          username: admin:{{SessionName}}
          groups:
            - system:masters
        """;

    private const string BreakGlass = "arn:aws:iam::111122223333:role/break-glass";

    [Fact]
    public void Mapping_to_system_masters_fails()
    {
        var snapshot = TestSnapshots.Empty().WithAwsAuth(IamFixtures.AwsAuth(IamFixtures.NodeRole + "\n" + AdminRole));
        var finding = Assert.Single(TestSnapshots.Run<NoSystemMastersInAwsAuth>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("ConfigMap", finding.ResourceType);
        Assert.Equal("kube-system", finding.Namespace);
        Assert.Equal("aws-auth", finding.ResourceName);
        Assert.Contains("role/platform-admin", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("arn:aws:iam::111122223333:role/platform-admin groups = [system:masters]"));
        Assert.DoesNotContain(finding.Evidence, e => e.Contains("eks-node-role"));
    }

    [Fact]
    public void User_mapping_to_system_masters_fails()
    {
        var snapshot = TestSnapshots.Empty().WithAwsAuth(IamFixtures.AwsAuth(mapUsers: """
            - userarn: arn:aws:iam::111122223333:user/alice
              username: alice
              groups: [system:masters]
            """));
        var finding = Assert.Single(TestSnapshots.Run<NoSystemMastersInAwsAuth>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("mapUsers (line 1) arn:aws:iam::111122223333:user/alice"));
    }

    [Fact]
    public void No_system_masters_passes()
    {
        var snapshot = TestSnapshots.Empty().WithAwsAuth(IamFixtures.AwsAuth(IamFixtures.NodeRole));
        var finding = Assert.Single(TestSnapshots.Run<NoSystemMastersInAwsAuth>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("aws-auth", finding.ResourceName);
    }

    [Fact]
    public void Missing_aws_auth_is_not_applicable()
    {
        var finding = Assert.Single(TestSnapshots.Run<NoSystemMastersInAwsAuth>(TestSnapshots.Empty()));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
    }

    [Fact]
    public void Parse_error_is_an_error_never_a_pass()
    {
        var snapshot = TestSnapshots.Empty().WithAwsAuth(IamFixtures.AwsAuth(IamFixtures.NodeRole, mapUsers: "- userarn: [unclosed\n  groups: x"));
        var finding = Assert.Single(TestSnapshots.Run<NoSystemMastersInAwsAuth>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("mapUsers line", finding.Message);
        Assert.Contains("column", finding.Message);
    }

    [Fact]
    public void Parse_error_elsewhere_does_not_hide_a_masters_mapping()
    {
        var snapshot = TestSnapshots.Empty().WithAwsAuth(IamFixtures.AwsAuth(AdminRole, mapUsers: "- userarn: [unclosed"));
        var finding = Assert.Single(TestSnapshots.Run<NoSystemMastersInAwsAuth>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("parse error: mapUsers line"));
    }

    [Fact]
    public void Allow_listed_break_glass_role_is_suppressed_not_passed()
    {
        var mapRoles = $$$"""
            - rolearn: {{{BreakGlass}}}
              username: break-glass:{{SessionName}}
              groups: [system:masters]
            """;
        var settings = new RuleSettings { BreakGlassRoleArns = new HashSet<string> { BreakGlass } };
        var snapshot = TestSnapshots.Empty().WithAwsAuth(IamFixtures.AwsAuth(mapRoles));
        var finding = Assert.Single(TestSnapshots.Run<NoSystemMastersInAwsAuth>(snapshot, settings));
        Assert.Equal(FindingStatus.Suppressed, finding.Status);
        Assert.Contains("BreakGlassRoleArns", finding.Message);
        Assert.Contains(BreakGlass, finding.Message);

        // Without the setting the same entry fails; with another masters entry next to it, it fails too.
        Assert.Equal(FindingStatus.Fail, TestSnapshots.Run<NoSystemMastersInAwsAuth>(snapshot)[0].Status);
        var mixed = TestSnapshots.Empty().WithAwsAuth(IamFixtures.AwsAuth(mapRoles + "\n" + AdminRole));
        var mixedFinding = Assert.Single(TestSnapshots.Run<NoSystemMastersInAwsAuth>(mixed, settings));
        Assert.Equal(FindingStatus.Fail, mixedFinding.Status);
        Assert.DoesNotContain(BreakGlass, mixedFinding.Message);
    }

    [Fact]
    public void Denied_config_maps_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.ConfigMaps = Section<V1ConfigMap>.Denied("list configmaps"));
        var finding = Assert.Single(TestSnapshots.Run<NoSystemMastersInAwsAuth>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("list configmaps"));
    }
}
