using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Kubernetes;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Net.NetworkFixtures;
using static EksSecurity.Tests.Rules.Net.SecurityGroupPolicyFixtures;

namespace EksSecurity.Tests.Rules.Net;

public class SecurityGroupPoliciesValidAndTightTests
{
    /// <summary>ENABLE_POD_ENI on, the group exists and is closed, one payments-api pod in payments.</summary>
    private static ClusterSnapshot Cluster(string? podEni = "true", params SecurityGroupPolicy[] policies) => TestSnapshots.Empty()
        .Add(k => k.DaemonSets, AwsNodeWith(null, ("ENABLE_POD_ENI", podEni)))
        .Add(k => k.SecurityGroupPolicies, policies.Length == 0 ? [Sgp("payments", "payments-db", Labels(("app", "payments-api")), null, DbGroup)] : policies)
        .Add(k => k.Pods, SgpPod("payments", "payments-api-5c9b7d8f4c-b2xnp", "payments-api", ("app", "payments-api")))
        .WithSecurityGroups(Group(DbGroup, "10.0.0.0/16"));

    private static EksSecurityFinding RunOne(ClusterSnapshot snapshot) => Assert.Single(TestSnapshots.Run<SecurityGroupPoliciesValidAndTight>(snapshot));

    [Fact]
    public void Valid_policy_selecting_a_pod_passes()
    {
        var finding = RunOne(Cluster());
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("EKS-NET-020", finding.RuleId);
        Assert.Equal("SecurityGroupPolicy", finding.ResourceType);
        Assert.Equal("payments", finding.Namespace);
        Assert.Equal("payments-db", finding.ResourceName);
        Assert.Contains(finding.Evidence, e => e.Contains("selects 1 running pod(s): payments-api-5c9b7d8f4c-b2xnp"));
    }

    [Fact]
    public void Policy_without_pod_eni_does_nothing_and_fails()
    {
        var unset = RunOne(Cluster(podEni: null));
        Assert.Equal(FindingStatus.Fail, unset.Status);
        Assert.Equal(Severity.Medium, unset.Severity);
        Assert.Contains("ENABLE_POD_ENI is unset, false by default", unset.Message);
        Assert.Contains("does nothing", unset.Message);
        Assert.Equal(FindingStatus.Fail, RunOne(Cluster(podEni: "false")).Status);
    }

    [Fact]
    public void Missing_security_group_fails()
    {
        var policy = Sgp("payments", "payments-db", Labels(("app", "payments-api")), null, DbGroup, "sg-0deadbeef0000000a");
        var finding = RunOne(Cluster("true", policy));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("security group sg-0deadbeef0000000a does not exist", finding.Message);
    }

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    public void Group_open_to_the_internet_fails(string cidr)
    {
        var snapshot = Cluster().With(s => s.Aws.SecurityGroups!.Items![0] = Group(DbGroup, "10.0.0.0/16", cidr));
        var finding = RunOne(snapshot);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains($"allows ingress from the internet (tcp/5432 from {cidr})", finding.Message);
    }

    [Fact]
    public void Policy_selecting_no_pod_warns()
    {
        var finding = RunOne(Cluster("true", Sgp("payments", "old-db", Labels(("app", "payments-api-v1")), null, DbGroup)));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("selects no running pod", finding.Message);
    }

    [Fact]
    public void Service_account_selector_matches_the_labels_of_the_pods_service_account()
    {
        var byAccount = Sgp("payments", "by-account", null, Labels(("role", "db-client")), DbGroup);
        var account = new V1ServiceAccount { Metadata = TestSnapshots.Meta("payments-api", "payments", labels: new Dictionary<string, string> { ["role"] = "db-client" }) };
        Assert.Equal(FindingStatus.Pass, RunOne(Cluster("true", byAccount).Add(k => k.ServiceAccounts, account)).Status);
        // Without the label on the ServiceAccount the policy selects nothing.
        Assert.Equal(FindingStatus.Warning, RunOne(Cluster("true", byAccount)).Status);
        // Both selectors: a pod must match both.
        var both = Sgp("payments", "both", Labels(("app", "other")), Labels(("role", "db-client")), DbGroup);
        Assert.Equal(FindingStatus.Warning, RunOne(Cluster("true", both).Add(k => k.ServiceAccounts, account)).Status);
    }

    [Fact]
    public void Empty_pod_selector_selects_every_pod_and_no_selector_is_invalid()
    {
        Assert.Equal(FindingStatus.Pass, RunOne(Cluster("true", Sgp("payments", "all", new V1LabelSelector(), null, DbGroup))).Status);
        var none = RunOne(Cluster("true", Sgp("payments", "none", null, null, DbGroup)));
        Assert.Equal(FindingStatus.Fail, none.Status);
        Assert.Contains("neither a podSelector nor a serviceAccountSelector", none.Message);
        var noGroups = RunOne(Cluster("true", Sgp("payments", "no-groups", new V1LabelSelector(), null)));
        Assert.Equal(FindingStatus.Fail, noGroups.Status);
        Assert.Contains("lists no security group", noGroups.Message);
    }

    [Fact]
    public void Missing_security_groups_section_is_an_error()
    {
        var finding = RunOne(Cluster().With(s => s.Aws.SecurityGroups = Section<Ec2SecurityGroup>.Denied("ec2:DescribeSecurityGroups")));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("security groups were not collected", finding.Message);
    }

    [Fact]
    public void Auto_mode_applies_policies_from_kubernetes_1_36()
    {
        ClusterSnapshot Auto(string version) => Cluster().With(s =>
        {
            s.Kubernetes.DaemonSets!.Items!.Clear();
            s.Cluster().ComputeConfig = new EksComputeConfig { Enabled = true };
            s.Cluster().Version = version;
        });
        Assert.Equal(FindingStatus.Pass, RunOne(Auto("1.36")).Status);
        var old = RunOne(Auto("1.33"));
        Assert.Equal(FindingStatus.Fail, old.Status);
        Assert.Contains("from Kubernetes 1.36 on", old.Message);
    }

    [Fact]
    public void Without_aws_node_and_auto_mode_nothing_applies_the_policy()
    {
        var finding = RunOne(Cluster().With(s => s.Kubernetes.DaemonSets!.Items!.Clear()));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("nothing applies the policy", finding.Message);
    }

    [Fact]
    public void No_policies_is_not_applicable()
    {
        var snapshot = Cluster().With(s => s.Kubernetes.SecurityGroupPolicies!.Items!.Clear());
        Assert.Equal(FindingStatus.NotApplicable, RunOne(snapshot).Status);
    }
}
