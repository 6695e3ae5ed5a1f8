using System.Net;
using EksSecurity.Engine.Kubernetes.NetworkPolicies;
using k8s.Models;
using static EksSecurity.Tests.Kubernetes.NetworkPolicies.PolicyCluster;

namespace EksSecurity.Tests.Kubernetes.NetworkPolicies;

public class NetworkPolicyEngineTests
{
    /// <summary>
    /// Each line: the policies in force, a question about the cluster of <see cref="PolicyCluster"/>, the answer Kubernetes gives,
    /// and a piece of the explanation (the policy or rule that decided) where it matters.
    /// </summary>
    [Theory]
    // The documentation's test-network-policy: role=db pods in default are isolated both ways.
    [InlineData("test-network-policy", "isolated ingress default/db", true, "default/test-network-policy")]
    [InlineData("test-network-policy", "isolated egress default/db", true, "default/test-network-policy")]
    [InlineData("test-network-policy", "isolated ingress default/frontend", false)]
    [InlineData("test-network-policy", "ingress default/db <- default/frontend 6379/TCP", true, "default/test-network-policy ingress[0]")]
    [InlineData("test-network-policy", "ingress default/db <- default/frontend 6380/TCP", false)]
    [InlineData("test-network-policy", "ingress default/db <- default/frontend 6379/UDP", false)]
    [InlineData("test-network-policy", "ingress default/db <- myproject/worker 6379/TCP", true)]
    [InlineData("test-network-policy", "ingress default/db <- alice/client 6379/TCP", false)]
    [InlineData("test-network-policy", "ingress default/db <- 172.17.0.1 6379/TCP", true)]
    [InlineData("test-network-policy", "ingress default/db <- 172.17.1.5 6379/TCP", false)]
    [InlineData("test-network-policy", "ingress default/db <- 172.17.2.1 6379/TCP", true)]
    [InlineData("test-network-policy", "ingress default/db <- 172.18.0.1 6379/TCP", false)]
    [InlineData("test-network-policy", "egress default/db -> 10.0.0.7 5978/TCP", true, "default/test-network-policy egress[0]")]
    [InlineData("test-network-policy", "egress default/db -> 10.0.1.7 5978/TCP", false)]
    [InlineData("test-network-policy", "egress default/db -> 10.0.0.7 5979/TCP", false)]
    // Pod-to-pod traffic is judged by selectors: cache's IP lies in the ipBlock, and that does not let it in.
    [InlineData("test-network-policy", "ingress default/db <- default/cache 6379/TCP", false)]
    [InlineData("test-network-policy", "egress default/db -> default/frontend 5978/TCP", false)]
    [InlineData("test-network-policy", "connect default/frontend -> default/db 6379/TCP", true)]
    [InlineData("test-network-policy", "egress default/frontend -> 8.8.8.8 443/TCP", true, "no NetworkPolicy isolates")]
    // Host-network pods are not isolatable, however they are labelled.
    [InlineData("test-network-policy", "isolated ingress default/node-agent", false, "uses the host network")]
    [InlineData("test-network-policy", "ingress default/node-agent <- 8.8.8.8 22/TCP", true, "uses the host network")]
    // namespaceSelector and podSelector in one element: AND.
    [InlineData("alice-clients-and", "ingress default/db <- alice/client 6379/TCP", true, "default/alice-clients-and ingress[0]")]
    [InlineData("alice-clients-and", "ingress default/db <- alice/client 9999/UDP", true)]
    [InlineData("alice-clients-and", "ingress default/db <- alice/server 6379/TCP", false)]
    [InlineData("alice-clients-and", "ingress default/db <- bob/client 6379/TCP", false)]
    [InlineData("alice-clients-and", "ingress default/db <- default/client 6379/TCP", false)]
    // Two elements: OR; a podSelector alone means the policy's own namespace.
    [InlineData("alice-or-clients", "ingress default/db <- alice/client 6379/TCP", true)]
    [InlineData("alice-or-clients", "ingress default/db <- alice/server 6379/TCP", true)]
    [InlineData("alice-or-clients", "ingress default/db <- default/client 6379/TCP", true)]
    [InlineData("alice-or-clients", "ingress default/db <- bob/client 6379/TCP", false)]
    // Default policies.
    [InlineData("default-deny-ingress", "isolated ingress default/frontend", true, "default/default-deny-ingress")]
    [InlineData("default-deny-ingress", "isolated egress default/frontend", false)]
    [InlineData("default-deny-ingress", "ingress default/frontend <- default/backend 80/TCP", false, "no rule allows it")]
    [InlineData("default-deny-ingress", "egress default/frontend -> 8.8.8.8 443/TCP", true)]
    [InlineData("default-deny-ingress", "isolated ingress alice/client", false)]
    [InlineData("default-deny-ingress,allow-all-ingress", "ingress default/frontend <- 8.8.8.8 80/TCP", true, "default/allow-all-ingress ingress[0]")]
    [InlineData("allow-all-ingress", "isolated ingress default/frontend", true)]
    [InlineData("allow-all-ingress", "ingress default/frontend <- bob/client 8080/UDP", true)]
    [InlineData("default-deny-egress", "egress default/frontend -> 8.8.8.8 53/UDP", false)]
    [InlineData("default-deny-egress", "isolated ingress default/frontend", false)]
    [InlineData("default-deny-egress,allow-all-egress", "egress default/frontend -> 8.8.8.8 53/UDP", true, "default/allow-all-egress egress[0]")]
    [InlineData("default-deny-egress,allow-all-egress", "egress default/frontend -> alice/server 80/TCP", true)]
    [InlineData("default-deny-all", "isolated ingress default/backend", true)]
    [InlineData("default-deny-all", "isolated egress default/backend", true)]
    [InlineData("default-deny-all", "connect default/frontend -> default/db 6379/TCP", false)]
    [InlineData("default-deny-all", "connect alice/client -> default/db 6379/TCP", false, "ingress denied")]
    [InlineData("default-deny-all@alice", "connect alice/client -> default/db 6379/TCP", false, "egress denied")]
    [InlineData("default-deny-all@alice", "connect default/frontend -> alice/server 80/TCP", false, "alice/default-deny-all")]
    [InlineData("default-deny-all@prod", "egress default/frontend -> 8.8.8.8 443/TCP", true)]
    // endPort: 32000 to 32768 inclusive, TCP only.
    [InlineData("multi-port-egress", "egress default/db -> 10.0.0.9 32000/TCP", true)]
    [InlineData("multi-port-egress", "egress default/db -> 10.0.0.9 32500/TCP", true)]
    [InlineData("multi-port-egress", "egress default/db -> 10.0.0.9 32768/TCP", true)]
    [InlineData("multi-port-egress", "egress default/db -> 10.0.0.9 31999/TCP", false)]
    [InlineData("multi-port-egress", "egress default/db -> 10.0.0.9 32769/TCP", false)]
    [InlineData("multi-port-egress", "egress default/db -> 10.0.0.9 32500/UDP", false)]
    [InlineData("multi-port-egress", "isolated ingress default/db", false)]
    [InlineData("from-alice-by-name", "ingress default/backend <- alice/server 80/TCP", true)]
    [InlineData("from-alice-by-name", "ingress default/backend <- bob/client 80/TCP", false)]
    // policyTypes defaulting.
    [InlineData("egress-rules-no-types", "isolated egress default/frontend", true)]
    [InlineData("egress-rules-no-types", "isolated ingress default/frontend", true)]
    [InlineData("egress-rules-no-types", "egress default/frontend -> 10.2.3.4 443/TCP", true)]
    [InlineData("egress-rules-no-types", "egress default/frontend -> 8.8.8.8 443/TCP", false)]
    [InlineData("empty-egress-no-types", "isolated egress default/frontend", false)]
    [InlineData("empty-egress-no-types", "isolated ingress default/frontend", true)]
    [InlineData("egress-type-with-ingress-rules", "isolated ingress default/frontend", false)]
    [InlineData("egress-type-with-ingress-rules", "egress default/frontend -> 8.8.8.8 443/TCP", false)]
    [InlineData("ingress-type-with-egress-rules", "isolated egress default/frontend", false)]
    [InlineData("ingress-type-with-egress-rules", "ingress default/frontend <- 8.8.8.8 80/TCP", true)]
    // "ingress: []" allows nothing; a rule without from allows every source on its ports.
    [InlineData("empty-ingress-list", "ingress default/frontend <- default/backend 80/TCP", false)]
    [InlineData("backend-port-8080", "ingress default/backend <- 8.8.8.8 8080/TCP", true)]
    [InlineData("backend-port-8080", "ingress default/backend <- bob/client 8080/TCP", true)]
    [InlineData("backend-port-8080", "ingress default/backend <- bob/client 9090/TCP", false)]
    [InlineData("backend-port-8080", "ingress default/backend <- bob/client 8080/UDP", false)]
    [InlineData("backend-from-own-namespace", "ingress default/backend <- default/frontend 9999/UDP", true)]
    [InlineData("backend-from-own-namespace", "ingress default/backend <- alice/client 9999/UDP", false)]
    [InlineData("backend-from-own-namespace", "ingress default/backend <- 10.0.0.1 80/TCP", false)]
    [InlineData("backend-from-every-namespace", "ingress default/backend <- bob/client 80/TCP", true)]
    [InlineData("backend-from-every-namespace", "ingress default/backend <- 8.8.8.8 80/TCP", false)]
    // Named ports resolve against the destination pod's container ports, with their protocol.
    [InlineData("backend-named-port", "ingress default/backend <- default/frontend 8080/TCP", true)]
    [InlineData("backend-named-port", "ingress default/backend <- default/frontend 9090/TCP", false)]
    [InlineData("backend-named-port", "ingress default/backend <- default/frontend 5353/UDP", false)]
    [InlineData("backend-named-port", "ingress default/backend <- default/frontend 5353/TCP", false)]
    [InlineData("frontend-egress-named-port", "egress default/frontend -> default/backend 8080/TCP", true)]
    [InlineData("frontend-egress-named-port", "egress default/frontend -> default/backend 5353/UDP", true)]
    [InlineData("frontend-egress-named-port", "egress default/frontend -> default/db 8080/TCP", false)]
    [InlineData("frontend-egress-named-port", "egress default/frontend -> 8.8.8.8 8080/TCP", false)]
    // matchExpressions.
    [InlineData("prod-app-in", "isolated ingress prod/web", true)]
    [InlineData("prod-app-in", "isolated ingress prod/api", true)]
    [InlineData("prod-app-in", "isolated ingress prod/batch", false)]
    [InlineData("prod-app-notin", "isolated ingress prod/web", false)]
    [InlineData("prod-app-notin", "isolated ingress prod/api", true)]
    [InlineData("prod-app-notin", "isolated ingress prod/batch", true)]
    [InlineData("prod-tier-exists", "isolated ingress prod/api", true)]
    [InlineData("prod-tier-exists", "isolated ingress prod/web", false)]
    [InlineData("prod-app-doesnotexist", "isolated ingress prod/batch", true)]
    [InlineData("prod-app-doesnotexist", "isolated ingress prod/web", false)]
    [InlineData("prod-from-dev-namespaces", "ingress prod/web <- dev/web 80/TCP", true)]
    [InlineData("prod-from-dev-namespaces", "ingress prod/web <- prod/api 80/TCP", false)]
    [InlineData("prod-from-dev-namespaces", "ingress prod/web <- alice/client 80/TCP", false)]
    // The instance metadata deny.
    [InlineData("deny-imds", "egress prod/web -> 169.254.169.254 80/TCP", false, "prod/deny-imds")]
    [InlineData("deny-imds", "egress prod/web -> 169.254.169.254 443/TCP", false)]
    [InlineData("deny-imds", "egress prod/batch -> 169.254.169.254 80/TCP", false)]
    [InlineData("deny-imds", "egress prod/* -> 169.254.169.254 80/TCP", false)]
    [InlineData("deny-imds", "egress prod/web -> 8.8.8.8 53/UDP", true, "prod/deny-imds egress[0]")]
    [InlineData("deny-imds", "egress prod/web -> 169.254.169.253 53/UDP", true)]
    [InlineData("deny-imds", "egress prod/web -> fd00:ec2::254 80/TCP", false)]
    [InlineData("deny-imds", "egress prod/web -> 2600:1f18::1 443/TCP", true)]
    [InlineData("deny-imds", "egress dev/web -> 169.254.169.254 80/TCP", true, "no NetworkPolicy isolates")]
    [InlineData("deny-imds", "isolated ingress prod/web", false)]
    [InlineData("deny-imds@default", "egress default/node-agent -> 169.254.169.254 80/TCP", true, "uses the host network")]
    [InlineData("deny-imds-ipv6-only", "egress prod/web -> 8.8.8.8 53/UDP", false)]
    [InlineData("deny-imds-ipv6-only", "egress prod/web -> ::ffff:8.8.8.8 53/UDP", false)]
    [InlineData("deny-imds-ipv6-only", "egress prod/web -> 2001:db8::1 53/UDP", true)]
    // ipBlock only takes in pods on the host network (their traffic is their node's); selectors never do.
    [InlineData("sloppy-cidr", "egress default/db -> 10.0.0.200 443/TCP", true)]
    [InlineData("sloppy-cidr", "egress default/db -> 10.0.1.5 443/TCP", false)]
    [InlineData("from-node-network", "ingress default/frontend <- default/node-agent 80/TCP", true, "default/from-node-network ingress[0]")]
    [InlineData("frontend-from-db-pods", "ingress default/frontend <- default/db 80/TCP", true)]
    [InlineData("frontend-from-db-pods", "ingress default/frontend <- default/node-agent 80/TCP", false)]
    // Traffic from the pod's own node is always allowed in (node-agent runs on node-1 beside db, not beside frontend).
    [InlineData("default-deny-ingress", "ingress default/db <- default/node-agent 6379/TCP", true, "own node")]
    [InlineData("default-deny-ingress", "ingress default/frontend <- default/node-agent 80/TCP", false)]
    [InlineData("sctp-and-any-udp", "ingress default/frontend <- 8.8.8.8 9000/SCTP", true)]
    [InlineData("sctp-and-any-udp", "ingress default/frontend <- 8.8.8.8 9000/TCP", false)]
    [InlineData("sctp-and-any-udp", "ingress default/frontend <- 8.8.8.8 40000/UDP", true)]
    public void Kubernetes_semantics(string policies, string question, bool expected, string? because = null)
    {
        var (answer, explanation) = Ask(EngineWith(policies), question);
        Assert.True(answer == expected, $"{question} with {policies}: expected {expected}, got {answer} ({explanation})");
        if (because is not null) Assert.Contains(because, explanation);
    }

