using System.Globalization;
using System.Text.Json;
using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Api;

/// <summary>
/// Server-side printing: the meta.k8s.io/v1 Table kubectl asks for when it prints (Accept
/// application/json;as=Table;v=v1;g=meta.k8s.io). The columns of the common kinds follow the API
/// server's printers (pods: Name, Ready, Status, Restarts, Age ...); the others get Name and Age.
/// </summary>
public static class Tables
{
    public const string MediaType = "application/json;as=Table;v=v1;g=meta.k8s.io";

    public sealed record Column(string Name, string Type, string Format, string Description, int Priority, Func<object, object?> Cell);

    private const string NameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    private const string AgeDescription = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    private static Column NameColumn => new("Name", "string", "name", NameDescription, 0, o => ObjectAccess.Name(o));
    private static Column AgeColumn => new("Age", "string", "", AgeDescription, 0, o => Age(ObjectAccess.Meta(o)?.CreationTimestamp));
    private static Column CreatedAtColumn => new("Created At", "date", "", AgeDescription, 0,
        o => ObjectAccess.Meta(o)?.CreationTimestamp is { } t ? KubeJson.FormatTime(t) : null);

    private static Column C(string name, Func<object, object?> cell, int priority = 0, string type = "string", string description = "") =>
        new(name, type, "", description, priority, cell);

    private static Column C<T>(string name, Func<T, object?> cell, int priority = 0, string type = "string") =>
        new(name, type, "", "", priority, o => cell((T)o));

