using EksSecurity.Engine.Kubernetes.Rbac;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>
/// The shape of the subject-centric RBAC rules (EKS-IAM-012 to 021): ask the effective-permission
/// graph who holds a set of rights, through ClusterRoleBindings and RoleBindings alike, for users,
/// groups and ServiceAccounts alike, with aggregated ClusterRoles expanded. One finding per
/// non-system subject that holds any of them, with every binding → role → rule path as evidence;
/// system subjects (<see cref="RuleSettings.IsSystemSubject"/>) are not judged. When no non-system
/// subject holds the rights, one Pass for the cluster.
/// </summary>
public abstract class RbacPermissionRule : Rule
{
    /// <summary>The rights the rule looks for.</summary>
    private protected abstract IEnumerable<RbacPermission> Permissions(RuleContext context);

    /// <summary>What the rights let a subject do, for the Pass message: "read Secrets".</summary>
    private protected abstract string Capability { get; }

    /// <summary>A reason not to judge a non-system subject (its finding is then Suppressed), or null.</summary>
    private protected virtual string? Exemption(RuleContext context, RbacSubject subject) => null;

    /// <summary>The verdict on a non-system subject that holds at least one of the rights.</summary>
    private protected virtual EksSecurityFinding Judge(RuleContext context, RbacHolding holding) =>
        context.Fail(holding.Ref, $"{holding.Subject} can {holding.Rights} {holding.Scope}.", holding.Evidence());

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var permissions = Permissions(context).ToList();
        var system = new List<RbacSubject>();
        var exempted = 0;
        var offending = false;
        foreach (var holding in RbacHoldings.WhoHolds(context.Index.Rbac, permissions))
        {
            if (context.Settings.IsSystemSubject(holding.Subject))
            {
                system.Add(holding.Subject);
                continue;
            }
            if (Exemption(context, holding.Subject) is { } reason)
            {
                exempted++;
                yield return context.Finding(FindingStatus.Suppressed, holding.Ref,
                    $"{holding.Subject} can {holding.Rights} {holding.Scope}; not judged: {reason}", holding.Evidence());
                continue;
            }
            var finding = Judge(context, holding);
            offending |= finding.Status is FindingStatus.Fail or FindingStatus.Warning;
            yield return finding;
        }
        if (!offending)
            yield return context.Pass(context.Cluster,
                exempted == 0 ? $"No non-system subject can {Capability}." : $"No non-system subject can {Capability}, apart from {exempted} exempted one(s).",
                RbacHoldings.PassEvidence(permissions, system));
    }
}
