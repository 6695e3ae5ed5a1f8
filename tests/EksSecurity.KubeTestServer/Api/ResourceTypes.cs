using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Api;

/// <summary>One resource of the API: where it lives, what it is called, what verbs it takes.</summary>
public sealed class ResourceType
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    /// <summary>The plural resource name (the URL segment and the RBAC resource).</summary>
    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public required string Kind { get; init; }
    public required bool Namespaced { get; init; }
    /// <summary>The model class items are stored and (de)serialized as.</summary>
    public required Type ClrType { get; init; }
    public string[] ShortNames { get; init; } = [];
    public string[] Categories { get; init; } = [];
    public string[] Verbs { get; init; } = ResourceCatalog.AllVerbs;
    /// <summary>Subresources listed in discovery, with the verbs each takes.</summary>
    public (string Name, string Kind, string[] Verbs)[] Subresources { get; init; } = [];
    /// <summary>A custom resource (CRD): list items keep apiVersion and kind, as the API server writes them.</summary>
    public bool Custom { get; init; }
    /// <summary>Served by an aggregated API server (metrics.k8s.io): read-only.</summary>
    public bool Aggregated { get; init; }

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
    /// <summary>pods, deployments.apps: how RBAC messages and NotFound errors name the resource.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
    public string ListKind => Kind + "List";

    /// <summary>/api/v1 or /apis/apps/v1.</summary>
    public string PathPrefix => Group.Length == 0 ? "/api/" + Version : $"/apis/{Group}/{Version}";

    public bool Supports(string verb) => Array.IndexOf(Verbs, verb) >= 0;

    public override string ToString() => GroupResource;
}

