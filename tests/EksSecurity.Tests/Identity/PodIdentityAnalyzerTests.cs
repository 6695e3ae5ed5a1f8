using EksSecurity.Engine.Identity;
using static EksSecurity.Tests.Identity.IdentityFixtures;

namespace EksSecurity.Tests.Identity;

public class PodIdentityAnalyzerTests
{
    [Fact]
    public void A_sound_association_passes()
    {
        var result = Assert.Single(TestPodIdentity(PodIdentity()));
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(WorkloadIdentityKind.PodIdentity, result.Kind);
        Assert.Equal("a-abcdefghijklmnop1", result.AssociationId);
        Assert.All(result.Checks, c => Assert.Equal(FindingStatus.Pass, c.Status));
    }

    [Fact]
    public void A_trust_without_tag_session_fails()
    {
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}""";
        var check = Assert.Single(TestPodIdentity(PodIdentity(trust))).Check(PodIdentityAnalyzer.Trust);
        Assert.Equal(FindingStatus.Fail, check.Status);
        Assert.Contains("sts:TagSession", check.Message);
        // With session tags disabled, sts:AssumeRole is enough.
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestPodIdentity(PodIdentity(trust, disableSessionTags: true))).Check(PodIdentityAnalyzer.Trust).Status);
    }

    [Fact]
    public void A_trust_in_another_service_fails()
    {
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}""";
        var result = Assert.Single(TestPodIdentity(PodIdentity(trust)));
        Assert.Equal(FindingStatus.Fail, result.Check(PodIdentityAnalyzer.Trust).Status);
        Assert.Equal(FindingStatus.NotApplicable, result.Check(PodIdentityAnalyzer.TrustScoped).Status);
    }

    [Fact]
    public void A_trust_without_source_conditions_warns()
    {
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}""";
        var result = Assert.Single(TestPodIdentity(PodIdentity(trust)));
        Assert.Equal(FindingStatus.Warning, result.Check(PodIdentityAnalyzer.TrustScoped).Status);
        Assert.True(result.Passed);
    }

    [Fact]
    public void A_missing_service_account_or_namespace_fails()
    {
        var noSa = PodIdentity().With(s => s.Kubernetes.ServiceAccounts!.Items!.Clear());
        Assert.Contains("does not exist", Assert.Single(TestPodIdentity(noSa)).Check(PodIdentityAnalyzer.ServiceAccountExists).Message);
        var noNs = PodIdentity().With(s => s.Kubernetes.Namespaces!.Items!.Clear());
        Assert.Contains("namespace payments", Assert.Single(TestPodIdentity(noNs)).Check(PodIdentityAnalyzer.ServiceAccountExists).Message);
    }

    [Fact]
    public void Without_the_agent_the_association_gives_nothing()
    {
        var result = Assert.Single(TestPodIdentity(PodIdentity(agent: false)));
        Assert.Equal(FindingStatus.Fail, result.Check(PodIdentityAnalyzer.Agent).Status);
        var degraded = PodIdentity().With(s => s.Aws.Addons!.Items![0].Status = "DEGRADED");
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestPodIdentity(degraded)).Check(PodIdentityAnalyzer.Agent).Status);
    }

    [Fact]
    public void A_competing_irsa_annotation_fails()
    {
        var snapshot = PodIdentity().With(s => s.Kubernetes.ServiceAccounts!.Items![0].Metadata.Annotations = new Dictionary<string, string> { ["eks.amazonaws.com/role-arn"] = "arn:aws:iam::111122223333:role/other" });
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestPodIdentity(snapshot)).Check(PodIdentityAnalyzer.NoIrsaConflict).Status);
    }

    [Fact]
    public void Disabled_session_tags_warn_when_the_role_reads_them()
    {
        var role = Role(PodIdentityTrust, policy: """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${aws:PrincipalTag/kubernetes-namespace}/*"}]}""");
        var snapshot = PodIdentity(disableSessionTags: true).With(s => s.Aws.IamRoles!.Items![0] = role);
        Assert.Equal(FindingStatus.Warning, Assert.Single(TestPodIdentity(snapshot)).Check(PodIdentityAnalyzer.SessionTags).Status);
    }

    [Fact]
    public void A_service_account_named_without_association_fails()
    {
        var result = Assert.Single(TestPodIdentity(PodIdentity(), new WorkloadIdentityQuery { Namespaces = ["payments"], ServiceAccounts = ["billing"] }));
        Assert.False(result.Passed);
        Assert.Equal(PodIdentityAnalyzer.Association, Assert.Single(result.Checks).Id);
    }
}