    [Fact]
    public void Imds_deny_blocks_the_selected_pods_only()
    {
        var engine = EngineWith("deny-imds");
        var web = engine.FindPod("prod", "web")!;
        var denied = engine.Egress(web, IPAddress.Parse("169.254.169.254"), ProtocolPort.Tcp(80));
        Assert.Equal(TrafficOutcome.Denied, denied.Outcome);
        Assert.Equal([new PolicyRuleRef("prod", "deny-imds", TrafficDirection.Egress)], denied.Isolation.IsolatedBy);
        var dns = engine.Egress(web, IPAddress.Parse("8.8.8.8"), ProtocolPort.Udp(53));
        Assert.Equal(TrafficOutcome.AllowedByRule, dns.Outcome);
        Assert.Equal([new PolicyRuleRef("prod", "deny-imds", TrafficDirection.Egress, 0)], dns.AllowedBy);
        // Pod-to-pod traffic is judged by selectors, and the policy has none: the IMDS deny cuts pods off from each other too.
        Assert.False(engine.Egress(web, engine.FindPod("prod", "api")!, ProtocolPort.Tcp(8080)).Allowed);
        var elsewhere = engine.Egress(engine.FindPod("dev", "web")!, IPAddress.Parse("169.254.169.254"), ProtocolPort.Tcp(80));
        Assert.Equal(TrafficOutcome.NotIsolated, elsewhere.Outcome);
    }

