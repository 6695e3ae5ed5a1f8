using System.Text.Json.Nodes;
using EksSecurity.Engine;
using EksSecurity.Engine.Kubernetes.NetworkPolicies;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace EksSecurity.Tests.Remediation;

/// <summary>New-EksMetadataDenyPolicy's objects, and what the NetworkPolicy engine says they do.</summary>
public sealed class MetadataDenyPolicyTests
{
    private static readonly SecurityEngine Engine = new();

    private static IReadOnlyList<KubernetesManifest> Build(string[] namespaces, IReadOnlyDictionary<string, string>? allow = null, bool ipv6 = false, string? name = null) =>
        Engine.NewMetadataDenyPolicies(new MetadataDenyPolicyRequest
        {
            Namespaces = namespaces,
            AllowPodSelector = allow,
            IPv6 = ipv6,
            Name = name ?? MetadataDenyPolicyRequest.DefaultName,
        });

    [Fact]
    public void One_deny_policy_per_namespace_in_order_once_each_as_yaml_and_json()
    {
        var manifests = Build(["payments", "web", "payments"]);
        Assert.Equal([("payments", "deny-instance-metadata"), ("web", "deny-instance-metadata")], manifests.Select(m => (m.Namespace, m.Name)));
        Assert.All(manifests, m => Assert.Equal(("networking.k8s.io/v1", "NetworkPolicy"), (m.ApiVersion, m.Kind)));
        Assert.Equal("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: deny-instance-metadata
              namespace: payments
              labels:
                app.kubernetes.io/managed-by: eks-security
            spec:
              podSelector: {}
              policyTypes:
              - Egress
              egress:
              - to:
                - ipBlock:
                    cidr: 0.0.0.0/0
                    except:
                    - 169.254.169.254/32
                - namespaceSelector: {}

            """.ReplaceLineEndings("\n"), manifests[0].Yaml);
        Assert.Equal(manifests[0].Yaml, manifests[0].ToString());
        // The JSON is the same object, and both parse as the Kubernetes type.
        var fromJson = KubernetesJson.Deserialize<V1NetworkPolicy>(manifests[0].Json);
        var fromYaml = KubernetesYaml.Deserialize<V1NetworkPolicy>(manifests[0].Yaml);
        Assert.Equal(KubernetesJson.Serialize(fromJson), KubernetesJson.Serialize(fromYaml));
        Assert.Equal("169.254.169.254/32", fromJson.Spec.Egress[0].To[0].IpBlock.Except.Single());
        Assert.Equal(["Egress"], fromJson.Spec.PolicyTypes);
    }

    [Fact]
    public void JoinYaml_is_a_multi_document_stream_every_yaml_reader_splits_into_the_objects()
    {
        var manifests = Build(["a", "b"], new Dictionary<string, string> { ["app"] = "agent" }, ipv6: true);
        var text = KubernetesManifest.JoinYaml(manifests);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        Assert.Equal(4, stream.Documents.Count);
        var objects = KubernetesYaml.LoadAllFromString(text);
        Assert.Equal(["a/deny-instance-metadata", "a/allow-instance-metadata", "b/deny-instance-metadata", "b/allow-instance-metadata"],
            objects.Cast<V1NetworkPolicy>().Select(p => $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}"));
    }

    [Fact]
    public void IPv6_adds_the_ipv6_metadata_address_to_both_policies()
    {
        var manifests = Build(["payments"], new Dictionary<string, string> { ["app"] = "agent" }, ipv6: true);
        var deny = KubernetesJson.Deserialize<V1NetworkPolicy>(manifests[0].Json);
        Assert.Equal([("0.0.0.0/0", "169.254.169.254/32"), ("::/0", "fd00:ec2::254/128")],
            deny.Spec.Egress[0].To.Where(p => p.IpBlock is not null).Select(p => (p.IpBlock.Cidr, p.IpBlock.Except.Single())));
        Assert.Contains("cidr: \"::/0\"", manifests[0].Yaml);
        var allow = KubernetesJson.Deserialize<V1NetworkPolicy>(manifests[1].Json);
        Assert.Equal(["169.254.169.254/32", "fd00:ec2::254/128"], allow.Spec.Egress[0].To.Select(p => p.IpBlock.Cidr));
    }

    [Fact]
    public void The_companion_policy_selects_the_allowed_pods_and_opens_tcp_80_to_the_metadata_address_only()
    {
        var manifests = Build(["payments"], new Dictionary<string, string> { ["app"] = "agent", ["tier"] = "infra" });
        Assert.Equal(["deny-instance-metadata", "allow-instance-metadata"], manifests.Select(m => m.Name));
        var allow = KubernetesJson.Deserialize<V1NetworkPolicy>(manifests[1].Json);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "agent", ["tier"] = "infra" }, allow.Spec.PodSelector.MatchLabels);
        Assert.Equal(["Egress"], allow.Spec.PolicyTypes);
        Assert.Equal("169.254.169.254/32", allow.Spec.Egress[0].To.Single().IpBlock.Cidr);
        Assert.Equal(("TCP", "80"), (allow.Spec.Egress[0].Ports.Single().Protocol, allow.Spec.Egress[0].Ports.Single().Port.Value));
    }

    [Theory]
    [InlineData("deny-instance-metadata", "allow-instance-metadata")]
    [InlineData("deny-imds", "allow-imds")]
    [InlineData("block-imds", "block-imds-allow")]
    public void The_companion_is_named_after_the_deny_policy(string name, string companion)
    {
        var manifests = Build(["payments"], new Dictionary<string, string> { ["app"] = "x" }, name: name);
        Assert.Equal([name, companion], manifests.Select(m => m.Name));
    }

    [Theory]
    [InlineData("Payments", null, null, "InvalidNamespaceName")]
    [InlineData("payments_1", null, null, "InvalidNamespaceName")]
    [InlineData("payments", "Deny", null, "InvalidObjectName")]
    [InlineData("payments", null, "bad key!", "InvalidLabelSelector")]
    [InlineData("payments", null, "", "InvalidLabelSelector")]
    public void Names_and_selectors_the_api_server_would_refuse_are_refused_with_ids(string ns, string? name, string? labelKey, string errorId)
    {
        var allow = labelKey is null ? null : labelKey.Length == 0 ? new Dictionary<string, string>() : new Dictionary<string, string> { [labelKey] = "x" };
        var ex = Assert.Throws<EksSecurityException>(() => Build([ns], allow, name: name));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(EksErrorKind.InvalidArgument, ex.Kind);
    }

    // What the policies do, judged by the NetworkPolicy engine (EKS-NET-007/008/019 judge the same way).

    private static V1Pod Pod(string ns, string name, IDictionary<string, string>? labels = null, string ip = "10.0.1.10", bool hostNetwork = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels ?? new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec { HostNetwork = hostNetwork, NodeName = "node-1", Containers = [new V1Container { Name = "c", Ports = [new V1ContainerPort { ContainerPort = 8080, Name = "http" }] }] },
        Status = new V1PodStatus { PodIP = ip },
    };

    private static NetworkPolicyEngine Semantics(IReadOnlyList<KubernetesManifest> manifests, params V1Pod[] pods)
    {
        var namespaces = pods.Select(p => p.Metadata.NamespaceProperty).Distinct().Select(n => new V1Namespace { Metadata = new V1ObjectMeta { Name = n } });
        return new NetworkPolicyEngine(manifests.Select(m => KubernetesJson.Deserialize<V1NetworkPolicy>(m.Json)), namespaces, pods);
    }

    [Fact]
    public void Pods_cannot_reach_the_metadata_service_and_everything_else_stays_reachable()
    {
        var web = Pod("payments", "web", ip: "10.0.1.10");
        var api = Pod("payments", "api", ip: "10.0.1.11");
        var dns = Pod("kube-system", "coredns", ip: "10.0.2.2");
        var shop = Pod("shop", "cart", ip: "10.0.3.3");
        var engine = Semantics(Build(["payments"]), web, api, dns, shop);
        var w = engine.FindPod("payments", "web")!;

        var imds = engine.Egress(w, TrafficPeer.Of("169.254.169.254"), ProtocolPort.Tcp(80));
        Assert.False(imds.Allowed, imds.ToString());
        Assert.Contains("payments/deny-instance-metadata", imds.ToString());
        Assert.False(engine.Egress(w, TrafficPeer.Of("169.254.169.254"), ProtocolPort.Tcp(443)).Allowed);

        Assert.True(engine.Egress(w, TrafficPeer.Of("8.8.8.8"), ProtocolPort.Udp(53)).Allowed);
        Assert.True(engine.Egress(w, TrafficPeer.Of("52.94.133.131"), ProtocolPort.Tcp(443)).Allowed);
        Assert.True(engine.Egress(w, TrafficPeer.Of("169.254.169.253"), ProtocolPort.Udp(53)).Allowed, "the VPC resolver is another address");
        Assert.True(engine.Egress(w, TrafficPeer.Of("10.0.200.1"), ProtocolPort.Tcp(5432)).Allowed, "VPC addresses outside the cluster");

        // Pod to pod: in the namespace, to CoreDNS, to other namespaces; by selectors, as Kubernetes leaves ipBlock for pods to the plugin.
        Assert.True(engine.Connect(w, engine.FindPod("payments", "api")!, ProtocolPort.Tcp(8080)).Allowed);
        Assert.True(engine.Connect(w, engine.FindPod("kube-system", "coredns")!, ProtocolPort.Udp(53)).Allowed);
        Assert.True(engine.Connect(w, engine.FindPod("shop", "cart")!, ProtocolPort.Tcp(8080)).Allowed);
        // Ingress is untouched: the policy is egress only.
        Assert.False(engine.Isolation(w, TrafficDirection.Ingress).IsIsolated);
        Assert.True(engine.Connect(engine.FindPod("shop", "cart")!, w, ProtocolPort.Tcp(8080)).Allowed);
        // A namespace without the policy is not affected.
        Assert.True(engine.Egress(engine.FindPod("shop", "cart")!, TrafficPeer.Of("169.254.169.254"), ProtocolPort.Tcp(80)).Allowed);
    }

    [Fact]
    public void Every_pod_of_the_namespace_is_covered_whatever_its_labels()
    {
        var engine = Semantics(Build(["payments"]), Pod("payments", "web"));
        var any = PolicyPod.AnyPodIn("payments");
        Assert.True(engine.Isolation(any, TrafficDirection.Egress).IsIsolated);
        Assert.False(engine.Egress(any, TrafficPeer.Of("169.254.169.254"), ProtocolPort.Tcp(80)).Allowed);
        Assert.True(engine.Egress(any, TrafficPeer.Of("8.8.8.8"), ProtocolPort.Udp(53)).Allowed);
    }

    [Fact]
    public void Only_the_pods_the_companion_selects_reach_the_metadata_service_and_only_on_tcp_80()
    {
        var engine = Semantics(Build(["payments"], new Dictionary<string, string> { ["app"] = "agent" }),
            Pod("payments", "agent"), Pod("payments", "web"));
        var agent = engine.FindPod("payments", "agent")!;
        var web = engine.FindPod("payments", "web")!;
        var allowed = engine.Egress(agent, TrafficPeer.Of("169.254.169.254"), ProtocolPort.Tcp(80));
        Assert.True(allowed.Allowed);
        Assert.Contains("payments/allow-instance-metadata egress[0]", allowed.ToString());
        Assert.False(engine.Egress(agent, TrafficPeer.Of("169.254.169.254"), ProtocolPort.Tcp(8080)).Allowed);
        Assert.False(engine.Egress(web, TrafficPeer.Of("169.254.169.254"), ProtocolPort.Tcp(80)).Allowed);
        Assert.True(engine.Egress(agent, TrafficPeer.Of("8.8.8.8"), ProtocolPort.Udp(53)).Allowed);
    }

    [Fact]
    public void With_IPv6_the_ipv6_endpoint_is_denied_and_other_ipv6_egress_stays_allowed()
    {
        var v6 = Semantics(Build(["payments"], ipv6: true), Pod("payments", "web", ip: "2600:1f18:1::10"));
        var web = v6.FindPod("payments", "web")!;
        Assert.False(v6.Egress(web, TrafficPeer.Of("fd00:ec2::254"), ProtocolPort.Tcp(80)).Allowed);
        Assert.False(v6.Egress(web, TrafficPeer.Of("169.254.169.254"), ProtocolPort.Tcp(80)).Allowed);
        Assert.True(v6.Egress(web, TrafficPeer.Of("2600:1f18::1"), ProtocolPort.Tcp(443)).Allowed);
        Assert.True(v6.Egress(web, TrafficPeer.Of("8.8.8.8"), ProtocolPort.Udp(53)).Allowed);

        // Without it (an IPv4 cluster) the IPv6 endpoint is not named: which is why -IPv6 follows the cluster's IP family.
        var v4 = Semantics(Build(["payments"]), Pod("payments", "web"));
        Assert.False(v4.Egress(v4.FindPod("payments", "web")!, TrafficPeer.Of("2600:1f18::1"), ProtocolPort.Tcp(443)).Allowed);
    }

    [Fact]
    public void A_host_network_pod_is_beyond_any_network_policy()
    {
        var engine = Semantics(Build(["kube-system"]), Pod("kube-system", "aws-node", hostNetwork: true));
        var verdict = engine.Egress(engine.FindPod("kube-system", "aws-node")!, TrafficPeer.Of("169.254.169.254"), ProtocolPort.Tcp(80));
        Assert.True(verdict.Allowed);
        Assert.Contains("uses the host network", verdict.ToString());
    }

    private static V1NetworkPolicy Policy(string ns, string name, IDictionary<string, string>? selector, string[] types, params V1NetworkPolicyEgressRule[] egress) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector { MatchLabels = selector }, PolicyTypes = types, Egress = egress },
    };

    [Fact]
    public void Added_to_a_namespace_that_default_denies_egress_the_policy_would_widen_it_so_the_review_skips_it()
    {
        // NetworkPolicies only add allowed traffic: beside default-deny-all, "everything but IMDS" opens all other egress.
        var denyAll = Policy("payments", "default-deny-all", null, ["Ingress", "Egress"]);
        var pods = new[] { Pod("payments", "web") };
        var engine = new NetworkPolicyEngine(Build(["payments"]).Select(m => KubernetesJson.Deserialize<V1NetworkPolicy>(m.Json)).Append(denyAll),
            [new V1Namespace { Metadata = new V1ObjectMeta { Name = "payments" } }], pods);
        var web = engine.FindPod("payments", "web")!;
        Assert.False(engine.Egress(web, TrafficPeer.Of("169.254.169.254"), ProtocolPort.Tcp(80)).Allowed);
        Assert.True(engine.Egress(web, TrafficPeer.Of("8.8.8.8"), ProtocolPort.Tcp(443)).Allowed, "widened");

        var review = Engine.ReviewMetadataDenyPolicies(Snapshot(denyAll), new MetadataDenyPolicyRequest { Namespaces = ["payments", "shop"] });
        Assert.True(review[0].AlreadyDenied);
        Assert.Contains("default-deny-all", review[0].Message);
        Assert.False(review[1].AlreadyDenied);
        Assert.Equal("", review[1].Message);
    }

    [Fact]
    public void The_review_names_the_policies_the_deny_policy_widens_and_those_it_cannot_override()
    {
        var webOnly = Policy("payments", "web-egress", new Dictionary<string, string> { ["app"] = "web" }, ["Egress"],
            new V1NetworkPolicyEgressRule { Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = 443 }] });
        var allowAll = Policy("shop", "allow-all-egress", null, ["Egress"], new V1NetworkPolicyEgressRule());
        var imdsAgent = Policy("agents", "agent-imds", new Dictionary<string, string> { ["app"] = "agent" }, ["Egress"],
            new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "169.254.169.254/32" } }] });
        var reviews = Engine.ReviewMetadataDenyPolicies(Snapshot(webOnly, allowAll, imdsAgent), new MetadataDenyPolicyRequest { Namespaces = ["payments", "shop", "agents"] });

        Assert.Equal(["web-egress"], reviews[0].WidenedPolicies);
        Assert.Empty(reviews[0].AllowingPolicies);
        Assert.False(reviews[0].AlreadyDenied);
        Assert.Contains("NetworkPolicy web-egress already restricts egress", reviews[0].Message);
        Assert.Equal(["allow-all-egress"], reviews[1].AllowingPolicies);
        Assert.False(reviews[1].AlreadyDenied);
        Assert.Equal(["agent-imds"], reviews[2].AllowingPolicies);
        Assert.Contains("keep reaching it", reviews[2].Message);
    }

    [Fact]
    public void The_review_ignores_the_policies_it_generated_so_a_second_run_is_the_same()
    {
        var ours = Build(["payments"], new Dictionary<string, string> { ["app"] = "agent" }).Select(m => KubernetesJson.Deserialize<V1NetworkPolicy>(m.Json)).ToArray();
        var review = Engine.ReviewMetadataDenyPolicies(Snapshot(ours), new MetadataDenyPolicyRequest { Namespaces = ["payments"], AllowPodSelector = new Dictionary<string, string> { ["app"] = "agent" } }).Single();
        Assert.False(review.AlreadyDenied);
        Assert.Equal("", review.Message);
        // Someone else's policy of the same name is not ours.
        var foreign = Policy("payments", "deny-instance-metadata", null, ["Egress"]);
        Assert.True(Engine.ReviewMetadataDenyPolicies(Snapshot(foreign), new MetadataDenyPolicyRequest { Namespaces = ["payments"] }).Single().AlreadyDenied);
    }

    [Fact]
    public void The_review_needs_the_network_policies()
    {
        var snapshot = new EksSecurity.Engine.Snapshot.ClusterSnapshot();
        var ex = Assert.Throws<EksSecurityException>(() => Engine.ReviewMetadataDenyPolicies(snapshot, new MetadataDenyPolicyRequest { Namespaces = ["payments"] }));
        Assert.Equal("NetworkPoliciesNotCollected", ex.ErrorId);
    }

    private static EksSecurity.Engine.Snapshot.ClusterSnapshot Snapshot(params V1NetworkPolicy[] policies) => new()
    {
        Kubernetes = new EksSecurity.Engine.Snapshot.KubernetesSections
        {
            NetworkPolicies = EksSecurity.Engine.Snapshot.Section<V1NetworkPolicy>.Collected(policies),
            Namespaces = EksSecurity.Engine.Snapshot.Section<V1Namespace>.Collected(
                policies.Select(p => p.Metadata.NamespaceProperty).Append("shop").Distinct().Select(n => new V1Namespace { Metadata = new V1ObjectMeta { Name = n } })),
        },
    };

    [Fact]
    public void The_manifest_json_is_the_object_a_kubectl_apply_would_send()
    {
        var manifest = Build(["payments"]).Single();
        var node = JsonNode.Parse(manifest.Json)!.AsObject();
        Assert.Equal(["apiVersion", "kind", "metadata", "spec"], node.Select(p => p.Key));
        Assert.Equal("eks-security", (string?)node["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]);
        Assert.DoesNotContain("\\u", manifest.Json);
        Assert.EndsWith("\n", manifest.Json);
    }
}
