using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Net;

/// <summary>Builders for namespaces, NetworkPolicies, DaemonSets, Services and Ingresses used by the network rule tests.</summary>
internal static class NetworkFixtures
{
    public static V1Namespace Namespace(string name, IDictionary<string, string>? labels = null) => new() { Metadata = TestSnapshots.Meta(name, labels: labels) };

    public static V1LabelSelector Labels(params (string Key, string Value)[] labels) =>
        new() { MatchLabels = labels.ToDictionary(l => l.Key, l => l.Value) };

    public static V1NetworkPolicy Policy(string ns, string name, V1LabelSelector? podSelector = null, string[]? types = null,
        List<V1NetworkPolicyIngressRule>? ingress = null, List<V1NetworkPolicyEgressRule>? egress = null) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns),
        Spec = new V1NetworkPolicySpec { PodSelector = podSelector ?? new V1LabelSelector(), PolicyTypes = types?.ToList(), Ingress = ingress, Egress = egress },
    };

    public static V1NetworkPolicyPort Port(string protocol, IntOrString? port, int? endPort = null) => new() { Protocol = protocol, Port = port, EndPort = endPort };

    /// <summary>Egress to kube-system's kube-dns pods on the given ports.</summary>
    public static V1NetworkPolicyEgressRule DnsEgress(params V1NetworkPolicyPort[] ports) => new()
    {
        To = [new V1NetworkPolicyPeer { NamespaceSelector = Labels(("kubernetes.io/metadata.name", "kube-system")), PodSelector = Labels(("k8s-app", "kube-dns")) }],
        Ports = ports.ToList(),
    };

    public static V1DaemonSet DaemonSet(string ns, string name, params V1Container[] containers) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns),
        Spec = new V1DaemonSetSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = containers.ToList() } } },
    };

    /// <summary>kube-system/aws-node with the network policy agent container and its flag (null: no flag; "none": no agent container).</summary>
    public static V1DaemonSet AwsNode(string? enableNetworkPolicy)
    {
        var containers = new List<V1Container> { new() { Name = "aws-node", Image = "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.0" } };
        if (enableNetworkPolicy != "none")
            containers.Add(new V1Container
            {
                Name = "aws-eks-nodeagent",
                Image = "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/aws-network-policy-agent:v1.2.0",
                Args = enableNetworkPolicy is null
                    ? ["--enable-ipv6=false", "--metrics-bind-addr=:8162"]
                    : [$"--enable-network-policy={enableNetworkPolicy}", "--enable-ipv6=false"],
            });
        return DaemonSet("kube-system", "aws-node", [.. containers]);
    }

    public static V1ConfigMap ConfigMap(string ns, string name, params (string Key, string Value)[] data) =>
        new() { Metadata = TestSnapshots.Meta(name, ns), Data = data.ToDictionary(d => d.Key, d => d.Value) };

    public static V1Service Service(string ns, string name, string type, IDictionary<string, string>? annotations = null, params V1ServicePort[] ports) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns, annotations: annotations),
        Spec = new V1ServiceSpec { Type = type, Ports = ports.Length == 0 ? [new V1ServicePort { Port = 443, Protocol = "TCP" }] : ports.ToList() },
    };

    public static V1ServicePort ServicePort(int port, string? name = null, string? appProtocol = null, string protocol = "TCP") =>
        new() { Port = port, Name = name, AppProtocol = appProtocol, Protocol = protocol };

    public static V1Ingress Ingress(string ns, string name, string? className, IDictionary<string, string>? annotations = null,
        List<V1IngressTLS>? tls = null, params string[] hosts) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns, annotations: annotations),
        Spec = new V1IngressSpec
        {
            IngressClassName = className,
            Tls = tls,
            Rules = hosts.Select(h => new V1IngressRule { Host = h }).ToList(),
        },
    };

    public static Dictionary<string, string> Annotations(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    public static ClusterSnapshot Add<T>(this ClusterSnapshot snapshot, Func<KubernetesSections, Section<T>?> section, params T[] items)
    {
        section(snapshot.Kubernetes)!.Items!.AddRange(items);
        return snapshot;
    }
}
