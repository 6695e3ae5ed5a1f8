using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>
/// EKS-IAM-030: once the VPC CNI has an identity of its own (EKS-IAM-029), the node roles no longer carry the CNI policy, which every
/// pod able to reach the instance metadata service could otherwise use.
/// </summary>
public sealed class NodeRoleDropsCniPolicy : Rule
{
    /// <summary>Actions only a CNI needs: a customer managed or inline policy that allows one of them counts as a CNI policy whatever its name.</summary>
    private static readonly string[] CniActions = ["ec2:AssignPrivateIpAddresses", "ec2:AssignIpv6Addresses"];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-030",
        Title = "Node role does not keep AmazonEKS_CNI_Policy when the CNI has its own role",
        Severity = Severity.Medium,
        Area = RuleArea.Iam,
        Rationale = "Giving aws-node its own role only helps once the node role loses the CNI permissions. While the node role keeps " +
                    "AmazonEKS_CNI_Policy (or the IPv6 CNI policy), any pod that reaches the instance metadata service can still create, " +
                    "attach and delete network interfaces and assign addresses in the VPC with the node's credentials.",
        Remediation = "After aws-node runs with its own role (EKS-IAM-029), detach the CNI policy from each node role:\n" +
                      "aws iam detach-role-policy --role-name <node-role> --policy-arn arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy\n" +
                      "(for IPv6 clusters, the customer managed policy you created, such as AmazonEKS_CNI_IPv6_Policy: " +
                      "aws iam detach-role-policy --role-name <node-role> --policy-arn arn:aws:iam::<account>:policy/AmazonEKS_CNI_IPv6_Policy). " +
                      "Check first that the aws-node pods have the new identity (kubectl rollout restart daemonset aws-node -n kube-system), " +
                      "or new pods will not get IP addresses.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_update_the_aws_node_daemonset_to_use_irsa",
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_restrict_access_to_the_instance_profile_assigned_to_the_worker_node",
            "https://docs.aws.amazon.com/eks/latest/userguide/cni-iam-role.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.NodeGroups, SnapshotSection.IamRoles],
        OptionallyReads = [SnapshotSection.DaemonSets, .. VpcCniIdentity.Sections, SnapshotSection.AccessEntries, SnapshotSection.ConfigMaps, SnapshotSection.Cluster],
        Tags = ["aws", "iam", "least-privilege", "vpc-cni", "nodes", "imds"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var cni = VpcCniIdentity.Of(context);
        var cniLine = cni.Kind switch
        {
            CniIdentityKind.OwnIdentity => "aws-node has its own identity: " + string.Join("; ", cni.Identities),
            CniIdentityKind.NodeRole => "aws-node has no identity of its own: it uses the node role (EKS-IAM-029)",
            CniIdentityKind.NotRunning => $"no DaemonSet {VpcCniIdentity.Namespace}/{VpcCniIdentity.DaemonSetName}: the VPC CNI does not run as pods",
            _ => $"aws-node's identity is unknown: {string.Join(" and ", cni.NotCollected)} not collected",
        };
        var iam = context.Aws.IamRoles!.All;
        foreach (var (arn, sources) in NodeRoles(context))
        {
            var resource = new ResourceRef("IamRole", null, arn);
            var evidence = new List<string> { $"node role of: {string.Join(", ", sources)}", cniLine };
            var parsed = IamPrincipalArn.Parse(arn);
            var role = iam.FirstOrDefault(r => string.Equals(r.Arn?.Trim(), arn, StringComparison.Ordinal)) ??
                       iam.FirstOrDefault(r => parsed is not null && IamPrincipalArn.Parse(r.Arn) is { } p && p.SameEntity(parsed));
            if (role is null)
            {
                yield return context.Error(resource, $"The node role {arn} is not in the IamRoles section; whether it keeps the CNI policy is unknown.", evidence);
                continue;
            }
            if (role.NoSuchEntity == true)
            {
                evidence.Add("iam:GetRole: NoSuchEntity");
                yield return context.Finding(FindingStatus.NotApplicable, resource,
                    $"The node role {arn} does not exist, so it carries no policy (EKS-IAM-006 reports principals that point at nothing).", evidence);
                continue;
            }

            var (found, unknown) = CniPolicies(role, context.Settings.CniPolicyNames);
            if (role.AttachedPolicies is not null)
                evidence.Add($"attached policies = {Rbac.List(role.AttachedPolicies.Select(p => p.PolicyName ?? p.PolicyArn ?? "(unnamed)"))}");
            if (role.InlinePolicies is { Count: > 0 })
                evidence.Add($"inline policies = {Rbac.List(role.InlinePolicies.Select(p => p.PolicyName ?? "(unnamed)"))}");
            evidence.AddRange(found.Select(f => "CNI permissions: " + f));
            evidence.AddRange(unknown.Select(u => "not judged: " + u));
            var name = role.RoleName ?? arn;

            if (found.Count == 0)
            {
                if (unknown.Count > 0)
                    yield return context.Error(resource, $"Whether node role {name} keeps the CNI policy is unknown: {string.Join("; ", unknown)}.", evidence);
                else
                    yield return context.Pass(resource, cni.Kind == CniIdentityKind.NodeRole
                        ? $"Node role {name} carries no CNI policy (note: aws-node has no identity of its own either, so the CNI gets no network-interface permissions from it)."
                        : $"Node role {name} carries no CNI policy.", evidence);
                continue;
            }

            var what = string.Join(", ", found.Select(f => f.Split(' ')[0]).Distinct());
            switch (cni.Kind)
            {
                case CniIdentityKind.OwnIdentity:
                    yield return context.Fail(resource,
                        $"Node role {name} still carries {what} although aws-node has its own identity: every pod that reaches the instance metadata " +
                        "service can still manage network interfaces with the node's credentials.", evidence);
                    break;
                case CniIdentityKind.NodeRole:
                    yield return context.Pass(resource,
                        $"Node role {name} carries {what} because aws-node has no identity of its own and uses the node role by design; " +
                        "EKS-IAM-029 reports that. Give aws-node a role, then detach the policy here.", evidence);
                    break;
                case CniIdentityKind.NotRunning:
                    yield return context.Warn(resource,
                        $"Node role {name} carries {what}, but no aws-node DaemonSet runs in the cluster: unless another component needs them, " +
                        "these network-interface permissions serve only the pods that reach the instance metadata service.", evidence);
                    break;
                default:
                    yield return context.Error(resource,
                        $"Node role {name} carries {what}; whether aws-node has its own identity is unknown ({string.Join(" and ", cni.NotCollected)} not collected).", evidence);
                    break;
            }
        }
    }

