namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// EKS-NET-015: Services are not exposed through NodePorts (Warning) and carry no spec.externalIPs unless an admission webhook
/// guards who may set them (CVE-2020-8554: without a guard, anyone who can create a Service can intercept traffic to any IP).
/// </summary>
public sealed class NoNodePortOrExternalIps : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-015",
        Title = "No NodePort or externalIPs exposure",
        Severity = Severity.Low,
        Area = RuleArea.Net,
        Rationale = "A NodePort Service opens the same port on every node, bypassing the load balancer and its TLS and source restrictions: " +
                    "anything that can reach a node's address reaches the pods. spec.externalIPs is worse: kube-proxy sends traffic for those " +
                    "addresses to the Service, so a user allowed to create Services can claim any IP, including other tenants' or external " +
                    "services', and intercept their traffic (CVE-2020-8554, unpatched by design). EKS does not enable the " +
                    "DenyServiceExternalIPs admission plugin, so only a webhook can stop it.",
        Remediation = "Expose applications through a LoadBalancer Service or an Ingress instead of type: NodePort, and remove spec.externalIPs. " +
                      "Block externalIPs cluster-wide with an admission policy: the upstream externalip-webhook, a Kyverno policy " +
                      "(restrict-service-external-ips) or an OPA Gatekeeper K8sExternalIPs constraint; add the webhook's name to the " +
                      "ExternalIpGuardWebhooks setting if it is not recognised.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html",
            "https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport",
            "https://kubernetes.io/docs/concepts/services-networking/service/#external-ips",
            "https://github.com/kubernetes/kubernetes/issues/97076",
        ],
        Frameworks = ["Kubescape C-0021", "Prowler apiserver_deny_service_external_ips"],
        Reads = [SnapshotSection.Services],
        OptionallyReads = [SnapshotSection.ValidatingWebhookConfigurations, SnapshotSection.MutatingWebhookConfigurations],
        Tags = ["network", "exposure", "service", "cve-2020-8554", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        List<string>? guards = null;
        List<string> guardEvidence = [];
        foreach (var service in context.Kubernetes.Services!.All)
        {
            var meta = service.Metadata;
            var resource = ResourceRef.Of("Service", meta);
            var name = AwsLoadBalancers.Key(meta);
            var type = service.Spec?.Type ?? "ClusterIP";
            var externalIps = service.Spec?.ExternalIPs ?? [];
            var evidence = new List<string> { $"spec.type = {type}" };
            var nodePorts = (service.Spec?.Ports ?? []).Where(p => p.NodePort is > 0).Select(p => $"{p.NodePort}->{p.Port}").ToList();
            if (type == "NodePort")
                evidence.Add(nodePorts.Count > 0 ? $"node ports: {string.Join(", ", nodePorts)}" : "node ports: allocated by the API server");

            if (externalIps.Count > 0)
            {
                evidence.Add($"spec.externalIPs = [{string.Join(", ", externalIps)}]");
                guards ??= FindGuards(context, out guardEvidence);
                if (guards.Count > 0)
                {
                    evidence.Add($"externalIPs admission guard: {string.Join(", ", guards)}");
                    yield return context.Warn(resource,
                        $"Service {name} claims external IP(s) {string.Join(", ", externalIps)}; an admission webhook restricts externalIPs, so review that this claim is intended.",
                        evidence);
                }
                else
                {
                    evidence.AddRange(guardEvidence);
                    yield return context.Fail(resource,
                        $"Service {name} claims external IP(s) {string.Join(", ", externalIps)} and nothing restricts externalIPs at admission (CVE-2020-8554)" +
                        (type == "NodePort" ? "; it is also a NodePort Service." : "."),
                        evidence);
                }
                continue;
            }
            if (type == "NodePort")
                yield return context.Warn(resource, $"Service {name} is exposed on every node through NodePort(s); use a LoadBalancer Service or an Ingress.", evidence);
            else
                yield return context.Pass(resource, $"Service {name} ({type}) uses no NodePort type and no externalIPs.", evidence);
        }
    }

    /// <summary>Webhooks that match <see cref="RuleSettings.ExternalIpGuardWebhooks"/> by configuration or webhook name.</summary>
    private static List<string> FindGuards(RuleContext context, out List<string> evidence)
    {
        evidence = [];
        var found = new List<string>();
        var patterns = context.Settings.ExternalIpGuardWebhooks;
        void Look(string kind, string? config, IEnumerable<string?> hooks)
        {
            foreach (var name in hooks.Prepend(config))
                if (name is not null && patterns.Any(p => WildcardMatch.IsMatch(name, p, StringComparison.OrdinalIgnoreCase)))
                {
                    found.Add($"{kind} {config}");
                    return;
                }
        }
        if (context.Has(SnapshotSection.ValidatingWebhookConfigurations))
            foreach (var c in context.Kubernetes.ValidatingWebhookConfigurations!.All)
                Look("ValidatingWebhookConfiguration", c.Metadata?.Name, (c.Webhooks ?? []).Select(w => w.Name));
        else
            evidence.Add("ValidatingWebhookConfigurations were not collected: an admission guard could not be looked for");
        if (context.Has(SnapshotSection.MutatingWebhookConfigurations))
            foreach (var c in context.Kubernetes.MutatingWebhookConfigurations!.All)
                Look("MutatingWebhookConfiguration", c.Metadata?.Name, (c.Webhooks ?? []).Select(w => w.Name));
        if (found.Count == 0)
            evidence.Add($"no admission webhook matches the ExternalIpGuardWebhooks setting ({string.Join(", ", patterns)}); Kyverno or Gatekeeper policies are not in the snapshot");
        return found;
    }
}
