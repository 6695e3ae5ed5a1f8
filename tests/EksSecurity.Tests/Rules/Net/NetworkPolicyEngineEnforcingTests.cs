using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Net.NetworkFixtures;

namespace EksSecurity.Tests.Rules.Net;

public class NetworkPolicyEngineEnforcingTests
{
    private static EksSecurityFinding RunOne(ClusterSnapshot snapshot, RuleSettings? settings = null) =>
        Assert.Single(TestSnapshots.Run<NetworkPolicyEngineEnforcing>(snapshot, settings));

    private static ClusterSnapshot VpcCni(string? agentFlag, string? controller = null)
    {
        var snapshot = TestSnapshots.Empty().Add(k => k.DaemonSets, AwsNode(agentFlag));
        if (controller is not null) snapshot.Add(k => k.ConfigMaps, ConfigMap("kube-system", "amazon-vpc-cni", ("enable-network-policy-controller", controller)));
        return snapshot;
    }

    [Fact]
    public void Default_vpc_cni_without_policies_fails_at_medium()
    {
        var finding = RunOne(VpcCni(agentFlag: "false", controller: "false"));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-NET-006", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("Cluster", finding.ResourceType);
        Assert.Contains(finding.Evidence, e => e.Contains("--enable-network-policy = false"));
    }

    [Fact]
    public void Policies_that_nothing_enforces_fail_at_high()
    {
        var snapshot = VpcCni(agentFlag: null).Add(k => k.NetworkPolicies, Policy("shop", "default-deny", types: ["Ingress", "Egress"]));
        var finding = RunOne(snapshot);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("silently inert", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("(unset; defaults to false)"));
    }

    [Fact]
    public void Vpc_cni_network_policy_agent_passes()
    {
        // Kubescape C-0230 recognises only Calico and Cilium; the VPC CNI agent must count.
        var finding = RunOne(VpcCni(agentFlag: "true", controller: "true"));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("Amazon VPC CNI network policy agent", finding.Message);
    }

