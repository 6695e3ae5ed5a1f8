using EksSecurity.Engine.Kubernetes;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-023: pods and workload templates outside the system namespaces name a ServiceAccount other than "default".</summary>
public sealed class WorkloadsAvoidDefaultServiceAccount : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-023",
        Title = "Workloads do not run as the default ServiceAccount",
        Severity = Severity.Low,
        Area = RuleArea.Iam,
        Rationale = "A pod that names no ServiceAccount runs as its namespace's default one, which every other such pod shares. Any " +
                    "Kubernetes right or IAM role (IRSA or Pod Identity) granted to that account for one application silently reaches " +
                    "all of them, and audit logs cannot tell the applications apart. A dedicated account per application keeps " +
                    "permissions scoped and attributable.",
        Remediation = "Create a ServiceAccount per application and name it in the pod template:\n" +
                      "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: orders-api\n  namespace: shop\n" +
                      "automountServiceAccountToken: false   # unless the app calls the Kubernetes API\n---\n" +
                      "spec:\n  template:\n    spec:\n      serviceAccountName: orders-api\n" +
                      "Bind Roles and IAM roles to the new account, not to default.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html",
            "https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts",
            "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.1.5", "Kubescape C-0189"],
        Reads = [SnapshotSection.Pods],
        OptionallyReads = PodSpecSource.WorkloadSections,
        Tags = ["cis", "serviceaccount", "pod-spec", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var source in context.Index.PodSpecs)
        {
            // Manifests may leave the namespace out: kubectl applies them to "default", which is not a system namespace.
            if (context.Settings.IsSystemNamespace(source.Metadata.NamespaceProperty)) continue;
            var (account, evidence) = EffectiveServiceAccount(source);
            var what = $"{source.Kind} {Describe(source)}";
            if (account == "default")
                yield return context.Fail(source.Ref, $"{what} runs as the namespace's default ServiceAccount.", [evidence]);
            else
                yield return context.Pass(source.Ref, $"{what} runs as ServiceAccount {account}.", [evidence]);
        }
    }

    /// <summary>serviceAccountName, else the deprecated serviceAccount alias, else "default" (what the API server fills in).</summary>
    internal static (string Account, string Evidence) EffectiveServiceAccount(PodSpecSource source)
    {
        var spec = source.Spec;
        if (!string.IsNullOrEmpty(spec.ServiceAccountName))
            return (spec.ServiceAccountName, $"{source.SpecPath}.serviceAccountName = {spec.ServiceAccountName}");
        if (!string.IsNullOrEmpty(spec.ServiceAccount))
            return (spec.ServiceAccount, $"{source.SpecPath}.serviceAccount (deprecated alias) = {spec.ServiceAccount}");
        return ("default", $"{source.SpecPath}.serviceAccountName not set (Kubernetes uses \"default\")");
    }

    private static string Describe(PodSpecSource source) => source.Namespace.Length == 0 ? source.Name : $"{source.Namespace}/{source.Name}";
}
