using System.Text.Json;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// EKS-NET-013: Ingresses serve HTTPS. For ALB Ingresses (AWS Load Balancer Controller, EKS Auto Mode) the listeners come from
/// alb.ingress.kubernetes.io/listen-ports and certificate-arn: spec.tls alone opens no HTTPS listener. For other controllers
/// spec.tls must cover the rules' hosts, unless the class is fronted by a TLS-terminating load balancer (a setting).
/// </summary>
public sealed class IngressesUseTls : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-013",
        Title = "Ingresses use TLS",
        Severity = Severity.Medium,
        Area = RuleArea.Net,
        Rationale = "An Ingress is the front door of a web application. Served over plain HTTP, every request and response, with its " +
                    "passwords, tokens and cookies, can be read and changed by anyone on the path. HTTPS at the ingress (an ACM certificate " +
                    "on the ALB, or a certificate in spec.tls for an in-cluster controller) and a redirect from HTTP keep that traffic private.",
        Remediation = "For an ALB Ingress, attach an ACM certificate, listen on HTTPS and redirect HTTP:\n" +
                      "metadata:\n  annotations:\n    alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:<region>:<account>:certificate/<id>\n" +
                      "    alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 80}, {\"HTTPS\": 443}]'\n    alb.ingress.kubernetes.io/ssl-redirect: \"443\"\n" +
                      "For other controllers (ingress-nginx, Traefik...), add spec.tls with a certificate Secret for every host (cert-manager can " +
                      "issue and renew them). If the controller sits behind an NLB that terminates TLS, add its class to the TlsTerminatingIngressClasses setting.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html#_ingress_controllers_and_load_balancers",
            "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#tls",
            "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",
        ],
        Frameworks = ["Kubescape C-0263"],
        Reads = [SnapshotSection.Ingresses],
        Tags = ["network", "tls", "ingress", "load-balancer", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var ingress in context.Kubernetes.Ingresses!.All)
            yield return AwsLoadBalancers.IsAlbIngress(ingress) ? JudgeAlb(context, ingress) : JudgeOther(context, ingress);
    }

    private static EksSecurityFinding JudgeAlb(RuleContext context, V1Ingress ingress)
    {
        var meta = ingress.Metadata;
        var resource = ResourceRef.Of("Ingress", meta);
        var name = AwsLoadBalancers.Key(meta);
        var cert = AwsLoadBalancers.Annotation(meta, AwsLoadBalancers.AlbCertificateArn);
        var listenValue = AwsLoadBalancers.Annotation(meta, AwsLoadBalancers.AlbListenPorts);
        var redirect = AwsLoadBalancers.Annotation(meta, AwsLoadBalancers.AlbSslRedirect);
        var evidence = new List<string>
        {
            $"ALB Ingress (class {AwsLoadBalancers.IngressClass(ingress) ?? "(unset)"})",
            $"{AwsLoadBalancers.AlbCertificateArn} = {cert ?? "(unset)"}",
            $"{AwsLoadBalancers.AlbListenPorts} = {listenValue ?? "(unset)"}",
        };

        List<(string Protocol, int Port)> listeners;
        if (listenValue is null)
        {
            // The controller listens on HTTPS 443 only when a certificate ARN is given; otherwise on HTTP 80, whatever spec.tls says.
            listeners = cert is not null ? [("HTTPS", 443)] : [("HTTP", 80)];
            evidence.Add($"listeners (controller default): {string.Join(", ", listeners.Select(l => $"{l.Protocol}:{l.Port}"))}");
        }
        else if (TryParseListenPorts(listenValue, out var parsed))
            listeners = parsed;
        else
            return context.Warn(resource, $"Ingress {name}: {AwsLoadBalancers.AlbListenPorts} is not a JSON list such as [{{\"HTTPS\": 443}}]; the controller rejects it, so its listeners cannot be judged.", evidence);

        var https = listeners.Where(l => l.Protocol == "HTTPS").ToList();
        var http = listeners.Where(l => l.Protocol == "HTTP").ToList();
        var tlsHosts = (ingress.Spec?.Tls ?? []).SelectMany(t => t.Hosts ?? []).ToList();
        if (https.Count == 0)
        {
            if ((ingress.Spec?.Tls?.Count ?? 0) > 0)
                evidence.Add("spec.tls is set, but the ALB opens an HTTPS listener only when listen-ports names one or certificate-arn is set");
            return context.Fail(resource, $"Ingress {name} is served by its ALB over HTTP only ({string.Join(", ", http.Select(l => l.Port))}).", evidence);
        }

        var ruleHosts = (ingress.Spec?.Rules ?? []).Select(r => r.Host).Where(h => !string.IsNullOrEmpty(h)).Select(h => h!).ToList();
        if (cert is null)
        {
            if (tlsHosts.Count == 0 && ruleHosts.Count == 0)
            {
                evidence.Add("no certificate-arn, and no spec.tls or rule host from which the controller could discover an ACM certificate");
                return context.Warn(resource, $"Ingress {name} asks for an HTTPS listener but gives no certificate nor a host to discover one for; the controller cannot build it.", evidence);
            }
            evidence.Add($"certificate discovered from ACM for host(s): {string.Join(", ", tlsHosts.Count > 0 ? tlsHosts : ruleHosts)}");
        }

        if (http.Count > 0)
        {
            evidence.Add($"{AwsLoadBalancers.AlbSslRedirect} = {redirect ?? "(unset)"}");
            if (redirect is null)
                return context.Warn(resource,
                    $"Ingress {name} serves HTTPS on {string.Join(", ", https.Select(l => l.Port))} but also plain HTTP on {string.Join(", ", http.Select(l => l.Port))} without a redirect.",
                    evidence);
        }
        return context.Pass(resource, $"Ingress {name} is served over HTTPS by its ALB" + (http.Count > 0 ? ", with HTTP redirected." : "."), evidence);
    }

    private static EksSecurityFinding JudgeOther(RuleContext context, V1Ingress ingress)
    {
        var meta = ingress.Metadata;
        var resource = ResourceRef.Of("Ingress", meta);
        var name = AwsLoadBalancers.Key(meta);
        var cls = AwsLoadBalancers.IngressClass(ingress);
        var tls = ingress.Spec?.Tls ?? [];
        var evidence = new List<string> { $"ingress class {cls ?? "(unset: the cluster's default class)"}", $"spec.tls entries: {tls.Count}" };

        if (cls is not null && context.Settings.TlsTerminatingIngressClasses.Contains(cls))
        {
            evidence.Add($"class {cls} is in the TlsTerminatingIngressClasses setting: TLS ends at the load balancer in front of the controller");
            return context.Pass(resource, $"Ingress {name} is served through a TLS-terminating load balancer (class {cls}).", evidence);
        }
        if (tls.Count == 0)
            return context.Fail(resource, $"Ingress {name} has no spec.tls: it is served over HTTP only.", evidence);

        var tlsHosts = tls.SelectMany(t => t.Hosts ?? []).ToList();
        var catchAll = tls.Any(t => (t.Hosts?.Count ?? 0) == 0);
        var uncovered = catchAll
            ? []
            : (ingress.Spec?.Rules ?? []).Select(r => r.Host).Where(h => !string.IsNullOrEmpty(h) && !tlsHosts.Any(t => Covers(t, h!))).Distinct().ToList();
        evidence.Add($"TLS host(s): {(catchAll ? "(an entry without hosts: every host)" : string.Join(", ", tlsHosts))}");
        if (uncovered.Count > 0)
            return context.Warn(resource, $"Ingress {name} has TLS, but host(s) {string.Join(", ", uncovered!)} are not in spec.tls and are served over HTTP.", evidence);

        var nginxRedirect = AwsLoadBalancers.Annotation(meta, "nginx.ingress.kubernetes.io/ssl-redirect");
        if (nginxRedirect is not null && string.Equals(nginxRedirect, "false", StringComparison.OrdinalIgnoreCase))
        {
            evidence.Add($"nginx.ingress.kubernetes.io/ssl-redirect = {nginxRedirect}");
            return context.Warn(resource, $"Ingress {name} has TLS but turns the HTTP to HTTPS redirect off, so it is also served in clear text.", evidence);
        }
        return context.Pass(resource, $"Ingress {name} serves its hosts over TLS.", evidence);
    }

    /// <summary>A TLS host covers a rule host when equal, or as a wildcard for exactly one leading label.</summary>
    internal static bool Covers(string tlsHost, string host)
    {
        if (string.Equals(tlsHost, host, StringComparison.OrdinalIgnoreCase)) return true;
        if (!tlsHost.StartsWith("*.", StringComparison.Ordinal)) return false;
        var dot = host.IndexOf('.');
        return dot > 0 && string.Equals(host[(dot + 1)..], tlsHost[2..], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>alb.ingress.kubernetes.io/listen-ports: a JSON list of one-entry objects such as [{"HTTP": 80}, {"HTTPS": 443}].</summary>
    internal static bool TryParseListenPorts(string value, out List<(string Protocol, int Port)> listeners)
    {
        listeners = [];
        try
        {
            using var document = JsonDocument.Parse(value);
            if (document.RootElement.ValueKind != JsonValueKind.Array) return false;
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object) return false;
                foreach (var property in entry.EnumerateObject())
                {
                    var protocol = property.Name.ToUpperInvariant();
                    if (protocol is not ("HTTP" or "HTTPS") || !property.Value.TryGetInt32(out var port)) return false;
                    listeners.Add((protocol, port));
                }
            }
            return listeners.Count > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
