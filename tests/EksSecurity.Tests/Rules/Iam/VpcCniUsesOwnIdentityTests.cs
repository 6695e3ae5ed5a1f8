using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Iam;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Iam.AwsIamFixtures;
using static EksSecurity.Tests.Rules.Iam.VpcCniFixtures;

namespace EksSecurity.Tests.Rules.Iam;

public class VpcCniUsesOwnIdentityTests
{
    private static EksSecurityFinding Run(ClusterSnapshot snapshot) => Assert.Single(TestSnapshots.Run<VpcCniUsesOwnIdentity>(snapshot));

    [Fact]
    public void Aws_node_without_any_identity_fails()
    {
        var finding = Run(TestSnapshots.Empty().WithAwsNode().WithAddons(VpcCniAddon()));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-IAM-029", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("DaemonSet", finding.ResourceType);
        Assert.Equal("kube-system", finding.Namespace);
        Assert.Equal("aws-node", finding.ResourceName);
        Assert.Contains("node role", finding.Message);
        Assert.Contains("DaemonSet kube-system/aws-node runs as ServiceAccount kube-system/aws-node", finding.Evidence);
        Assert.Contains($"ServiceAccount kube-system/aws-node: no {Irsa} annotation", finding.Evidence);
        Assert.Contains("no Pod Identity association for kube-system/aws-node", finding.Evidence);
        Assert.Contains("add-on vpc-cni: no serviceAccountRoleArn", finding.Evidence);
    }

    [Fact]
    public void Self_managed_cni_without_irsa_fails()
    {
        var finding = Run(TestSnapshots.Empty().WithAwsNode());
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("vpc-cni is not an EKS add-on (self-managed): no add-on role", finding.Evidence);
    }

    [Fact]
    public void Irsa_annotation_passes()
    {
        var finding = Run(TestSnapshots.Empty().WithAwsNode(CniRole));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("IRSA", finding.Message);
        Assert.Contains($"IRSA: ServiceAccount kube-system/aws-node {Irsa} = {CniRole}", finding.Evidence);
    }

    [Fact]
    public void Pod_identity_association_passes_and_names_the_target_role()
    {
        var snapshot = TestSnapshots.Empty().WithAwsNode()
            .WithAssociations(Association("kube-system", "aws-node", CniRole, "a-cni", targetRoleArn: "arn:aws:iam::444455556666:role/cni-target"));
        var finding = Run(snapshot);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("Pod Identity", finding.Message);
        Assert.Contains(finding.Evidence, e => e.StartsWith("Pod Identity: association a-cni") && e.Contains(CniRole) && e.Contains("target role arn:aws:iam::444455556666:role/cni-target"));
    }

    [Fact]
    public void Add_on_role_passes_even_when_the_service_account_was_not_collected()
    {
        var snapshot = TestSnapshots.Empty().WithAwsNode().WithAddons(VpcCniAddon(CniRole))
            .With(s => s.Kubernetes.ServiceAccounts = Section<k8s.Models.V1ServiceAccount>.Denied("list serviceaccounts"));
        var finding = Run(snapshot);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains($"add-on vpc-cni: serviceAccountRoleArn = {CniRole}", finding.Evidence);
    }

    [Fact]
    public void Add_on_pod_identity_association_counts_when_associations_were_not_collected()
    {
        var arn = $"arn:aws:eks:eu-west-1:{Account}:podidentityassociation/test-cluster/a-addon";
        var snapshot = TestSnapshots.Empty().WithAwsNode().WithAddons(VpcCniAddon(null, arn))
            .With(s => s.Aws.PodIdentityAssociations = Section<EksPodIdentityAssociation>.Denied("eks:ListPodIdentityAssociations"));
        var finding = Run(snapshot);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains($"add-on vpc-cni: podIdentityAssociations includes {arn}", finding.Evidence);
    }

    [Fact]
    public void Associations_and_annotations_of_other_accounts_do_not_count()
    {
        var snapshot = TestSnapshots.Empty().WithAwsNode()
            .WithAccounts(Sa("default", "aws-node", CniRole))
            .WithAssociations(Association("default", "aws-node", CniRole), Association("kube-system", "coredns", CniRole));
        Assert.Equal(FindingStatus.Fail, Run(snapshot).Status);
    }

    [Fact]
    public void The_service_account_of_the_pod_template_is_the_one_judged()
    {
        var snapshot = TestSnapshots.Empty().With(s =>
        {
            s.Kubernetes.DaemonSets!.Items!.Add(AwsNode("cni"));
            s.Kubernetes.ServiceAccounts!.Items!.Add(Sa("kube-system", "aws-node", CniRole));
            s.Kubernetes.ServiceAccounts!.Items!.Add(Sa("kube-system", "cni"));
        });
        var finding = Run(snapshot);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("DaemonSet kube-system/aws-node runs as ServiceAccount kube-system/cni", finding.Evidence);

        Assert.Equal(FindingStatus.Pass, Run(snapshot.WithAssociations(Association("kube-system", "cni", CniRole))).Status);
    }

    [Fact]
    public void An_annotation_that_is_no_role_arn_does_not_count()
    {
        var finding = Run(TestSnapshots.Empty().WithAwsNode($"arn:aws:iam::{Account}:user/cni"));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("is not an IAM role ARN"));
    }

    [Fact]
    public void A_missing_service_account_is_reported_and_fails_when_nothing_else_gives_a_role()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.DaemonSets!.Items!.Add(AwsNode()));
        var finding = Run(snapshot);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("is not in the snapshot"));
    }

    [Fact]
    public void No_aws_node_is_not_applicable_with_the_reason()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Cluster().ComputeConfig = new EksComputeConfig { Enabled = true, NodeRoleArn = RoleArn("auto-node") });
        var finding = Run(snapshot);
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
        Assert.Contains("Auto Mode", finding.Message);
        Assert.Contains(finding.Evidence, e => e.StartsWith("computeConfig.enabled = true"));
    }

    [Fact]
    public void Unknown_sources_are_an_error_not_a_fail()
    {
        var snapshot = TestSnapshots.Empty().WithAwsNode()
            .With(s => s.Aws.PodIdentityAssociations = Section<EksPodIdentityAssociation>.Denied("eks:ListPodIdentityAssociations"));
        var finding = Run(snapshot);
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("PodIdentityAssociations", finding.Message);
    }

    [Fact]
    public void Denied_daemon_sets_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().WithAwsNode(CniRole).With(s => s.Kubernetes.DaemonSets = Section<k8s.Models.V1DaemonSet>.Denied("list daemonsets"));
        var finding = Run(snapshot);
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("list daemonsets", finding.Message);
    }

    [Fact]
    public void Judges_the_cluster_so_does_not_run_on_manifests()
    {
        Assert.False(new VpcCniUsesOwnIdentity().Metadata.AppliesToManifests);
    }
}
