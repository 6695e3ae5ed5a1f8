using k8s.Models;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>
/// EKS-IAM-026: within a namespace, each ServiceAccount is used by at most one workload (Deployment, StatefulSet, DaemonSet,
/// Job, CronJob). A Job created by a CronJob of the snapshot is that CronJob, not a second user.
/// </summary>
public sealed class ServiceAccountNotSharedByWorkloads : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-026",
        Title = "No ServiceAccount shared by several workloads",
        Severity = Severity.Low,
        Area = RuleArea.Iam,
        Rationale = "Kubernetes RBAC and IAM roles for pods (IRSA, Pod Identity) are granted to a ServiceAccount, so workloads that share " +
                    "one share every right given to any of them: compromising the least critical one yields the permissions of the " +
                    "most privileged. A dedicated account per workload keeps least privilege possible and makes API and CloudTrail " +
                    "activity attributable to one application.",
        Remediation = "Give each workload its own ServiceAccount and move only the rights it needs to it:\n" +
                      "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: report-job\n  namespace: shop\n---\n" +
                      "spec:\n  template:\n    spec:\n      serviceAccountName: report-job\n" +
                      "Then split the RoleBindings and the IAM role (IRSA annotation or Pod Identity association) accordingly.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html",
            "https://kubernetes.io/docs/concepts/security/service-accounts/",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        ],
        Frameworks =
        [
            "HardenEKS use_dedicated_service_accounts_for_each_deployment", "HardenEKS use_dedicated_service_accounts_for_each_stateful_set",
            "HardenEKS use_dedicated_service_accounts_for_each_daemon_set", "CIS EKS 1.8.0 5.2.1",
        ],
        Reads = [SnapshotSection.Deployments, SnapshotSection.StatefulSets, SnapshotSection.DaemonSets, SnapshotSection.Jobs, SnapshotSection.CronJobs],
        Tags = ["serviceaccount", "least-privilege", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var k = context.Kubernetes;
        var cronJobs = new HashSet<(string Ns, string Name)>(k.CronJobs!.All
            .Where(c => c.Metadata?.Name is not null)
            .Select(c => (c.Metadata!.NamespaceProperty ?? "", c.Metadata.Name!)));

        var workloads = new List<Workload>();
        void Add(string kind, V1ObjectMeta? meta, V1PodSpec? spec, string specPath)
        {
            if (meta?.Name is null) return;
            workloads.Add(new Workload(kind, meta.NamespaceProperty ?? "", meta.Name, Account(spec), specPath));
        }
        foreach (var d in k.Deployments!.All) Add("Deployment", d.Metadata, d.Spec?.Template?.Spec, "spec.template.spec");
        foreach (var s in k.StatefulSets!.All) Add("StatefulSet", s.Metadata, s.Spec?.Template?.Spec, "spec.template.spec");
        foreach (var d in k.DaemonSets!.All) Add("DaemonSet", d.Metadata, d.Spec?.Template?.Spec, "spec.template.spec");
        foreach (var j in k.Jobs!.All)
        {
            var ns = j.Metadata?.NamespaceProperty ?? "";
            var owner = j.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == "CronJob");
            if (owner is not null && cronJobs.Contains((ns, owner.Name))) continue; // counted as its CronJob
            Add("Job", j.Metadata, j.Spec?.Template?.Spec, "spec.template.spec");
        }
        foreach (var c in k.CronJobs!.All) Add("CronJob", c.Metadata, c.Spec?.JobTemplate?.Spec?.Template?.Spec, "spec.jobTemplate.spec.template.spec");

        foreach (var group in workloads
                     .GroupBy(w => (w.Namespace, w.Account))
                     .OrderBy(g => g.Key.Namespace, StringComparer.Ordinal)
                     .ThenBy(g => g.Key.Account, StringComparer.Ordinal))
        {
            var (ns, account) = group.Key;
            var resource = new ResourceRef("ServiceAccount", ns.Length == 0 ? null : ns, account);
            var users = group.OrderBy(w => w.Kind, StringComparer.Ordinal).ThenBy(w => w.Name, StringComparer.Ordinal).ToList();
            var evidence = users.Select(w => $"{w.Kind}/{w.Name}: {w.SpecPath}.serviceAccountName = " +
                                             (w.Account == "default" && w.Explicit is false ? "(not set: default)" : w.Account)).ToList();
            var where = ns.Length == 0 ? account : $"{ns}/{account}";
            if (users.Count >= 2)
                yield return context.Fail(resource,
                    $"ServiceAccount {where} is shared by {users.Count} workloads: {string.Join(", ", users.Select(w => $"{w.Kind}/{w.Name}"))}.", evidence);
            else
                yield return context.Pass(resource, $"ServiceAccount {where} is used by one workload only: {users[0].Kind}/{users[0].Name}.", evidence);
        }
    }

    private static (string Name, bool Explicit) Account(V1PodSpec? spec) =>
        !string.IsNullOrEmpty(spec?.ServiceAccountName) ? (spec.ServiceAccountName, true)
        : !string.IsNullOrEmpty(spec?.ServiceAccount) ? (spec.ServiceAccount, true)
        : ("default", false);

    private sealed record Workload(string Kind, string Namespace, string Name, string Account, bool Explicit, string SpecPath)
    {
        public Workload(string kind, string ns, string name, (string Name, bool Explicit) account, string specPath)
            : this(kind, ns, name, account.Name, account.Explicit, specPath) { }
    }
}
