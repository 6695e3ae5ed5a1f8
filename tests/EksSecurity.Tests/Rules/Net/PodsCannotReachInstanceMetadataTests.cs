using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Net;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Net.NetworkFixtures;
using Fixtures = EksSecurity.Tests.Identity.IdentityFixtures;

namespace EksSecurity.Tests.Rules.Net;

public class PodsCannotReachInstanceMetadataTests
{
    private const string SafeNode = "ip-10-0-1-10.eu-west-1.compute.internal";
    private const string OpenNode = "ip-10-0-2-20.eu-west-1.compute.internal";

    /// <summary>Namespace shop; node SafeNode requires IMDSv2 with hop limit 1, OpenNode answers IMDSv1; no enforcer unless asked.</summary>
    private static ClusterSnapshot Cluster(bool enforced = false, bool openNode = true) => TestSnapshots.Empty().With(s =>
    {
        s.Kubernetes.Namespaces!.Items!.AddRange([Namespace("shop"), Namespace("kube-system")]);
        s.Kubernetes.Nodes!.Items!.Add(Fixtures.Node(SafeNode, "i-0aaa1111bbbb2222c"));
        s.Aws.Instances!.Items!.Add(Fixtures.Instance("i-0aaa1111bbbb2222c"));
        if (openNode)
        {
            s.Kubernetes.Nodes.Items.Add(Fixtures.Node(OpenNode, "i-0bbb3333cccc4444d"));
            s.Aws.Instances.Items.Add(Fixtures.Instance("i-0bbb3333cccc4444d", tokens: "optional", hops: 2));
        }
        s.Kubernetes.DaemonSets!.Items!.Add(AwsNode(enforced ? "true" : "false"));
        s.Kubernetes.ConfigMaps!.Items!.Add(ConfigMap("kube-system", "amazon-vpc-cni", ("enable-network-policy-controller", enforced ? "true" : "false")));
    });

    private static V1Pod Pod(string name, string node, string ns = "shop", bool hostNetwork = false, string? app = null)
    {
        var pod = Fixtures.Pod(name, ns, sa: "default", roleArn: null, node: node, hostNetwork: hostNetwork);
        pod.Metadata.Labels = new Dictionary<string, string> { ["app"] = app ?? name.Split('-')[0] };
        pod.Status = new V1PodStatus { Phase = "Running" };
        return pod;
    }

