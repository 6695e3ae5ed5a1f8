using System.Net;

namespace EksSecurity.Engine.Kubernetes.NetworkPolicies;

/// <summary>The other end of a connection: a pod of the cluster (matched by selectors) or a cluster-external address (matched by ipBlock).</summary>
internal sealed class TrafficPeer
{
    private TrafficPeer(PolicyPod? pod, IPAddress? address)
    {
        Pod = pod;
        Address = address;
    }

    public PolicyPod? Pod { get; }
    public IPAddress? Address { get; }

    public static TrafficPeer Of(PolicyPod pod) => new(pod, null);
    public static TrafficPeer Of(IPAddress address) => new(null, Cidr.Normalize(address));
    public static TrafficPeer Of(string address) => Of(IPAddress.Parse(address));

    public static implicit operator TrafficPeer(PolicyPod pod) => Of(pod);
    public static implicit operator TrafficPeer(IPAddress address) => Of(address);

    /// <summary>
    /// The addresses an ipBlock is matched against: the external address, or a host-network pod's own (its node's) addresses,
    /// since its traffic is node traffic. Pods on the pod network have none: they are matched by selectors only.
    /// </summary>
    public IEnumerable<IPAddress> IpBlockAddresses => Address is not null ? [Address] : Pod is { HostNetwork: true } ? Pod.Addresses : [];

    public override string ToString() => Pod?.ToString() ?? Address!.ToString();
}
