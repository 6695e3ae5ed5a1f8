using k8s.Models;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// EKS-NET-012: Services of type LoadBalancer that serve HTTP(S)-looking ports terminate TLS at the AWS load balancer
/// (aws-load-balancer-ssl-cert, on the ports aws-load-balancer-ssl-ports names), or declare that the backend speaks TLS itself
/// (TLS passthrough: backend-protocol ssl/https, or the port's appProtocol https/tls/wss).
/// </summary>
public sealed class LoadBalancerServicesTerminateTls : Rule
{
    private static readonly string[] HttpProtocolWords = ["http", "https", "http2", "h2c", "grpc", "grpcs", "ws", "wss", "web"];
    private static readonly string[] TlsAppProtocols = ["https", "tls", "ssl", "grpcs", "wss", "kubernetes.io/wss"];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-012",
        Title = "LoadBalancer Services terminate TLS",
        Severity = Severity.Medium,
        Area = RuleArea.Net,
        Rationale = "A Service of type LoadBalancer puts an AWS load balancer in front of the pods. Unless a certificate is attached, web " +
                    "traffic crosses the network, and often the internet, in clear text: credentials, session cookies and data can be read or " +
                    "altered on the way. Terminating TLS at the load balancer with an ACM certificate encrypts it up to the VPC and lets AWS " +
                    "rotate the certificate.",
        Remediation = "Attach an ACM certificate and name the TLS ports:\n" +
                      "metadata:\n  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-ssl-cert: arn:aws:acm:<region>:<account>:certificate/<id>\n" +
                      "    service.beta.kubernetes.io/aws-load-balancer-ssl-ports: \"443\"\n" +
                      "(the ACM certificate must cover the service's host name). If the pods terminate TLS themselves, declare it so the load " +
                      "balancer passes the stream through: set service.beta.kubernetes.io/aws-load-balancer-backend-protocol: ssl, or appProtocol: " +
                      "https on the port.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html#_use_encryption_with_aws_load_balancers",
            "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/#tls",
            "https://kubernetes.io/docs/concepts/services-networking/service/#ssl-support-on-aws",
        ],
        Frameworks = ["HardenEKS use_encryption_with_aws_load_balancers", "CIS EKS 1.8.0 5.4.5", "Kubescape C-0231"],
        Reads = [SnapshotSection.Services],
        Tags = ["cis", "network", "tls", "load-balancer", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var service in context.Kubernetes.Services!.All)
        {
            if (!AwsLoadBalancers.IsAwsLoadBalancer(service)) continue;
            var httpPorts = (service.Spec!.Ports ?? [])
                .Where(p => (p.Protocol ?? "TCP") == "TCP" && IsHttpLike(p, context.Settings.HttpLikePorts)).ToList();
            // Databases, brokers and other TCP protocols are not judged here.
            if (httpPorts.Count == 0) continue;

            var meta = service.Metadata;
            var resource = ResourceRef.Of("Service", meta);
            var cert = AwsLoadBalancers.Annotation(meta, AwsLoadBalancers.SslCert);
            var sslPortsValue = AwsLoadBalancers.Annotation(meta, AwsLoadBalancers.SslPorts);
            var sslPorts = AwsLoadBalancers.SplitList(sslPortsValue);
            var allPorts = sslPortsValue is null || sslPorts.Contains("*");
            var backend = AwsLoadBalancers.Annotation(meta, AwsLoadBalancers.BackendProtocol);
            var backendTls = backend is not null && (backend.Equals("ssl", StringComparison.OrdinalIgnoreCase) || backend.Equals("https", StringComparison.OrdinalIgnoreCase));

            var evidence = new List<string>
            {
                $"{AwsLoadBalancers.Controller(service)}",
                $"{AwsLoadBalancers.SslCert} = {cert ?? "(unset)"}",
                $"{AwsLoadBalancers.SslPorts} = {sslPortsValue ?? "(unset; every port when a certificate is set)"}",
            };
            if (backend is not null) evidence.Add($"{AwsLoadBalancers.BackendProtocol} = {backend}");

            var plain = new List<string>();
            var secured = new List<string>();
            foreach (var port in httpPorts)
            {
                var label = Describe(port);
                var listed = allPorts || sslPorts.Contains(port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)) ||
                             (port.Name is not null && sslPorts.Contains(port.Name));
                if (cert is not null && listed)
                {
                    secured.Add(label);
                    evidence.Add($"port {label}: TLS terminated at the load balancer");
                }
                else if (backendTls || (port.AppProtocol is { } app && TlsAppProtocols.Contains(app.ToLowerInvariant())))
                {
                    secured.Add(label);
                    evidence.Add($"port {label}: TLS passthrough declared ({(backendTls ? $"backend-protocol {backend}" : $"appProtocol {port.AppProtocol}")}); the pods terminate TLS");
                }
                else
                {
                    plain.Add(label);
                    evidence.Add($"port {label}: plain " + (cert is null ? "(no certificate)" : "(not in ssl-ports)"));
                }
            }

            var name = $"{meta?.NamespaceProperty}/{meta?.Name}";
            if (plain.Count == 0)
                yield return context.Pass(resource, $"Service {name} encrypts its HTTP(S) port(s) {string.Join(", ", secured)}.", evidence);
            else if (secured.Count > 0)
                yield return context.Warn(resource,
                    $"Service {name} encrypts {string.Join(", ", secured)} but also serves {string.Join(", ", plain)} in clear text; acceptable only if that port just redirects to HTTPS.",
                    evidence);
            else
                yield return context.Fail(resource,
                    $"Service {name} exposes HTTP(S) port(s) {string.Join(", ", plain)} through its load balancer without TLS.", evidence);
        }
    }

    /// <summary>An HTTP(S)-looking port: a configured port number, or a name or appProtocol that names an HTTP protocol.</summary>
    internal static bool IsHttpLike(V1ServicePort port, IReadOnlyList<int> httpPorts)
    {
        if (httpPorts.Contains(port.Port)) return true;
        foreach (var word in new[] { port.Name, port.AppProtocol })
        {
            if (string.IsNullOrEmpty(word)) continue;
            var w = word.ToLowerInvariant();
            if (w.StartsWith("kubernetes.io/", StringComparison.Ordinal)) w = w["kubernetes.io/".Length..];
            // Istio-style names: http, http-web, https-admin, grpc-api.
            var head = w.Split('-', '_')[0];
            if (HttpProtocolWords.Contains(head)) return true;
        }
        return false;
    }

    private static string Describe(V1ServicePort port) =>
        $"{port.Port}/{port.Protocol ?? "TCP"}" + (string.IsNullOrEmpty(port.Name) ? "" : $" ({port.Name})");
}