    [Fact]
    public void Receivers_of_an_external_address_are_the_pods_whose_ingress_lets_it_in()
    {
        var engine = EngineWith("test-network-policy,default-deny-ingress@alice");
        var names = engine.Receivers(IPAddress.Parse("172.17.0.9"), ProtocolPort.Tcp(6379)).Select(v => v.Destination.ToString()).ToList();
        Assert.Contains("pod default/db", names);          // the ipBlock lets it in
        Assert.Contains("pod default/node-agent", names);  // host network: not isolatable
        Assert.Contains("pod bob/client", names);          // not isolated
        Assert.DoesNotContain("pod alice/client", names);  // default deny
        Assert.DoesNotContain("pod alice/server", names);

        var blocked = engine.Receivers(IPAddress.Parse("172.17.1.9"), ProtocolPort.Tcp(6379)).Select(v => v.Destination.ToString()).ToList();
        Assert.DoesNotContain("pod default/db", blocked);
    }

    [Fact]
    public void Receivers_of_a_pod_need_its_egress_too()
    {
        var engine = EngineWith("test-network-policy,default-deny-egress@myproject");
        var fromFrontend = engine.Receivers(engine.FindPod("default", "frontend")!, ProtocolPort.Tcp(6379));
        Assert.Contains(fromFrontend, v => v.Destination.Pod!.Name == "db" && v.Ingress!.AllowedBy.Single().ToString() == "default/test-network-policy ingress[0]");
        Assert.DoesNotContain(fromFrontend, v => v.Destination.Pod!.Name == "frontend");
        // worker's namespace may let it into db, but worker's own egress is denied.
        Assert.Empty(engine.Receivers(engine.FindPod("myproject", "worker")!, ProtocolPort.Tcp(6379)));
    }

