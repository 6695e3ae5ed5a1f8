using EksSecurity.Engine.Rules.Iam;
using k8s.Models;
using static EksSecurity.Tests.Rules.Iam.IamFixtures;
using static EksSecurity.Tests.Rules.Iam.RbacRuleFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class MinimizeCsrApprovalTests
{
    private const string Certificates = "certificates.k8s.io";

    private static readonly V1PolicyRule UpdateApproval = Rule([Certificates], ["certificatesigningrequests/approval"], "update");

    private static V1PolicyRule Approve(params string[] signers) =>
        new() { ApiGroups = [Certificates], Resources = ["signers"], Verbs = ["approve"], ResourceNames = signers.Length == 0 ? null : signers };

    private static IReadOnlyList<EksSecurityFinding> Run(params object[] objects) => TestSnapshots.Run<MinimizeCsrApproval>(Cluster(objects));

    [Fact]
    public void Both_rights_fail_and_name_the_signers()
    {
        var finding = Assert.Single(Run(
            ClusterRole("approver", UpdateApproval, Approve("kubernetes.io/kube-apiserver-client", "example.com/app")),
            Crb("approver", ClusterRoleRef("approver"), ServiceAccount("pki", "approver"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("signers it can approve for: example.com/app, kubernetes.io/kube-apiserver-client", finding.Evidence[0]);
    }

    [Fact]
    public void One_right_alone_passes()
    {
        var findings = Run(ClusterRole("half", UpdateApproval), Crb("half", ClusterRoleRef("half"), User("alice")));
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
        var alice = Assert.Single(findings, f => f.ResourceName == "alice");
        Assert.Contains("lacks approve on any signer", alice.Message);
        Assert.Single(findings, f => f.ResourceType == "Cluster");
    }

    [Fact]
    public void The_second_right_can_come_through_a_group_the_subject_is_in()
    {
        var findings = Run(
            ClusterRole("update", UpdateApproval),
            ClusterRole("approve", Approve()),
            Crb("alice-update", ClusterRoleRef("update"), User("alice")),
            Crb("everyone-approves", ClusterRoleRef("approve"), Group("system:authenticated")));
        var alice = Assert.Single(findings, f => f.ResourceName == "alice");
        Assert.Equal(FindingStatus.Fail, alice.Status);
        Assert.Contains(alice.Evidence, e => e.Contains("via Group system:authenticated"));
        Assert.Equal("signers it can approve for: every signer", alice.Evidence[0]);
        // The group alone holds only half.
        Assert.Equal(FindingStatus.Pass, Assert.Single(findings, f => f.ResourceName == "system:authenticated").Status);
    }
}
