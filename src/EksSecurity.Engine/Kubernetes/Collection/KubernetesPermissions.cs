using System.Text;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Engine.Kubernetes.Collection;

/// <summary>One RBAC permission the collector uses: a verb on a resource of an API group ("" = core).</summary>
public readonly record struct KubernetesPermission(string ApiGroup, string Resource, string Verb)
{
    /// <summary>"list deployments.apps", "get nodes/proxy": how the collector names a denied permission.</summary>
    public override string ToString()
    {
        var slash = Resource.IndexOf('/');
        var (main, sub) = slash < 0 ? (Resource, "") : (Resource[..slash], Resource[slash..]);
        return $"{Verb} {main}{(ApiGroup.Length == 0 ? "" : "." + ApiGroup)}{sub}";
    }
}

/// <summary>
/// The Kubernetes permissions the collector uses for each Kubernetes snapshot section. The scanner's
/// least-privilege ClusterRole is generated from the sections the selected rules declare, never written by hand.
/// </summary>
public static class KubernetesPermissions
{
    private static KubernetesPermission List(string group, string resource) => new(group, resource, "list");

    public static IReadOnlyDictionary<SnapshotSection, KubernetesPermission[]> BySection { get; } = new Dictionary<SnapshotSection, KubernetesPermission[]>
    {
        // GET /version is a non-resource URL that system:public-info-viewer grants every client; no rule needed.
        [SnapshotSection.ServerVersion] = [],
        [SnapshotSection.Namespaces] = [List("", "namespaces")],
        [SnapshotSection.Pods] = [List("", "pods")],
        [SnapshotSection.Deployments] = [List("apps", "deployments")],
        [SnapshotSection.ReplicaSets] = [List("apps", "replicasets")],
        [SnapshotSection.StatefulSets] = [List("apps", "statefulsets")],
        [SnapshotSection.DaemonSets] = [List("apps", "daemonsets")],
        [SnapshotSection.Jobs] = [List("batch", "jobs")],
        [SnapshotSection.CronJobs] = [List("batch", "cronjobs")],
        [SnapshotSection.ReplicationControllers] = [List("", "replicationcontrollers")],
        [SnapshotSection.PodTemplates] = [List("", "podtemplates")],
        [SnapshotSection.ServiceAccounts] = [List("", "serviceaccounts")],
        [SnapshotSection.Roles] = [List("rbac.authorization.k8s.io", "roles")],
        [SnapshotSection.ClusterRoles] = [List("rbac.authorization.k8s.io", "clusterroles")],
        [SnapshotSection.RoleBindings] = [List("rbac.authorization.k8s.io", "rolebindings")],
        [SnapshotSection.ClusterRoleBindings] = [List("rbac.authorization.k8s.io", "clusterrolebindings")],
        [SnapshotSection.NetworkPolicies] = [List("networking.k8s.io", "networkpolicies")],
        [SnapshotSection.ConfigMaps] = [List("", "configmaps")],
        // RBAC cannot grant metadata-only access: "list secrets" would let the holder read Secret data,
        // although the collector asks for metadata only. The generated role says so next to the rule.
        [SnapshotSection.Secrets] = [List("", "secrets")],
        [SnapshotSection.Nodes] = [List("", "nodes")],
        [SnapshotSection.Services] = [List("", "services")],
        [SnapshotSection.Ingresses] = [List("networking.k8s.io", "ingresses")],
        [SnapshotSection.StorageClasses] = [List("storage.k8s.io", "storageclasses")],
        [SnapshotSection.PersistentVolumes] = [List("", "persistentvolumes")],
        [SnapshotSection.PersistentVolumeClaims] = [List("", "persistentvolumeclaims")],
        [SnapshotSection.ValidatingWebhookConfigurations] = [List("admissionregistration.k8s.io", "validatingwebhookconfigurations")],
        [SnapshotSection.MutatingWebhookConfigurations] = [List("admissionregistration.k8s.io", "mutatingwebhookconfigurations")],
        [SnapshotSection.SecurityGroupPolicies] = [List("vpcresources.k8s.aws", "securitygrouppolicies")],
        [SnapshotSection.ResourceQuotas] = [List("", "resourcequotas")],
        [SnapshotSection.LimitRanges] = [List("", "limitranges")],
        [SnapshotSection.PriorityClasses] = [List("scheduling.k8s.io", "priorityclasses")],
        [SnapshotSection.RuntimeClasses] = [List("node.k8s.io", "runtimeclasses")],
        // Removed in Kubernetes 1.25; the collector does not ask for it.
        [SnapshotSection.PodSecurityPolicies] = [],
        [SnapshotSection.ApiServices] = [List("apiregistration.k8s.io", "apiservices")],
        // configz through the API server's node proxy, on nodes chosen from the node list.
        [SnapshotSection.KubeletConfigs] = [List("", "nodes"), new("", "nodes/proxy", "get")],
        [SnapshotSection.NodeMetrics] = [List("metrics.k8s.io", "nodes")],
    };

