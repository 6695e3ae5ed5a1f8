using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using EksSecurity.Tests.Identity;
using static EksSecurity.Tests.Identity.IdentityFixtures;

namespace EksSecurity.Tests.Rules.Iam;

/// <summary>EKS-IAM-034, 036, 038 and 031: the rules over the workload identity analyzers and the policy engine.</summary>
public class WorkloadIdentityRulesTests
{
    private static IamAttachedPolicy Managed(string name, string? document = null) =>
        new() { PolicyName = name, PolicyArn = $"arn:aws:iam::aws:policy/{name}", Document = document };

    [Fact]
    public void Iam034_passes_a_scoped_trust_and_fails_a_wildcard_subject()
    {
        var pass = Assert.Single(TestSnapshots.Run<IrsaTrustScoped>(Irsa()));
        Assert.Equal(FindingStatus.Pass, pass.Status);
        Assert.Equal(("ServiceAccount", "payments", "payments-api"), (pass.ResourceType, pass.Namespace, pass.ResourceName));

        var wildcard = IrsaTrust(""" "StringLike": { "%ISSUER%:sub": "system:serviceaccount:*:payments-api", "%ISSUER%:aud": "sts.amazonaws.com" } """);
        var fail = Assert.Single(TestSnapshots.Run<IrsaTrustScoped>(Irsa(wildcard)));
        Assert.Equal(FindingStatus.Fail, fail.Status);
        Assert.Contains("system:serviceaccount:*:payments-api", fail.Message);
    }

