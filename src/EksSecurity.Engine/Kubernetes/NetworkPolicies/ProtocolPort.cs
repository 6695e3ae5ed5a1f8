namespace EksSecurity.Engine.Kubernetes.NetworkPolicies;

/// <summary>The destination of a connection on the wire: protocol (TCP, UDP or SCTP) and port number.</summary>
internal readonly record struct ProtocolPort
{
    public ProtocolPort(string protocol, int number)
    {
        Protocol = protocol.ToUpperInvariant();
        Number = number;
    }

    public string Protocol { get; }
    public int Number { get; }

    public static ProtocolPort Tcp(int number) => new("TCP", number);
    public static ProtocolPort Udp(int number) => new("UDP", number);
    public static ProtocolPort Sctp(int number) => new("SCTP", number);

    public override string ToString() => $"{Number}/{Protocol}";
}