    /// <summary>
    /// The permissions for the Kubernetes sections the given rules read. For the whole catalogue it covers
    /// every section the collector gathers, so a full collection with it is never denied anything.
    /// </summary>
    public static IReadOnlyList<KubernetesPermission> For(IEnumerable<Rule> rules)
    {
        var selected = rules.ToList();
        var sections = selected.SelectMany(Sections).Where(s => !ClusterSnapshot.IsAwsSection(s)).ToHashSet();
        var ids = selected.Select(r => r.Metadata.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (RuleCatalog.Default.Rules.All(r => ids.Contains(r.Metadata.Id)))
            sections.UnionWith(BySection.Keys);
        return sections.SelectMany(s => BySection.TryGetValue(s, out var permissions)
                ? permissions
                : throw new InvalidOperationException($"No Kubernetes permissions are declared for the section {s}."))
            .Distinct()
            .OrderBy(p => p.ApiGroup, StringComparer.Ordinal).ThenBy(p => p.Verb, StringComparer.Ordinal).ThenBy(p => p.Resource, StringComparer.Ordinal)
            .ToList();
    }

    private static IEnumerable<SnapshotSection> Sections(Rule rule) => rule.Metadata.Reads.Concat(rule.Metadata.OptionallyReads);

    public const string DefaultRoleName = "eks-security-scanner";

    /// <summary>
    /// A ClusterRole granting exactly those permissions, and a ClusterRoleBinding to a group of the same
    /// name (map the scanner's IAM role to it with an access entry), as multi-document YAML.
    /// </summary>
    public static string ClusterRoleYaml(IEnumerable<Rule> rules, string name = DefaultRoleName)
    {
        var selected = rules.ToList();
        var permissions = For(selected);
        var secretRules = selected.Where(r => r.Metadata.Reads.Concat(r.Metadata.OptionallyReads).Contains(SnapshotSection.Secrets))
            .Select(r => r.Metadata.Id).Order(StringComparer.Ordinal).ToList();
        var yaml = new StringBuilder();
        yaml.Append("# Least privilege for the EksSecurity scanner, generated by Get-EksSecurityScannerPolicy -Type ClusterRole\n")
            .Append("# from the Kubernetes data the selected rules read: read-only, list and get only.\n")
            .Append("# Bind it to the scanner's IAM role with an access entry, for example:\n")
            .Append($"#   aws eks create-access-entry --cluster-name <cluster> --principal-arn <scanner-role-arn> --kubernetes-groups {name}\n")
            .Append("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n")
            .Append($"  name: {name}\n  labels:\n    app.kubernetes.io/name: eks-security\nrules:\n");
        foreach (var group in permissions.GroupBy(p => (p.ApiGroup, p.Verb)))
        {
            if (group.Any(p => p.Resource == "secrets"))
                yaml.Append("# RBAC has no metadata-only grant: list secrets would allow reading Secret data, although the scanner\n")
                    .Append("# only ever asks for names and types. Remove \"secrets\" to withhold it; then ")
                    .Append(secretRules.Count == 0 ? "no rule is affected" : string.Join(", ", secretRules) + " report Error").Append(".\n");
            yaml.Append($"- apiGroups: [\"{group.Key.ApiGroup}\"]\n")
                .Append($"  resources: [{string.Join(", ", group.Select(p => $"\"{p.Resource}\""))}]\n")
                .Append($"  verbs: [\"{group.Key.Verb}\"]\n");
        }
        yaml.Append("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n")
            .Append($"  name: {name}\n  labels:\n    app.kubernetes.io/name: eks-security\n")
            .Append($"roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: {name}\n")
            .Append($"subjects:\n- apiGroup: rbac.authorization.k8s.io\n  kind: Group\n  name: {name}\n");
        return yaml.ToString();
    }
}
