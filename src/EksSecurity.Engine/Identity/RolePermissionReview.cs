using EksSecurity.Engine.Aws.Policy;
using EksSecurity.Engine.Rules.Iam;

namespace EksSecurity.Engine.Identity;

/// <summary>
/// What a workload's IAM role can do, judged from its policies with the policy engine: AWS's admin managed
/// policies, admin-like grants (Action * or service:* or NotAction on every resource), iam:PassRole on every
/// role, and whether a permissions boundary caps it. Shared by Test-EksIrsa, Test-EksPodIdentity and EKS-IAM-038.
/// </summary>
internal sealed class RolePermissionReview
{
    /// <summary>AWS managed policies that make a role an administrator of the account (or of IAM, which is the same).</summary>
    public static readonly IReadOnlySet<string> AdminManagedPolicies = new HashSet<string>(StringComparer.Ordinal)
    {
        "AdministratorAccess", "PowerUserAccess", "IAMFullAccess",
    };

    public required IReadOnlyList<string> AdminPolicies { get; init; }
    public required IReadOnlyList<AdminGrant> AdminGrants { get; init; }
    public required IReadOnlyList<PolicyStatement> PassRoleOnAll { get; init; }
    public required bool HasBoundary { get; init; }
    /// <summary>Policies that could not be read: the review is incomplete and must not pass.</summary>
    public required IReadOnlyList<string> Unread { get; init; }

    public bool OverPrivileged => AdminPolicies.Count > 0 || AdminGrants.Count > 0 || PassRoleOnAll.Count > 0;

    public IEnumerable<string> Problems =>
        AdminPolicies.Select(p => $"{p} is attached")
            .Concat(AdminGrants.Select(g => g.ToString()))
            .Concat(PassRoleOnAll.Select(s => $"{s.Label} allows iam:PassRole on every role"));

    public static RolePermissionReview Of(RolePolicies policies)
    {
        var admin = (policies.Role.AttachedPolicies ?? [])
            .Select(p => ClusterRoleDedicatedAndMinimal.AwsManagedName(p.PolicyArn))
            .OfType<string>().Where(AdminManagedPolicies.Contains).Distinct(StringComparer.Ordinal).ToList();
        // The named admin policies are judged by name; their statements would only repeat it.
        var documents = policies.Documents.Where(d => ClusterRoleDedicatedAndMinimal.AwsManagedName(d.Name) is not { } name || !admin.Contains(name)).ToList();
        return new RolePermissionReview
        {
            AdminPolicies = admin,
            AdminGrants = PolicyAnalysis.AdminGrants(documents),
            PassRoleOnAll = PolicyAnalysis.AllowsOnAllResources(documents, "iam:PassRole").Where(s => !PolicyAnalysis.IsAdminLike(s)).ToList(),
            HasBoundary = !string.IsNullOrEmpty(policies.Role.PermissionsBoundary?.PermissionsBoundaryArn),
            // The admin policies are judged by name: their documents are not needed.
            Unread = policies.ProblemsExcept(p => ClusterRoleDedicatedAndMinimal.AwsManagedName(p) is { } n && admin.Contains(n)),
        };
    }

    public IEnumerable<string> Evidence(RolePolicies policies)
    {
        yield return $"attached = {Rbac.List((policies.Role.AttachedPolicies ?? []).Select(p => p.PolicyArn ?? p.PolicyName ?? "(unnamed)"))}";
        yield return $"inline = {Rbac.List((policies.Role.InlinePolicies ?? []).Select(p => p.PolicyName ?? "(unnamed)"))}";
        yield return $"permissions boundary = {policies.Role.PermissionsBoundary?.PermissionsBoundaryArn ?? "(none)"}";
        foreach (var problem in Problems) yield return problem;
        foreach (var unread in Unread) yield return "not judged: " + unread;
    }
}
