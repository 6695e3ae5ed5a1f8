using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules.Iam;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>
/// EKS-INFRA-008: node roles let the SSM agent register, so a shell on a node goes through Session Manager (audited, no SSH key).
/// The snapshot holds no Systems Manager inventory, so the rule judges the prerequisite it can see: the node IAM role's permissions.
/// </summary>
public sealed class NodeAccessThroughSsm : Rule
{
    private static readonly string[] RequiredActions = ["ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:OpenControlChannel"];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-008",
        Title = "Node access through SSM, not SSH",
        Severity = Severity.Low,
        Area = RuleArea.Infra,
        Rationale = "When someone needs a shell on a node, or an incident responder needs to capture memory and files from it, Systems Manager " +
                    "Session Manager gives that access through IAM, logs every session and needs no open port and no SSH key to leak. A node " +
                    "whose role does not let the SSM agent register leaves only SSH, or no way in at all when it matters.",
        Remediation = "Attach the managed policy to the node role: aws iam attach-role-policy --role-name <node-role> --policy-arn " +
                      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore (or enable Systems Manager Default Host Management Configuration for " +
                      "the account), then remove SSH keys and port 22 from the node groups (see EKS-NET-010). Connect with aws ssm start-session --target <instance-id>.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html",
            "https://docs.aws.amazon.com/eks/latest/best-practices/incident-response-and-forensics.html",
            "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html",
            "https://docs.aws.amazon.com/systems-manager/latest/userguide/fleet-manager-default-host-management-configuration.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.NodeGroups, SnapshotSection.IamRoles],
        OptionallyReads = [SnapshotSection.AccessEntries, SnapshotSection.ConfigMaps, SnapshotSection.Cluster],
        Tags = ["aws", "nodes", "ssm", "incident-response", "iam"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        // Node role ARN → where it was found.
        var roles = new SortedDictionary<string, SortedSet<string>>(StringComparer.OrdinalIgnoreCase);
        void Add(string? arn, string source)
        {
            if (string.IsNullOrWhiteSpace(arn)) return;
            if (!roles.TryGetValue(arn, out var sources)) roles[arn] = sources = new SortedSet<string>(StringComparer.Ordinal);
            sources.Add(source);
        }
        foreach (var group in context.Aws.NodeGroups!.All) Add(group.NodeRole, $"node group {group.NodegroupName ?? "(unnamed)"}");
        if (context.Has(SnapshotSection.AccessEntries))
            foreach (var entry in context.Aws.AccessEntries!.All.Where(e => e.Type is "EC2_LINUX" or "EC2_WINDOWS"))
                Add(entry.PrincipalArn, $"access entry of type {entry.Type}");
        if (context.Has(SnapshotSection.ConfigMaps))
            foreach (var mapping in context.Index.AwsAuth.Roles.Where(r => r.Groups.Contains("system:nodes")))
                Add(mapping.Arn, "aws-auth mapRoles (system:nodes)");
        // EKS Auto Mode nodes offer no shell at all: AWS operates them.
        var autoModeRole = context.Aws.Cluster?.Value?.ComputeConfig is { Enabled: true } compute ? compute.NodeRoleArn : null;
        if (autoModeRole is not null && roles.TryGetValue(autoModeRole, out var autoSources) && autoSources.All(s => s.StartsWith("access entry", StringComparison.Ordinal)))
            roles.Remove(autoModeRole);

        var iam = context.Aws.IamRoles!.All.Where(r => r.Arn is not null).GroupBy(r => r.Arn!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        foreach (var (arn, sources) in roles)
        {
            var resource = new ResourceRef("IamRole", null, arn);
            var evidence = new List<string> { $"node role of: {string.Join(", ", sources)}" };
            if (!iam.TryGetValue(arn, out var role))
            {
                yield return context.Error(resource, $"The node role {arn} is not in the IamRoles section; whether its nodes can use Session Manager is unknown.", evidence);
                continue;
            }
            if (role.NoSuchEntity == true)
            {
                yield return context.Error(resource, $"The node role {arn} does not exist (NoSuchEntity); its nodes' access cannot be judged.", evidence);
                continue;
            }
            if (role.AttachedPolicies is null)
            {
                yield return context.Error(resource, $"The managed policies of node role {arn} were not listed; whether its nodes can use Session Manager is unknown.", evidence);
                continue;
            }
            evidence.Add($"attached policies: {(role.AttachedPolicies.Count == 0 ? "(none)" : string.Join(", ", role.AttachedPolicies.Select(p => p.PolicyName ?? p.PolicyArn ?? "(unnamed)")))}");
            var managed = role.AttachedPolicies.FirstOrDefault(p => context.Settings.SsmNodeRolePolicies.Any(n => string.Equals(p.PolicyName, n, StringComparison.Ordinal)));
            if (managed is not null)
            {
                yield return context.Pass(resource, $"Node role {role.RoleName ?? arn} carries {managed.PolicyName}: its nodes can be reached through Session Manager.", evidence);
                continue;
            }
            var documents = role.AttachedPolicies.Select(p => (Name: $"managed policy {p.PolicyName}", Text: p.Document))
                .Concat((role.InlinePolicies ?? []).Select(p => (Name: $"inline policy {p.PolicyName}", Text: p.PolicyDocument)));
            var granted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, text) in documents)
            {
                if (!AwsPolicyStatements.TryParse(text, out var statements, out _)) continue;
                foreach (var action in RequiredActions)
                    if (statements.Any(s => s.IsAllow && s.Covers(action)))
                    {
                        if (granted.Add(action)) evidence.Add($"{action} allowed by {name}");
                    }
            }
            if (RequiredActions.All(granted.Contains))
                yield return context.Pass(resource, $"Node role {role.RoleName ?? arn} allows the SSM agent to register and open sessions.", evidence);
            else
                yield return context.Warn(resource,
                    $"Node role {role.RoleName ?? arn} does not let the SSM agent register ({string.Join(", ", RequiredActions.Where(a => !granted.Contains(a)))} not allowed): " +
                    "its nodes cannot be reached through Session Manager, unless Default Host Management Configuration covers them.", evidence);
        }
    }
}
