using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Identity;
using EksSecurity.Engine.Rules.Net;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>
/// EKS-IAM-033: the launch templates nodes are made from require IMDSv2 with hop limit 1, counting what a template leaves unset as the
/// account's IMDS default; a managed node group on EKS's own template gets hop limit 2; running nodes that differ from their template are reported.
/// </summary>
public sealed class LaunchTemplatesEnforceImdsv2 : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-033",
        Title = "Launch templates and node groups enforce IMDSv2 and the hop limit",
        Severity = Severity.High,
        Area = RuleArea.Iam,
        Rationale = "A node's metadata options are fixed when it launches, from its launch template, then the account's IMDS defaults, then the " +
                    "AMI. Fixing running nodes by hand lasts until the node group replaces them: only the template (or the account default it inherits) " +
                    "keeps every new node from handing its IAM role to pods. A managed node group created without a launch template runs on one EKS " +
                    "writes with a hop limit of 2, which lets pods fetch an IMDSv2 token.",
        Remediation = "Set the metadata options in a new template version and roll the node group: aws ec2 create-launch-template-version --launch-template-id " +
                      "<lt-id> --source-version <n> --launch-template-data '{\"MetadataOptions\":{\"HttpTokens\":\"required\",\"HttpPutResponseHopLimit\":1," +
                      "\"HttpEndpoint\":\"enabled\"}}', then aws eks update-nodegroup-version --cluster-name <cluster> --nodegroup-name <name> --launch-template " +
                      "id=<lt-id>,version=<n+1> (self-managed: update the Auto Scaling group and start an instance refresh). A managed node group without a " +
                      "template needs a new node group created with one. Set the account defaults as a backstop: aws ec2 modify-instance-metadata-defaults " +
                      "--http-tokens required --http-put-response-hop-limit 1.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_restrict_access_to_the_instance_profile_assigned_to_the_worker_node",
            "https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html",
            "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html#instance-metadata-options-order-of-precedence",
            "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html",
        ],
        Frameworks =
        [
            "Prowler ec2_launch_template_imdsv2_required", "Prowler autoscaling_group_launch_configuration_requires_imdsv2",
            "Prowler ec2_instance_account_imdsv2_enabled",
        ],
        Reads = [SnapshotSection.NodeGroups, SnapshotSection.LaunchTemplates],
        OptionallyReads = [SnapshotSection.InstanceMetadataDefaults, SnapshotSection.Instances, SnapshotSection.Nodes],
        Tags = ["aws", "iam", "imds", "nodes", "launch-template"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var nodes = context.Has(SnapshotSection.Instances)
            ? VpcNetwork.RunningNodes(context).Where(i => i.MetadataOptions is not null && !NodeImds.AutoMode(context, i)).ToList()
            : [];
        var notes = context.Has(SnapshotSection.Instances) ? [] : new List<string> { $"running nodes not compared: {VpcNetwork.Missing(context, SnapshotSection.Instances)}" };

        foreach (var group in context.Aws.NodeGroups!.All)
        {
            var resource = NodeGroupLaunchTemplates.Resource(group);
            var members = nodes.Where(i => VpcNetwork.Tag(i, "eks:nodegroup-name") == group.NodegroupName).ToList();
            var max = NodeImds.MaxHopLimit(context.Settings, [group.NodegroupName ?? ""]);
            if (group.LaunchTemplate is not { } spec || (string.IsNullOrEmpty(spec.Id) && string.IsNullOrEmpty(spec.Name)))
            {
                yield return WithoutTemplate(context, group, resource, members, max, notes);
                continue;
            }
            var template = NodeGroupLaunchTemplates.Resolve(context, group, out var missing);
            if (template is null)
            {
                yield return context.Error(resource, $"The launch template of node group {group.NodegroupName} could not be judged: {missing}.", [missing ?? "launch template not found"]);
                continue;
            }
            yield return JudgeTemplate(context, resource, $"Node group {group.NodegroupName}'s launch template", template, members, max, notes);
        }

        // Self-managed nodes (no managed node group) launched from a template: the template EC2 tagged them with.
        foreach (var launched in nodes.Where(i => VpcNetwork.Tag(i, "eks:nodegroup-name") is null)
                     .GroupBy(NodeImds.LaunchedFrom).Where(g => g.Key is not null).OrderBy(g => g.Key!.Value.Id, StringComparer.Ordinal))
        {
            var (id, version) = launched.Key!.Value;
            var resource = new ResourceRef("LaunchTemplate", null, $"{id} version {version}");
            var members = launched.ToList();
            var template = Version(context, id, version);
            if (template is null)
            {
                yield return context.Error(resource,
                    $"Self-managed nodes {string.Join(", ", members.Select(i => i.InstanceId))} were launched from launch template {id} version {version}, which is not in the " +
                    "LaunchTemplates section (deleted since, or not collected); the template cannot be judged (the nodes themselves are, by EKS-IAM-032).",
                    [$"aws:ec2launchtemplate:id = {id}", $"aws:ec2launchtemplate:version = {version}"]);
                continue;
            }
            var max = NodeImds.MaxHopLimit(context.Settings, members.SelectMany(NodeImds.GroupNames));
            yield return JudgeTemplate(context, resource, $"Launch template {id} version {version} of self-managed nodes", template, members, max, notes);
        }
    }

    /// <summary>A managed node group on the launch template EKS writes for it: hop limit 2, so pods reach IMDS (with a token).</summary>
    private static EksSecurityFinding WithoutTemplate(RuleContext context, EksNodegroup group, ResourceRef resource, List<Ec2Instance> members, int max, List<string> notes)
    {
        var evidence = new List<string> { $"node group {group.NodegroupName}: no launch template of yours (launchTemplate = (absent)); EKS's own sets HttpPutResponseHopLimit 2" };
        // EC2 tags each node with the template it came from: EKS's own, when it was collected, shows what it really sets.
        var eksTemplates = members.Select(NodeImds.LaunchedFrom).OfType<(string Id, string Version)>().Distinct()
            .Select(t => Version(context, t.Id, t.Version))
            .OfType<Ec2LaunchTemplateVersion>().ToList();
        evidence.AddRange(eksTemplates.Select(t => $"EKS's launch template {t.LaunchTemplateId} version {t.VersionNumber}: {Explicit(t.LaunchTemplateData?.MetadataOptions)}"));
        evidence.AddRange(members.Select(i => "node " + NodeImds.Describe(i, NodeImds.Judge(i.MetadataOptions!, max))));
        evidence.AddRange(notes);
        if (eksTemplates.Any(t => string.Equals(t.LaunchTemplateData?.MetadataOptions?.HttpTokens, "optional", StringComparison.OrdinalIgnoreCase)))
            return context.Fail(resource, $"Node group {group.NodegroupName} runs on EKS's own launch template, which leaves IMDSv1 on: pods can read the node role's credentials.", evidence);
        if (max > 1)
            return context.Pass(resource, $"Node group {group.NodegroupName} runs on EKS's own launch template (hop limit 2), and is allow-listed for pods that need IMDS.", evidence);
        return context.Warn(resource,
            $"Node group {group.NodegroupName} has no launch template of its own: EKS's default sets hop limit 2, so pods can fetch an IMDSv2 token and the node role's " +
            "credentials. Only a new node group with a launch template can change it.", evidence);
    }

    private static EksSecurityFinding JudgeTemplate(RuleContext context, ResourceRef resource, string subject, Ec2LaunchTemplateVersion template,
        List<Ec2Instance> members, int max, List<string> notes)
    {
        var options = template.LaunchTemplateData?.MetadataOptions;
        var evidence = new List<string> { $"launch template {template.LaunchTemplateId} version {template.VersionNumber}: {Explicit(options)}" };
        var defaults = context.Has(SnapshotSection.InstanceMetadataDefaults) ? context.Aws.InstanceMetadataDefaults!.Value ?? new Ec2InstanceMetadataDefaults() : null;
        var unknown = new List<string>();

        // Each option the template leaves unset takes the account default, then the AMI's.
        string? Inherit(string field, string? own, string? accountValue)
        {
            if (!string.IsNullOrEmpty(own)) return own;
            if (defaults is null)
            {
                unknown.Add($"{field} is unset in the template, and the account default it inherits was not collected ({VpcNetwork.Missing(context, SnapshotSection.InstanceMetadataDefaults)})");
                return null;
            }
            if (string.IsNullOrEmpty(accountValue) || accountValue == "no-preference") return null;
            evidence.Add($"{field} = {accountValue}, inherited from the account's IMDS defaults" + (defaults.ManagedBy == "declarative-policy" ? " (set by a declarative policy)" : ""));
            return accountValue;
        }
        var endpoint = Inherit("HttpEndpoint", options?.HttpEndpoint, defaults?.HttpEndpoint);
        var tokens = Inherit("HttpTokens", options?.HttpTokens, defaults?.HttpTokens);
        if (tokens is null && string.Equals(defaults?.HttpTokensEnforced, "enabled", StringComparison.OrdinalIgnoreCase))
        {
            tokens = "required";
            evidence.Add("HttpTokens = required: the account enforces IMDSv2 (HttpTokensEnforced = enabled)");
        }
        var hops = Inherit("HttpPutResponseHopLimit", options?.HttpPutResponseHopLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            defaults?.HttpPutResponseHopLimit is > 0 and var h ? h.ToString(System.Globalization.CultureInfo.InvariantCulture) : null) is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;

        // Unset everywhere: the AMI decides (EC2's default hop limit is 1; AMIs registered with ImdsSupport v2.0, such as AL2023, give 2).
        // The nodes launched from it show what it became.
        var seenHops = members.Select(i => i.MetadataOptions!.HttpPutResponseHopLimit ?? 1).ToList();
        if (hops is null && defaults is not null)
            evidence.Add(seenHops.Count == 0
                ? "HttpPutResponseHopLimit is set neither in the template nor in the account: the AMI decides (1, or 2 for AMIs with ImdsSupport v2.0), and no node shows it yet"
                : $"HttpPutResponseHopLimit is set neither in the template nor in the account: its nodes got {string.Join(", ", seenHops.Distinct().Order())}");
        var imds = ImdsProtection.Judge(endpoint, tokens, hops ?? (seenHops.Count > 0 ? seenHops.Max() : 1), max);

        // Drift: running nodes whose options differ from what the template gives them.
        var drift = members.Where(i => Differs(i.MetadataOptions!, endpoint, tokens, hops))
            .Select(i => $"node {NodeImds.Describe(i, NodeImds.Judge(i.MetadataOptions!, max))} differs from the template").ToList();
        evidence.AddRange(drift);
        evidence.AddRange(notes);
        if (max > 1) evidence.Add("allow-listed (ImdsHopLimitTwoNodeGroups): hop limit 2 is accepted with IMDSv2 required");

        if (imds.Outcome == ImdsProtection.Outcome.TokensOptional && (tokens is not null || unknown.Count == 0))
            return context.Fail(resource, tokens is null
                ? $"{subject} does not require IMDSv2: neither it nor the account's IMDS defaults set HttpTokens, so IMDSv1 stays on unless the AMI turns it off."
                : $"{subject} leaves IMDSv1 on (HttpTokens {tokens}): any pod can read the node role's credentials.", evidence);
        if (imds.Outcome == ImdsProtection.Outcome.HopLimitTooHigh && (hops is not null || seenHops.Count > 0))
            return context.Fail(resource, $"{subject} gives its nodes hop limit {imds.HopLimit} (at most {max} allowed): pods can fetch an IMDSv2 token.", evidence);
        if (unknown.Count > 0)
            return context.Error(resource, $"{subject} could not be judged: {string.Join("; ", unknown)}.", evidence);
        if (imds.Outcome == ImdsProtection.Outcome.Disabled)
            return drift.Count > 0
                ? context.Warn(resource, $"{subject} turns the metadata service off, but {drift.Count} of its node(s) differ from it.", evidence)
                : context.Pass(resource, $"{subject} turns the instance metadata service off.", evidence);
        if (hops is null && seenHops.Count == 0)
            return context.Warn(resource, $"{subject} requires IMDSv2 but sets no hop limit (nor does the account): the AMI decides, and gives 2 when it was registered with ImdsSupport v2.0.", evidence);
        if (drift.Count > 0)
            return context.Warn(resource, $"{subject} requires IMDSv2 with hop limit {imds.HopLimit}, but {drift.Count} of its node(s) run with other settings (changed after launch, or launched from another version).", evidence);
        return context.Pass(resource, $"{subject} requires IMDSv2 with hop limit {imds.HopLimit}.", evidence);
    }

    /// <summary>The template version a node's aws:ec2launchtemplate tags name, when it was collected.</summary>
    private static Ec2LaunchTemplateVersion? Version(RuleContext context, string id, string version) =>
        context.Aws.LaunchTemplates!.All.FirstOrDefault(v => v.LaunchTemplateId == id && v.VersionNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) == version);

    /// <summary>True when the node's options differ from what its template gives (options the template leaves to the AMI are not compared).</summary>
    private static bool Differs(Ec2InstanceMetadataOptions node, string? endpoint, string? tokens, int? hops) =>
        (endpoint is not null && !string.Equals(node.HttpEndpoint ?? "enabled", endpoint, StringComparison.OrdinalIgnoreCase)) ||
        (tokens is not null && !string.Equals(node.HttpTokens ?? "optional", tokens, StringComparison.OrdinalIgnoreCase)) ||
        (hops is not null && (node.HttpPutResponseHopLimit ?? 1) != hops);

    /// <summary>"HttpTokens required, HttpPutResponseHopLimit (unset), HttpEndpoint enabled": what the template itself says.</summary>
    private static string Explicit(Ec2LaunchTemplateMetadataOptions? options) =>
        $"HttpTokens {options?.HttpTokens ?? "(unset)"}, HttpPutResponseHopLimit {options?.HttpPutResponseHopLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(unset)"}, " +
        $"HttpEndpoint {options?.HttpEndpoint ?? "(unset)"}";
}
