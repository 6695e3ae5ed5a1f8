using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-025: a pod spec mounts its ServiceAccount token only when the account has a use for it (RBAC bindings, IRSA or Pod Identity).</summary>
public sealed class TokensMountedOnlyWhereNeeded : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-025",
        Title = "Tokens mounted only where needed",
        Severity = Severity.Low,
        Area = RuleArea.Iam,
        Rationale = "Unless told otherwise, Kubernetes mounts the ServiceAccount's API token into every container of a pod. A token whose " +
                    "account has no RBAC bindings, no IRSA role and no Pod Identity association does nothing for the application, but it " +
                    "still authenticates whoever reads it from the file system as that account, ready for any right bound to it later, and " +
                    "it tells an attacker which cluster and namespace they are in.",
        Remediation = "Stop mounting the token where it has no use, in the pod template or on the ServiceAccount:\n" +
                      "spec:\n  template:\n    spec:\n      automountServiceAccountToken: false\n" +
                      "or kubectl patch serviceaccount <account> -n <namespace> -p '{\"automountServiceAccountToken\": false}'. " +
                      "A pod that does call the API should run as an account with the bindings it needs.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_disable_auto_mounting_of_service_account_tokens",
            "https://docs.aws.amazon.com/eks/latest/best-practices/pod-security.html",
            "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.1.6", "Kubescape C-0190", "Kubescape C-0034", "Kubescape C-0261"],
        Reads = [SnapshotSection.Pods, SnapshotSection.ServiceAccounts, SnapshotSection.ClusterRoleBindings, SnapshotSection.RoleBindings],
        OptionallyReads = [.. PodSpecSource.WorkloadSections, SnapshotSection.PodIdentityAssociations],
        Tags = ["cis", "rbac", "serviceaccount", "token", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var graph = context.Index.Rbac;
        var accounts = ServiceAccountRbac.Index(context.Kubernetes.ServiceAccounts!.All);
        var podIdentity = context.Has(SnapshotSection.PodIdentityAssociations)
            ? context.Aws.PodIdentityAssociations!.All
                .Where(a => a.Namespace is not null && a.ServiceAccount is not null)
                .ToLookup(a => (a.Namespace!, a.ServiceAccount!))
            : null;

        foreach (var source in context.Index.PodSpecs)
        {
            var (account, accountEvidence) = ServiceAccountRbac.AccountOf(source);
            var serviceAccount = accounts.GetValueOrDefault((account.Namespace!, account.Name));
            var (mounted, mountEvidence) = ServiceAccountRbac.Automount(source, account, serviceAccount);
            var evidence = new List<string> { accountEvidence, mountEvidence };
            var what = $"{source.Kind} {Describe(source)}";
            if (!mounted)
            {
                yield return context.Pass(source.Ref, $"{what} does not mount the token of {account}.", evidence);
                continue;
            }

            var uses = new List<string>();
            foreach (var (holder, binding) in ServiceAccountRbac.Bindings(graph, account).Take(10))
                uses.Add("RBAC: " + ServiceAccountRbac.Describe(account, holder, binding));
            if (ServiceAccountRbac.IrsaRole(serviceAccount) is { } roleArn)
                uses.Add($"IRSA: {ServiceAccountRbac.IrsaRoleAnnotation} = {roleArn}");
            if (podIdentity is not null)
                uses.AddRange(podIdentity[(account.Namespace!, account.Name)].Select(a => $"Pod Identity: association {a.AssociationId ?? "(no id)"} -> {a.RoleArn}"));

            if (uses.Count > 0)
            {
                evidence.AddRange(uses);
                yield return context.Pass(source.Ref, $"{what} mounts the token of {account}, which the account uses.", evidence);
                continue;
            }

            if (serviceAccount is null) evidence.Add($"{account} is not in the snapshot: no IRSA annotation or automount setting could be read from it");
            evidence.Add("no RoleBinding or ClusterRoleBinding names the account or its namespace's ServiceAccount group (Kubernetes defaults and system:authenticated not counted)");
            evidence.Add(serviceAccount is null ? "no IRSA annotation known" : $"no {ServiceAccountRbac.IrsaRoleAnnotation} annotation");
            evidence.Add(podIdentity is null
                ? "Pod Identity associations were not collected: an association, if any, was not considered"
                : "no Pod Identity association for the account");
            yield return context.Warn(source.Ref,
                $"{what} mounts the API token of {account}, which has no RBAC bindings, no IRSA role and no Pod Identity association: the token serves no purpose.",
                evidence);
        }
    }

    private static string Describe(PodSpecSource source) => source.Namespace.Length == 0 ? source.Name : $"{source.Namespace}/{source.Name}";
}
