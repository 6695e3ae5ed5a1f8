using EksSecurity.Engine.Rules.Iam;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.RbacRuleFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class MinimizeWebhookConfigurationAccessTests
{
    private const string Admission = "admissionregistration.k8s.io";

    private static IReadOnlyList<EksSecurityFinding> Run(params object[] objects) => TestSnapshots.Run<MinimizeWebhookConfigurationAccess>(Cluster(objects));

    [Fact]
    public void Patching_mutating_webhooks_fails_high()
    {
        var finding = Assert.Single(Run(ClusterRole("hooks", Rule([Admission], ["mutatingwebhookconfigurations"], "get", "patch")), Crb("x", ClusterRoleRef("hooks"), ServiceAccount("tools", "injector"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("ServiceAccount tools/injector can patch mutatingwebhookconfigurations cluster-wide.", finding.Message);
    }

    [Fact]
    public void Reading_webhooks_or_a_wrong_group_passes()
    {
        var finding = Assert.Single(Run(
            ClusterRole("hooks", Rule([Admission], ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"], "get", "list", "watch"),
                Rule([""], ["validatingwebhookconfigurations"], "delete")),
            Crb("x", ClusterRoleRef("hooks"), User("auditor"))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void The_policy_engines_own_identity_is_still_judged_unless_listed_as_system()
    {
        var role = ClusterRole("kyverno", Rule([Admission], ["validatingwebhookconfigurations"], "create", "update", "delete"));
        var binding = Crb("kyverno", ClusterRoleRef("kyverno"), ServiceAccount("kyverno", "kyverno-admission-controller"));
        Assert.Equal(FindingStatus.Fail, Assert.Single(Run(role, binding)).Status);
        var settings = new EksSecurity.Engine.Rules.RuleSettings
        {
            SystemSubjects = [.. EksSecurity.Engine.Rules.RuleSettings.Default.SystemSubjects, "ServiceAccount:kyverno/*"],
        };
        var finding = Assert.Single(TestSnapshots.Run<MinimizeWebhookConfigurationAccess>(Cluster(role, binding), settings));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }
}