    [Fact]
    public void Iam034_fails_a_role_that_does_not_trust_this_clusters_issuer()
    {
        const string other = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0THER";
        var trust = IrsaTrust(""" "StringEquals": { "oidc.eks.eu-west-1.amazonaws.com/id/0THER:sub": "system:serviceaccount:payments:payments-api" } """, other);
        var finding = Assert.Single(TestSnapshots.Run<IrsaTrustScoped>(Irsa(trust)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains(IrsaAnalyzerIds.TrustOtherIssuers));
    }

    [Fact]
    public void Iam034_ignores_service_accounts_without_irsa_and_errs_when_the_role_was_not_looked_up()
    {
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<IrsaTrustScoped>(Irsa(saRoleArn: null))).Status);
        var unknown = Irsa().With(s => s.Aws.IamRoles!.Items!.Clear());
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<IrsaTrustScoped>(unknown)).Status);
    }

    [Fact]
    public void Iam036_passes_a_sound_association_and_fails_one_for_a_missing_service_account()
    {
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<PodIdentityAssociationsSound>(PodIdentity())).Status);
        var missing = PodIdentity().With(s => s.Kubernetes.ServiceAccounts!.Items!.Clear());
        var fail = Assert.Single(TestSnapshots.Run<PodIdentityAssociationsSound>(missing));
        Assert.Equal(FindingStatus.Fail, fail.Status);
        Assert.Contains("does not exist", fail.Message);
    }

    [Fact]
    public void Iam036_warns_on_an_unscoped_trust_and_fails_without_the_agent()
    {
        var unscoped = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}""";
        Assert.Equal(FindingStatus.Warning, Assert.Single(TestSnapshots.Run<PodIdentityAssociationsSound>(PodIdentity(unscoped))).Status);
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<PodIdentityAssociationsSound>(PodIdentity(agent: false))).Status);
    }

    [Fact]
    public void Iam038_fails_admin_and_passrole_grants_warns_without_boundary()
    {
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<WorkloadRolesLeastPrivilege>(Irsa())).Status);

        var admin = Role(IrsaTrust());
        admin.AttachedPolicies = [Managed("AdministratorAccess")];
        var fail = Assert.Single(TestSnapshots.Run<WorkloadRolesLeastPrivilege>(Irsa(role: admin)));
        Assert.Equal(FindingStatus.Fail, fail.Status);
        Assert.Contains("AdministratorAccess is attached", fail.Message);
        Assert.Contains(fail.Evidence, e => e == "used by IRSA payments/payments-api");

        var s3Star = Role(IrsaTrust(), policy: """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""");
        Assert.Contains("s3:*", Assert.Single(TestSnapshots.Run<WorkloadRolesLeastPrivilege>(Irsa(role: s3Star))).Message);

        // Scoped to one bucket's objects: not admin-like.
        var scoped = Role(IrsaTrust(), policy: """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::payments/*"}]}""");
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<WorkloadRolesLeastPrivilege>(Irsa(role: scoped))).Status);

        var unbounded = Role(IrsaTrust(), boundary: null);
        Assert.Equal(FindingStatus.Warning, Assert.Single(TestSnapshots.Run<WorkloadRolesLeastPrivilege>(Irsa(role: unbounded))).Status);
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<WorkloadRolesLeastPrivilege>(Irsa(role: unbounded),
            new EksSecurity.Engine.Rules.RuleSettings { RequireWorkloadRoleBoundary = false })).Status);
    }

    [Fact]
    public void Iam038_judges_a_customer_policy_that_borrows_an_aws_admin_name_by_its_statements()
    {
        var borrowed = Role(IrsaTrust());
        borrowed.AttachedPolicies = [new IamAttachedPolicy { PolicyName = "AdministratorAccess", PolicyArn = "arn:aws:iam::111122223333:policy/team/AdministratorAccess",
            Document = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""" }];
        var finding = Assert.Single(TestSnapshots.Run<WorkloadRolesLeastPrivilege>(Irsa(role: borrowed)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("allows every action on every resource", finding.Message);
    }

    [Fact]
    public void Iam038_says_which_roles_it_could_not_look_for()
    {
        var snapshot = Irsa().With(s => s.Aws.PodIdentityAssociations = Section<EksPodIdentityAssociation>.Denied("eks:ListPodIdentityAssociations"));
        var findings = TestSnapshots.Run<WorkloadRolesLeastPrivilege>(snapshot);
        Assert.Contains(findings, f => f.Status == FindingStatus.Pass && f.ResourceName == AppRole);
        Assert.Contains(findings, f => f.Status == FindingStatus.Error && f.Message.Contains("Pod Identity associations", StringComparison.Ordinal));
    }

    [Fact]
    public void Iam038_errs_when_a_policy_document_is_missing_and_judges_pod_identity_roles_too()
    {
        var unread = Role(IrsaTrust());
        unread.AttachedPolicies = [new IamAttachedPolicy { PolicyName = "custom", PolicyArn = "arn:aws:iam::111122223333:policy/custom" }];
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<WorkloadRolesLeastPrivilege>(Irsa(role: unread))).Status);
        var finding = Assert.Single(TestSnapshots.Run<WorkloadRolesLeastPrivilege>(PodIdentity()));
        Assert.Contains(finding.Evidence, e => e == "used by Pod Identity payments/payments-api");
    }

    private static ClusterSnapshot WithNodeRole(IamRole role) => TestSnapshots.Empty().With(s =>
    {
        s.Aws.NodeGroups!.Items!.Add(new EksNodegroup { NodegroupName = "ng-1", NodeRole = role.Arn });
        s.Aws.IamRoles!.Items!.Add(role);
    });

    private static IamRole NodeRole(params IamAttachedPolicy[] attached) => new()
    {
        RoleName = "node", Arn = "arn:aws:iam::111122223333:role/node", AttachedPolicies = [.. attached], InlinePolicies = [],
        AssumeRolePolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""",
    };

    [Fact]
    public void Iam031_passes_the_node_policies_without_their_documents()
    {
        var role = NodeRole(Managed("AmazonEKSWorkerNodePolicy"), Managed("AmazonEC2ContainerRegistryPullOnly"), Managed("AmazonSSMManagedInstanceCore"));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<NodeRoleLeastPrivilege>(WithNodeRole(role))).Status);
    }

    [Fact]
    public void Iam031_fails_extra_policies_and_ecr_write()
    {
        var role = NodeRole(Managed("AmazonEKSWorkerNodePolicy"), Managed("AmazonEC2ContainerRegistryPowerUser"));
        var finding = Assert.Single(TestSnapshots.Run<NodeRoleLeastPrivilege>(WithNodeRole(role)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("AmazonEC2ContainerRegistryPowerUser", finding.Message);

        var inline = NodeRole(Managed("AmazonEKSWorkerNodePolicy"));
        inline.InlinePolicies = [new IamInlinePolicy { PolicyName = "push", PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"arn:aws:ecr:eu-west-1:111122223333:repository/app"}]}""" }];
        var ecr = Assert.Single(TestSnapshots.Run<NodeRoleLeastPrivilege>(WithNodeRole(inline)));
        Assert.Equal(FindingStatus.Fail, ecr.Status);
        Assert.Contains("allows ECR writes", ecr.Message);
        Assert.Contains("ecr:PutImage", ecr.Message);
    }

    [Fact]
    public void Iam031_errs_on_an_unread_customer_policy_and_when_nothing_names_node_roles()
    {
        var role = NodeRole(Managed("AmazonEKSWorkerNodePolicy"));
        role.InlinePolicies = null;
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NodeRoleLeastPrivilege>(WithNodeRole(role))).Status);
        var none = TestSnapshots.Empty().With(s => { s.Aws.NodeGroups = new Section<EksNodegroup>(); s.Aws.AccessEntries = new Section<EksAccessEntry>(); });
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NodeRoleLeastPrivilege>(none)).Status);
    }

}

internal static class IrsaAnalyzerIds
{
    public const string TrustOtherIssuers = EksSecurity.Engine.Identity.IrsaAnalyzer.TrustOtherIssuers;
}
