using EksSecurity.Engine.Identity;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-038: the IAM roles pods get (IRSA and Pod Identity) grant no admin power, no iam:PassRole on every role, and are capped by a boundary.</summary>
public sealed class WorkloadRolesLeastPrivilege : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-038",
        Title = "Workload IAM roles are least-privilege and bounded",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "A pod's IAM role is as reachable as the pod: a remote code execution in the application hands its permissions to the attacker. " +
                    "AdministratorAccess, PowerUserAccess or IAMFullAccess, an Allow of * or service:* on every resource, or iam:PassRole on every role " +
                    "turn one compromised pod into the whole account. A permissions boundary caps what the role can ever be given.",
        Remediation = "Replace broad policies with the actions and resources the application uses (IAM Access Analyzer can generate a policy from CloudTrail: " +
                      "aws accessanalyzer start-policy-generation), scope iam:PassRole to the roles it must pass, and attach a permissions boundary: " +
                      "aws iam put-role-permissions-boundary --role-name <role> --permissions-boundary <policy-arn>.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_grant_least_privileged_access_to_applications",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.IamRoles],
        OptionallyReads = [SnapshotSection.ServiceAccounts, SnapshotSection.PodIdentityAssociations],
        Tags = ["aws", "iam", "least-privilege", "irsa", "pod-identity", "workload-identity"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var facts = new WorkloadIdentityFacts(context.Snapshot);
        var users = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        void Use(string? arn, string who)
        {
            if (string.IsNullOrWhiteSpace(arn)) return;
            if (!users.TryGetValue(arn, out var set)) users[arn] = set = new SortedSet<string>(StringComparer.Ordinal);
            set.Add(who);
        }
        if (!context.Has(SnapshotSection.ServiceAccounts) && !context.Has(SnapshotSection.PodIdentityAssociations))
        {
            yield return context.Error(context.Cluster, "Which roles pods get could not be read: neither service accounts nor Pod Identity associations were collected.",
                [facts.Missing(SnapshotSection.ServiceAccounts), facts.Missing(SnapshotSection.PodIdentityAssociations)]);
            yield break;
        }
        // One source read and the other not: the roles it would have named are not judged, and the rule says so.
        foreach (var missing in new[] { SnapshotSection.ServiceAccounts, SnapshotSection.PodIdentityAssociations }.Where(s => !context.Has(s)))
            yield return context.Error(context.Cluster, $"Workload roles named by {(missing == SnapshotSection.ServiceAccounts ? "IRSA annotations" : "Pod Identity associations")} were not judged.",
                [facts.Missing(missing)]);
        foreach (var sa in context.Kubernetes.ServiceAccounts?.All ?? [])
            Use(WorkloadIdentityFacts.RoleArnOf(sa), $"IRSA {sa.Metadata?.NamespaceProperty}/{sa.Metadata?.Name}");
        foreach (var a in context.Aws.PodIdentityAssociations?.All ?? [])
            Use(a.RoleArn, $"Pod Identity {a.Namespace}/{a.ServiceAccount}");

        foreach (var (arn, who) in users)
        {
            var resource = new ResourceRef("IamRole", null, arn);
            var usedBy = $"used by {string.Join(", ", who)}";
            var (role, problem) = facts.Role(arn);
            if (role is null)
            {
                yield return context.Error(resource, $"The workload role {arn} could not be judged: {problem}.", [usedBy]);
                continue;
            }
            if (role.NoSuchEntity == true) continue; // A role that does not exist grants nothing (EKS-IAM-034/036 report it).
            var policies = facts.PoliciesOf(role);
            var review = RolePermissionReview.Of(policies);
            var evidence = review.Evidence(policies).Prepend(usedBy).ToList();
            if (review.OverPrivileged)
                yield return context.Fail(resource, $"The workload role {arn} can do far more than an application needs: {string.Join("; ", review.Problems)}.", evidence);
            else if (!policies.Complete)
                yield return context.Error(resource, $"What the workload role {arn} can do could not be fully read: {string.Join("; ", policies.Problems)}.", evidence);
            else if (!review.HasBoundary && context.Settings.RequireWorkloadRoleBoundary)
                yield return context.Warn(resource, $"The workload role {arn} has no admin-like grant, but no permissions boundary caps what it may be given later.", evidence);
            else
                yield return context.Pass(resource, $"The workload role {arn} has no admin-like grant{(review.HasBoundary ? " and a permissions boundary" : "")}.", evidence);
        }
    }
}