    [Fact]
    public void Every_pod_of_a_namespace_is_judged_by_the_policies_that_select_every_pod()
    {
        var engine = EngineWith("default-deny-all@prod,prod-app-in,allow-all-egress@prod");
        var everyPod = PolicyPod.AnyPodIn("prod");
        Assert.Equal(["prod/default-deny-all"], engine.Isolation(everyPod, TrafficDirection.Ingress).IsolatedBy.Select(r => r.ToString()));
        Assert.Equal(["prod/allow-all-egress egress[0]"], engine.RulesAllowingAllTraffic(everyPod, TrafficDirection.Egress).Select(r => r.ToString()));
        Assert.Empty(engine.RulesAllowingAllTraffic(everyPod, TrafficDirection.Ingress));
    }

    [Fact]
    public void A_connection_needs_a_pod_at_one_end()
    {
        var engine = EngineWith("default-deny-all");
        Assert.Throws<ArgumentException>(() => engine.Connect(IPAddress.Parse("8.8.8.8"), IPAddress.Parse("1.1.1.1"), ProtocolPort.Tcp(80)));
        var inbound = engine.Connect(IPAddress.Parse("8.8.8.8"), engine.FindPod("default", "db")!, ProtocolPort.Tcp(80));
        Assert.Null(inbound.Egress);
        Assert.False(inbound.Allowed);
    }

