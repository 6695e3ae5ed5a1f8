using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// EKS-NET-006: something in the cluster enforces Kubernetes NetworkPolicy: the Amazon VPC CNI network policy agent
/// (with its controller on), EKS Auto Mode with the network policy controller on, Calico, Cilium, or a DaemonSet named in
/// <see cref="RuleSettings.NetworkPolicyEnforcerDaemonSets"/>. One finding for the cluster; High when NetworkPolicy
/// objects exist and nothing enforces them, Medium when there are none yet.
/// </summary>
public sealed class NetworkPolicyEngineEnforcing : Rule
{
    internal const string VpcCniNamespace = "kube-system";
    internal const string VpcCniDaemonSet = "aws-node";
    internal const string NodeAgentContainer = "aws-eks-nodeagent";
    internal const string NodeAgentFlag = "--enable-network-policy";
    internal const string VpcCniConfigMap = "amazon-vpc-cni";
    internal const string ControllerKey = "enable-network-policy-controller";

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-NET-006",
        Title = "A NetworkPolicy engine is enforcing",
        Severity = Severity.High,
        Area = RuleArea.Net,
        Rationale = "The Kubernetes API accepts NetworkPolicy objects whether or not anything enforces them. Out of the box the Amazon VPC CNI " +
                    "does not: its network policy agent ships disabled, and EKS Auto Mode needs its policy controller switched on. Without an " +
                    "enforcer every pod can reach every other pod and any address the VPC routes to, and policies that were written to stop " +
                    "that are silently inert, which is worse than having none because people rely on them.",
        Remediation = "Turn on the VPC CNI network policy support through the managed add-on: aws eks update-addon --cluster-name <cluster> " +
                      "--addon-name vpc-cni --resolve-conflicts PRESERVE --configuration-values '{\"enableNetworkPolicy\": \"true\"}' " +
                      "(VPC CNI 1.14 or later; this sets --enable-network-policy=true on the aws-eks-nodeagent container and " +
                      "enable-network-policy-controller: \"true\" in the kube-system/amazon-vpc-cni ConfigMap). On EKS Auto Mode apply the " +
                      "ConfigMap kube-system/amazon-vpc-cni with data enable-network-policy-controller: \"true\" and keep NodeClass " +
                      "spec.networkPolicy set. Alternatively install Calico or Cilium. Add any other engine to the NetworkPolicyEnforcerDaemonSets setting.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html#_network_policy",
            "https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html",
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#prerequisites",
        ],
        Frameworks = ["CIS EKS 1.8.0 4.3.1", "CIS EKS 1.8.0 5.4.4", "Kubescape C-0205", "Kubescape C-0230", "Prowler eks_cluster_network_policy_enabled"],
        Reads = [SnapshotSection.DaemonSets],
        OptionallyReads = [SnapshotSection.Cluster, SnapshotSection.Addons, SnapshotSection.ConfigMaps, SnapshotSection.Deployments, SnapshotSection.NetworkPolicies],
        ClusterWide = true,
        Tags = ["cis", "network", "network-policy", "vpc-cni"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var detection = Detect(context);
        var evidence = detection.Evidence;

        int? policyCount = null;
        if (context.Has(SnapshotSection.NetworkPolicies))
        {
            policyCount = context.Kubernetes.NetworkPolicies!.All.Count;
            evidence.Add($"NetworkPolicy objects in the cluster: {policyCount}");
        }
        else
        {
            evidence.Add($"NetworkPolicy objects: not known (section NetworkPolicies {context.Snapshot.DescribeSection(SnapshotSection.NetworkPolicies).Status})");
        }

        if (detection.Enforcers.Count > 0)
        {
            yield return context.Pass(context.Cluster, $"NetworkPolicy is enforced by {string.Join(", ", detection.Enforcers)}.", evidence);
            yield break;
        }
        if (detection.Unknown.Count > 0)
        {
            yield return context.Error(context.Cluster,
                $"No NetworkPolicy enforcer was found, but the data that could show one is missing: {string.Join("; ", detection.Unknown)}.", evidence);
            yield break;
        }
        if (policyCount > 0)
            yield return context.Fail(context.Cluster,
                $"{policyCount} NetworkPolicy object(s) exist but nothing enforces them: they are silently inert and every pod can reach every other pod.",
                evidence, Severity.High);
        else if (policyCount == 0)
            yield return context.Fail(context.Cluster,
                "No NetworkPolicy enforcer runs in the cluster (and no NetworkPolicy exists yet): pod traffic cannot be segmented.", evidence, Severity.Medium);
        else
            yield return context.Fail(context.Cluster, "No NetworkPolicy enforcer runs in the cluster: NetworkPolicy objects, if any, are not enforced.", evidence);
    }

    /// <summary>What enforces NetworkPolicy, what was seen, and what could not be looked at.</summary>
    internal sealed record Detection(List<string> Enforcers, List<string> Evidence, List<string> Unknown)
    {
        /// <summary>An enforcer was found: NetworkPolicies take effect.</summary>
        public bool Enforced => Enforcers.Count > 0;

        /// <summary>None was found, but data that could show one is missing: whether NetworkPolicies take effect is not known.</summary>
        public bool EnforcementUnknown => Enforcers.Count == 0 && Unknown.Count > 0;

        /// <summary>One line for a finding of another rule: who enforces, or why NetworkPolicies do not count.</summary>
        public string Summary => Enforced
            ? $"NetworkPolicy is enforced by {string.Join(", ", Enforcers)}"
            : EnforcementUnknown
                ? $"whether anything enforces NetworkPolicy is unknown ({string.Join("; ", Unknown)})"
                : "nothing enforces NetworkPolicy in this cluster (EKS-NET-006)";
    }

    /// <summary>The sections <see cref="Detect"/> reads; a rule sharing it declares them (NET-006 needs DaemonSets, the others are optional).</summary>
    internal static readonly SnapshotSection[] DetectionSections =
        [SnapshotSection.DaemonSets, SnapshotSection.Cluster, SnapshotSection.Addons, SnapshotSection.ConfigMaps, SnapshotSection.Deployments];

    /// <summary>
    /// Looks for every enforcer the snapshot can show. Shared with rules that need to know whether policies take effect.
    /// Needs the DaemonSets section; the others are used when present.
    /// </summary>
    internal static Detection Detect(RuleContext context)
    {
        var enforcers = new List<string>();
        var evidence = new List<string>();
        var unknown = new List<string>();
        var daemonSets = context.Has(SnapshotSection.DaemonSets) ? context.Kubernetes.DaemonSets!.All : [];
        if (!context.Has(SnapshotSection.DaemonSets))
            unknown.Add("DaemonSets were not collected (the VPC CNI agent, Calico and Cilium run as DaemonSets)");
        var configMapsKnown = context.Has(SnapshotSection.ConfigMaps);
        string? ConfigValue(string ns, string name, string key) =>
            configMapsKnown && context.Index.FindConfigMap(ns, name)?.Data is { } data && data.TryGetValue(key, out var v) ? v : null;
        bool ConfigMapExists(string ns, string name) => configMapsKnown && context.Index.FindConfigMap(ns, name) is not null;

        // The VPC CNI controller switch, shared by the self-managed/add-on path and Auto Mode.
        bool? controller = null;
        if (configMapsKnown)
        {
            var raw = ConfigValue(VpcCniNamespace, VpcCniConfigMap, ControllerKey);
            controller = raw is null ? null : ParseBool(raw);
            evidence.Add(!ConfigMapExists(VpcCniNamespace, VpcCniConfigMap)
                ? $"ConfigMap {VpcCniNamespace}/{VpcCniConfigMap}: absent"
                : $"ConfigMap {VpcCniNamespace}/{VpcCniConfigMap} {ControllerKey} = {raw ?? "(unset)"}");
        }
        else
        {
            evidence.Add($"ConfigMap {VpcCniNamespace}/{VpcCniConfigMap}: not known (section ConfigMaps {context.Snapshot.DescribeSection(SnapshotSection.ConfigMaps).Status})");
        }

        // The managed add-on's configuration: what was asked for.
        bool? addonSetting = null;
        if (context.Has(SnapshotSection.Addons))
        {
            var addon = context.Aws.Addons!.All.FirstOrDefault(a => a.AddonName == "vpc-cni");
            if (addon is null)
                evidence.Add("EKS add-on vpc-cni: not installed as a managed add-on");
            else if (string.IsNullOrWhiteSpace(addon.ConfigurationValues))
                evidence.Add("EKS add-on vpc-cni: no configurationValues (enableNetworkPolicy defaults to false)");
            else
            {
                var value = ReadTopLevelScalar(addon.ConfigurationValues, "enableNetworkPolicy", out var problem);
                addonSetting = value is null ? null : ParseBool(value);
                evidence.Add(problem is not null
                    ? $"EKS add-on vpc-cni configurationValues could not be read: {problem}"
                    : $"EKS add-on vpc-cni configurationValues enableNetworkPolicy = {value ?? "(unset)"}");
            }
        }

        // The VPC CNI node agent as it runs.
        var awsNode = daemonSets.FirstOrDefault(d => d.Metadata?.NamespaceProperty == VpcCniNamespace && d.Metadata?.Name == VpcCniDaemonSet);
        if (awsNode is not null)
        {
            var agent = awsNode.Spec?.Template?.Spec?.Containers?.FirstOrDefault(c => c.Name == NodeAgentContainer);
            bool agentOn;
            if (agent is null)
            {
                agentOn = false;
                evidence.Add($"DaemonSet {VpcCniNamespace}/{VpcCniDaemonSet} has no {NodeAgentContainer} container (VPC CNI before 1.14 cannot enforce NetworkPolicy)");
            }
            else
            {
                var flag = FlagValue(agent, NodeAgentFlag);
                agentOn = flag is not null && ParseBool(flag) == true;
                evidence.Add($"DaemonSet {VpcCniNamespace}/{VpcCniDaemonSet} container {NodeAgentContainer}: {NodeAgentFlag} = {flag ?? "(unset; defaults to false)"}");
            }
            if (!IsScheduling(awsNode, out var why))
            {
                evidence.Add($"DaemonSet {VpcCniNamespace}/{VpcCniDaemonSet} {why}");
                agentOn = false;
            }
            if (agentOn && controller == false)
                evidence.Add($"the node agent is on, but {ControllerKey} is false: the controller does not turn policies into PolicyEndpoints, so the agent enforces nothing");
            else if (agentOn)
            {
                if (controller is null)
                    evidence.Add(configMapsKnown
                        ? $"{ControllerKey} is not set; the node agent's setting is taken as the intent"
                        : $"{ControllerKey} was not verified (ConfigMaps not collected)");
                enforcers.Add("the Amazon VPC CNI network policy agent");
            }
            else if (addonSetting == true)
                evidence.Add("the vpc-cni add-on configuration asks for network policy, but the running aws-node DaemonSet does not have it on (update pending or failed?)");
        }
        else
        {
            evidence.Add(context.Has(SnapshotSection.DaemonSets)
                ? $"DaemonSet {VpcCniNamespace}/{VpcCniDaemonSet}: absent"
                : $"DaemonSet {VpcCniNamespace}/{VpcCniDaemonSet}: not known");
        }

        // EKS Auto Mode: the node agent is built into the nodes; the controller needs the ConfigMap switch.
        if (context.Has(SnapshotSection.Cluster))
        {
            var compute = context.Aws.Cluster!.Value?.ComputeConfig;
            var autoMode = compute?.Enabled == true;
            evidence.Add($"EKS Auto Mode (computeConfig.enabled) = {(autoMode ? "true" : compute?.Enabled == false ? "false" : "(unset)")}");
            if (autoMode)
            {
                if (controller == true)
                {
                    enforcers.Add("EKS Auto Mode (network policy controller on)");
                    evidence.Add("Auto Mode nodes enforce policies through their NodeClass (spec.networkPolicy, not in the snapshot)");
                }
                else if (!configMapsKnown)
                    unknown.Add($"the cluster runs EKS Auto Mode, whose enforcement depends on {VpcCniNamespace}/{VpcCniConfigMap} {ControllerKey}, and ConfigMaps were not collected");
                else
                    evidence.Add($"EKS Auto Mode enforces NetworkPolicy only with {ControllerKey}: \"true\" in ConfigMap {VpcCniNamespace}/{VpcCniConfigMap}");
            }
        }
        else
        {
            unknown.Add($"the cluster description was not collected, so whether it runs EKS Auto Mode is unknown (section Cluster {context.Snapshot.DescribeSection(SnapshotSection.Cluster).Status})");
        }

        // Calico.
        var calico = daemonSets.Where(d => d.Metadata?.Name == "calico-node").ToList();
        foreach (var ds in calico)
        {
            var name = $"{ds.Metadata!.NamespaceProperty}/{ds.Metadata.Name}";
            if (IsScheduling(ds, out var why)) enforcers.Add($"Calico (DaemonSet {name})");
            else evidence.Add($"Calico DaemonSet {name} {why}");
        }
        if (calico.Count == 0 && context.Has(SnapshotSection.Deployments) &&
            context.Kubernetes.Deployments!.All.FirstOrDefault(d => d.Metadata?.Name == "tigera-operator") is { } operatorDeployment)
            evidence.Add($"Deployment {operatorDeployment.Metadata!.NamespaceProperty}/tigera-operator is installed but no calico-node DaemonSet runs: Calico is not enforcing");

        // Cilium.
        foreach (var ds in daemonSets.Where(d => d.Metadata?.Name == "cilium"))
        {
            var ns = ds.Metadata!.NamespaceProperty ?? "";
            var name = $"{ns}/cilium";
            if (!IsScheduling(ds, out var why))
            {
                evidence.Add($"Cilium DaemonSet {name} {why}");
                continue;
            }
            var mode = ConfigValue(ns, "cilium-config", "enable-policy");
            if (string.Equals(mode, "never", StringComparison.OrdinalIgnoreCase))
            {
                evidence.Add($"Cilium DaemonSet {name} runs with enable-policy = never (ConfigMap {ns}/cilium-config): it enforces no policy");
                continue;
            }
            enforcers.Add($"Cilium (DaemonSet {name})");
            evidence.Add($"Cilium policy enforcement mode: {mode ?? (configMapsKnown ? "(unset; default)" : "not verified")}");
        }

        // The user's own engines.
        foreach (var ds in daemonSets)
        {
            var name = $"{ds.Metadata?.NamespaceProperty}/{ds.Metadata?.Name}";
            var pattern = context.Settings.NetworkPolicyEnforcerDaemonSets.FirstOrDefault(p => WildcardMatch.IsMatch(name, p));
            if (pattern is null) continue;
            if (IsScheduling(ds, out var why)) enforcers.Add($"DaemonSet {name} (NetworkPolicyEnforcerDaemonSets setting: {pattern})");
            else evidence.Add($"DaemonSet {name} {why}");
        }

        evidence.Add("CiliumNetworkPolicy, Calico and other CRD-based policies are not in the snapshot and were not counted");
        return new Detection(enforcers.Distinct().ToList(), evidence, unknown);
    }

    /// <summary>False, with the reason, when the DaemonSet's status shows it schedules no pod; true when it does or status is unknown.</summary>
    private static bool IsScheduling(V1DaemonSet ds, out string why)
    {
        why = "";
        if (ds.Status is { DesiredNumberScheduled: 0 })
        {
            why = "schedules no pod (status.desiredNumberScheduled = 0)";
            return false;
        }
        return true;
    }

    /// <summary>
    /// The value of a boolean command-line flag in a container's command and args: "--flag=value", or a bare "--flag" (true, as Go's
    /// flag packages read it: a following "false" is a positional argument, not the flag's value). The last occurrence wins.
    /// </summary>
    internal static string? FlagValue(V1Container container, string flag)
    {
        string? value = null;
        foreach (var raw in (container.Command ?? []).Concat(container.Args ?? []))
        {
            var word = raw?.Trim() ?? "";
            if (word.StartsWith(flag + "=", StringComparison.Ordinal)) value = word[(flag.Length + 1)..];
            else if (word == flag) value = "true";
        }
        return value;
    }

    /// <summary>Go's strconv.ParseBool: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False; null otherwise.</summary>
    internal static bool? ParseBool(string text) => text.Trim() switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    /// <summary>A top-level scalar of a JSON or YAML mapping (add-on configurationValues); null when absent or not a mapping.</summary>
    internal static string? ReadTopLevelScalar(string text, string key, out string? problem)
    {
        problem = null;
        if (text.Length > 1_000_000)
        {
            problem = "longer than 1,000,000 characters";
            return null;
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            problem = ex.Message;
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problem = "not a JSON or YAML object";
            return null;
        }
        foreach (var (k, v) in root.Children)
            if (k is YamlScalarNode { Value: { } name } && name == key)
                return v is YamlScalarNode scalar ? scalar.Value : null;
        return null;
    }
}
