namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-022: the default ServiceAccount of each namespace does not mount its token into pods.</summary>
public sealed class DefaultServiceAccountNoAutomount : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-022",
        Title = "Default ServiceAccount does not automount tokens",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "Every pod that names no ServiceAccount runs as its namespace's default one, and unless told otherwise Kubernetes mounts that " +
                    "account's API token into the pod. Most applications never call the Kubernetes API, so the token only serves an attacker who " +
                    "gets code execution, and any right later bound to the default account silently reaches every such pod.",
        Remediation = "In each namespace: kubectl patch serviceaccount default -n <namespace> -p '{\"automountServiceAccountToken\": false}'. " +
                      "Pods that do need the API should run as a dedicated ServiceAccount, or set automountServiceAccountToken: true in their own spec.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_disable_auto_mounting_of_service_account_tokens",
            "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
            "https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.1.5", "HardenEKS disable_service_account_token_mounts", "Kubescape C-0189"],
        Reads = [SnapshotSection.ServiceAccounts],
        Tags = ["cis", "serviceaccount", "token"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        // Every namespace, system ones included: the catalogue and CIS 4.1.5 make no exception.
        foreach (var account in context.Kubernetes.ServiceAccounts!.All.Where(a => a.Metadata?.Name == "default"))
        {
            var resource = ResourceRef.Of("ServiceAccount", account.Metadata);
            var value = account.AutomountServiceAccountToken;
            var evidence = new[] { $"automountServiceAccountToken = {(value is null ? "(not set; Kubernetes defaults to true)" : value.Value ? "true" : "false")}" };
            if (value == false)
                yield return context.Pass(resource, $"The default ServiceAccount of namespace {resource.Namespace} does not automount its token.", evidence);
            else
                yield return context.Fail(resource, $"Pods of namespace {resource.Namespace} that name no ServiceAccount get the default account's API token mounted.", evidence);
        }
    }
}
