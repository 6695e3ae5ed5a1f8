using EksSecurity.Engine.Kubernetes;
using EksSecurity.Engine.Kubernetes.Rbac;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-027: no workload runs as a ServiceAccount that holds cluster-admin-like or takeover rights.</summary>
public sealed class NoWorkloadHoldsTakeoverRbac : Rule
{
    /// <summary>
    /// The takeover rights: every verb on every resource; reading Secrets cluster-wide; creating pods; bind, escalate and
    /// impersonate; nodes/proxy; writing admission webhooks.
    /// </summary>
    internal static readonly RbacPermission[] Takeover =
    [
        new("*", "*", "*") { Label = "every verb on every resource" },
        .. MinimizeSecretReadAccess.SecretRead.Select(p => p with { Namespace = null }),
        .. MinimizePodCreation.CreatePods,
        .. LimitBindEscalateImpersonate.Takeover,
        .. MinimizeNodeProxyAccess.NodeProxy,
        .. MinimizeWebhookConfigurationAccess.WriteWebhooks,
    ];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-027",
        Title = "No workload holds admin/takeover RBAC",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "A workload's ServiceAccount token sits in every one of its containers. Whoever compromises the application, through a " +
                    "vulnerability, a poisoned dependency or a debug endpoint, holds that account's rights. When those include full " +
                    "control, Secrets across the cluster, pod creation, role binding or escalation, impersonation, kubelet access or " +
                    "admission webhooks, one application bug becomes a cluster takeover.",
        Remediation = "Give the workload a role with only the verbs and resources it calls, in its own namespace:\n" +
                      "kubectl create role orders-api --verb=get,list,watch --resource=configmaps -n shop\n" +
                      "kubectl create rolebinding orders-api --role=orders-api --serviceaccount=shop:orders-api -n shop\n" +
                      "then delete the broad binding (kubectl delete clusterrolebinding <binding>). If the application never calls the " +
                      "Kubernetes API, set automountServiceAccountToken: false in its pod template.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_grant_least_privileged_access_to_applications",
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_employ_least_privileged_access_when_creating_rolebindings_and_clusterrolebindings",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks",
        ],
        Frameworks = ["Kubescape C-0267", "Kubescape C-0272"],
        Reads = [SnapshotSection.Pods, .. RbacHoldings.Sections],
        OptionallyReads = [.. PodSpecSource.WorkloadSections, SnapshotSection.ServiceAccounts],
        Tags = ["rbac", "serviceaccount", "workloads", "privilege-escalation", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var graph = context.Index.Rbac;
        var accounts = context.Has(SnapshotSection.ServiceAccounts) ? ServiceAccountRbac.Index(context.Kubernetes.ServiceAccounts!.All) : [];
        var cache = new Dictionary<RbacSubject, RbacHolding>();

        foreach (var source in context.Index.PodSpecs)
        {
            var (account, accountEvidence) = ServiceAccountRbac.AccountOf(source);
            // The platform's own workloads (add-ons, controllers) hold what they need by design.
            if (context.Settings.IsSystemSubject(account)) continue;
            if (!cache.TryGetValue(account, out var holding))
                cache[account] = holding = RbacHoldings.Of(graph, RbacIdentity.Of(account), Takeover);

            var what = $"{source.Kind} {Describe(source)}";
            var evidence = new List<string> { accountEvidence };
            if (holding.Grants.Count == 0)
            {
                yield return context.Pass(source.Ref, $"{what} runs as {account}, which holds none of the takeover rights.", evidence);
                continue;
            }

            var serviceAccount = accounts.GetValueOrDefault((account.Namespace!, account.Name));
            var (mounted, mountEvidence) = ServiceAccountRbac.Automount(source, account, serviceAccount);
            var projected = ServiceAccountRbac.ProjectedTokenVolume(source);
            evidence.Add(mountEvidence);
            if (projected is not null) evidence.Add($"{source.SpecPath}.volumes[{projected}] projects a ServiceAccount token");
            evidence.AddRange(holding.Evidence());
            if (!mounted && projected is null)
            {
                yield return context.Pass(source.Ref,
                    $"{what} runs as {account}, which can {holding.Rights} {holding.Scope}, but mounts no token of it; the account's rights are judged by EKS-IAM-012 to 017.",
                    evidence);
                continue;
            }

            var clusterLevel = holding.Grants.Any(g => g.Grant.IsClusterWide || context.Settings.IsSystemNamespace(g.Grant.Namespace));
            yield return context.Fail(source.Ref,
                $"{what} runs as {account}, which can {holding.Rights} {holding.Scope}: compromising the workload gives these rights.",
                evidence, clusterLevel ? null : Severity.Medium);
        }
    }

    private static string Describe(PodSpecSource source) => source.Namespace.Length == 0 ? source.Name : $"{source.Namespace}/{source.Name}";
}
