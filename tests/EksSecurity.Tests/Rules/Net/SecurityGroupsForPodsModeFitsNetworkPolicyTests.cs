using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Net.NetworkFixtures;
using static EksSecurity.Tests.Rules.Net.SecurityGroupPolicyFixtures;

namespace EksSecurity.Tests.Rules.Net;

public class SecurityGroupsForPodsModeFitsNetworkPolicyTests
{
    private static ClusterSnapshot Cluster(string? networkPolicy, string? podEni, string? mode, bool withPolicy = true)
    {
        var snapshot = TestSnapshots.Empty()
            .Add(k => k.DaemonSets, AwsNodeWith(networkPolicy, ("ENABLE_POD_ENI", podEni), ("POD_SECURITY_GROUP_ENFORCING_MODE", mode)))
            .Add(k => k.ConfigMaps, ConfigMap("kube-system", "amazon-vpc-cni", ("enable-network-policy-controller", networkPolicy == "true" ? "true" : "false")));
        if (withPolicy) snapshot.Add(k => k.SecurityGroupPolicies, Sgp("payments", "payments-db", Labels(("app", "payments-api")), null, DbGroup));
        return snapshot;
    }

    private static EksSecurityFinding RunOne(ClusterSnapshot snapshot) => Assert.Single(TestSnapshots.Run<SecurityGroupsForPodsModeFitsNetworkPolicy>(snapshot));

    [Fact]
    public void Strict_mode_by_default_with_network_policy_enforced_warns()
    {
        var finding = RunOne(Cluster(networkPolicy: "true", podEni: "true", mode: null));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal("EKS-NET-016", finding.RuleId);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Equal("DaemonSet", finding.ResourceType);
        Assert.Equal("aws-node", finding.ResourceName);
        Assert.Contains("strict (the default)", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("POD_SECURITY_GROUP_ENFORCING_MODE: unset (defaults to strict)"));
    }

    [Fact]
    public void Explicit_strict_mode_warns_and_standard_passes()
    {
        Assert.Equal(FindingStatus.Warning, RunOne(Cluster("true", "true", "strict")).Status);
        var standard = RunOne(Cluster("true", "true", "standard"));
        Assert.Equal(FindingStatus.Pass, standard.Status);
        Assert.Contains("standard mode", standard.Message);
    }

    [Fact]
    public void Strict_mode_without_network_policy_enforcement_passes()
    {
        var finding = RunOne(Cluster(networkPolicy: "false", podEni: "true", mode: "strict"));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("nothing enforces NetworkPolicy"));
    }

    [Fact]
    public void Security_groups_for_pods_off_is_not_applicable()
    {
        var finding = RunOne(Cluster(networkPolicy: "true", podEni: "false", mode: "strict"));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
        Assert.Contains("EKS-NET-020", finding.Message);
    }

    [Fact]
    public void No_security_group_policies_is_not_applicable()
    {
        var finding = RunOne(Cluster(networkPolicy: "true", podEni: "true", mode: "strict", withPolicy: false));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
        Assert.Equal("Cluster", finding.ResourceType);
    }

    [Fact]
    public void Mode_from_a_config_map_reference_is_an_error()
    {
        var snapshot = Cluster("true", "true", null);
        snapshot.Kubernetes.DaemonSets!.Items![0].Spec.Template.Spec.Containers[0].Env.Add(new V1EnvVar
        {
            Name = "POD_SECURITY_GROUP_ENFORCING_MODE",
            ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "cni-settings", Key = "mode" } },
        });
        var finding = RunOne(snapshot);
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("from ConfigMap key cni-settings/mode", finding.Message);
    }

    [Fact]
    public void Unknown_enforcement_with_strict_mode_is_an_error()
    {
        // Without the cluster description, whether EKS Auto Mode enforces policies is unknown.
        var finding = RunOne(Cluster("false", "true", "strict").With(s => s.Aws.Cluster = ObjectSection<EksSecurity.Engine.Aws.Model.EksCluster>.Denied("eks:DescribeCluster")));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("whether anything enforces NetworkPolicy is unknown", finding.Message);
    }

    [Fact]
    public void Without_daemonsets_the_rule_errors()
    {
        var finding = RunOne(Cluster("true", "true", null).With(s => s.Kubernetes.DaemonSets = Section<V1DaemonSet>.Denied("list daemonsets.apps")));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("DaemonSets", finding.Message);
    }
}