    /// <summary>
    /// Egress to anywhere but the instance metadata addresses, and to every pod (what New-EksMetadataDenyPolicy writes). ipv6: null
    /// adds no IPv6 peer (so IPv6 egress stays denied), "except" adds ::/0 except fd00:ec2::254/128, "open" adds all of ::/0.
    /// </summary>
    private static V1NetworkPolicy DenyImds(string ns = "shop", string? ipv6 = null, V1LabelSelector? pods = null)
    {
        var peers = new List<V1NetworkPolicyPeer> { new() { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0", Except = ["169.254.169.254/32"] } } };
        if (ipv6 == "except") peers.Add(new() { IpBlock = new V1IPBlock { Cidr = "::/0", Except = ["fd00:ec2::254/128"] } });
        if (ipv6 == "open") peers.Add(new() { IpBlock = new V1IPBlock { Cidr = "::/0" } });
        peers.Add(new() { NamespaceSelector = new V1LabelSelector() });
        return Policy(ns, "deny-instance-metadata", podSelector: pods, types: ["Egress"], egress: [new V1NetworkPolicyEgressRule { To = peers }]);
    }

    private static IReadOnlyList<EksSecurityFinding> Run(ClusterSnapshot snapshot) => TestSnapshots.Run<PodsCannotReachInstanceMetadata>(snapshot);

    private static EksSecurityFinding For(IReadOnlyList<EksSecurityFinding> findings, string type, string name) =>
        Assert.Single(findings, f => f.ResourceType == type && f.ResourceName == name);

    [Fact]
    public void Pod_on_an_imdsv1_node_without_policies_fails_and_is_named()
    {
        var snapshot = Cluster().Add(k => k.Pods, Pod("web-1", SafeNode), Pod("web-2", OpenNode));
        var finding = For(Run(snapshot), "Namespace", "shop");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-NET-019", finding.RuleId);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("1 of 2 pod(s)", finding.Message);
        Assert.Contains("shop/web-2", finding.Message);
        Assert.DoesNotContain("shop/web-1", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("IMDSv1 answers pods"));
        Assert.Contains(finding.Evidence, e => e.Contains("nothing enforces NetworkPolicy"));
    }

    [Fact]
    public void Pods_on_imdsv2_hop_limit_1_nodes_pass()
    {
        var findings = Run(Cluster(openNode: false).Add(k => k.Pods, Pod("web-1", SafeNode)));
        var finding = For(findings, "Namespace", "shop");
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("their nodes keep it from them", finding.Message);
        // kube-system has no pods: every node blocks IMDS, so a new pod would not reach it either.
        Assert.Equal(FindingStatus.Pass, For(findings, "Namespace", "kube-system").Status);
    }

    [Fact]
    public void Enforced_deny_policy_protects_pods_on_an_imdsv1_node()
    {
        var snapshot = Cluster(enforced: true).Add(k => k.Pods, Pod("web-2", OpenNode)).Add(k => k.NetworkPolicies, DenyImds());
        var finding = For(Run(snapshot), "Namespace", "shop");
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("enforced NetworkPolicies deny it", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("NetworkPolicy is enforced by the Amazon VPC CNI network policy agent"));
    }

    [Fact]
    public void Deny_policy_that_nothing_enforces_does_not_count()
    {
        var snapshot = Cluster(enforced: false).Add(k => k.Pods, Pod("web-2", OpenNode)).Add(k => k.NetworkPolicies, DenyImds());
        var finding = For(Run(snapshot), "Namespace", "shop");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("A NetworkPolicy would deny 1 of them, but nothing enforces NetworkPolicy", finding.Message);
    }

    [Fact]
    public void Unknown_enforcement_with_a_deny_policy_is_an_error_not_a_pass()
    {
        var snapshot = Cluster(enforced: true).Add(k => k.Pods, Pod("web-2", OpenNode)).Add(k => k.NetworkPolicies, DenyImds())
            .With(s => s.Kubernetes.DaemonSets = Section<V1DaemonSet>.Denied("list daemonsets.apps"));
        var finding = For(Run(snapshot), "Namespace", "shop");
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("whether anything enforces NetworkPolicy is unknown"));
    }

    [Fact]
    public void Allow_list_policy_lets_only_the_selected_pods_through()
    {
        // Default deny of egress to IMDS for every pod, and a second policy that lets the agent pods reach it (-AllowPodSelector).
        var allowAgent = Policy("shop", "allow-instance-metadata", podSelector: Labels(("app", "agent")), types: ["Egress"], egress:
        [
            new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "169.254.169.254/32" } }] },
        ]);
        var snapshot = Cluster(enforced: true).Add(k => k.Pods, Pod("web-2", OpenNode), Pod("agent-1", OpenNode, app: "agent"))
            .Add(k => k.NetworkPolicies, DenyImds(), allowAgent);
        var finding = For(Run(snapshot), "Namespace", "shop");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("shop/agent-1", finding.Message);
        Assert.DoesNotContain("shop/web-2", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("shop/allow-instance-metadata egress[0]"));
    }

    [Fact]
    public void Egress_only_to_other_ports_of_the_address_is_still_denied()
    {
        var port443 = Policy("shop", "https-only", types: ["Egress"], egress:
        [
            new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0" } }], Ports = [Port("TCP", 443)] },
        ]);
        var snapshot = Cluster(enforced: true).Add(k => k.Pods, Pod("web-2", OpenNode)).Add(k => k.NetworkPolicies, port443)
            .With(s => s.Cluster().KubernetesNetworkConfig = new EksKubernetesNetworkConfig { IpFamily = "ipv4" });
        Assert.Equal(FindingStatus.Pass, For(Run(snapshot), "Namespace", "shop").Status);
    }

    [Fact]
    public void Ipv6_clusters_must_deny_the_ipv6_address_too()
    {
        ClusterSnapshot Ipv6(bool denyV6) => Cluster(enforced: true).Add(k => k.Pods, Pod("web-2", OpenNode)).Add(k => k.NetworkPolicies, DenyImds(ipv6: denyV6 ? "except" : "open"))
            .With(s => s.Cluster().KubernetesNetworkConfig = new EksKubernetesNetworkConfig { IpFamily = "ipv6" });
        var open = For(Run(Ipv6(denyV6: false)), "Namespace", "shop");
        Assert.Equal(FindingStatus.Fail, open.Status);
        Assert.Contains(open.Evidence, e => e.Contains("to fd00:ec2::254"));
        Assert.Equal(FindingStatus.Pass, For(Run(Ipv6(denyV6: true)), "Namespace", "shop").Status);
    }

    [Fact]
    public void Host_network_pods_are_reported_on_their_own_and_system_agents_are_suppressed_by_default()
    {
        var snapshot = Cluster(openNode: false).Add(k => k.Pods,
            Pod("web-1", SafeNode), Pod("node-exporter-x7k2p", SafeNode, hostNetwork: true), Pod("aws-node-7xk2p", SafeNode, ns: "kube-system", hostNetwork: true));
        var findings = Run(snapshot);
        var shop = For(findings, "Namespace", "shop");
        Assert.Equal(FindingStatus.Pass, shop.Status);
        Assert.Contains("1 host-network pod(s) are reported on their own", shop.Message);
        var exporter = For(findings, "Pod", "node-exporter-x7k2p");
        Assert.Equal(FindingStatus.Fail, exporter.Status);
        Assert.Contains("uses the host network", exporter.Message);
        // kube-system is not skipped by the rule: the runner's default EKS system exclusions suppress the VPC CNI.
        var suppressed = RuleRunner.Suppress(findings, DefaultExclusions.All);
        Assert.Equal(FindingStatus.Suppressed, For(suppressed, "Pod", "aws-node-7xk2p").Status);
        Assert.Equal(FindingStatus.Fail, For(suppressed, "Pod", "node-exporter-x7k2p").Status);
    }

    [Fact]
    public void Namespace_without_pods_is_judged_for_a_new_pod_only_when_nodes_agree()
    {
        // Mixed nodes: it depends on where the pod lands.
        var mixed = For(Run(Cluster()), "Namespace", "shop");
        Assert.Equal(FindingStatus.NotApplicable, mixed.Status);
        Assert.Contains("depends on the node it lands on", mixed.Message);

        // Every node answers pods: a new pod would reach IMDS.
        var open = Cluster(openNode: false).With(s => s.Aws.Instances!.Items![0].MetadataOptions!.HttpTokens = "optional");
        var finding = For(Run(open), "Namespace", "shop");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("a new pod would reach", finding.Message);

        // Whatever the nodes, an enforced policy selecting every pod protects a new pod.
        var denied = Cluster(enforced: true).Add(k => k.NetworkPolicies, DenyImds());
        Assert.Equal(FindingStatus.Pass, For(Run(denied), "Namespace", "shop").Status);
        // A policy that selects only some labels does not protect a pod whose labels are not known.
        var partial = Cluster(enforced: true).Add(k => k.NetworkPolicies, DenyImds(pods: Labels(("app", "web"))));
        Assert.Equal(FindingStatus.NotApplicable, For(Run(partial), "Namespace", "shop").Status);
    }

    [Fact]
    public void Finished_pods_are_ignored_and_pending_pods_get_what_every_node_gives()
    {
        var done = Pod("report-1", OpenNode);
        done.Status!.Phase = "Succeeded";
        var pending = Pod("web-3", "");
        pending.Spec.NodeName = null;
        pending.Status!.Phase = "Pending";
        var blocked = Cluster(openNode: false).Add(k => k.Pods, done, pending);
        var finding = For(Run(blocked), "Namespace", "shop");
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("pod shop/web-3 is not scheduled yet; all 1 node(s) keep IMDS from pods"));
        Assert.DoesNotContain(finding.Evidence, e => e.Contains("report-1"));

        // With nodes that disagree the pending pod is not judged, and the namespace falls back to the new-pod judgment.
        var mixed = Cluster().Add(k => k.Pods, pending);
        var notJudged = For(Run(mixed), "Namespace", "shop");
        Assert.Equal(FindingStatus.NotApplicable, notJudged.Status);
        Assert.Contains(notJudged.Evidence, e => e.StartsWith("not scheduled yet, not judged"));
    }

    [Fact]
    public void Fargate_and_auto_mode_nodes_block_imds()
    {
        var snapshot = Cluster(openNode: false).With(s =>
        {
            s.Kubernetes.Nodes!.Items!.Add(Fixtures.Node("fargate-ip-10-0-3-30.eu-west-1.compute.internal", "i-0ccc", computeType: "fargate"));
            s.Kubernetes.Nodes.Items.Add(Fixtures.Node("i-0ddd5555eeee6666f", "i-0ddd5555eeee6666f", computeType: "auto"));
        }).Add(k => k.Pods, Pod("batch-1", "fargate-ip-10-0-3-30.eu-west-1.compute.internal"), Pod("api-1", "i-0ddd5555eeee6666f"));
        var finding = For(Run(snapshot), "Namespace", "shop");
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("runs on Fargate"));
        Assert.Contains(finding.Evidence, e => e.Contains("EKS Auto Mode node"));
    }

    [Fact]
    public void Missing_instance_metadata_options_is_an_error_never_a_pass()
    {
        var snapshot = Cluster().Add(k => k.Pods, Pod("web-2", OpenNode))
            .With(s => s.Aws.Instances = Section<Ec2Instance>.Denied("ec2:DescribeInstances"));
        var finding = For(Run(snapshot), "Namespace", "shop");
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("shop/web-2", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("whose metadata options were not collected"));
    }

    [Fact]
    public void Policies_not_collected_count_only_when_enforcement_is_known_off()
    {
        ClusterSnapshot Without(bool enforced) => Cluster(enforced).Add(k => k.Pods, Pod("web-2", OpenNode))
            .With(s => s.Kubernetes.NetworkPolicies = Section<V1NetworkPolicy>.Denied("list networkpolicies.networking.k8s.io"));
        Assert.Equal(FindingStatus.Fail, For(Run(Without(enforced: false)), "Namespace", "shop").Status);
        var unknown = For(Run(Without(enforced: true)), "Namespace", "shop");
        Assert.Equal(FindingStatus.Error, unknown.Status);
        Assert.Contains(unknown.Evidence, e => e.Contains("NetworkPolicies were not collected"));
    }

    [Fact]
    public void Without_pods_or_nodes_the_rule_errors()
    {
        var finding = Assert.Single(Run(Cluster().With(s => s.Kubernetes.Pods = Section<V1Pod>.Denied("list pods"))));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("Pods", finding.Message);
    }

    [Fact]
    public void The_rule_judges_clusters_not_manifests()
    {
        var rule = new PodsCannotReachInstanceMetadata().Metadata;
        Assert.False(rule.AppliesToManifests);
        Assert.Contains(SnapshotSection.Instances, rule.OptionallyReads);
        Assert.Contains(SnapshotSection.NetworkPolicies, rule.OptionallyReads);
        Assert.Contains(SnapshotSection.DaemonSets, rule.OptionallyReads);
        Assert.Contains("New-EksMetadataDenyPolicy", rule.Remediation);
    }
}