/// <summary>The resources the test server knows: every list the collector reads, plus the review APIs kubectl uses.</summary>
public static class ResourceCatalog
{
    public static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] NoDeleteCollection = ["create", "delete", "get", "list", "patch", "update", "watch"];
    private static readonly string[] ReadOnly = ["get", "list"];
    private static readonly string[] CreateOnly = ["create"];
    private static readonly string[] Get = ["get"];
    private static readonly string[] GetPatchUpdate = ["get", "patch", "update"];

    private static ResourceType Core(string plural, string singular, string kind, bool ns, Type type, string[]? shortNames = null, string[]? categories = null,
        (string, string, string[])[]? subresources = null, string[]? verbs = null) => new()
    {
        Group = "", Version = "v1", Plural = plural, Singular = singular, Kind = kind, Namespaced = ns, ClrType = type,
        ShortNames = shortNames ?? [], Categories = categories ?? [], Subresources = subresources ?? [], Verbs = verbs ?? AllVerbs,
    };

    private static ResourceType G(string group, string version, string plural, string singular, string kind, bool ns, Type type, string[]? shortNames = null,
        string[]? categories = null, (string, string, string[])[]? subresources = null, string[]? verbs = null) => new()
    {
        Group = group, Version = version, Plural = plural, Singular = singular, Kind = kind, Namespaced = ns, ClrType = type,
        ShortNames = shortNames ?? [], Categories = categories ?? [], Subresources = subresources ?? [], Verbs = verbs ?? AllVerbs,
    };

    private static readonly string[] All = ["all"];

    public static readonly ResourceType Namespaces = Core("namespaces", "namespace", "Namespace", false, typeof(V1Namespace), ["ns"],
        subresources: [("finalize", "Namespace", ["update"]), ("status", "Namespace", GetPatchUpdate)], verbs: NoDeleteCollection);
    public static readonly ResourceType Pods = Core("pods", "pod", "Pod", true, typeof(V1Pod), ["po"], All,
        [("attach", "PodAttachOptions", ["create", "get"]), ("binding", "Binding", CreateOnly), ("ephemeralcontainers", "Pod", GetPatchUpdate),
         ("eviction", "Eviction", CreateOnly), ("exec", "PodExecOptions", ["create", "get"]), ("log", "Pod", Get),
         ("portforward", "PodPortForwardOptions", ["create", "get"]), ("proxy", "PodProxyOptions", ["create", "delete", "get", "head", "options", "patch", "put"]),
         ("status", "Pod", GetPatchUpdate)]);
    public static readonly ResourceType ReplicationControllers = Core("replicationcontrollers", "replicationcontroller", "ReplicationController", true, typeof(V1ReplicationController),
        ["rc"], All, [("scale", "Scale", GetPatchUpdate), ("status", "ReplicationController", GetPatchUpdate)]);
    public static readonly ResourceType PodTemplates = Core("podtemplates", "podtemplate", "PodTemplate", true, typeof(V1PodTemplate));
    public static readonly ResourceType ServiceAccounts = Core("serviceaccounts", "serviceaccount", "ServiceAccount", true, typeof(V1ServiceAccount), ["sa"],
        subresources: [("token", "TokenRequest", CreateOnly)]);
    public static readonly ResourceType ConfigMaps = Core("configmaps", "configmap", "ConfigMap", true, typeof(V1ConfigMap), ["cm"]);
    public static readonly ResourceType Secrets = Core("secrets", "secret", "Secret", true, typeof(V1Secret));
    public static readonly ResourceType Nodes = Core("nodes", "node", "Node", false, typeof(V1Node), ["no"],
        subresources: [("proxy", "NodeProxyOptions", ["create", "delete", "get", "head", "options", "patch", "put"]), ("status", "Node", GetPatchUpdate)]);
    public static readonly ResourceType Services = Core("services", "service", "Service", true, typeof(V1Service), ["svc"], All,
        [("proxy", "ServiceProxyOptions", ["create", "delete", "get", "head", "options", "patch", "put"]), ("status", "Service", GetPatchUpdate)],
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]);
    public static readonly ResourceType PersistentVolumes = Core("persistentvolumes", "persistentvolume", "PersistentVolume", false, typeof(V1PersistentVolume), ["pv"],
        subresources: [("status", "PersistentVolume", GetPatchUpdate)]);
    public static readonly ResourceType PersistentVolumeClaims = Core("persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, typeof(V1PersistentVolumeClaim), ["pvc"],
        subresources: [("status", "PersistentVolumeClaim", GetPatchUpdate)]);
    public static readonly ResourceType ResourceQuotas = Core("resourcequotas", "resourcequota", "ResourceQuota", true, typeof(V1ResourceQuota), ["quota"],
        subresources: [("status", "ResourceQuota", GetPatchUpdate)]);
    public static readonly ResourceType LimitRanges = Core("limitranges", "limitrange", "LimitRange", true, typeof(V1LimitRange), ["limits"]);

    private static (string, string, string[])[] ScaleStatus(string kind) => [("scale", "Scale", GetPatchUpdate), ("status", kind, GetPatchUpdate)];

    public static readonly ResourceType Deployments = G("apps", "v1", "deployments", "deployment", "Deployment", true, typeof(V1Deployment), ["deploy"], All, ScaleStatus("Deployment"));
    public static readonly ResourceType ReplicaSets = G("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, typeof(V1ReplicaSet), ["rs"], All, ScaleStatus("ReplicaSet"));
    public static readonly ResourceType StatefulSets = G("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, typeof(V1StatefulSet), ["sts"], All, ScaleStatus("StatefulSet"));
    public static readonly ResourceType DaemonSets = G("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, typeof(V1DaemonSet), ["ds"], All,
        [("status", "DaemonSet", GetPatchUpdate)]);
    public static readonly ResourceType Jobs = G("batch", "v1", "jobs", "job", "Job", true, typeof(V1Job), [], All, [("status", "Job", GetPatchUpdate)]);
    public static readonly ResourceType CronJobs = G("batch", "v1", "cronjobs", "cronjob", "CronJob", true, typeof(V1CronJob), ["cj"], All, [("status", "CronJob", GetPatchUpdate)]);

    public static readonly ResourceType Roles = G("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, typeof(V1Role));
    public static readonly ResourceType ClusterRoles = G("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, typeof(V1ClusterRole));
    public static readonly ResourceType RoleBindings = G("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, typeof(V1RoleBinding));
    public static readonly ResourceType ClusterRoleBindings = G("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, typeof(V1ClusterRoleBinding));

    public static readonly ResourceType NetworkPolicies = G("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", true, typeof(V1NetworkPolicy), ["netpol"]);
    public static readonly ResourceType Ingresses = G("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true, typeof(V1Ingress), ["ing"],
        subresources: [("status", "Ingress", GetPatchUpdate)]);
    public static readonly ResourceType StorageClasses = G("storage.k8s.io", "v1", "storageclasses", "storageclass", "StorageClass", false, typeof(V1StorageClass), ["sc"]);
    public static readonly ResourceType ValidatingWebhookConfigurations = G("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "validatingwebhookconfiguration",
        "ValidatingWebhookConfiguration", false, typeof(V1ValidatingWebhookConfiguration), categories: ["api-extensions"]);
    public static readonly ResourceType MutatingWebhookConfigurations = G("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "mutatingwebhookconfiguration",
        "MutatingWebhookConfiguration", false, typeof(V1MutatingWebhookConfiguration), categories: ["api-extensions"]);
    public static readonly ResourceType PriorityClasses = G("scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", "PriorityClass", false, typeof(V1PriorityClass), ["pc"]);
    public static readonly ResourceType RuntimeClasses = G("node.k8s.io", "v1", "runtimeclasses", "runtimeclass", "RuntimeClass", false, typeof(V1RuntimeClass));
    public static readonly ResourceType ApiServices = G("apiregistration.k8s.io", "v1", "apiservices", "apiservice", "APIService", false, typeof(V1APIService),
        categories: ["api-extensions"], subresources: [("status", "APIService", GetPatchUpdate)]);
    public static readonly ResourceType CustomResourceDefinitions = G("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
        "CustomResourceDefinition", false, typeof(V1CustomResourceDefinition), ["crd", "crds"], ["api-extensions"], [("status", "CustomResourceDefinition", GetPatchUpdate)]);

    /// <summary>Security groups for pods: a CRD of the VPC resource controller, installed or not per scenario.</summary>
    public static readonly ResourceType SecurityGroupPolicies = new()
    {
        Group = "vpcresources.k8s.aws", Version = "v1beta1", Plural = "securitygrouppolicies", Singular = "securitygrouppolicy", Kind = "SecurityGroupPolicy",
        Namespaced = true, ClrType = typeof(SecurityGroupPolicy), ShortNames = ["sgp"], Custom = true,
    };

    /// <summary>policy/v1beta1 PodSecurityPolicy: served only when a scenario carries some (clusters before 1.25).</summary>
    public static readonly ResourceType PodSecurityPolicies = G("policy", "v1beta1", "podsecuritypolicies", "podsecuritypolicy", "PodSecurityPolicy", false, typeof(PodSecurityPolicy), ["psp"]);

    public static readonly ResourceType NodeMetrics = new()
    {
        Group = "metrics.k8s.io", Version = "v1beta1", Plural = "nodes", Singular = "", Kind = "NodeMetrics", Namespaced = false, ClrType = typeof(k8s.Models.NodeMetrics),
        Verbs = ReadOnly, Aggregated = true,
    };
    public static readonly ResourceType PodMetrics = new()
    {
        Group = "metrics.k8s.io", Version = "v1beta1", Plural = "pods", Singular = "", Kind = "PodMetrics", Namespaced = true, ClrType = typeof(k8s.Models.PodMetrics),
        Verbs = ReadOnly, Aggregated = true,
    };

    /// <summary>kubectl auth can-i / whoami. Handled, not stored.</summary>
    public static readonly ResourceType SelfSubjectAccessReviews = G("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "selfsubjectaccessreview",
        "SelfSubjectAccessReview", false, typeof(V1SelfSubjectAccessReview), verbs: CreateOnly);
    public static readonly ResourceType SelfSubjectRulesReviews = G("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "selfsubjectrulesreview",
        "SelfSubjectRulesReview", false, typeof(V1SelfSubjectRulesReview), verbs: CreateOnly);
    public static readonly ResourceType SelfSubjectReviews = G("authentication.k8s.io", "v1", "selfsubjectreviews", "selfsubjectreview",
        "SelfSubjectReview", false, typeof(V1SelfSubjectReview), verbs: CreateOnly);

    /// <summary>Every stored resource, in the order discovery lists groups.</summary>
    public static IReadOnlyList<ResourceType> Stored { get; } =
    [
        Namespaces, Pods, ReplicationControllers, PodTemplates, ServiceAccounts, ConfigMaps, Secrets, Nodes, Services, PersistentVolumes, PersistentVolumeClaims,
        ResourceQuotas, LimitRanges,
        ApiServices, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs,
        NetworkPolicies, Ingresses, PodSecurityPolicies, Roles, ClusterRoles, RoleBindings, ClusterRoleBindings, StorageClasses,
        ValidatingWebhookConfigurations, MutatingWebhookConfigurations, CustomResourceDefinitions, PriorityClasses, RuntimeClasses,
        SecurityGroupPolicies, NodeMetrics, PodMetrics,
    ];

    public static IReadOnlyList<ResourceType> Reviews { get; } = [SelfSubjectAccessReviews, SelfSubjectRulesReviews, SelfSubjectReviews];

    /// <summary>The order of API groups in /apis, as the API server lists them (core first, then by priority).</summary>
    public static readonly string[] GroupOrder =
    [
        "", "apiregistration.k8s.io", "apps", "authentication.k8s.io", "authorization.k8s.io", "batch", "networking.k8s.io", "policy",
        "rbac.authorization.k8s.io", "storage.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io", "node.k8s.io",
        "vpcresources.k8s.aws", "metrics.k8s.io",
    ];
}
