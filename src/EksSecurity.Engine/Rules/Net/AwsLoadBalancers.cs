using k8s.Models;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// How a Service of type LoadBalancer or an Ingress turns into an AWS load balancer: which controller builds it, its scheme and
/// its TLS and source-range annotations (EKS-NET-012, 013, 014). Annotation names and defaults are those of the in-tree AWS cloud
/// provider, the AWS Load Balancer Controller and EKS Auto Mode.
/// </summary>
internal static class AwsLoadBalancers
{
    public const string ServicePrefix = "service.beta.kubernetes.io/";
    public const string SslCert = ServicePrefix + "aws-load-balancer-ssl-cert";
    public const string SslPorts = ServicePrefix + "aws-load-balancer-ssl-ports";
    public const string BackendProtocol = ServicePrefix + "aws-load-balancer-backend-protocol";
    public const string LoadBalancerType = ServicePrefix + "aws-load-balancer-type";
    public const string Scheme = ServicePrefix + "aws-load-balancer-scheme";
    public const string Internal = ServicePrefix + "aws-load-balancer-internal";
    public const string SourceRanges = ServicePrefix + "load-balancer-source-ranges";
    public const string SecurityGroups = ServicePrefix + "aws-load-balancer-security-groups";
    public const string PrefixLists = ServicePrefix + "aws-load-balancer-security-group-prefix-lists";

    public const string AlbPrefix = "alb.ingress.kubernetes.io/";
    public const string AlbScheme = AlbPrefix + "scheme";
    public const string AlbInboundCidrs = AlbPrefix + "inbound-cidrs";
    public const string AlbSecurityGroups = AlbPrefix + "security-groups";
    public const string AlbPrefixLists = AlbPrefix + "security-group-prefix-lists";
    public const string AlbCertificateArn = AlbPrefix + "certificate-arn";
    public const string AlbListenPorts = AlbPrefix + "listen-ports";
    public const string AlbSslRedirect = AlbPrefix + "ssl-redirect";

    /// <summary>loadBalancerClass values that AWS controllers reconcile: the AWS Load Balancer Controller and EKS Auto Mode.</summary>
    public static readonly string[] AwsServiceClasses = ["service.k8s.aws/nlb", "eks.amazonaws.com/nlb"];

    public static string? Annotation(V1ObjectMeta? meta, string key) =>
        meta?.Annotations is { } a && a.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    /// <summary>A Service of type LoadBalancer that an AWS controller turns into an ELB (no loadBalancerClass, or an AWS one).</summary>
    public static bool IsAwsLoadBalancer(V1Service service) =>
        service.Spec?.Type == "LoadBalancer" &&
        (service.Spec.LoadBalancerClass is null || AwsServiceClasses.Contains(service.Spec.LoadBalancerClass, StringComparer.Ordinal));

    /// <summary>True when the AWS Load Balancer Controller or EKS Auto Mode builds the NLB (their scheme defaults to internal).</summary>
    public static bool ByLoadBalancerController(V1Service service)
    {
        if (service.Spec?.LoadBalancerClass is { } cls) return AwsServiceClasses.Contains(cls, StringComparer.Ordinal);
        return Annotation(service.Metadata, LoadBalancerType) is "external" or "nlb-ip";
    }

    public static string Controller(V1Service service) => service.Spec?.LoadBalancerClass switch
    {
        "eks.amazonaws.com/nlb" => "EKS Auto Mode NLB",
        "service.k8s.aws/nlb" => "AWS Load Balancer Controller NLB",
        _ => Annotation(service.Metadata, LoadBalancerType) switch
        {
            "external" or "nlb-ip" => "AWS Load Balancer Controller NLB",
            "nlb" => "in-tree NLB",
            _ => "in-tree Classic Load Balancer",
        },
    };

    /// <summary>Whether the Service's load balancer is internet-facing, and the evidence why.</summary>
    public static bool IsInternetFacing(V1Service service, out string why)
    {
        var scheme = Annotation(service.Metadata, Scheme);
        var internalValue = Annotation(service.Metadata, Internal);
        if (ByLoadBalancerController(service))
        {
            if (scheme is not null)
            {
                why = $"{Scheme} = {scheme}";
                return string.Equals(scheme, "internet-facing", StringComparison.OrdinalIgnoreCase);
            }
            if (internalValue is not null)
            {
                why = $"{Internal} = {internalValue} ({Scheme} unset)";
                return !string.Equals(internalValue, "true", StringComparison.OrdinalIgnoreCase);
            }
            why = $"{Scheme} unset: {Controller(service)} defaults to internal";
            return false;
        }
        // The in-tree cloud provider: internet-facing unless the internal annotation holds anything but "false".
        if (internalValue is not null && !string.Equals(internalValue, "false", StringComparison.OrdinalIgnoreCase))
        {
            why = $"{Internal} = {internalValue}";
            return false;
        }
        why = internalValue is null
            ? $"{Internal} unset: the {Controller(service)} is internet-facing by default"
            : $"{Internal} = {internalValue}";
        if (scheme is not null)
            why += $"; {Scheme} = {scheme} is ignored by the in-tree provider (it applies only to Services the AWS Load Balancer Controller " +
                   "reconciles: loadBalancerClass service.k8s.aws/nlb, which its webhook sets at creation, or aws-load-balancer-type external)";
        return true;
    }

    /// <summary>An Ingress the AWS Load Balancer Controller (or Auto Mode) turns into an ALB: class "alb" or alb.ingress.kubernetes.io annotations.</summary>
    public static bool IsAlbIngress(V1Ingress ingress) =>
        IngressClass(ingress) == "alb" || (ingress.Metadata?.Annotations?.Keys.Any(k => k.StartsWith(AlbPrefix, StringComparison.Ordinal)) ?? false);

    /// <summary>spec.ingressClassName, or the legacy kubernetes.io/ingress.class annotation.</summary>
    public static string? IngressClass(V1Ingress ingress) =>
        ingress.Spec?.IngressClassName ?? Annotation(ingress.Metadata, "kubernetes.io/ingress.class");

    /// <summary>Comma-separated annotation values, trimmed, empty entries dropped.</summary>
    public static List<string> SplitList(string? value) =>
        value is null ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>"namespace/name" of an object, for allow-lists.</summary>
    public static string Key(V1ObjectMeta? meta) => $"{meta?.NamespaceProperty ?? ""}/{meta?.Name ?? ""}";

    /// <summary>The source CIDRs that open a load balancer to everyone (0.0.0.0/0, ::/0), and the ones that are not CIDRs.</summary>
    public static (List<string> Open, List<string> Unreadable) OpenSources(IEnumerable<string> cidrs)
    {
        var open = new List<string>();
        var unreadable = new List<string>();
        foreach (var cidr in cidrs)
        {
            if (!PublicEndpointNotOpenToInternet.TryParseCidr(cidr, out _, out var prefix)) unreadable.Add(cidr);
            else if (prefix == 0) open.Add(cidr);
        }
        return (open, unreadable);
    }
}
