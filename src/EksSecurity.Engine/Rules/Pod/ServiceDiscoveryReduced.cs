using EksSecurity.Engine.Kubernetes;
using static EksSecurity.Engine.Rules.Pod.PodRuleSupport;

namespace EksSecurity.Engine.Rules.Pod;

/// <summary>
/// EKS-POD-019 (advisory): reports pod specs that leave service-link environment variables on
/// (enableServiceLinks not false) as an Informational Warning; the DNS policy is recorded, not judged.
/// </summary>
public sealed class ServiceDiscoveryReduced : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-POD-019",
        Title = "Service discovery reduced where not needed",
        Severity = Severity.Informational,
        Area = RuleArea.Pod,
        Rationale = "By default Kubernetes injects the host, port and protocol of every Service of the pod's namespace into each container's " +
                    "environment ({SVC}_SERVICE_HOST, {SVC}_PORT...). A compromised container can read this map of its neighbours without a single " +
                    "network call, and in large namespaces the variables slow container start-up and can clash with the application's own. " +
                    "Pods that do not call in-cluster services need none of it.",
        Remediation = "For pods that do not need the variables, turn them off (in-cluster DNS keeps working):\n" +
                      "spec:\n  enableServiceLinks: false\n" +
                      "Pods that call no in-cluster service at all can also stop resolving cluster names through CoreDNS with dnsPolicy: Default. " +
                      "This is advisory: keep the variables where an application reads them.",
        References =
        [
            BestPracticesPodSecurity,
            "https://kubernetes.io/docs/tutorials/services/connect-applications-service/#accessing-the-service",
            "https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["pod-security", "manifest", "advisory", "service-discovery"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            var links = source.Spec.EnableServiceLinks;
            var evidence = new List<string>
            {
                $"{PodField(source, "enableServiceLinks")} = " + (links is null ? "(unset; Kubernetes defaults it to true)" : Show(links)),
                $"{PodField(source, "dnsPolicy")} = " + (source.Spec.DnsPolicy ?? "(unset; ClusterFirst)") + " (recorded, not judged)",
            };
            if (links == false)
                yield return context.Pass(source.Ref, $"{Describe(source)} does not inject service-link environment variables.", evidence);
            else
                yield return context.Warn(source.Ref,
                    $"{Describe(source)} injects the namespace's services into its containers' environment (enableServiceLinks is not false); turn it off if the pods do not read them.",
                    evidence, Severity.Informational);
        }
    }
}
