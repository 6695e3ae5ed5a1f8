using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Kubernetes.Rbac;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>
/// EKS-IAM-037: an IAM role given to pods (IRSA annotation or Pod Identity association) serves one application, not ServiceAccounts in
/// several namespaces, unless it is shared on purpose (allow-listed, or attribute-based through Pod Identity session tags).
/// </summary>
public sealed class OneRolePerApplication : Rule
{
    /// <summary>The session tags EKS Pod Identity adds that name the namespace and ServiceAccount (ABAC on them keeps a shared role apart).</summary>
    internal const string PodIdentityTagMarker = "aws:PrincipalTag/kubernetes-";

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-037",
        Title = "One IAM role per application",
        Severity = Severity.Low,
        Area = RuleArea.Iam,
        Rationale = "A role given to ServiceAccounts in several namespaces holds the union of what all of them need, and any pod of any of " +
                    "them gets all of it: a compromise of the least trusted application reaches the data of the others. CloudTrail also " +
                    "can no longer tell which application made a call. One role per application keeps each grant to what that application needs.",
        Remediation = "Give each application its own role with only its permissions, and point its ServiceAccount at it:\n" +
                      "kubectl annotate serviceaccount <account> -n <namespace> eks.amazonaws.com/role-arn=arn:aws:iam::<account-id>:role/<app-role> --overwrite\n" +
                      "or aws eks update-pod-identity-association --cluster-name <cluster> --association-id <id> --role-arn <app-role-arn>, then remove " +
                      "the other namespace's subject from the shared role's trust policy. To share a role on purpose, use Pod Identity with session " +
                      "tags and conditions on aws:PrincipalTag/kubernetes-namespace in its policies, or list the role in the SharedWorkloadRoleArns setting.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_use_one_iam_role_per_application",
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_abac_and_eks_pod_identities",
            "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.ServiceAccounts, SnapshotSection.PodIdentityAssociations],
        OptionallyReads = [SnapshotSection.IamRoles],
        Tags = ["aws", "iam", "irsa", "pod-identity", "least-privilege", "serviceaccount"],
    };

    private sealed record Use(string Namespace, string Account, string Description, string Arn, bool IsPodIdentity, bool SessionTags);

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var uses = new List<Use>();
        foreach (var account in context.Kubernetes.ServiceAccounts!.All)
        {
            if (account?.Metadata?.Name is not { } name || ServiceAccountRbac.IrsaRole(account) is not { } arn) continue;
            var ns = RbacGraph.NamespaceOf(account.Metadata);
            uses.Add(new Use(ns, name, $"IRSA: ServiceAccount {ns}/{name} ({ServiceAccountRbac.IrsaRoleAnnotation})", arn.Trim(), false, false));
        }
        foreach (var a in context.Aws.PodIdentityAssociations!.All)
        {
            // The pod gets the target role's credentials when the association chains to one.
            var arn = !string.IsNullOrWhiteSpace(a.TargetRoleArn) ? a.TargetRoleArn : a.RoleArn;
            if (string.IsNullOrWhiteSpace(arn) || a.Namespace is null || a.ServiceAccount is null) continue;
            var tags = a.DisableSessionTags != true;
            var description = $"Pod Identity: ServiceAccount {a.Namespace}/{a.ServiceAccount} (association {a.AssociationId ?? a.AssociationArn ?? "(no id)"}" +
                              (string.IsNullOrWhiteSpace(a.TargetRoleArn) ? "" : $", target role of {a.RoleArn}") +
                              (tags ? "" : ", session tags disabled") + ")";
            uses.Add(new Use(a.Namespace, a.ServiceAccount, description, arn.Trim(), true, tags));
        }

        var roles = context.Has(SnapshotSection.IamRoles) ? context.Aws.IamRoles!.All : null;
        foreach (var group in uses.GroupBy(u => RoleKey(u.Arn)).OrderBy(g => g.First().Arn, StringComparer.Ordinal))
        {
            var arn = group.First().Arn;
            var resource = new ResourceRef("IamRole", null, arn);
            var list = group.DistinctBy(u => u.Description).OrderBy(u => u.Namespace, StringComparer.Ordinal).ThenBy(u => u.Account, StringComparer.Ordinal).ToList();
            var namespaces = list.Select(u => u.Namespace).Distinct(StringComparer.Ordinal).ToList();
            var evidence = list.Select(u => "used by " + u.Description).ToList();
            if (namespaces.Count <= 1)
            {
                yield return context.Pass(resource,
                    $"Role {arn} is used by {Count(list.Select(u => (u.Namespace, u.Account)).Distinct().Count(), "ServiceAccount")} in namespace {namespaces[0]} only.", evidence);
                continue;
            }

            var message = $"Role {arn} is used by ServiceAccounts in {namespaces.Count} namespaces ({string.Join(", ", namespaces)}): " +
                          "each of them gets what all of them need.";
            if (context.Settings.SharedWorkloadRoleArns.FirstOrDefault(p => WildcardMatch.IsMatch(arn, p, StringComparison.OrdinalIgnoreCase)) is { } pattern)
            {
                evidence.Add($"allowed by SharedWorkloadRoleArns pattern '{pattern}'");
                yield return context.Finding(FindingStatus.Suppressed, resource, message + " It is shared on purpose (setting SharedWorkloadRoleArns).", evidence);
                continue;
            }

            if (list.All(u => u.IsPodIdentity && u.SessionTags))
            {
                var (abac, why) = UsesPodIdentityTags(arn, roles);
                evidence.Add(why);
                if (abac)
                {
                    yield return context.Pass(resource,
                        $"Role {arn} is shared by ServiceAccounts in {namespaces.Count} namespaces through Pod Identity with session tags, and its policies " +
                        "condition access on the kubernetes-* principal tags (attribute-based access control).", evidence);
                    continue;
                }
            }
            else
            {
                evidence.Add("not attribute-based: " + (list.Any(u => !u.IsPodIdentity)
                    ? "IRSA sessions carry no namespace or ServiceAccount tags"
                    : "session tags are disabled on an association"));
            }
            yield return context.Warn(resource, message, evidence);
        }
    }

    /// <summary>Whether the role's policies refer to the Pod Identity session tags (aws:PrincipalTag/kubernetes-namespace and the like), and the evidence.</summary>
    private static (bool Abac, string Evidence) UsesPodIdentityTags(string arn, IReadOnlyList<IamRole>? roles)
    {
        if (roles is null) return (false, "IamRoles not collected: whether the role's policies use the Pod Identity session tags is unknown");
        var parsed = IamPrincipalArn.Parse(arn);
        var role = roles.FirstOrDefault(r => string.Equals(r.Arn?.Trim(), arn, StringComparison.Ordinal)) ??
                   roles.FirstOrDefault(r => parsed is not null && IamPrincipalArn.Parse(r.Arn) is { } p && p.SameEntity(parsed));
        if (role is null || role.NoSuchEntity == true) return (false, "the role is not in IamRoles: whether its policies use the Pod Identity session tags is unknown");
        var documents = (role.AttachedPolicies ?? []).Select(p => (Name: $"managed policy {p.PolicyName ?? p.PolicyArn}", Text: p.Document))
            .Concat((role.InlinePolicies ?? []).Select(p => (Name: $"inline policy {p.PolicyName}", Text: p.PolicyDocument)));
        var user = documents.FirstOrDefault(d => d.Text?.Contains(PodIdentityTagMarker, StringComparison.OrdinalIgnoreCase) == true);
        if (user.Name is not null) return (true, $"{user.Name} refers to {PodIdentityTagMarker}* (ABAC on the Pod Identity session tags)");
        return (false, role.AttachedPolicies is null || role.InlinePolicies is null
            ? "the role's policies were not all listed: no use of the Pod Identity session tags found"
            : $"no policy of the role refers to {PodIdentityTagMarker}*: sharing is not attribute-based");
    }

    /// <summary>Role ARNs compare by account and name, case-insensitively (IAM names are), whatever the path.</summary>
    private static string RoleKey(string arn) =>
        IamPrincipalArn.Parse(arn) is { Kind: PrincipalKind.Role } p ? $"{p.Account}:{p.Name.ToLowerInvariant()}" : arn;

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
