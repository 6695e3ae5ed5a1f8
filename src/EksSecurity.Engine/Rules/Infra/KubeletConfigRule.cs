using System.Globalization;
using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>
/// What the kubelet configuration rules (EKS-INFRA-009 to 018) share. They judge the kubelet's effective configuration, as
/// each sampled node reports it through configz, never a guessed file on the node:
/// <list type="bullet">
/// <item>one finding per sample, about the node asked and the group it stands for;</item>
/// <item>Fargate and EKS Auto Mode nodes are NotApplicable (AWS configures their kubelet);</item>
/// <item>a sample whose configz could not be read is Error, never Fail nor Pass;</item>
/// <item>a node group (or launch template, or ungrouped node) of the Nodes section with no sample at all is Error: it was not looked at.</item>
/// </list>
/// Fields configz leaves out take the kubelet's documented v1beta1 default, and the evidence says so.
/// </summary>
public abstract class KubeletConfigRule : Rule
{
    /// <summary>Every kubelet rule needs the samples and the node list (to tell Fargate and Auto Mode nodes, and to see unsampled groups).</summary>
    protected static readonly SnapshotSection[] KubeletReads = [SnapshotSection.KubeletConfigs, SnapshotSection.Nodes];

    protected const string KubeletConfigReference = "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/";
    protected const string KubeletAuthReference = "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/";
    protected const string InfrastructureReference = "https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html";
    protected const string NodeadmReference = "https://awslabs.github.io/amazon-eks-ami/nodeadm/";
    protected const string CisReference = "https://docs.aws.amazon.com/eks/latest/userguide/cis.html";

    /// <summary>How to change a kubelet setting on the usual EKS node types; rules put their own keys in <paramref name="yaml"/>.</summary>
    protected static string HowToSet(string yaml) =>
        "Set it in the node bootstrap and replace the nodes. AL2023 (nodeadm user data in the launch template or EC2NodeClass):\n" +
        "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  kubelet:\n    config:\n" + yaml +
        "Bottlerocket: the matching settings.kubernetes setting in user data. Then roll the node group (aws eks update-nodegroup-version) or let " +
        "Karpenter drift the nodes. Check the result with kubectl get --raw /api/v1/nodes/<node>/proxy/configz.";

    /// <summary>A verdict on one sample's configuration.</summary>
    protected readonly record struct Verdict(FindingStatus Status, string Message, IReadOnlyList<string> Evidence, Severity? Severity = null)
    {
        public static Verdict Pass(string message, params string[] evidence) => new(FindingStatus.Pass, message, evidence);
        public static Verdict Fail(string message, params string[] evidence) => new(FindingStatus.Fail, message, evidence);
        public static Verdict Warn(string message, params string[] evidence) => new(FindingStatus.Warning, message, evidence);
        public static Verdict Error(string message, params string[] evidence) => new(FindingStatus.Error, message, evidence);
    }

    /// <summary>Judges one kubelet configuration; <paramref name="who"/> names the node and its group for messages.</summary>
    protected abstract Verdict Judge(KubeletConfiguration config, V1Node? node, string who, RuleContext context);

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var nodes = context.Kubernetes.Nodes!.All;
        var byName = new Dictionary<string, V1Node>(StringComparer.Ordinal);
        foreach (var n in nodes)
            if (n.Metadata?.Name is { Length: > 0 } name) byName.TryAdd(name, n);

