using System.Net;
using System.Net.Sockets;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>EKS-NET-002: a public API endpoint is not reachable from the whole internet or from overly wide ranges.</summary>
public sealed class PublicEndpointNotOpenToInternet : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-002",
        Title = "Public endpoint not open to the internet",
        Severity = Severity.High,
        Area = RuleArea.Net,
        Rationale = "When the API server endpoint is public, publicAccessCidrs is the only network control in front of it. " +
                    "An empty list, 0.0.0.0/0, ::/0 or a very wide prefix lets any host on the internet reach the control plane " +
                    "and try credentials or exploit API server and authenticator flaws.",
        Remediation = "Restrict the public endpoint to the networks that need it: " +
                      "aws eks update-cluster-config --name <cluster> --resources-vpc-config publicAccessCidrs=203.0.113.0/24,198.51.100.10/32 " +
                      "(or turn public access off with endpointPublicAccess=false,endpointPrivateAccess=true).",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_make_the_eks_cluster_endpoint_private",
            "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigRequest.html",
        ],
        Frameworks = ["CIS EKS 1.8.0 5.4.1", "Kubescape C-0229", "Prowler eks_cluster_not_publicly_accessible"],
        Reads = [SnapshotSection.Cluster],
        Tags = ["cis", "network", "endpoint"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var vpc = context.Aws.Cluster!.Value?.ResourcesVpcConfig;
        if (vpc is null)
        {
            yield return context.Error(context.Cluster, "The cluster description has no resourcesVpcConfig; the public endpoint's CIDRs cannot be judged.");
            yield break;
        }
        var cidrs = vpc.PublicAccessCidrs ?? [];
        var evidence = new List<string>
        {
            $"resourcesVpcConfig.endpointPublicAccess = {(vpc.EndpointPublicAccess ? "true" : "false")}",
            $"resourcesVpcConfig.publicAccessCidrs = [{string.Join(", ", cidrs)}]",
        };
        if (!vpc.EndpointPublicAccess)
        {
            yield return context.Pass(context.Cluster, "The API server endpoint is not public; publicAccessCidrs does not apply.", evidence);
            yield break;
        }

        var minV4 = context.Settings.MinimumPublicCidrPrefixLength;
        var minV6 = context.Settings.MinimumPublicIpv6CidrPrefixLength;
        evidence.Add($"setting MinimumPublicCidrPrefixLength = {minV4} (IPv4), MinimumPublicIpv6CidrPrefixLength = {minV6} (IPv6)");

        if (cidrs.Count == 0)
        {
            // EKS answers an empty list as ["0.0.0.0/0"]; a snapshot edited by hand may still carry one.
            yield return context.Fail(context.Cluster, "The API server endpoint is public with no publicAccessCidrs, which EKS treats as 0.0.0.0/0: open to the whole internet.", evidence);
            yield break;
        }

        var open = new List<string>();
        var wide = new List<string>();
        var unreadable = new List<string>();
        foreach (var raw in cidrs)
        {
            if (!TryParseCidr(raw, out var family, out var prefix))
            {
                unreadable.Add(raw);
                continue;
            }
            if (prefix == 0) open.Add(raw);
            else if (prefix < (family == AddressFamily.InterNetworkV6 ? minV6 : minV4)) wide.Add(raw);
        }

        if (open.Count > 0 || wide.Count > 0)
        {
            var parts = new List<string>();
            if (open.Count > 0) parts.Add($"is open to every address through {string.Join(", ", open)}");
            if (wide.Count > 0) parts.Add($"allows ranges wider than the configured prefix length: {string.Join(", ", wide)}");
            if (unreadable.Count > 0) evidence.Add($"unreadable CIDR value(s): {string.Join(", ", unreadable)}");
            yield return context.Fail(context.Cluster, $"The public API server endpoint {string.Join("; and ", parts)}.", evidence);
        }
        else if (unreadable.Count > 0)
        {
            yield return context.Error(context.Cluster,
                $"publicAccessCidrs holds value(s) that are not CIDR blocks ({string.Join(", ", unreadable)}); how wide the public endpoint is open cannot be judged.", evidence);
        }
        else
        {
            yield return context.Pass(context.Cluster, $"The public API server endpoint is restricted to {cidrs.Count} CIDR block(s), none wider than the configured prefix length.", evidence);
        }
    }

    /// <summary>Parses "a.b.c.d/n" or "x::/n"; a bare address counts as a single host.</summary>
    internal static bool TryParseCidr(string? value, out AddressFamily family, out int prefix)
    {
        family = AddressFamily.Unknown;
        prefix = -1;
        if (string.IsNullOrWhiteSpace(value)) return false;
        var text = value.Trim();
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address)) return false;
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)) return false;
        // IPAddress.TryParse accepts shorthand such as "10" or "10.1"; a CIDR must spell out four octets.
        if (address.AddressFamily == AddressFamily.InterNetwork && addressText.Count(c => c == '.') != 3) return false;
        family = address.AddressFamily;
        var max = family == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0)
        {
            prefix = max;
            return true;
        }
        var prefixText = text[(slash + 1)..];
        if (prefixText.Length == 0 || !prefixText.All(char.IsAsciiDigit) || !int.TryParse(prefixText, out prefix) || prefix > max)
        {
            prefix = -1;
            family = AddressFamily.Unknown;
            return false;
        }
        return true;
    }
}
