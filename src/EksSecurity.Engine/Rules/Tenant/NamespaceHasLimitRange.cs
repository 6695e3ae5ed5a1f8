namespace EksSecurity.Engine.Rules.Tenant;

/// <summary>EKS-TENANT-002: every non-system namespace has a LimitRange that sets defaults or bounds.</summary>
public sealed class NamespaceHasLimitRange : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-TENANT-002",
        Title = "LimitRange per namespace",
        Severity = Severity.Low,
        Area = RuleArea.Tenant,
        Rationale = "A LimitRange gives containers that declare nothing a default request and limit, and caps what a single pod or volume claim may ask for. " +
                    "Without one, unbounded pods share nodes with everyone else's, and a namespace with a compute quota rejects pods that omit requests " +
                    "instead of filling them in.",
        Remediation = "kubectl apply -n <ns> -f - <<EOF\n" +
                      "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\nspec:\n  limits:\n  - type: Container\n" +
                      "    defaultRequest: {cpu: 100m, memory: 128Mi}\n    default: {memory: 512Mi}\n    max: {cpu: \"4\", memory: 8Gi}\nEOF",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/tenant-isolation.html",
            "https://kubernetes.io/docs/concepts/policy/limit-range/",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Namespaces, SnapshotSection.LimitRanges],
        Tags = ["multi-tenancy", "namespace", "quota"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var ranges = context.Kubernetes.LimitRanges!.All.ToLookup(l => l.Metadata?.NamespaceProperty ?? "", StringComparer.Ordinal);
        foreach (var ns in context.Kubernetes.Namespaces!.All)
        {
            var name = ns.Metadata?.Name;
            if (string.IsNullOrEmpty(name) || context.Settings.IsSystemNamespace(name)) continue;
            var resource = new ResourceRef("Namespace", name, name);
            var inNamespace = ranges[name].ToList();
            var evidence = inNamespace.Count == 0
                ? ["no LimitRange in the namespace"]
                : inNamespace.Select(l =>
                {
                    var limits = l.Spec?.Limits ?? [];
                    return $"LimitRange {l.Metadata?.Name ?? "(unnamed)"}: spec.limits = " +
                           (limits.Count == 0 ? "(empty)" : "[" + string.Join(", ", limits.Select(i => i?.Type ?? "(no type)")) + "]");
                }).ToList();
            var effective = inNamespace.Where(l => l.Spec?.Limits is { Count: > 0 }).Select(l => l.Metadata?.Name ?? "(unnamed)").ToList();
            if (effective.Count > 0)
                yield return context.Pass(resource, $"Namespace {name} has LimitRange {string.Join(", ", effective)}.", evidence);
            else if (inNamespace.Count > 0)
                yield return context.Fail(resource, $"Namespace {name} has LimitRange object(s) with no spec.limits, which set no default or bound.", evidence);
            else
                yield return context.Fail(resource, $"Namespace {name} has no LimitRange: containers without requests or limits get no defaults and no cap.", evidence);
        }
    }
}
