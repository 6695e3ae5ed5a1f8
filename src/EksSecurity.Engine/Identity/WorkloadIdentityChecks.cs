using EksSecurity.Engine.Rules.Net;
using k8s.Models;

namespace EksSecurity.Engine.Identity;

/// <summary>The checks IRSA and Pod Identity share: what the role can do, and whether its pods can still reach the node role.</summary>
internal static class WorkloadIdentityChecks
{
    public static WorkloadIdentityCheck Check(string id, FindingStatus status, string message, IEnumerable<string>? evidence = null) =>
        new() { Id = id, Status = status, Message = message, Evidence = evidence?.ToList() ?? [] };

    public static WorkloadIdentityCheck Permissions(WorkloadIdentityFacts facts, Aws.Model.IamRole role)
    {
        var policies = facts.PoliciesOf(role);
        var review = RolePermissionReview.Of(policies);
        var evidence = review.Evidence(policies).ToList();
        if (review.OverPrivileged)
            return Check(IrsaAnalyzer.RolePermissions, FindingStatus.Fail,
                $"The role {role.Arn} can do far more than one application needs: {string.Join("; ", review.Problems)}.", evidence);
        if (!policies.Complete)
            return Check(IrsaAnalyzer.RolePermissions, FindingStatus.Error, $"What {role.Arn} can do could not be fully read: {string.Join("; ", policies.Problems)}.", evidence);
        return review.HasBoundary
            ? Check(IrsaAnalyzer.RolePermissions, FindingStatus.Pass, $"The role {role.Arn} has no admin-like grant and a permissions boundary.", evidence)
            : Check(IrsaAnalyzer.RolePermissions, FindingStatus.Warning, $"The role {role.Arn} has no admin-like grant, but no permissions boundary caps it.", evidence);
    }

    /// <summary>
    /// Whether the pods running as the service account can reach IMDS, and through it the node's role: judged as EKS-NET-019 judges
    /// a pod (the node's metadata options, then enforced NetworkPolicies that deny the address), so both always agree.
    /// </summary>
    public static WorkloadIdentityCheck NodeRole(WorkloadIdentityFacts facts, IReadOnlyList<V1Pod> pods)
    {
        if (!facts.Has(SnapshotSection.Pods))
            return Check(IrsaAnalyzer.NodeRoleReachable, FindingStatus.Error, $"Where the pods run could not be checked: {facts.Missing(SnapshotSection.Pods)}.");
        if (pods.Count == 0)
            return Check(IrsaAnalyzer.NodeRoleReachable, FindingStatus.NotApplicable, "No pod runs as this service account.");
        if (!facts.Has(SnapshotSection.Nodes) || !facts.Has(SnapshotSection.Namespaces))
            return Check(IrsaAnalyzer.NodeRoleReachable, FindingStatus.Error,
                $"Whether the pods can reach IMDS could not be checked: {facts.Missing(facts.Has(SnapshotSection.Nodes) ? SnapshotSection.Namespaces : SnapshotSection.Nodes)}.");
        var judgments = PodsCannotReachInstanceMetadata.JudgePods(facts.Snapshot, pods);
        var reachable = judgments.Where(j => j.Reach == PodsCannotReachInstanceMetadata.Reach.Reaches).ToList();
        var unknown = judgments.Where(j => j.Reach is PodsCannotReachInstanceMetadata.Reach.Unknown or PodsCannotReachInstanceMetadata.Reach.Undetermined).ToList();
        if (reachable.Count > 0)
            return Check(IrsaAnalyzer.NodeRoleReachable, FindingStatus.Fail,
                $"{reachable.Count} of {pods.Count} pod(s) can reach the instance metadata service and take the node's role instead of (or beside) their own.",
                reachable.Select(j => j.Why).Concat(unknown.Select(j => "unknown: " + j.Why)));
        if (unknown.Count > 0)
            return Check(IrsaAnalyzer.NodeRoleReachable, FindingStatus.Error, $"For {unknown.Count} pod(s) it could not be told whether IMDS is reachable.", unknown.Select(j => j.Why));
        return Check(IrsaAnalyzer.NodeRoleReachable, FindingStatus.Pass, $"None of the {pods.Count} pod(s) can reach the instance metadata service.", judgments.Select(j => j.Why));
    }
}
