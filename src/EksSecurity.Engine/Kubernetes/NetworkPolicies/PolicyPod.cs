using System.Net;
using k8s.Models;

namespace EksSecurity.Engine.Kubernetes.NetworkPolicies;

/// <summary>
/// A pod as NetworkPolicy sees it: namespace, labels, host networking, addresses, node and container ports (named ports resolve
/// against them). <see cref="AnyPodIn"/> stands for every pod of a namespace when the pods are not known (manifests, or a rule
/// that judges a namespace): its labels are unknown, so only policies and peers with an empty pod selector are sure to select it.
/// </summary>
internal sealed class PolicyPod
{
    public PolicyPod(string ns, string name, IReadOnlyDictionary<string, string>? labels, bool hostNetwork = false,
        IReadOnlyList<IPAddress>? addresses = null, IReadOnlyList<V1ContainerPort>? ports = null, string? nodeName = null)
    {
        Namespace = ns;
        Name = name;
        Labels = labels;
        HostNetwork = hostNetwork;
        Addresses = (addresses ?? []).Select(Cidr.Normalize).ToList();
        Ports = ports ?? [];
        NodeName = nodeName;
    }

    public string Namespace { get; }
    public string Name { get; }

    /// <summary>Null for <see cref="AnyPodIn"/>: the labels are not known.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; }

    /// <summary>A host-network pod shares its node's network namespace: NetworkPolicy does not isolate it, and its traffic is node traffic.</summary>
    public bool HostNetwork { get; }

    public IReadOnlyList<IPAddress> Addresses { get; }
    public IReadOnlyList<V1ContainerPort> Ports { get; }
    public string? NodeName { get; }

    public bool IsAnyPod => Labels is null;

    public static PolicyPod AnyPodIn(string ns) => new(ns, "*", null);

    public static PolicyPod From(V1Pod pod)
    {
        var spec = pod.Spec;
        var addresses = new List<IPAddress>();
        foreach (var ip in pod.Status?.PodIPs ?? [])
            if (IPAddress.TryParse(ip.Ip, out var address)) addresses.Add(address);
        if (addresses.Count == 0 && IPAddress.TryParse(pod.Status?.PodIP, out var single)) addresses.Add(single);
        // Restartable init containers (sidecars) serve on their ports too, and named ports resolve across all containers.
        var ports = (spec?.Containers ?? []).Concat(spec?.InitContainers ?? []).SelectMany(c => c.Ports ?? []).ToList();
        var labels = new Dictionary<string, string>(pod.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        return new PolicyPod(pod.Metadata?.NamespaceProperty ?? "", pod.Metadata?.Name ?? "", labels, spec?.HostNetwork == true, addresses, ports, spec?.NodeName);
    }

    /// <summary>The container port a named NetworkPolicy port stands for on this pod, if one of its containers has it.</summary>
    public int? ResolvePort(string name, string protocol) =>
        Ports.FirstOrDefault(p => p.Name == name && string.Equals(p.Protocol ?? "TCP", protocol, StringComparison.OrdinalIgnoreCase))?.ContainerPort;

    public bool IsSamePod(PolicyPod other) => !IsAnyPod && !other.IsAnyPod && Namespace == other.Namespace && Name == other.Name;

    public override string ToString() => IsAnyPod ? $"every pod of {Namespace}" : $"pod {Namespace}/{Name}";
}
