using System.Net;
using System.Net.Sockets;
using EksSecurity.Engine.Rules.Net;

namespace EksSecurity.Engine.Kubernetes.NetworkPolicies;

/// <summary>
/// An IPv4 or IPv6 CIDR block as an ipBlock spells it. Bits after the prefix are ignored ("10.1.2.3/8" is 10.0.0.0/8), as Go's
/// net.ParseCIDR, which the API server and the network plugins use, ignores them.
/// </summary>
internal readonly struct Cidr
{
    private readonly byte[] _network;

    private Cidr(byte[] network, AddressFamily family, int prefixLength)
    {
        _network = network;
        Family = family;
        PrefixLength = prefixLength;
    }

    public AddressFamily Family { get; }
    public int PrefixLength { get; }

    /// <summary>0.0.0.0/0 or ::/0: every address of its family.</summary>
    public bool IsWholeFamily => PrefixLength == 0;

    public static bool TryParse(string? text, out Cidr cidr)
    {
        cidr = default;
        if (!PublicEndpointNotOpenToInternet.TryParseCidr(text, out var family, out var prefix)) return false;
        var trimmed = text!.Trim();
        var slash = trimmed.IndexOf('/');
        var address = IPAddress.Parse(slash < 0 ? trimmed : trimmed[..slash]);
        cidr = new Cidr(address.GetAddressBytes(), family, prefix);
        return true;
    }

    public bool Contains(IPAddress address)
    {
        address = Normalize(address);
        if (_network is null || address.AddressFamily != Family) return false;
        var bytes = address.GetAddressBytes();
        for (var bit = 0; bit < PrefixLength; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((_network[bit / 8] & mask) != (bytes[bit / 8] & mask)) return false;
        }
        return true;
    }

    /// <summary>An IPv4 address written as IPv6 (::ffff:a.b.c.d) is the IPv4 address: that is how it travels.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public override string ToString() => _network is null ? "(none)" : $"{new IPAddress(_network)}/{PrefixLength}";
}
