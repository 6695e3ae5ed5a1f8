using System.Net;
using EksSecurity.Engine.Kubernetes.NetworkPolicies;
using k8s;
using k8s.Models;

namespace EksSecurity.Tests.Kubernetes.NetworkPolicies;

/// <summary>
/// A small cluster (namespaces and pods with labels, ports, addresses and nodes) and a library of NetworkPolicies, most of them the
/// Kubernetes NetworkPolicy documentation's examples as written there, for table-driven engine tests. A question is a line of text
/// so that every case shows up by itself in the test results:
/// "isolated ingress ns/pod", "egress ns/pod -> 8.8.8.8 53/UDP", "ingress ns/pod &lt;- ns/other 6379/TCP",
/// "connect ns/a -> ns/b 80/TCP"; "ns/*" stands for every pod of the namespace.
/// </summary>
internal static class PolicyCluster
{
    public static readonly V1Namespace[] Namespaces =
    [
        Namespace("default"),
        Namespace("myproject", ("project", "myproject")),
        Namespace("alice", ("user", "alice")),
        Namespace("bob", ("user", "bob")),
        Namespace("kube-system"),
        Namespace("prod", ("env", "prod")),
        Namespace("dev", ("env", "dev")),
    ];

    public static readonly V1Pod[] Pods =
    [
        Pod("default", "db", [("role", "db")], "10.1.0.10", "node-1", Port("redis", 6379)),
        Pod("default", "frontend", [("role", "frontend")], "10.1.0.11", "node-2"),
        Pod("default", "backend", [("role", "backend")], "10.1.0.12", "node-1", Port("http", 8080), Port("metrics", 9090), Port("dns", 5353, "UDP")),
        Pod("default", "client", [("role", "client")], "10.1.0.13", "node-2"),
        // An address inside the documentation's ipBlock 172.17.0.0/16: ipBlock must not decide pod-to-pod traffic.
        Pod("default", "cache", [("role", "cache")], "172.17.0.5", "node-2"),
        // Labelled like the database, but on the host network: not subject to NetworkPolicy, and its traffic is node-1's.
        Pod("default", "node-agent", [("role", "db")], "192.168.1.10", "node-1", hostNetwork: true),
        Pod("myproject", "worker", [("app", "worker")], "10.1.1.10", "node-2"),
        Pod("alice", "client", [("role", "client")], "10.1.2.10", "node-1"),
        Pod("alice", "server", [("role", "server")], "10.1.2.11", "node-2"),
        Pod("bob", "client", [("role", "client")], "10.1.3.10", "node-1"),
        Pod("kube-system", "coredns", [("k8s-app", "kube-dns")], "10.1.4.10", "node-1", Port("dns", 53, "UDP"), Port("dns-tcp", 53)),
        Pod("prod", "web", [("app", "web")], "10.1.5.10", "node-1"),
        Pod("prod", "api", [("app", "api"), ("tier", "backend")], "10.1.5.11", "node-2"),
        Pod("prod", "batch", [], "10.1.5.12", "node-2"),
        Pod("dev", "web", [("app", "web")], "10.1.6.10", "node-1"),
    ];

