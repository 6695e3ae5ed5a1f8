namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// EKS-NET-014: internet-facing load balancers made from Services and ALB Ingresses restrict their sources
/// (loadBalancerSourceRanges, alb.ingress.kubernetes.io/inbound-cidrs, prefix lists), unless allow-listed as public on purpose.
/// Internal ones pass. Schemes follow each controller's default: the in-tree provider is internet-facing by default, the
/// AWS Load Balancer Controller and EKS Auto Mode internal.
/// </summary>
public sealed class InternetFacingLoadBalancersRestricted : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-014",
        Title = "Internet-facing load balancers restrict sources",
        Severity = Severity.Medium,
        Area = RuleArea.Net,
        Rationale = "An internet-facing load balancer with no source restriction is reachable by every host on the internet: scanners find it " +
                    "within minutes and try every exploit and credential against the service behind it. Admin consoles, internal APIs and " +
                    "staging environments are often exposed this way by accident. Keeping load balancers internal, or limiting their sources " +
                    "to known ranges, shrinks the attack surface to the clients that need it.",
        Remediation = "Make the load balancer internal when only the VPC needs it (service.beta.kubernetes.io/aws-load-balancer-scheme: internal, " +
                      "alb.ingress.kubernetes.io/scheme: internal), or restrict its sources: spec.loadBalancerSourceRanges: [\"203.0.113.0/24\"] on a " +
                      "Service, alb.ingress.kubernetes.io/inbound-cidrs: 203.0.113.0/24 on an Ingress (or a managed prefix list). For a site that " +
                      "must be public, put AWS WAF in front and add it to the PublicLoadBalancerAllowlist setting as namespace/name.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html",
            "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/#lb-source-ranges",
            "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#inbound-cidrs",
            "https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/",
        ],
        Frameworks = ["Kubescape C-0256", "Kubescape C-0266"],
        Reads = [SnapshotSection.Services],
        OptionallyReads = [SnapshotSection.Ingresses],
        Tags = ["network", "load-balancer", "exposure", "ingress", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var service in context.Kubernetes.Services!.All)
        {
            if (!AwsLoadBalancers.IsAwsLoadBalancer(service)) continue;
            var meta = service.Metadata;
            var resource = ResourceRef.Of("Service", meta);
            var name = AwsLoadBalancers.Key(meta);
            var evidence = new List<string> { AwsLoadBalancers.Controller(service) };
            var internetFacing = AwsLoadBalancers.IsInternetFacing(service, out var why);
            evidence.Add(why);
            if (!internetFacing)
            {
                yield return context.Pass(resource, $"Service {name} has an internal load balancer.", evidence);
                continue;
            }

            List<string> sources;
            if (service.Spec!.LoadBalancerSourceRanges is { Count: > 0 } ranges)
            {
                sources = ranges.Select(r => r.Trim()).ToList();
                evidence.Add($"spec.loadBalancerSourceRanges = [{string.Join(", ", sources)}]");
            }
            else
            {
                sources = AwsLoadBalancers.SplitList(AwsLoadBalancers.Annotation(meta, AwsLoadBalancers.SourceRanges));
                evidence.Add(sources.Count > 0
                    ? $"{AwsLoadBalancers.SourceRanges} = {string.Join(",", sources)}"
                    : "no loadBalancerSourceRanges: the load balancer accepts 0.0.0.0/0 (and ::/0 when dual-stack)");
            }
            yield return Judge(context, resource, $"Service {name}", name, sources,
                AwsLoadBalancers.Annotation(meta, AwsLoadBalancers.SecurityGroups), AwsLoadBalancers.Annotation(meta, AwsLoadBalancers.PrefixLists), evidence);
        }

        if (!context.Has(SnapshotSection.Ingresses))
        {
            var info = context.Snapshot.DescribeSection(SnapshotSection.Ingresses);
            yield return context.Error(context.Cluster, $"Ingresses were not judged: {info.Describe()}.",
                [$"section Ingresses: {info.Status}" + (info.Permission is null ? "" : $" (needs {info.Permission})")]);
            yield break;
        }
        foreach (var ingress in context.Kubernetes.Ingresses!.All)
        {
            // Other controllers are exposed through their own Service, judged above.
            if (!AwsLoadBalancers.IsAlbIngress(ingress)) continue;
            var meta = ingress.Metadata;
            var resource = ResourceRef.Of("Ingress", meta);
            var name = AwsLoadBalancers.Key(meta);
            var scheme = AwsLoadBalancers.Annotation(meta, AwsLoadBalancers.AlbScheme);
            var evidence = new List<string>
            {
                $"ALB Ingress (class {AwsLoadBalancers.IngressClass(ingress) ?? "(unset)"})",
                $"{AwsLoadBalancers.AlbScheme} = {scheme ?? "(unset; the controller defaults to internal unless IngressClassParams sets a scheme)"}",
            };
            if (!string.Equals(scheme, "internet-facing", StringComparison.OrdinalIgnoreCase))
            {
                yield return context.Pass(resource, $"Ingress {name} has an internal ALB.", evidence);
                continue;
            }
            var sources = AwsLoadBalancers.SplitList(AwsLoadBalancers.Annotation(meta, AwsLoadBalancers.AlbInboundCidrs));
            evidence.Add(sources.Count > 0
                ? $"{AwsLoadBalancers.AlbInboundCidrs} = {string.Join(",", sources)}"
                : $"{AwsLoadBalancers.AlbInboundCidrs} unset: the ALB accepts 0.0.0.0/0 (and ::/0 when dual-stack)");
            yield return Judge(context, resource, $"Ingress {name}", name, sources,
                AwsLoadBalancers.Annotation(meta, AwsLoadBalancers.AlbSecurityGroups), AwsLoadBalancers.Annotation(meta, AwsLoadBalancers.AlbPrefixLists), evidence);
        }
    }

    private static EksSecurityFinding Judge(RuleContext context, ResourceRef resource, string what, string key, List<string> sources,
        string? securityGroups, string? prefixLists, List<string> evidence)
    {
        var allow = context.Settings.PublicLoadBalancerAllowlist.FirstOrDefault(p => WildcardMatch.IsMatch(key, p));
        if (allow is not null)
        {
            evidence.Add($"allowed to be public by the PublicLoadBalancerAllowlist setting ({allow})");
            return context.Pass(resource, $"{what} is internet-facing on purpose (allow-listed).", evidence);
        }
        if (securityGroups is not null)
        {
            // The user's own security groups replace the ones the controller would manage: their rules decide, and are not in the snapshot.
            evidence.Add($"frontend security groups set by annotation: {securityGroups}");
            return context.Warn(resource, $"{what} is internet-facing and its sources are decided by security group(s) {securityGroups}, which this rule cannot see; check they do not allow 0.0.0.0/0.", evidence);
        }
        if (sources.Count == 0 && prefixLists is not null)
        {
            evidence.Add($"sources restricted to managed prefix list(s) {prefixLists}");
            return context.Pass(resource, $"{what} is internet-facing and restricted to prefix list(s) {prefixLists}.", evidence);
        }
        if (sources.Count == 0)
            return context.Fail(resource, $"{what} is internet-facing and open to the whole internet (no source restriction).", evidence);

        var (open, unreadable) = AwsLoadBalancers.OpenSources(sources);
        if (unreadable.Count > 0) evidence.Add($"not CIDR blocks: {string.Join(", ", unreadable)}");
        if (open.Count > 0)
            return context.Fail(resource, $"{what} is internet-facing and open to the whole internet ({string.Join(", ", open)}).", evidence);
        if (unreadable.Count > 0)
            return context.Error(resource, $"{what} is internet-facing and its source ranges hold value(s) that are not CIDR blocks ({string.Join(", ", unreadable)}); how far it is open cannot be judged.", evidence);
        return context.Pass(resource, $"{what} is internet-facing but restricted to {sources.Count} source range(s).", evidence);
    }
}