    public static IReadOnlyList<Column> ColumnsFor(ResourceType type, bool fillSecretData) => type.Plural switch
    {
        _ when type == ResourceCatalog.Namespaces => [NameColumn, C<V1Namespace>("Status", n => n.Status?.Phase ?? "Active"), AgeColumn],
        _ when type == ResourceCatalog.Pods =>
        [
            NameColumn,
            C<V1Pod>("Ready", p => $"{p.Status?.ContainerStatuses?.Count(c => c.Ready) ?? 0}/{p.Spec?.Containers?.Count ?? 0}"),
            C<V1Pod>("Status", PodStatus),
            C<V1Pod>("Restarts", p => p.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0, type: "string"),
            AgeColumn,
            C<V1Pod>("IP", p => p.Status?.PodIP ?? "<none>", 1),
            C<V1Pod>("Node", p => p.Spec?.NodeName ?? "<none>", 1),
            C<V1Pod>("Nominated Node", p => p.Status?.NominatedNodeName ?? "<none>", 1),
            C<V1Pod>("Readiness Gates", p => p.Spec?.ReadinessGates is { Count: > 0 } g ? string.Join(",", g.Select(x => x.ConditionType)) : "<none>", 1),
        ],
        _ when type == ResourceCatalog.Nodes =>
        [
            NameColumn,
            C<V1Node>("Status", NodeStatus),
            C<V1Node>("Roles", n => n.Metadata?.Labels?.Keys.Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
                .Select(k => k["node-role.kubernetes.io/".Length..]).DefaultIfEmpty("<none>").Aggregate((a, b) => a + "," + b)),
            AgeColumn,
            C<V1Node>("Version", n => n.Status?.NodeInfo?.KubeletVersion ?? ""),
            C<V1Node>("Internal-IP", n => n.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address ?? "<none>", 1),
            C<V1Node>("External-IP", n => n.Status?.Addresses?.FirstOrDefault(a => a.Type == "ExternalIP")?.Address ?? "<none>", 1),
            C<V1Node>("OS-Image", n => n.Status?.NodeInfo?.OsImage ?? "<unknown>", 1),
            C<V1Node>("Kernel-Version", n => n.Status?.NodeInfo?.KernelVersion ?? "<unknown>", 1),
            C<V1Node>("Container-Runtime", n => n.Status?.NodeInfo?.ContainerRuntimeVersion ?? "<unknown>", 1),
        ],
        _ when type == ResourceCatalog.Deployments =>
        [
            NameColumn,
            C<V1Deployment>("Ready", d => $"{d.Status?.ReadyReplicas ?? 0}/{d.Spec?.Replicas ?? 1}"),
            C<V1Deployment>("Up-to-date", d => d.Status?.UpdatedReplicas ?? 0, type: "integer"),
            C<V1Deployment>("Available", d => d.Status?.AvailableReplicas ?? 0, type: "integer"),
            AgeColumn,
            C<V1Deployment>("Containers", d => Names(d.Spec?.Template?.Spec?.Containers?.Select(c => c.Name)), 1),
            C<V1Deployment>("Images", d => Names(d.Spec?.Template?.Spec?.Containers?.Select(c => c.Image)), 1),
            C<V1Deployment>("Selector", d => Selector(d.Spec?.Selector), 1),
        ],
        _ when type == ResourceCatalog.ReplicaSets =>
        [
            NameColumn,
            C<V1ReplicaSet>("Desired", r => r.Spec?.Replicas ?? 1, type: "integer"),
            C<V1ReplicaSet>("Current", r => r.Status?.Replicas ?? 0, type: "integer"),
            C<V1ReplicaSet>("Ready", r => r.Status?.ReadyReplicas ?? 0, type: "integer"),
            AgeColumn,
        ],
        _ when type == ResourceCatalog.StatefulSets =>
            [NameColumn, C<V1StatefulSet>("Ready", s => $"{s.Status?.ReadyReplicas ?? 0}/{s.Spec?.Replicas ?? 1}"), AgeColumn],
        _ when type == ResourceCatalog.DaemonSets =>
        [
            NameColumn,
            C<V1DaemonSet>("Desired", d => d.Status?.DesiredNumberScheduled ?? 0, type: "integer"),
            C<V1DaemonSet>("Current", d => d.Status?.CurrentNumberScheduled ?? 0, type: "integer"),
            C<V1DaemonSet>("Ready", d => d.Status?.NumberReady ?? 0, type: "integer"),
            C<V1DaemonSet>("Up-to-date", d => d.Status?.UpdatedNumberScheduled ?? 0, type: "integer"),
            C<V1DaemonSet>("Available", d => d.Status?.NumberAvailable ?? 0, type: "integer"),
            C<V1DaemonSet>("Node Selector", d => d.Spec?.Template?.Spec?.NodeSelector is { Count: > 0 } s ? string.Join(",", s.Select(kv => $"{kv.Key}={kv.Value}")) : "<none>"),
            AgeColumn,
        ],
        _ when type == ResourceCatalog.Jobs =>
        [
            NameColumn,
            C<V1Job>("Status", j => j.Status?.Conditions?.FirstOrDefault(c => c.Status == "True" && c.Type is "Complete" or "Failed")?.Type ?? "Running"),
            C<V1Job>("Completions", j => $"{j.Status?.Succeeded ?? 0}/{j.Spec?.Completions ?? 1}"),
            C<V1Job>("Duration", j => j.Status?.StartTime is { } s ? HumanDuration((j.Status.CompletionTime ?? DateTime.UtcNow) - s) : ""),
            AgeColumn,
        ],
        _ when type == ResourceCatalog.CronJobs =>
        [
            NameColumn,
            C<V1CronJob>("Schedule", c => c.Spec?.Schedule ?? ""),
            C<V1CronJob>("Timezone", c => c.Spec?.TimeZone ?? "<none>"),
            C<V1CronJob>("Suspend", c => c.Spec?.Suspend == true ? "True" : "False", type: "boolean"),
            C<V1CronJob>("Active", c => c.Status?.Active?.Count ?? 0, type: "integer"),
            C<V1CronJob>("Last Schedule", c => c.Status?.LastScheduleTime is { } t ? Age(t) : "<none>"),
            AgeColumn,
        ],
        _ when type == ResourceCatalog.Secrets =>
        [
            NameColumn,
            C<V1Secret>("Type", s => s.Type ?? "Opaque"),
            C<V1Secret>("Data", s => (s.Data?.Count ?? 0) is var n && n == 0 && fillSecretData ? 1 : n, type: "string"),
            AgeColumn,
        ],
        _ when type == ResourceCatalog.ConfigMaps => [NameColumn, C<V1ConfigMap>("Data", c => (c.Data?.Count ?? 0) + (c.BinaryData?.Count ?? 0), type: "string"), AgeColumn],
        _ when type == ResourceCatalog.ServiceAccounts => [NameColumn, C<V1ServiceAccount>("Secrets", s => s.Secrets?.Count ?? 0, type: "string"), AgeColumn],
        _ when type == ResourceCatalog.Services =>
        [
            NameColumn,
            C<V1Service>("Type", s => s.Spec?.Type ?? "ClusterIP"),
            C<V1Service>("Cluster-IP", s => s.Spec?.ClusterIP ?? "<none>"),
            C<V1Service>("External-IP", s => s.Status?.LoadBalancer?.Ingress is { Count: > 0 } i ? string.Join(",", i.Select(x => x.Hostname ?? x.Ip)) : s.Spec?.Type == "LoadBalancer" ? "<pending>" : "<none>"),
            C<V1Service>("Port(s)", s => s.Spec?.Ports is { Count: > 0 } p ? string.Join(",", p.Select(x => x.NodePort is { } np ? $"{x.Port}:{np}/{x.Protocol ?? "TCP"}" : $"{x.Port}/{x.Protocol ?? "TCP"}")) : "<none>"),
            AgeColumn,
            C<V1Service>("Selector", s => s.Spec?.Selector is { Count: > 0 } sel ? string.Join(",", sel.Select(kv => $"{kv.Key}={kv.Value}")) : "<none>", 1),
        ],
        _ when type == ResourceCatalog.NetworkPolicies => [NameColumn, C<V1NetworkPolicy>("Pod-Selector", n => Selector(n.Spec?.PodSelector)), AgeColumn],
        _ when type == ResourceCatalog.RoleBindings =>
        [
            NameColumn, C<V1RoleBinding>("Role", b => $"{b.RoleRef?.Kind}/{b.RoleRef?.Name}"), AgeColumn,
            C<V1RoleBinding>("Users", b => Subjects(b.Subjects, "User"), 1), C<V1RoleBinding>("Groups", b => Subjects(b.Subjects, "Group"), 1),
            C<V1RoleBinding>("ServiceAccounts", b => Subjects(b.Subjects, "ServiceAccount"), 1),
        ],
        _ when type == ResourceCatalog.ClusterRoleBindings =>
        [
            NameColumn, C<V1ClusterRoleBinding>("Role", b => $"{b.RoleRef?.Kind}/{b.RoleRef?.Name}"), AgeColumn,
            C<V1ClusterRoleBinding>("Users", b => Subjects(b.Subjects, "User"), 1), C<V1ClusterRoleBinding>("Groups", b => Subjects(b.Subjects, "Group"), 1),
            C<V1ClusterRoleBinding>("ServiceAccounts", b => Subjects(b.Subjects, "ServiceAccount"), 1),
        ],
        _ when type == ResourceCatalog.Roles || type == ResourceCatalog.ClusterRoles || type == ResourceCatalog.LimitRanges => [NameColumn, CreatedAtColumn],
        _ when type == ResourceCatalog.PriorityClasses =>
        [
            NameColumn, C<V1PriorityClass>("Value", p => p.Value, type: "integer"), C<V1PriorityClass>("Global-Default", p => p.GlobalDefault == true, type: "boolean"),
            AgeColumn, C<V1PriorityClass>("Preemption-Policy", p => p.PreemptionPolicy ?? "PreemptLowerPriority"),
        ],
        _ when type == ResourceCatalog.SecurityGroupPolicies =>
            [NameColumn, C<SecurityGroupPolicy>("Security-Group-Ids", s => JsonSerializer.Serialize(s.Spec?.SecurityGroups?.GroupIds ?? [])), AgeColumn],
        _ => [NameColumn, AgeColumn],
    };

