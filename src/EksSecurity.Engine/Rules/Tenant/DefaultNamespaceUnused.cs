using k8s.Models;

namespace EksSecurity.Engine.Rules.Tenant;

/// <summary>EKS-TENANT-003: nothing but the objects Kubernetes itself creates lives in the default namespace.</summary>
public sealed class DefaultNamespaceUnused : Rule
{
    private const string Default = "default";

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-TENANT-003",
        Title = "Default namespace unused",
        Severity = Severity.Low,
        Area = RuleArea.Tenant,
        Rationale = "Everything created without an explicit namespace lands in default, so it tends to collect unrelated workloads with no owner, " +
                    "no quota, no Pod Security labels and no network policy. Putting each application in its own namespace is what makes " +
                    "RBAC, quotas and policies per team possible, and keeps an accidental apply from mixing with real workloads.",
        Remediation = "Move each object to a namespace of its own (kubectl create namespace <app>; re-apply the manifests with -n <app> or metadata.namespace; " +
                      "then kubectl delete -n default <kind>/<name>). To discourage new use, apply a ResourceQuota with pods: \"0\" and a default-deny NetworkPolicy in default.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/tenant-isolation.html",
            "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.5.2", "CIS EKS 1.5.0 4.5.3", "CIS EKS 1.2.0 4.6.3", "Kubescape C-0212", "Kubescape C-0061"],
        Reads = [SnapshotSection.Pods, SnapshotSection.Services],
        OptionallyReads =
        [
            SnapshotSection.Deployments, SnapshotSection.ReplicaSets, SnapshotSection.StatefulSets, SnapshotSection.DaemonSets,
            SnapshotSection.Jobs, SnapshotSection.CronJobs, SnapshotSection.ReplicationControllers, SnapshotSection.PodTemplates,
            SnapshotSection.ServiceAccounts, SnapshotSection.ConfigMaps, SnapshotSection.Secrets, SnapshotSection.Roles,
            SnapshotSection.RoleBindings, SnapshotSection.Ingresses, SnapshotSection.PersistentVolumeClaims,
            SnapshotSection.SecurityGroupPolicies, SnapshotSection.NetworkPolicies, SnapshotSection.ResourceQuotas,
            SnapshotSection.LimitRanges,
        ],
        Tags = ["cis", "multi-tenancy", "namespace"],
    };

    /// <summary>A namespaced list: which section, the kind it holds, its items' metadata in the default namespace, and whether its objects only restrict the namespace.</summary>
    private sealed record Source(SnapshotSection Section, string Kind, Func<RuleContext, IEnumerable<V1ObjectMeta?>> Items, bool Guardrail = false);

    private static readonly Source[] Sources =
    [
        new(SnapshotSection.Pods, "Pod", c => c.Index.PodsByNamespace[Default].Select(p => p.Metadata)),
        new(SnapshotSection.Deployments, "Deployment", c => c.Kubernetes.Deployments!.All.Select(o => o.Metadata)),
        new(SnapshotSection.ReplicaSets, "ReplicaSet", c => c.Kubernetes.ReplicaSets!.All.Select(o => o.Metadata)),
        new(SnapshotSection.StatefulSets, "StatefulSet", c => c.Kubernetes.StatefulSets!.All.Select(o => o.Metadata)),
        new(SnapshotSection.DaemonSets, "DaemonSet", c => c.Kubernetes.DaemonSets!.All.Select(o => o.Metadata)),
        new(SnapshotSection.Jobs, "Job", c => c.Kubernetes.Jobs!.All.Select(o => o.Metadata)),
        new(SnapshotSection.CronJobs, "CronJob", c => c.Kubernetes.CronJobs!.All.Select(o => o.Metadata)),
        new(SnapshotSection.ReplicationControllers, "ReplicationController", c => c.Kubernetes.ReplicationControllers!.All.Select(o => o.Metadata)),
        new(SnapshotSection.PodTemplates, "PodTemplate", c => c.Kubernetes.PodTemplates!.All.Select(o => o.Metadata)),
        new(SnapshotSection.Services, "Service", c => c.Kubernetes.Services!.All.Select(o => o.Metadata)),
        new(SnapshotSection.Ingresses, "Ingress", c => c.Kubernetes.Ingresses!.All.Select(o => o.Metadata)),
        new(SnapshotSection.ServiceAccounts, "ServiceAccount", c => c.Kubernetes.ServiceAccounts!.All.Select(o => o.Metadata)),
        new(SnapshotSection.ConfigMaps, "ConfigMap", c => c.Kubernetes.ConfigMaps!.All.Select(o => o.Metadata)),
        new(SnapshotSection.Secrets, "Secret", c => c.Kubernetes.Secrets!.All.Where(s => !IsLegacyDefaultToken(s)).Select(o => o.Metadata)),
        new(SnapshotSection.Roles, "Role", c => c.Kubernetes.Roles!.All.Select(o => o.Metadata)),
        new(SnapshotSection.RoleBindings, "RoleBinding", c => c.Kubernetes.RoleBindings!.All.Select(o => o.Metadata)),
        new(SnapshotSection.PersistentVolumeClaims, "PersistentVolumeClaim", c => c.Kubernetes.PersistentVolumeClaims!.All.Select(o => o.Metadata)),
        new(SnapshotSection.SecurityGroupPolicies, "SecurityGroupPolicy", c => c.Kubernetes.SecurityGroupPolicies!.All.Select(o => o.Metadata)),
        // These only restrict what the namespace may hold or reach; CIS and EKS-NET rules even ask for a network policy in every namespace.
        new(SnapshotSection.NetworkPolicies, "NetworkPolicy", c => c.Kubernetes.NetworkPolicies!.All.Select(o => o.Metadata), Guardrail: true),
        new(SnapshotSection.ResourceQuotas, "ResourceQuota", c => c.Kubernetes.ResourceQuotas!.All.Select(o => o.Metadata), Guardrail: true),
        new(SnapshotSection.LimitRanges, "LimitRange", c => c.Kubernetes.LimitRanges!.All.Select(o => o.Metadata), Guardrail: true),
    ];

    /// <summary>What Kubernetes itself puts in the default namespace.</summary>
    private static bool IsBuiltIn(string kind, string name) => (kind, name) switch
    {
        ("Service", "kubernetes") => true,
        ("ServiceAccount", "default") => true,
        ("ConfigMap", "kube-root-ca.crt") => true,
        _ => false,
    };

    /// <summary>The token Secret that clusters created before Kubernetes 1.24 generated for the default ServiceAccount.</summary>
    private static bool IsLegacyDefaultToken(V1Secret secret) =>
        secret.Type == "kubernetes.io/service-account-token"
        && secret.Metadata?.Name?.StartsWith("default-token-", StringComparison.Ordinal) == true
        && secret.Metadata.Annotations?.TryGetValue("kubernetes.io/service-account.name", out var sa) == true && sa == Default;

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        if (context.Settings.IsSystemNamespace(Default)) yield break;

        var notCollected = new List<string>();
        var builtIns = new List<string>();
        var guardrails = new List<string>();
        var checkedKinds = 0;
        var userObjects = 0;
        foreach (var source in Sources)
        {
            if (!context.Has(source.Section))
            {
                notCollected.Add(source.Section.ToString());
                continue;
            }
            checkedKinds++;
            foreach (var meta in source.Items(context))
            {
                if (meta?.NamespaceProperty != Default) continue;
                var name = string.IsNullOrEmpty(meta.Name) ? "(unnamed)" : meta.Name;
                if (IsBuiltIn(source.Kind, name))
                {
                    builtIns.Add($"{source.Kind}/{name}");
                    continue;
                }
                if (source.Guardrail)
                {
                    guardrails.Add($"{source.Kind}/{name}");
                    continue;
                }
                var evidence = new List<string> { $"{source.Kind} {name}: metadata.namespace = {Default}" };
                if (meta.OwnerReferences is { Count: > 0 } owners)
                    evidence.Add("metadata.ownerReferences = [" + string.Join(", ", owners.Select(o => $"{o.Kind}/{o.Name}")) + "]");
                userObjects++;
                yield return context.Fail(new ResourceRef(source.Kind, Default, name), $"{source.Kind} {name} is in the default namespace.", evidence);
            }
        }

        if (userObjects > 0) yield break;

        var passEvidence = new List<string>
        {
            $"checked {checkedKinds} namespaced kind(s) in {Default}",
            builtIns.Count == 0 ? "built-in objects found: none" : $"built-in objects found (allowed): {string.Join(", ", builtIns)}",
        };
        if (guardrails.Count > 0) passEvidence.Add($"guardrail objects found (allowed): {string.Join(", ", guardrails)}");
        if (notCollected.Count > 0) passEvidence.Add($"sections not collected, so not checked: {string.Join(", ", notCollected)}");
        var caveat = notCollected.Count > 0 ? $" among the {checkedKinds} kind(s) collected" : "";
        yield return context.Pass(new ResourceRef("Namespace", Default, Default),
            $"The default namespace holds no user objects{caveat}.", passEvidence);
    }
}