        var sampledGroups = new HashSet<string>(StringComparer.Ordinal);
        var sampledNodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in context.Kubernetes.KubeletConfigs!.All)
        {
            var name = string.IsNullOrEmpty(sample.NodeName) ? "(unnamed)" : sample.NodeName;
            sampledGroups.Add(sample.GroupKey);
            sampledNodes.Add(name);
            byName.TryGetValue(name, out var node);
            var resource = new ResourceRef("Node", null, name);
            var who = Describe(sample, name);
            var evidence = new List<string> { $"sampled node {name}: nodeGroup = {sample.NodeGroup ?? "(none)"}, launchTemplate = {sample.LaunchTemplate ?? "(none)"}" };

            var computeType = node is not null ? KubeletConfigSample.AwsManagedComputeType(node)
                : name.StartsWith("fargate-", StringComparison.Ordinal) ? "fargate" : null;
            if (computeType is not null)
            {
                evidence.Add($"label {KubeletConfigSample.ComputeTypeLabel} = {computeType}");
                yield return context.Finding(FindingStatus.NotApplicable, resource,
                    $"{Capitalize(who)} is a {(computeType == "fargate" ? "Fargate" : "EKS Auto Mode")} node: AWS configures its kubelet, so it is not judged.", evidence);
                continue;
            }
            if (sample.Error is not null)
            {
                evidence.Add($"configz error: {sample.Error}");
                yield return context.Error(resource, $"The kubelet configuration of {who} could not be read ({sample.Error}); it is not judged.", evidence);
                continue;
            }
            if (sample.KubeletConfig is null)
            {
                evidence.Add("configz answer: no kubeletconfig object");
                yield return context.Error(resource, $"The configz answer of {who} holds no kubeletconfig object; it is not judged.", evidence);
                continue;
            }
            if (node is null) evidence.Add($"node {name} is not in the Nodes section (removed since it was sampled?)");
            var verdict = Judge(sample.KubeletConfig, node, who, context);
            evidence.AddRange(verdict.Evidence);
            yield return context.Finding(verdict.Status, resource, verdict.Message, evidence, verdict.Severity);
        }

        // Groups nobody looked at: an unsampled group must not hide behind the passes of the others.
        var unsampled = nodes
            .Where(n => n.Metadata?.Name is { Length: > 0 } && KubeletConfigSample.AwsManagedComputeType(n) is null)
            .GroupBy(KubeletConfigSample.GroupKeyOf, StringComparer.Ordinal)
            .Where(g => !sampledGroups.Contains(g.Key) && !g.Any(n => sampledNodes.Contains(n.Metadata!.Name!)));
        foreach (var group in unsampled)
        {
            var members = group.Select(n => n.Metadata!.Name!).Order(StringComparer.Ordinal).ToList();
            var (nodeGroup, template) = KubeletConfigSample.GroupOf(group.First());
            var resource = nodeGroup is null && template is null
                ? new ResourceRef("Node", null, members[0])
                : new ResourceRef("NodeGroup", null, nodeGroup ?? template!);
            var what = nodeGroup is null && template is null ? $"node {members[0]}" : $"node group {nodeGroup ?? "(none)"}" + (template is null ? "" : $" (launch template {template})");
            yield return context.Error(resource,
                $"No kubelet configuration was sampled for {what}: its {members.Count} node(s) are not judged.",
                [$"nodes: {Pod.PodRuleSupport.JoinCapped(members, 10)}", $"sampling key {group.Key} has no entry in the KubeletConfigs section"]);
        }
    }

    private static string Describe(KubeletConfigSample sample, string name)
    {
        var parts = new List<string>();
        if (sample.NodeGroup is not null) parts.Add($"node group {sample.NodeGroup}");
        if (sample.LaunchTemplate is not null) parts.Add($"launch template {sample.LaunchTemplate}");
        return parts.Count == 0 ? $"node {name}" : $"node {name} ({string.Join(", ", parts)})";
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>"true", "false", or "(absent: kubelet default false)".</summary>
    protected static string Show(bool? value, bool kubeletDefault) =>
        value is { } v ? (v ? "true" : "false") : $"(absent: kubelet default {(kubeletDefault ? "true" : "false")})";

    protected static string Show(long? value, long kubeletDefault) =>
        value is { } v ? v.ToString(CultureInfo.InvariantCulture) : $"(absent: kubelet default {kubeletDefault.ToString(CultureInfo.InvariantCulture)})";

    protected static string Show(string? value, string kubeletDefault) =>
        value is not null ? (value.Length == 0 ? "\"\"" : value) : $"(absent: kubelet default {(kubeletDefault.Length == 0 ? "\"\"" : kubeletDefault)})";

    /// <summary>True for Windows nodes (label kubernetes.io/os or nodeInfo.operatingSystem).</summary>
    protected static bool IsWindows(V1Node? node) =>
        node?.Metadata?.Labels?.TryGetValue("kubernetes.io/os", out var os) == true && os == "windows"
        || string.Equals(node?.Status?.NodeInfo?.OperatingSystem, "windows", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A Go duration ("4h0m0s", "1h30m", "300ms", "0s", "0") as a TimeSpan; null when it is not one. Units: ns, us, µs, ms, s, m, h.
    /// </summary>
    internal static TimeSpan? ParseGoDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim();
        var negative = false;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s == "0") return TimeSpan.Zero;
        if (s.Length == 0) return null;
        double ticks = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == start || !double.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return null;
            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            double? perUnit = s[unitStart..i] switch
            {
                "ns" => TimeSpan.TicksPerMillisecond / 1_000_000.0,
                "us" or "µs" or "μs" => TimeSpan.TicksPerMillisecond / 1_000.0,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => null,
            };
            if (perUnit is null) return null;
            ticks += number * perUnit.Value;
        }
        var result = TimeSpan.FromTicks((long)Math.Round(ticks));
        return negative ? -result : result;
    }
}