    [Fact]
    public void Agent_on_with_the_controller_off_enforces_nothing()
    {
        var finding = RunOne(VpcCni(agentFlag: "true", controller: "false"));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("controller does not turn policies into PolicyEndpoints"));
    }

    [Fact]
    public void Add_on_configuration_that_did_not_reach_the_daemonset_does_not_count()
    {
        var snapshot = VpcCni(agentFlag: "false").With(s => s.Aws.Addons!.Items!.Add(new EksAddon
        {
            AddonName = "vpc-cni", AddonVersion = "v1.19.0-eksbuild.1", ConfigurationValues = "enableNetworkPolicy: \"true\"\n",
        }));
        var finding = RunOne(snapshot);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("configurationValues enableNetworkPolicy = true"));
        Assert.Contains(finding.Evidence, e => e.Contains("update pending or failed"));
    }

    [Fact]
    public void Vpc_cni_before_1_14_has_no_agent()
    {
        var finding = RunOne(VpcCni(agentFlag: "none"));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("no aws-eks-nodeagent container"));
    }

    [Fact]
    public void Bare_flag_counts_as_true()
    {
        var ds = AwsNode(null);
        ds.Spec.Template.Spec.Containers[1].Args = ["--enable-network-policy"];
        var finding = RunOne(TestSnapshots.Empty().Add(k => k.DaemonSets, ds));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Calico_passes_and_tigera_operator_alone_does_not()
    {
        var calico = TestSnapshots.Empty().Add(k => k.DaemonSets, AwsNode("false"), DaemonSet("calico-system", "calico-node", new V1Container { Name = "calico-node" }));
        Assert.Equal(FindingStatus.Pass, RunOne(calico).Status);

        var operatorOnly = TestSnapshots.Empty().Add(k => k.DaemonSets, AwsNode("false"))
            .Add(k => k.Deployments, new V1Deployment { Metadata = TestSnapshots.Meta("tigera-operator", "tigera-operator") });
        var finding = RunOne(operatorOnly);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("tigera-operator is installed but no calico-node"));
    }

    [Fact]
    public void Cilium_passes_unless_policy_enforcement_is_never()
    {
        var cilium = TestSnapshots.Empty().Add(k => k.DaemonSets, DaemonSet("kube-system", "cilium", new V1Container { Name = "cilium-agent" }));
        Assert.Equal(FindingStatus.Pass, RunOne(cilium).Status);

        cilium.Add(k => k.ConfigMaps, ConfigMap("kube-system", "cilium-config", ("enable-policy", "never")));
        var finding = RunOne(cilium);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("enable-policy = never"));
    }

    [Fact]
    public void Daemonset_that_schedules_no_pod_does_not_enforce()
    {
        var calico = DaemonSet("kube-system", "calico-node", new V1Container { Name = "calico-node" });
        calico.Status = new V1DaemonSetStatus { DesiredNumberScheduled = 0 };
        var finding = RunOne(TestSnapshots.Empty().Add(k => k.DaemonSets, calico));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("desiredNumberScheduled = 0"));
    }

    [Fact]
    public void Auto_mode_needs_the_controller_switch()
    {
        var auto = TestSnapshots.Empty().With(s => s.Cluster().ComputeConfig = new EksComputeConfig { Enabled = true, NodePools = ["general-purpose", "system"] });
        var off = RunOne(auto);
        Assert.Equal(FindingStatus.Fail, off.Status);
        Assert.Contains(off.Evidence, e => e.Contains("EKS Auto Mode enforces NetworkPolicy only with enable-network-policy-controller"));

        auto.Add(k => k.ConfigMaps, ConfigMap("kube-system", "amazon-vpc-cni", ("enable-network-policy-controller", "true")));
        var on = RunOne(auto);
        Assert.Equal(FindingStatus.Pass, on.Status);
        Assert.Contains("EKS Auto Mode", on.Message);
    }

    [Fact]
    public void Auto_mode_with_config_maps_denied_is_an_error_not_a_pass()
    {
        var snapshot = TestSnapshots.Empty().With(s =>
        {
            s.Cluster().ComputeConfig = new EksComputeConfig { Enabled = true };
            s.Kubernetes.ConfigMaps = Section<V1ConfigMap>.Denied("list configmaps");
        });
        var finding = RunOne(snapshot);
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("ConfigMaps were not collected", finding.Message);
    }

    [Fact]
    public void Cluster_description_missing_is_an_error_when_nothing_else_enforces()
    {
        var snapshot = VpcCni("false").With(s => s.Aws.Cluster = ObjectSection<EksCluster>.Denied("eks:DescribeCluster"));
        Assert.Equal(FindingStatus.Error, RunOne(snapshot).Status);
        // An enforcer found elsewhere is still a pass.
        var calico = snapshot.Add(k => k.DaemonSets, DaemonSet("kube-system", "calico-node", new V1Container { Name = "calico-node" }));
        Assert.Equal(FindingStatus.Pass, RunOne(calico).Status);
    }

    [Fact]
    public void Denied_daemonsets_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.DaemonSets = Section<V1DaemonSet>.Denied("list daemonsets.apps"));
        var finding = RunOne(snapshot);
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("list daemonsets.apps", string.Join(" ", finding.Evidence));
    }

    [Fact]
    public void Other_engines_come_from_the_setting()
    {
        var snapshot = TestSnapshots.Empty().Add(k => k.DaemonSets, DaemonSet("kube-system", "antrea-agent", new V1Container { Name = "antrea-agent" }));
        Assert.Equal(FindingStatus.Fail, RunOne(snapshot).Status);
        var finding = RunOne(snapshot, new RuleSettings { NetworkPolicyEnforcerDaemonSets = ["kube-system/antrea-*"] });
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("antrea-agent", finding.Message);
    }

    [Fact]
    public void Does_not_run_on_manifests()
    {
        Assert.False(new NetworkPolicyEngineEnforcing().Metadata.AppliesToManifests);
    }

    [Theory]
    [InlineData("{\"enableNetworkPolicy\": \"true\"}", "true")]
    [InlineData("{\"enableNetworkPolicy\": true, \"env\": {\"ENABLE_PREFIX_DELEGATION\": \"true\"}}", "true")]
    [InlineData("enableNetworkPolicy: \"false\"\nnodeAgent:\n  enablePolicyEventLogs: \"true\"\n", "false")]
    [InlineData("{\"env\": {\"WARM_IP_TARGET\": \"5\"}}", null)]
    public void Reads_add_on_configuration_in_json_or_yaml(string text, string? expected)
    {
        Assert.Equal(expected, NetworkPolicyEngineEnforcing.ReadTopLevelScalar(text, "enableNetworkPolicy", out var problem));
        Assert.Null(problem);
    }

    [Fact]
    public void Unreadable_add_on_configuration_is_reported()
    {
        Assert.Null(NetworkPolicyEngineEnforcing.ReadTopLevelScalar("{\"enableNetworkPolicy\": ", "enableNetworkPolicy", out var problem));
        Assert.NotNull(problem);
    }
}