    /// <summary>Policies by name, "name@namespace" for another namespace than default; a reference "name@ns" moves one, as kubectl apply -n does.</summary>
    public static readonly IReadOnlyDictionary<string, string> Library = new Dictionary<string, string>
    {
        // https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource
        ["test-network-policy"] = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: test-network-policy
              namespace: default
            spec:
              podSelector:
                matchLabels:
                  role: db
              policyTypes:
              - Ingress
              - Egress
              ingress:
              - from:
                - ipBlock:
                    cidr: 172.17.0.0/16
                    except:
                    - 172.17.1.0/24
                - namespaceSelector:
                    matchLabels:
                      project: myproject
                - podSelector:
                    matchLabels:
                      role: frontend
                ports:
                - protocol: TCP
                  port: 6379
              egress:
              - to:
                - ipBlock:
                    cidr: 10.0.0.0/24
                ports:
                - protocol: TCP
                  port: 5978
            """,
        // #behavior-of-to-and-from-selectors: one element with both selectors (AND) versus two elements (OR).
        ["alice-clients-and"] = "spec: {podSelector: {matchLabels: {role: db}}, ingress: [{from: [{namespaceSelector: {matchLabels: {user: alice}}, podSelector: {matchLabels: {role: client}}}]}]}",
        ["alice-or-clients"] = "spec: {podSelector: {matchLabels: {role: db}}, ingress: [{from: [{namespaceSelector: {matchLabels: {user: alice}}}, {podSelector: {matchLabels: {role: client}}}]}]}",
        // #default-policies
        ["default-deny-ingress"] = "spec: {podSelector: {}, policyTypes: [Ingress]}",
        ["allow-all-ingress"] = "spec: {podSelector: {}, ingress: [{}], policyTypes: [Ingress]}",
        ["default-deny-egress"] = "spec: {podSelector: {}, policyTypes: [Egress]}",
        ["allow-all-egress"] = "spec: {podSelector: {}, egress: [{}], policyTypes: [Egress]}",
        ["default-deny-all"] = "spec: {podSelector: {}, policyTypes: [Ingress, Egress]}",
        // #targeting-a-range-of-ports
        ["multi-port-egress"] = """
            spec:
              podSelector: {matchLabels: {role: db}}
              policyTypes: [Egress]
              egress:
              - to: [{ipBlock: {cidr: 10.0.0.0/24}}]
                ports: [{protocol: TCP, port: 32000, endPort: 32768}]
            """,
        // #targeting-a-namespace-by-its-name
        ["from-alice-by-name"] = "spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: alice}}}]}]}",
        // policyTypes defaulting: egress rules without policyTypes isolate egress too, an empty egress list does not, and rules of a
        // direction policyTypes leaves out are ignored.
        ["egress-rules-no-types"] = "spec: {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]}",
        ["empty-egress-no-types"] = "spec: {podSelector: {}, egress: []}",
        ["egress-type-with-ingress-rules"] = "spec: {podSelector: {}, policyTypes: [Egress], ingress: [{}]}",
        ["ingress-type-with-egress-rules"] = "spec: {podSelector: {}, policyTypes: [Ingress], ingress: [{}], egress: [{}]}",
        ["empty-ingress-list"] = "spec: {podSelector: {}, policyTypes: [Ingress], ingress: []}",
        // A rule with ports and no from: any source on those ports (the protocol defaults to TCP).
        ["backend-port-8080"] = "spec: {podSelector: {matchLabels: {role: backend}}, ingress: [{ports: [{port: 8080}]}]}",
        // podSelector {} as a peer: every pod of the policy's namespace; namespaceSelector {}: every pod of every namespace.
        ["backend-from-own-namespace"] = "spec: {podSelector: {matchLabels: {role: backend}}, ingress: [{from: [{podSelector: {}}]}]}",
        ["backend-from-every-namespace"] = "spec: {podSelector: {matchLabels: {role: backend}}, ingress: [{from: [{namespaceSelector: {}}]}]}",
        ["backend-named-port"] = """
            spec:
              podSelector: {matchLabels: {role: backend}}
              ingress:
              - from: [{podSelector: {matchLabels: {role: frontend}}}]
                ports: [{port: http}, {port: dns}, {protocol: UDP, port: metrics}]
            """,
        ["frontend-egress-named-port"] = """
            spec:
              podSelector: {matchLabels: {role: frontend}}
              policyTypes: [Egress]
              egress:
              - to: [{podSelector: {}}, {ipBlock: {cidr: 0.0.0.0/0}}]
                ports: [{port: http}, {protocol: UDP, port: dns}]
            """,
        ["prod-app-in@prod"] = "spec: {podSelector: {matchExpressions: [{key: app, operator: In, values: [web, api]}]}, policyTypes: [Ingress]}",
        ["prod-app-notin@prod"] = "spec: {podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [web]}]}, policyTypes: [Ingress]}",
        ["prod-tier-exists@prod"] = "spec: {podSelector: {matchExpressions: [{key: tier, operator: Exists}]}, policyTypes: [Ingress]}",
        ["prod-app-doesnotexist@prod"] = "spec: {podSelector: {matchExpressions: [{key: app, operator: DoesNotExist}]}, policyTypes: [Ingress]}",
        ["prod-from-dev-namespaces@prod"] = """
            spec:
              podSelector: {matchLabels: {app: web}}
              ingress:
              - from:
                - namespaceSelector: {matchExpressions: [{key: env, operator: In, values: [dev]}]}
                  podSelector: {matchLabels: {app: web}}
            """,
        // The instance metadata deny: everything but IMDS, in both IP families.
        ["deny-imds@prod"] = """
            spec:
              podSelector: {}
              policyTypes: [Egress]
              egress:
              - to:
                - ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}
                - ipBlock: {cidr: '::/0', except: ['fd00:ec2::254/128']}
            """,
        ["deny-imds-ipv6-only@prod"] = "spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: '::/0', except: ['fd00:ec2::254/128']}}]}]}",
        // Host bits after the prefix are ignored, as Go's net.ParseCIDR does.
        ["sloppy-cidr"] = "spec: {podSelector: {matchLabels: {role: db}}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 10.0.0.5/24}}]}]}",
        ["from-node-network"] = "spec: {podSelector: {matchLabels: {role: frontend}}, ingress: [{from: [{ipBlock: {cidr: 192.168.0.0/16}}]}]}",
        ["frontend-from-db-pods"] = "spec: {podSelector: {matchLabels: {role: frontend}}, ingress: [{from: [{podSelector: {matchLabels: {role: db}}}]}]}",
        ["sctp-and-any-udp"] = "spec: {podSelector: {matchLabels: {role: frontend}}, ingress: [{ports: [{protocol: SCTP, port: 9000}, {protocol: UDP}]}]}",
    };

    /// <summary>An engine over the cluster and the named policies ("a,b@ns").</summary>
    public static NetworkPolicyEngine EngineWith(string policies) =>
        new(policies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Policy), Namespaces, Pods);

    /// <summary>
    /// A policy of the library by name. Its name is the key's; its namespace the one after "@" in the reference, else the key's,
    /// else default (kubectl apply without -n).
    /// </summary>
    public static V1NetworkPolicy Policy(string reference)
    {
        var (name, ns) = Split(reference);
        var key = Library.Keys.Single(k => Split(k).Name == name);
        var policy = KubernetesYaml.Deserialize<V1NetworkPolicy>(Library[key]);
        policy.Metadata ??= new V1ObjectMeta();
        policy.Metadata.Name ??= name;
        policy.Metadata.NamespaceProperty = ns ?? Split(key).Namespace ?? policy.Metadata.NamespaceProperty ?? "default";
        return policy;
    }

    private static (string Name, string? Namespace) Split(string reference)
    {
        var at = reference.IndexOf('@');
        return at < 0 ? (reference, null) : (reference[..at], reference[(at + 1)..]);
    }

    /// <summary>Answers a question written as text, with the verdict's explanation.</summary>
    public static (bool Answer, string Explanation) Ask(NetworkPolicyEngine engine, string question)
    {
        var words = question.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words[0])
        {
            case "isolated":
                var isolation = engine.Isolation(PodOf(engine, words[2]), words[1] == "ingress" ? TrafficDirection.Ingress : TrafficDirection.Egress);
                return (isolation.IsIsolated, isolation.ToString());
            case "egress":
                var egress = engine.Egress(PodOf(engine, words[1]), Peer(engine, words[3]), PortOf(words[4]));
                return (egress.Allowed, egress.ToString());
            case "ingress":
                var ingress = engine.Ingress(PodOf(engine, words[1]), Peer(engine, words[3]), PortOf(words[4]));
                return (ingress.Allowed, ingress.ToString());
            case "connect":
                var connection = engine.Connect(Peer(engine, words[1]), Peer(engine, words[3]), PortOf(words[4]));
                return (connection.Allowed, connection.ToString());
            default:
                throw new ArgumentException($"Unknown question: {question}");
        }
    }

    public static PolicyPod PodOf(NetworkPolicyEngine engine, string text)
    {
        var slash = text.IndexOf('/');
        var (ns, name) = (text[..slash], text[(slash + 1)..]);
        return name == "*" ? PolicyPod.AnyPodIn(ns) : engine.FindPod(ns, name) ?? throw new ArgumentException($"No pod {text} in the test cluster.");
    }

    private static TrafficPeer Peer(NetworkPolicyEngine engine, string text) => text.Contains('/') ? PodOf(engine, text) : IPAddress.Parse(text);

    public static ProtocolPort PortOf(string text)
    {
        var slash = text.IndexOf('/');
        return new ProtocolPort(text[(slash + 1)..], int.Parse(text[..slash], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static V1Namespace Namespace(string name, params (string Key, string Value)[] labels) =>
        new() { Metadata = new V1ObjectMeta { Name = name, Labels = labels.ToDictionary(l => l.Key, l => l.Value) } };

    private static V1ContainerPort Port(string name, int number, string protocol = "TCP") => new() { Name = name, ContainerPort = number, Protocol = protocol };

    private static V1Pod Pod(string ns, string name, (string Key, string Value)[] labels, string ip, string node, params V1ContainerPort[] ports) =>
        Pod(ns, name, labels, ip, node, false, ports);

    private static V1Pod Pod(string ns, string name, (string Key, string Value)[] labels, string ip, string node, bool hostNetwork, params V1ContainerPort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels.ToDictionary(l => l.Key, l => l.Value) },
        Spec = new V1PodSpec
        {
            NodeName = node,
            HostNetwork = hostNetwork,
            Containers = [new V1Container { Name = "main", Image = "example", Ports = ports.ToList() }],
        },
        Status = new V1PodStatus { PodIP = ip, PodIPs = [new V1PodIP { Ip = ip }] },
    };
}
