using EksSecurity.Engine.Aws.Policy;
using EksSecurity.Engine.Identity;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>EKS-IAM-031: node roles carry only the node policies (ECR read-only or pull-only), no ECR write and no admin grant.</summary>
public sealed class NodeRoleLeastPrivilege : Rule
{
    /// <summary>ECR actions that change images or repositories: a node (and every pod that reaches IMDS) must not hold them.</summary>
    internal static readonly string[] EcrWriteActions =
    [
        "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:BatchDeleteImage",
        "ecr:CreateRepository", "ecr:DeleteRepository", "ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy", "ecr:PutLifecyclePolicy",
        "ecr:PutImageTagMutability", "ecr:ReplicateImage",
    ];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-031",
        Title = "Node IAM role least privilege; ECR read-only",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "Every process on a node - and every pod that can reach the instance metadata service - can use the node's role. Policies beyond " +
                    "what the kubelet, the CNI, image pulls and SSM need widen what a compromised pod or node can do in the account; ECR write access lets " +
                    "it replace the images other workloads run.",
        Remediation = "Keep only AmazonEKSWorkerNodePolicy (or AmazonEKSWorkerNodeMinimalPolicy), AmazonEC2ContainerRegistryReadOnly or " +
                      "AmazonEC2ContainerRegistryPullOnly, AmazonEKS_CNI_Policy (better: give the CNI its own role, EKS-IAM-029) and AmazonSSMManagedInstanceCore: " +
                      "aws iam detach-role-policy --role-name <node-role> --policy-arn <arn>; aws iam delete-role-policy --role-name <node-role> --policy-name <name>. " +
                      "Give workloads that need more their own role through IRSA or Pod Identity.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_restrict_access_to_the_instance_profile_assigned_to_the_worker_node",
            "https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html",
            "https://docs.aws.amazon.com/AmazonECR/latest/userguide/security-iam-awsmanpol.html",
        ],
        Frameworks = ["CIS EKS 5.1.2", "CIS EKS 5.1.3"],
        Reads = [SnapshotSection.IamRoles],
        OptionallyReads = [SnapshotSection.NodeGroups, SnapshotSection.AccessEntries, SnapshotSection.Cluster],
        Tags = ["aws", "iam", "least-privilege", "nodes", "ecr"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var facts = new WorkloadIdentityFacts(context.Snapshot);
        var roles = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        void Add(string? arn, string source)
        {
            if (string.IsNullOrWhiteSpace(arn)) return;
            if (!roles.TryGetValue(arn, out var set)) roles[arn] = set = new SortedSet<string>(StringComparer.Ordinal);
            set.Add(source);
        }
        foreach (var n in context.Aws.NodeGroups?.All ?? []) Add(n.NodeRole, $"node group {n.NodegroupName}");
        foreach (var e in context.Aws.AccessEntries?.All ?? [])
            if (e.Type is "EC2_LINUX" or "EC2_WINDOWS") Add(e.PrincipalArn, $"{e.Type} access entry");
        if (roles.Count == 0 && !context.Has(SnapshotSection.NodeGroups) && !context.Has(SnapshotSection.AccessEntries))
        {
            yield return context.Error(context.Cluster, "The node roles could not be found: neither node groups nor access entries were collected.");
            yield break;
        }
        var allowed = context.Settings.NodeRoleAllowedPolicies.ToHashSet(StringComparer.Ordinal);
        foreach (var (arn, sources) in roles)
        {
            var resource = new ResourceRef("IamRole", null, arn);
            var (role, problem) = facts.Role(arn);
            if (role is null || role.NoSuchEntity == true)
            {
                yield return context.Error(resource, $"The node role {arn} could not be judged: {problem ?? "IAM says it does not exist"}.", sources);
                continue;
            }
            var policies = facts.PoliciesOf(role);
            var evidence = new List<string> { $"node role of {string.Join(", ", sources)}" };
            evidence.AddRange(RolePermissionReview.Of(policies).Evidence(policies));
            var problems = new List<string>();
            var extra = (role.AttachedPolicies ?? []).Where(p => ClusterRoleDedicatedAndMinimal.AwsManagedName(p.PolicyArn) is not { } name || !allowed.Contains(name))
                .Select(p => p.PolicyArn ?? p.PolicyName ?? "(unnamed)").ToList();
            if (extra.Count > 0) problems.Add($"polic{(extra.Count == 1 ? "y" : "ies")} beyond the node ones: {string.Join(", ", extra)}");
            if ((role.InlinePolicies?.Count ?? 0) > 0) problems.Add($"inline polic{(role.InlinePolicies!.Count == 1 ? "y" : "ies")}: {string.Join(", ", role.InlinePolicies.Select(p => p.PolicyName))}");
            // The managed node policies are known-good; what else the documents grant is judged with the policy engine.
            var judged = policies.Documents.Where(d => ClusterRoleDedicatedAndMinimal.AwsManagedName(d.Name) is not { } name || !allowed.Contains(name)).ToList();
            problems.AddRange(PolicyAnalysis.AdminGrants(judged).Select(g => g.ToString()));
            var ecrWrites = PolicyAnalysis.GrantsOf(judged, EcrWriteActions).GroupBy(g => g.Statement.Label)
                .Select(g => $"{g.Key} allows ECR writes ({string.Join(", ", g.Select(x => x.Action))})").ToList();
            problems.AddRange(ecrWrites);
            if (problems.Count > 0)
                yield return context.Fail(resource, $"The node role {arn} grants more than nodes need: {string.Join("; ", problems)}.", evidence);
            else if (policies.ProblemsExcept(p => ClusterRoleDedicatedAndMinimal.AwsManagedName(p) is { } n && allowed.Contains(n)) is { Count: > 0 } unread)
                yield return context.Error(resource, $"The node role {arn} could not be fully read: {string.Join("; ", unread)}.", evidence);
            else
                yield return context.Pass(resource, $"The node role {arn} carries only the node policies.", evidence);
        }
    }
}
