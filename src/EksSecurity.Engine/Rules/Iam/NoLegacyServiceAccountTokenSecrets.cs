using EksSecurity.Engine.Kubernetes.Rbac;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-028: no Secret of type kubernetes.io/service-account-token (long-lived token) exists outside the allow-list.</summary>
public sealed class NoLegacyServiceAccountTokenSecrets : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-028",
        Title = "No legacy long-lived SA token Secrets",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "A Secret of type kubernetes.io/service-account-token holds a ServiceAccount token that never expires and is not bound " +
                    "to a pod. Anyone who can read the Secret, or who finds the token in a CI variable or kubeconfig it was copied into, " +
                    "authenticates as the account until the Secret is deleted. Tokens from the TokenRequest API (projected volumes, " +
                    "kubectl create token) expire and die with their pod, so these Secrets are no longer needed.",
        Remediation = "Find what uses the token, move it to a short-lived one, then delete the Secret:\n" +
                      "kubectl create token <account> -n <namespace> --duration=1h   # for scripts and CI\n" +
                      "kubectl delete secret <name> -n <namespace>\n" +
                      "Pods get their token through the projected volume Kubernetes mounts by default. People and CI systems outside " +
                      "the cluster should authenticate with IAM (access entries) instead of ServiceAccount tokens.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_dont_use_a_service_account_token_for_authentication",
            "https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        ],
        Reads = [SnapshotSection.Secrets],
        OptionallyReads = [.. RbacHoldings.Sections, SnapshotSection.ServiceAccounts],
        Tags = ["rbac", "serviceaccount", "token", "secrets", "manifest"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var bindingsKnown = context.Has(SnapshotSection.ClusterRoleBindings) && context.Has(SnapshotSection.RoleBindings);
        var accounts = context.Has(SnapshotSection.ServiceAccounts) ? ServiceAccountRbac.Index(context.Kubernetes.ServiceAccounts!.All) : null;
        var any = false;
        foreach (var secret in context.Kubernetes.Secrets!.All)
        {
            if (secret.Type != ServiceAccountRbac.LegacyTokenType || secret.Metadata?.Name is null) continue;
            any = true;
            var resource = ResourceRef.Of("Secret", secret.Metadata);
            var ns = RbacGraph.NamespaceOf(secret.Metadata);
            var evidence = new List<string> { $"type = {ServiceAccountRbac.LegacyTokenType}" };
            string? accountName = null;
            secret.Metadata.Annotations?.TryGetValue(ServiceAccountRbac.TokenAccountAnnotation, out accountName);
            var owner = string.IsNullOrEmpty(accountName) ? "an unnamed ServiceAccount" : $"ServiceAccount {ns}/{accountName}";
            evidence.Add(string.IsNullOrEmpty(accountName)
                ? $"annotation {ServiceAccountRbac.TokenAccountAnnotation} not set"
                : $"{ServiceAccountRbac.TokenAccountAnnotation} = {accountName}");

            var bound = false;
            if (accountName is { Length: > 0 })
            {
                var account = RbacSubject.ServiceAccount(ns, accountName);
                if (accounts is not null && !accounts.ContainsKey((ns, accountName)))
                    evidence.Add($"{account} is not in the snapshot");
                if (bindingsKnown)
                {
                    var bindings = ServiceAccountRbac.Bindings(context.Index.Rbac, account);
                    bound = bindings.Count > 0;
                    evidence.AddRange(bindings.Take(10).Select(b => "RBAC: " + ServiceAccountRbac.Describe(account, b.Holder, b.Binding)));
                    if (bindings.Count > 10) evidence.Add($"... and {bindings.Count - 10} more binding(s)");
                    if (!bound) evidence.Add("no RoleBinding or ClusterRoleBinding names the account (Kubernetes defaults and system:authenticated not counted)");
                }
                else
                {
                    evidence.Add("RoleBindings/ClusterRoleBindings were not collected: the account's bindings are unknown");
                }
            }

            var message = bound
                ? $"Secret {ns}/{resource.Name} holds a non-expiring token of {owner}, which has RBAC bindings: whoever reads it holds the account's rights."
                : $"Secret {ns}/{resource.Name} holds a non-expiring token of {owner}.";
            if (WildcardMatch.FirstMatch($"{ns}/{resource.Name}", context.Settings.LegacyTokenSecretAllowlist) is { } pattern)
            {
                evidence.Add($"allowed by LegacyTokenSecretAllowlist pattern '{pattern}'");
                yield return context.Finding(FindingStatus.Suppressed, resource, message + " It is allow-listed (setting LegacyTokenSecretAllowlist).", evidence);
                continue;
            }
            yield return context.Fail(resource, message, evidence, bound ? Severity.High : null);
        }
        if (!any)
            yield return context.Pass(context.Cluster, "No Secret of type kubernetes.io/service-account-token exists.", [$"{context.Kubernetes.Secrets.Count} Secret(s) checked"]);
    }
}
