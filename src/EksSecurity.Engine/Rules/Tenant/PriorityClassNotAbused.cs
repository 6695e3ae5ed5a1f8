using System.Globalization;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Tenant;

/// <summary>EKS-TENANT-005: tenant pods do not use the system-critical priority classes, and no global default class outranks everything.</summary>
public sealed class PriorityClassNotAbused : Rule
{
    private static readonly HashSet<string> SystemClasses = new(StringComparer.Ordinal) { "system-node-critical", "system-cluster-critical" };

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-TENANT-005",
        Title = "PriorityClass not abused",
        Severity = Severity.Low,
        Area = RuleArea.Tenant,
        Rationale = "Pod priority decides who is preempted when a node is full. system-node-critical and system-cluster-critical sit above every other " +
                    "class so that CoreDNS, the CNI and kube-proxy survive pressure; a tenant pod that uses them can evict those components and other " +
                    "tenants' pods. A globalDefault class with a high value gives that power to every pod that does not ask for a class.",
        Remediation = "Give tenant workloads their own classes below the system ones and remove the system class from their pod templates:\n" +
                      "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: tenant-high\nvalue: 100000\npreemptionPolicy: PreemptLowerPriority\n" +
                      "Restrict who may use a class with a ResourceQuota scopeSelector on PriorityClass per namespace, and keep a globalDefault class, " +
                      "if any, at a low value.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/tenant-isolation.html",
            "https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/",
            "https://kubernetes.io/docs/concepts/policy/resource-quotas/#limit-priority-class-consumption-by-default",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.Pods, SnapshotSection.PriorityClasses],
        OptionallyReads = [.. Kubernetes.PodSpecSource.WorkloadSections],
        Tags = ["multi-tenancy", "scheduling", "priority", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var allowedNamespaces = new HashSet<string>(context.Settings.SystemNamespaces.Concat(context.Settings.SystemPriorityNamespaces), StringComparer.Ordinal);
        foreach (var source in context.Index.PodSpecs)
        {
            var cls = source.Spec.PriorityClassName;
            if (string.IsNullOrEmpty(cls)) continue;
            var what = Pod.PodRuleSupport.Describe(source);
            var evidence = new List<string> { $"{source.SpecPath}.priorityClassName = {cls}" + (source.Spec.Priority is { } p ? $", priority = {p.ToString(CultureInfo.InvariantCulture)}" : "") };
            if (!SystemClasses.Contains(cls))
                yield return context.Pass(source.Ref, $"{what} uses priority class {cls}, not a system-critical one.", evidence);
            else if (allowedNamespaces.Contains(source.Namespace))
                yield return context.Pass(source.Ref, $"{what} uses {cls} in platform namespace {source.Namespace}.", evidence);
            else
                yield return context.Fail(source.Ref, $"{what} uses {cls} outside the platform namespaces: it can preempt cluster-critical components.", evidence);
        }

        var classes = context.Kubernetes.PriorityClasses!.All;
        var userClasses = classes.Where(c => c.Metadata?.Name is { } n && !n.StartsWith("system-", StringComparison.Ordinal)).ToList();
        foreach (var global in classes.Where(c => c.GlobalDefault == true))
        {
            var name = global.Metadata?.Name ?? "(unnamed)";
            var resource = new ResourceRef("PriorityClass", null, name);
            var value = (int?)global.Value ?? 0;
            var highest = userClasses.Where(c => !ReferenceEquals(c, global)).Select(c => (int?)c.Value).Max();
            var evidence = new List<string>
            {
                $"globalDefault = true, value = {value.ToString(CultureInfo.InvariantCulture)}",
                highest is null ? "no other non-system PriorityClass" : $"highest other non-system PriorityClass value = {highest.Value.ToString(CultureInfo.InvariantCulture)}",
                $"threshold = {context.Settings.HighPriorityValue.ToString(CultureInfo.InvariantCulture)} (HighPriorityValue)",
            };
            if (value >= context.Settings.HighPriorityValue)
                yield return context.Warn(resource, $"PriorityClass {name} is the global default with a high value ({value}): every pod without a class can preempt others.", evidence);
            else if (highest is { } h && value >= h)
                yield return context.Warn(resource, $"PriorityClass {name} is the global default and outranks every other class: no workload can be prioritised over an unclassified pod.", evidence);
            else
                yield return context.Pass(resource, $"PriorityClass {name} is the global default at a modest value ({value}).", evidence);
        }
    }
}