    [Theory]
    [InlineData("ingress: [{}]", true)]
    [InlineData("ingress: [{from: [{namespaceSelector: {}}]}]", true)]
    [InlineData("ingress: [{from: [{namespaceSelector: {}, podSelector: {}}]}]", true)]
    [InlineData("ingress: [{from: [{podSelector: {}}]}]", false)]
    [InlineData("ingress: [{from: [{namespaceSelector: {matchLabels: {a: b}}}]}]", false)]
    [InlineData("ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}]}]", true)]
    [InlineData("ingress: [{from: [{ipBlock: {cidr: '::/0'}}]}]", true)]
    [InlineData("ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}]}]", false)]
    [InlineData("ingress: [{ports: [{port: 443}]}]", false)]
    [InlineData("ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: 443}]}]", false)]
    public void Rules_that_allow_all_traffic_back(string rules, bool expected)
    {
        var policy = k8s.KubernetesYaml.Deserialize<V1NetworkPolicy>($"metadata: {{name: p, namespace: default}}\nspec:\n  podSelector: {{}}\n  {rules}");
        var rule = Assert.Single(new EffectivePolicy(policy).IngressRules);
        Assert.Equal(expected, rule.AllowsAllTraffic);
    }

    [Theory]
    [InlineData("169.254.20.10/32", "169.254.20.10", true)]
    [InlineData("169.254.0.0/16", "169.254.20.10", true)]
    [InlineData("0.0.0.0/0", "169.254.20.10", true)]
    [InlineData("169.254.20.11/32", "169.254.20.10", false)]
    [InlineData("10.0.0.0/8", "169.254.20.10", false)]
    [InlineData("::/0", "169.254.20.10", false)]
    [InlineData("0.0.0.0/0", "fd00:ec2::254", false)]
    [InlineData("fd00:ec2::/64", "fd00:ec2::254", true)]
    [InlineData("fd00:ec2::254/128", "fd00:ec2::255", false)]
    [InlineData("10.1.2.3/8", "10.200.0.1", true)]
    [InlineData("0.0.0.0/0", "::ffff:8.8.8.8", true)]
    public void Cidr_containment(string cidr, string address, bool expected)
    {
        Assert.True(Cidr.TryParse(cidr, out var block));
        Assert.Equal(expected, block.Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0/8")]
    [InlineData("not-a-cidr")]
    [InlineData("")]
    public void Unreadable_cidrs_match_nothing(string cidr)
    {
        Assert.False(Cidr.TryParse(cidr, out _));
        Assert.False(PolicyRule.IpBlockContains(new V1IPBlock { Cidr = cidr }, IPAddress.Parse("10.0.0.1")));
    }
}