    /// <summary>
    /// The roles of nodes that run aws-node, each with where it was found: managed node groups, EC2_LINUX access entries and aws-auth
    /// mappings to system:nodes (Windows mappings aside). The EKS Auto Mode node role is left out unless a node group uses it: AWS runs
    /// the CNI on Auto Mode nodes and manages that role's policies.
    /// </summary>
    private static SortedDictionary<string, SortedSet<string>> NodeRoles(RuleContext context)
    {
        var roles = new SortedDictionary<string, SortedSet<string>>(StringComparer.OrdinalIgnoreCase);
        void Add(string? arn, string source)
        {
            if (string.IsNullOrWhiteSpace(arn)) return;
            arn = arn.Trim();
            if (!roles.TryGetValue(arn, out var sources)) roles[arn] = sources = new SortedSet<string>(StringComparer.Ordinal);
            sources.Add(source);
        }
        foreach (var group in context.Aws.NodeGroups!.All) Add(group.NodeRole, $"node group {group.NodegroupName ?? "(unnamed)"}");
        if (context.Has(SnapshotSection.AccessEntries))
            foreach (var entry in context.Aws.AccessEntries!.All.Where(e => e.Type == "EC2_LINUX"))
                Add(entry.PrincipalArn, "access entry of type EC2_LINUX");
        if (context.Has(SnapshotSection.ConfigMaps))
            foreach (var mapping in context.Index.AwsAuth.Roles.Where(r => r.Groups.Contains("system:nodes") && !r.Groups.Contains("eks:kube-proxy-windows")))
                Add(mapping.Arn, "aws-auth mapRoles (system:nodes)");
        if (context.Has(SnapshotSection.Cluster) && context.Aws.Cluster?.Value?.ComputeConfig is { Enabled: true, NodeRoleArn: { } autoRole } &&
            roles.TryGetValue(autoRole.Trim(), out var autoSources) && !autoSources.Any(s => s.StartsWith("node group", StringComparison.Ordinal)))
            roles.Remove(autoRole.Trim());
        return roles;
    }

    /// <summary>
    /// The CNI policies on a role ("AmazonEKS_CNI_Policy (attached, arn)"), and what could not be read. A policy counts when its name
    /// matches <see cref="RuleSettings.CniPolicyNames"/>, or, for customer managed and inline policies, when its document allows one of
    /// the CNI's address-assignment actions.
    /// </summary>
    internal static (List<string> Found, List<string> Unknown) CniPolicies(IamRole role, IReadOnlyList<string> names)
    {
        var found = new List<string>();
        var unknown = new List<string>();
        bool NameMatches(string? name) => name is not null && names.Any(n => WildcardMatch.IsMatch(name, n, StringComparison.OrdinalIgnoreCase));
        string? Grants(string? document) =>
            AwsPolicyStatements.TryParse(document, out var statements, out _)
                ? CniActions.FirstOrDefault(a => statements.Any(s => s.IsAllow && s.Covers(a)))
                : null;

        if (role.AttachedPolicies is null) unknown.Add("attached policies were not listed (iam:ListAttachedRolePolicies)");
        else
            foreach (var policy in role.AttachedPolicies)
            {
                var awsManaged = ClusterRoleDedicatedAndMinimal.AwsManagedName(policy.PolicyArn);
                var name = awsManaged ?? policy.PolicyName ?? policy.PolicyArn?[(policy.PolicyArn.LastIndexOf('/') + 1)..];
                var label = $"{name ?? "(unnamed)"} (attached, {policy.PolicyArn ?? "no arn"})";
                if (NameMatches(name)) found.Add(label);
                else if (awsManaged is null && Grants(policy.Document) is { } action) found.Add($"{label.TrimEnd(')')}, allows {action})");
            }
        if (role.InlinePolicies is null) unknown.Add("inline policies were not listed (iam:ListRolePolicies)");
        else
            foreach (var policy in role.InlinePolicies)
            {
                if (NameMatches(policy.PolicyName)) found.Add($"{policy.PolicyName} (inline)");
                else if (Grants(policy.PolicyDocument) is { } action) found.Add($"{policy.PolicyName ?? "(unnamed)"} (inline, allows {action})");
            }
        return (found, unknown);
    }
}
