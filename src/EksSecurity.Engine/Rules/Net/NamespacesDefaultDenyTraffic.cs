using EksSecurity.Engine.Kubernetes.NetworkPolicies;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// EKS-NET-008: every non-system namespace denies ingress and egress by default: a policy that selects every pod isolates each
/// direction, and none of the policies selecting every pod allows all traffic back. Warns when egress is denied and the pods
/// cannot reach the cluster DNS on port 53 over both UDP and TCP.
/// </summary>
public sealed class NamespacesDefaultDenyTraffic : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-008",
        Title = "Default-deny ingress and egress per namespace",
        Severity = Severity.Medium,
        Area = RuleArea.Net,
        Rationale = "NetworkPolicies are allow-lists, and a pod is only restricted in a direction once some policy selecting it covers that " +
                    "direction. A default-deny policy (every pod selected, Ingress and Egress, no rules) makes every pod of the namespace " +
                    "restricted from the start, so a new workload or a forgotten one is closed until someone allows its traffic, and a " +
                    "compromised pod cannot reach the nodes, the instance metadata service or the internet. Denying egress also denies DNS, " +
                    "so a namespace that denies egress needs an explicit allowance to the cluster DNS on port 53, UDP and TCP.",
        Remediation = "Apply a default deny and a DNS allowance in each application namespace:\n" +
                      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n" +
                      "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-dns\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n" +
                      "  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: kube-system\n" +
                      "          podSelector:\n            matchLabels:\n              k8s-app: kube-dns\n      ports:\n        - protocol: UDP\n          port: 53\n" +
                      "        - protocol: TCP\n          port: 53\n" +
                      "then add policies that allow each workload's own flows.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html#_create_a_default_deny_policy",
            "https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html#_create_a_rule_to_allow_dns_queries",
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies",
        ],
        Frameworks = ["HardenEKS check_default_deny_policy_exists", "Kubescape C-0030"],
        Reads = [SnapshotSection.Namespaces, SnapshotSection.NetworkPolicies],
        Tags = ["network", "network-policy", "namespace", "default-deny", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var engine = new NetworkPolicyEngine(context.Kubernetes.NetworkPolicies!.All, context.Kubernetes.Namespaces!.All);
        foreach (var ns in context.Kubernetes.Namespaces!.All)
        {
            var name = ns.Metadata?.Name;
            if (string.IsNullOrEmpty(name) || context.Settings.IsSystemNamespace(name)) continue;
            yield return Judge(context, engine, name);
        }
    }

    private static EksSecurityFinding Judge(RuleContext context, NetworkPolicyEngine engine, string ns)
    {
        var resource = new ResourceRef("Namespace", ns, ns);
        var policies = engine.PoliciesIn(ns);
        if (policies.Count == 0)
            return context.Fail(resource, $"Namespace {ns} has no NetworkPolicy, so neither ingress nor egress is denied by default.",
                [$"no NetworkPolicy in namespace {ns}"]);

        var evidence = policies.Select(PolicyIsolation.Describe).ToList();
        // A default deny holds for every pod whatever its labels: only policies selecting every pod count.
        var everyPod = PolicyPod.AnyPodIn(ns);
        var isolatedIngress = engine.Isolation(everyPod, TrafficDirection.Ingress).IsolatedBy.Select(r => r.Policy).ToList();
        var isolatedEgress = engine.Isolation(everyPod, TrafficDirection.Egress).IsolatedBy.Select(r => r.Policy).ToList();
        var openIngress = engine.RulesAllowingAllTraffic(everyPod, TrafficDirection.Ingress);
        var openEgress = engine.RulesAllowingAllTraffic(everyPod, TrafficDirection.Egress);

        var ingressDenied = isolatedIngress.Count > 0 && openIngress.Count == 0;
        var egressDenied = isolatedEgress.Count > 0 && openEgress.Count == 0;
        if (openIngress.Count > 0) evidence.Add($"selects every pod for ingress but allows all ingress back: {string.Join(", ", openIngress)}");
        if (openEgress.Count > 0) evidence.Add($"selects every pod for egress but allows all egress back: {string.Join(", ", openEgress)}");

        if (!ingressDenied || !egressDenied)
        {
            var missing = !ingressDenied && !egressDenied ? "ingress and egress" : !ingressDenied ? "ingress" : "egress";
            return context.Fail(resource,
                $"Namespace {ns} does not deny {missing} by default: no policy selecting every pod isolates {(missing == "ingress and egress" ? "those directions" : "that direction")} without allowing all traffic back.",
                evidence);
        }

        evidence.Add($"default deny: ingress by {string.Join(", ", isolatedIngress)}; egress by {string.Join(", ", isolatedEgress)}");
        var (dnsUdp, dnsTcp) = PolicyIsolation.DnsAllowed((peer, port) => engine.Egress(everyPod, peer, port).Allowed);
        if (dnsUdp && dnsTcp)
        {
            evidence.Add("every pod may reach the cluster DNS on port 53 over UDP and TCP");
            return context.Pass(resource, $"Namespace {ns} denies ingress and egress by default and allows DNS.", evidence);
        }
        if (dnsUdp || dnsTcp)
        {
            evidence.Add($"every pod may reach the cluster DNS over {Protocols(dnsUdp, dnsTcp)} only");
            return context.Warn(resource,
                $"Namespace {ns} denies egress by default and allows DNS over {Protocols(dnsUdp, dnsTcp)} only; allow port 53 over {(dnsUdp ? "TCP" : "UDP")} too " +
                "(large or truncated answers are retried over TCP).", evidence);
        }
        var dnsForSomePods = new List<string>();
        foreach (var policy in policies.Where(p => !p.SelectsEveryPod))
        {
            var (udp, tcp) = PolicyIsolation.DnsAllowed((peer, port) => engine.RulesAllowing(policy, TrafficDirection.Egress, everyPod, peer, port).Count > 0);
            if (udp || tcp) dnsForSomePods.Add($"{policy.Name} (pods {LabelSelectors.Describe(policy.PodSelector)}: {Protocols(udp, tcp)})");
        }
        if (dnsForSomePods.Count > 0)
        {
            evidence.Add($"DNS is allowed only for the pods of: {string.Join("; ", dnsForSomePods)}; the other pods cannot resolve names");
            return context.Pass(resource, $"Namespace {ns} denies ingress and egress by default; DNS is allowed per workload.", evidence);
        }
        evidence.Add($"no egress rule allows port 53 to the cluster DNS (pods {string.Join(",", PolicyIsolation.ClusterDnsPodLabels.Select(l => $"{l.Key}={l.Value}"))} in {PolicyIsolation.DnsNamespace}, NodeLocal DNSCache {PolicyIsolation.NodeLocalDns} or any destination)");
        return context.Warn(resource,
            $"Namespace {ns} denies egress by default but allows no DNS: its pods cannot resolve names. Allow port 53 over UDP and TCP to kube-dns.", evidence);
    }

    private static string Protocols(bool udp, bool tcp) => udp && tcp ? "UDP and TCP" : udp ? "UDP" : "TCP";
}
