namespace EksSecurity.Engine.Rules.Net;

/// <summary>EKS-NET-010: managed node groups carry no SSH key, and never one open to the whole internet.</summary>
public sealed class NodeGroupsWithoutSshAccess : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-010",
        Title = "No SSH remote access on node groups",
        Severity = Severity.High,
        Area = RuleArea.Net,
        Rationale = "When a managed node group is given an SSH key without source security groups, EKS opens port 22 (3389 on Windows) on its nodes to " +
                    "0.0.0.0/0. Even behind restricted sources, SSH keys are copied, shared and rarely rotated, and shell sessions leave no audit trail. " +
                    "SSM Session Manager gives the same access controlled by IAM and logged.",
        Remediation = "Remote access cannot be changed on an existing node group: create a replacement without it (aws eks create-nodegroup ... without " +
                      "--remote-access, or a launch template without KeyName), move the workloads (kubectl drain), and delete the old group " +
                      "(aws eks delete-nodegroup --cluster-name <cluster> --nodegroup-name <name>). Reach nodes with aws ssm start-session --target <instance-id>. " +
                      "If SSH must stay, set --remote-access ec2SshKey=<key>,sourceSecurityGroups=<sg> so port 22 is not open to the internet.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html#_minimize_access_to_worker_nodes",
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_RemoteAccessConfig.html",
            "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.NodeGroups],
        OptionallyReads = [SnapshotSection.LaunchTemplates],
        Tags = ["aws", "network", "nodes", "ssh"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var nodeGroup in context.Aws.NodeGroups!.All)
        {
            var resource = NodeGroupLaunchTemplates.Resource(nodeGroup);
            var name = nodeGroup.NodegroupName ?? "(unnamed)";
            var remote = nodeGroup.RemoteAccess;
            var sshKey = string.IsNullOrWhiteSpace(remote?.Ec2SshKey) ? null : remote!.Ec2SshKey;
            var sources = remote?.SourceSecurityGroups ?? [];
            var evidence = new List<string>
            {
                remote is null ? "remoteAccess = (none)" : $"remoteAccess.ec2SshKey = {sshKey ?? "(none)"}, remoteAccess.sourceSecurityGroups = [{string.Join(", ", sources)}]",
            };
            if (nodeGroup.Resources?.RemoteAccessSecurityGroup is { Length: > 0 } sg) evidence.Add($"resources.remoteAccessSecurityGroup = {sg}");

            var template = NodeGroupLaunchTemplates.Resolve(context, nodeGroup, out var templateMissing);
            var templateKey = string.IsNullOrWhiteSpace(template?.LaunchTemplateData?.KeyName) ? null : template!.LaunchTemplateData!.KeyName;
            if (template is not null)
                evidence.Add($"launch template {template.LaunchTemplateId} version {template.VersionNumber}: KeyName = {templateKey ?? "(none)"}");
            else if (templateMissing is not null)
                evidence.Add(templateMissing);

            if (sshKey is not null && sources.Count == 0)
                yield return context.Fail(resource,
                    $"Node group {name} has SSH key {sshKey} and no source security groups: EKS opens SSH (RDP on Windows) on its nodes to 0.0.0.0/0.", evidence);
            else if (sshKey is not null)
                yield return context.Warn(resource,
                    $"Node group {name} has SSH key {sshKey}, reachable from security group(s) {string.Join(", ", sources)}; prefer SSM Session Manager.", evidence, Severity.Medium);
            else if (templateKey is not null)
                yield return context.Warn(resource,
                    $"Node group {name}'s launch template puts SSH key {templateKey} on its nodes; prefer SSM Session Manager (EKS-NET-009 judges who can reach port 22).", evidence, Severity.Medium);
            else if (templateMissing is not null)
                yield return context.Error(resource, $"Whether node group {name} carries an SSH key could not be judged: {templateMissing}.", evidence);
            else
                yield return context.Pass(resource, $"Node group {name} has no SSH key.", evidence);
        }
    }
}