    public static void WriteColumnDefinitions(Utf8JsonWriter w, IReadOnlyList<Column> columns)
    {
        w.WriteStartArray("columnDefinitions");
        foreach (var c in columns)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            w.WriteString("type", c.Type);
            w.WriteString("format", c.Format);
            w.WriteString("description", c.Description);
            w.WriteNumber("priority", c.Priority);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>One row: its cells and, unless includeObject=None, the object's metadata (PartialObjectMetadata) or the object.</summary>
    public static void WriteRow(Utf8JsonWriter w, object item, IReadOnlyList<Column> columns, string includeObject, Func<object, object> fullObject)
    {
        w.WriteStartObject();
        w.WriteStartArray("cells");
        foreach (var c in columns)
        {
            var value = c.Cell(item);
            switch (value)
            {
                case null: w.WriteNullValue(); break;
                case string s: w.WriteStringValue(s); break;
                case int i: w.WriteNumberValue(i); break;
                case long l: w.WriteNumberValue(l); break;
                case bool b: w.WriteBooleanValue(b); break;
                default: w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
            }
        }
        w.WriteEndArray();
        switch (includeObject)
        {
            case "None":
                break;
            case "Object":
                w.WritePropertyName("object");
                var full = fullObject(item);
                JsonSerializer.Serialize(w, full, full.GetType(), KubeJson.Options);
                break;
            default:
                w.WritePropertyName("object");
                WritePartialObjectMetadata(w, item);
                break;
        }
        w.WriteEndObject();
    }

    public static void WritePartialObjectMetadata(Utf8JsonWriter w, object item)
    {
        w.WriteStartObject();
        w.WriteString("kind", "PartialObjectMetadata");
        w.WriteString("apiVersion", "meta.k8s.io/v1");
        w.WritePropertyName("metadata");
        JsonSerializer.Serialize(w, ObjectAccess.Meta(item) ?? new V1ObjectMeta(), KubeJson.Options);
        w.WriteEndObject();
    }

    private static string PodStatus(V1Pod p)
    {
        if (p.Metadata?.DeletionTimestamp is not null) return "Terminating";
        var reason = p.Status?.Reason ?? p.Status?.Phase ?? "Unknown";
        foreach (var c in p.Status?.InitContainerStatuses ?? [])
        {
            if (c.State?.Terminated is { ExitCode: 0 }) continue;
            if (c.State?.Waiting?.Reason is { Length: > 0 } w && w != "PodInitializing") return "Init:" + w;
            if (c.State?.Terminated?.Reason is { Length: > 0 } t) return "Init:" + t;
        }
        foreach (var c in p.Status?.ContainerStatuses ?? [])
        {
            if (c.State?.Waiting?.Reason is { Length: > 0 } w) reason = w;
            else if (c.State?.Terminated?.Reason is { Length: > 0 } t) reason = t;
        }
        return reason;
    }

    private static string NodeStatus(V1Node n)
    {
        var ready = n.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var status = ready is null ? "Unknown" : ready.Status == "True" ? "Ready" : "NotReady";
        return n.Spec?.Unschedulable == true ? status + ",SchedulingDisabled" : status;
    }

    private static string Names(IEnumerable<string?>? names) => names is null ? "" : string.Join(",", names.Where(n => n is not null));

    private static string Subjects(IList<Rbacv1Subject>? subjects, string kind)
    {
        var list = subjects?.Where(s => s.Kind == kind).Select(s => kind == "ServiceAccount" ? $"{s.NamespaceProperty}/{s.Name}" : s.Name).ToList();
        return list is { Count: > 0 } ? string.Join(", ", list) : "";
    }

    private static string Selector(V1LabelSelector? selector)
    {
        if (selector is null) return "<none>";
        var parts = new List<string>();
        foreach (var (k, v) in selector.MatchLabels ?? new Dictionary<string, string>()) parts.Add($"{k}={v}");
        foreach (var e in selector.MatchExpressions ?? [])
            parts.Add(e.OperatorProperty switch
            {
                "In" => $"{e.Key} in ({string.Join(",", e.Values ?? [])})",
                "NotIn" => $"{e.Key} notin ({string.Join(",", e.Values ?? [])})",
                "Exists" => e.Key,
                "DoesNotExist" => "!" + e.Key,
                _ => e.Key,
            });
        return parts.Count == 0 ? "<none>" : string.Join(",", parts);
    }

    public static string Age(DateTime? created) => created is { } t ? HumanDuration(DateTime.UtcNow - DateTime.SpecifyKind(t, DateTimeKind.Utc)) : "<unknown>";

    /// <summary>k8s.io/apimachinery/pkg/util/duration.HumanDuration.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 60 * 2) return $"{seconds}s";
        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }
        if (minutes < 60 * 3) return $"{minutes}m";
        var hours = (long)d.TotalHours;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }
        if (hours < 48) return $"{hours}h";
        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }
        if (hours < 24 * 365 * 2) return $"{hours / 24}d";
        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{dy}d";
        }
        return $"{hours / 24 / 365}y";
    }
}
