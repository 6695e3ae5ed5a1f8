using k8s.Models;

namespace EksSecurity.Engine.Rules.Net;

/// <summary>
/// The Amazon VPC CNI's settings as the aws-node container of DaemonSet kube-system/aws-node runs them (its environment), shared by
/// the security-groups-for-pods rules (EKS-NET-016, EKS-NET-020). What the DaemonSet runs wins over what the vpc-cni add-on's
/// configurationValues ask for. A variable set from a ConfigMap, a Secret or a field, or possibly by envFrom, cannot be read from
/// the snapshot and is reported as unknown.
/// </summary>
internal sealed class AwsNodeEnvironment
{
    public const string Container = "aws-node";
    public const string EnablePodEni = "ENABLE_POD_ENI";
    public const string PodSecurityGroupEnforcingMode = "POD_SECURITY_GROUP_ENFORCING_MODE";

    /// <summary>One variable: its literal value (null when unset), or why it cannot be known.</summary>
    public sealed record Setting(string Name, string? Value, string? Unknown)
    {
        public bool IsKnown => Unknown is null;

        /// <summary>"NAME = value", "NAME: unset" or "NAME: unknown (why)" for evidence.</summary>
        public override string ToString() => Unknown is not null ? $"{Name}: unknown ({Unknown})" : Value is null ? $"{Name}: unset" : $"{Name} = {Value}";
    }

    private readonly V1Container? _container;

    private AwsNodeEnvironment(V1DaemonSet? daemonSet, V1Container? container, string? missing)
    {
        DaemonSet = daemonSet;
        _container = container;
        Missing = missing;
    }

    /// <summary>kube-system/aws-node; null when it does not run (another CNI, EKS Auto Mode) or DaemonSets were not collected.</summary>
    public V1DaemonSet? DaemonSet { get; }

    /// <summary>Why the DaemonSet cannot be looked at (DaemonSets not collected); null when it could.</summary>
    public string? Missing { get; }

    public string Name => $"{NetworkPolicyEngineEnforcing.VpcCniNamespace}/{NetworkPolicyEngineEnforcing.VpcCniDaemonSet}";

    public ResourceRef Resource => DaemonSet is null
        ? new ResourceRef("DaemonSet", NetworkPolicyEngineEnforcing.VpcCniNamespace, NetworkPolicyEngineEnforcing.VpcCniDaemonSet)
        : ResourceRef.Of("DaemonSet", DaemonSet.Metadata);

    public static AwsNodeEnvironment Of(RuleContext context)
    {
        if (!context.Has(SnapshotSection.DaemonSets))
            return new(null, null, $"DaemonSets were not collected (section DaemonSets {context.Snapshot.DescribeSection(SnapshotSection.DaemonSets).Status})");
        var daemonSet = context.Kubernetes.DaemonSets!.All.FirstOrDefault(d =>
            d?.Metadata?.NamespaceProperty == NetworkPolicyEngineEnforcing.VpcCniNamespace && d.Metadata?.Name == NetworkPolicyEngineEnforcing.VpcCniDaemonSet);
        var container = daemonSet?.Spec?.Template?.Spec?.Containers?.FirstOrDefault(c => c?.Name == Container);
        return new(daemonSet, container, null);
    }

    /// <summary>The variable on the aws-node container; the last definition wins, as in Kubernetes.</summary>
    public Setting Read(string name)
    {
        if (Missing is not null) return new(name, null, Missing);
        if (DaemonSet is null) return new(name, null, $"DaemonSet {Name} does not run");
        if (_container is null) return new(name, null, $"DaemonSet {Name} has no {Container} container");
        var variable = (_container.Env ?? []).LastOrDefault(e => e?.Name == name);
        if (variable?.ValueFrom is { } from)
            return new(name, null, from.ConfigMapKeyRef is { } cm ? $"from ConfigMap key {cm.Name}/{cm.Key}"
                : from.SecretKeyRef is { } secret ? $"from Secret key {secret.Name}/{secret.Key}"
                : "from a field or resource reference");
        if (variable is not null) return new(name, variable.Value ?? "", null);
        if ((_container.EnvFrom?.Count ?? 0) > 0) return new(name, null, $"not in env, and the {Container} container also takes variables from envFrom");
        return new(name, null, null);
    }

    /// <summary>Whether a boolean variable is on, read as the CNI reads it (Go's strconv.ParseBool), with the default when unset.</summary>
    public static bool IsTrue(Setting setting, bool byDefault = false) =>
        setting.Value is null ? byDefault : NetworkPolicyEngineEnforcing.ParseBool(setting.Value) ?? byDefault;
}
