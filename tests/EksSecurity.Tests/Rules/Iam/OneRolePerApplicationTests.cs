using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Iam.AwsIamFixtures;
using static EksSecurity.Tests.Rules.Iam.VpcCniFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class OneRolePerApplicationTests
{
    private const string AbacPolicy = """
        {"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/${aws:PrincipalTag/kubernetes-namespace}/*"}]}
        """;

    private static IamRole RoleWith(string name, string? inlineDocument) => new()
    {
        RoleName = name,
        Arn = RoleArn(name),
        AttachedPolicies = [],
        InlinePolicies = inlineDocument is null ? [] : [new IamInlinePolicy { PolicyName = "access", PolicyDocument = inlineDocument }],
    };

    [Fact]
    public void Role_used_in_two_namespaces_warns_and_lists_every_use()
    {
        var snapshot = TestSnapshots.Empty().WithAccounts(
            Sa("payments", "api", RoleArn("payments")),
            Sa("batch", "runner", RoleArn("payments")),
            Sa("web", "frontend", RoleArn("web")));
        var findings = TestSnapshots.Run<OneRolePerApplication>(snapshot);
        Assert.Equal(2, findings.Count);
        var shared = Assert.Single(findings, f => f.Status == FindingStatus.Warning);
        Assert.Equal("EKS-IAM-037", shared.RuleId);
        Assert.Equal(Severity.Low, shared.Severity);
        Assert.Equal("IamRole", shared.ResourceType);
        Assert.Equal(RoleArn("payments"), shared.ResourceName);
        Assert.Contains("2 namespaces (batch, payments)", shared.Message);
        Assert.Contains($"used by IRSA: ServiceAccount batch/runner ({Irsa})", shared.Evidence);
        Assert.Contains($"used by IRSA: ServiceAccount payments/api ({Irsa})", shared.Evidence);
        Assert.Contains(shared.Evidence, e => e.Contains("IRSA sessions carry no namespace"));
        Assert.Equal(FindingStatus.Pass, findings.Single(f => f.ResourceName == RoleArn("web")).Status);
    }

    [Fact]
    public void Several_accounts_of_one_namespace_may_share_a_role()
    {
        var snapshot = TestSnapshots.Empty().WithAccounts(Sa("shop", "api", RoleArn("shop")))
            .WithAssociations(Association("shop", "worker", RoleArn("shop")));
        var finding = Assert.Single(TestSnapshots.Run<OneRolePerApplication>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("2 ServiceAccounts in namespace shop only", finding.Message);
    }

    [Fact]
    public void Irsa_and_pod_identity_uses_of_one_role_are_counted_together_whatever_the_path_and_case()
    {
        var snapshot = TestSnapshots.Empty()
            .WithAccounts(Sa("a", "app", $"arn:aws:iam::{Account}:role/workloads/Shared"))
            .WithAssociations(Association("b", "app", RoleArn("shared")));
        var finding = Assert.Single(TestSnapshots.Run<OneRolePerApplication>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("used by Pod Identity: ServiceAccount b/app (association a-1)"));
    }

    [Fact]
    public void Pod_identity_target_role_is_the_role_the_pods_use()
    {
        var snapshot = TestSnapshots.Empty().WithAssociations(
            Association("a", "app", RoleArn("source"), "a-1", targetRoleArn: "arn:aws:iam::444455556666:role/app-a"),
            Association("b", "app", RoleArn("source"), "a-2", targetRoleArn: "arn:aws:iam::444455556666:role/app-b"));
        var findings = TestSnapshots.Run<OneRolePerApplication>(snapshot);
        Assert.Equal(["arn:aws:iam::444455556666:role/app-a", "arn:aws:iam::444455556666:role/app-b"], findings.Select(f => f.ResourceName));
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
        Assert.Contains(findings[0].Evidence, e => e.Contains($"target role of {RoleArn("source")}"));
    }

    [Fact]
    public void Pod_identity_with_session_tags_and_abac_policies_passes()
    {
        var snapshot = TestSnapshots.Empty()
            .WithAssociations(Association("team-a", "app", RoleArn("abac"), "a-1"), Association("team-b", "app", RoleArn("abac"), "a-2"))
            .WithRoles(RoleWith("abac", AbacPolicy));
        var finding = Assert.Single(TestSnapshots.Run<OneRolePerApplication>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("attribute-based", finding.Message);
        Assert.Contains(finding.Evidence, e => e.StartsWith("inline policy access refers to aws:PrincipalTag/kubernetes-"));
    }

    [Fact]
    public void Abac_needs_session_tags_policies_that_use_them_and_no_irsa_use()
    {
        var tagsOff = TestSnapshots.Empty()
            .WithAssociations(Association("team-a", "app", RoleArn("abac"), "a-1"), Association("team-b", "app", RoleArn("abac"), "a-2", disableSessionTags: true))
            .WithRoles(RoleWith("abac", AbacPolicy));
        var finding = Assert.Single(TestSnapshots.Run<OneRolePerApplication>(tagsOff));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("session tags disabled"));

        var noAbac = TestSnapshots.Empty()
            .WithAssociations(Association("team-a", "app", RoleArn("abac"), "a-1"), Association("team-b", "app", RoleArn("abac"), "a-2"))
            .WithRoles(RoleWith("abac", """{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"""));
        finding = Assert.Single(TestSnapshots.Run<OneRolePerApplication>(noAbac));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("no policy of the role refers to"));

        var withIrsa = TestSnapshots.Empty()
            .WithAssociations(Association("team-a", "app", RoleArn("abac"), "a-1"))
            .WithAccounts(Sa("team-b", "app", RoleArn("abac")))
            .WithRoles(RoleWith("abac", AbacPolicy));
        Assert.Equal(FindingStatus.Warning, Assert.Single(TestSnapshots.Run<OneRolePerApplication>(withIrsa)).Status);
    }

    [Fact]
    public void Abac_that_cannot_be_verified_still_warns_and_says_why()
    {
        var snapshot = TestSnapshots.Empty()
            .WithAssociations(Association("team-a", "app", RoleArn("abac"), "a-1"), Association("team-b", "app", RoleArn("abac"), "a-2"))
            .With(s => s.Aws.IamRoles = Section<IamRole>.Denied("iam:GetRole"));
        var finding = Assert.Single(TestSnapshots.Run<OneRolePerApplication>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("IamRoles not collected"));
    }

    [Fact]
    public void Allow_listed_shared_roles_are_suppressed()
    {
        var snapshot = TestSnapshots.Empty().WithAccounts(Sa("a", "agent", RoleArn("fleet-agent")), Sa("b", "agent", RoleArn("fleet-agent")));
        var settings = new RuleSettings { SharedWorkloadRoleArns = [$"arn:aws:iam::{Account}:role/FLEET-*"] };
        var finding = Assert.Single(TestSnapshots.Run<OneRolePerApplication>(snapshot, settings));
        Assert.Equal(FindingStatus.Suppressed, finding.Status);
        Assert.Contains($"allowed by SharedWorkloadRoleArns pattern 'arn:aws:iam::{Account}:role/FLEET-*'", finding.Evidence);
    }

    [Fact]
    public void No_workload_roles_is_not_applicable()
    {
        var snapshot = TestSnapshots.Empty().WithAccounts(Sa("a", "app"));
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<OneRolePerApplication>(snapshot)).Status);
    }

    [Fact]
    public void Denied_pod_identity_associations_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().WithAccounts(Sa("a", "app", RoleArn("app")))
            .With(s => s.Aws.PodIdentityAssociations = Section<EksPodIdentityAssociation>.Denied("eks:ListPodIdentityAssociations"));
        var finding = Assert.Single(TestSnapshots.Run<OneRolePerApplication>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("eks:ListPodIdentityAssociations", finding.Message);
    }
}
