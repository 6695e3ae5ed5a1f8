using k8s.Models;

namespace EksSecurity.TestData;

public sealed partial class SyntheticCluster
{
    private static V1PolicyRule R(string groups, string resources, string verbs, string? names = null) =>
        SyntheticObjects.Rule(Split(groups), Split(resources), Split(verbs), names is null ? null : Split(names));

    private static V1PolicyRule Urls(string urls, string verbs) => new() { NonResourceURLs = Split(urls), Verbs = Split(verbs) };

    private static string[] Split(string list) => list.Length == 0 ? [""] : list.Split(',');

    private const string Read = "get,list,watch";
    private const string Write = "create,delete,deletecollection,patch,update";

    /// <summary>The ClusterRoles Kubernetes and EKS create (bootstrap policy), abbreviated but with the rules audits care about.</summary>
    private static IEnumerable<(string Name, V1PolicyRule[] Rules, string? AggregateTo)> DefaultClusterRoles()
    {
        yield return ("cluster-admin", [R("*", "*", "*"), Urls("*", "*")], null);
        yield return ("admin", [R("", "pods/attach,pods/exec,pods/portforward,pods/proxy,secrets,services/proxy", Read), R("", "serviceaccounts", "impersonate"),
            R("", "pods,pods/attach,pods/exec,pods/portforward,pods/proxy", Write), R("", "configmaps,events,persistentvolumeclaims,replicationcontrollers,secrets,serviceaccounts,services", Write),
            R("apps", "daemonsets,deployments,deployments/rollback,deployments/scale,replicasets,statefulsets", Write), R("batch", "cronjobs,jobs", Write),
            R("networking.k8s.io", "ingresses,networkpolicies", Write), R("rbac.authorization.k8s.io", "rolebindings,roles", Write), R("authorization.k8s.io", "localsubjectaccessreviews", "create")], "admin");
        yield return ("edit", [R("", "pods/attach,pods/exec,pods/portforward,pods/proxy,secrets,services/proxy", Read), R("", "serviceaccounts", "impersonate"),
            R("", "pods,pods/attach,pods/exec,pods/portforward,pods/proxy", Write), R("", "configmaps,events,persistentvolumeclaims,replicationcontrollers,secrets,serviceaccounts,services", Write),
            R("apps", "daemonsets,deployments,deployments/rollback,deployments/scale,replicasets,statefulsets", Write), R("batch", "cronjobs,jobs", Write), R("", "serviceaccounts/token", "create")], "edit");
        yield return ("view", [R("", "configmaps,endpoints,persistentvolumeclaims,pods,pods/log,pods/status,replicationcontrollers,services,services/status", Read),
            R("", "bindings,events,limitranges,namespaces/status,resourcequotas", Read), R("apps", "controllerrevisions,daemonsets,deployments,replicasets,statefulsets", Read),
            R("batch", "cronjobs,jobs", Read), R("networking.k8s.io", "ingresses,networkpolicies", Read), R("policy", "poddisruptionbudgets", Read)], "view");
        yield return ("system:basic-user", [R("authorization.k8s.io", "selfsubjectaccessreviews,selfsubjectrulesreviews", "create"), R("authentication.k8s.io", "selfsubjectreviews", "create")], null);
        yield return ("system:discovery", [Urls("/api,/api/*,/apis,/apis/*,/healthz,/livez,/openapi,/openapi/*,/readyz,/version,/version/", "get")], null);
        yield return ("system:public-info-viewer", [Urls("/healthz,/livez,/readyz,/version,/version/", "get")], null);
        yield return ("system:monitoring", [Urls("/healthz,/healthz/*,/livez,/livez/*,/metrics,/metrics/slis,/readyz,/readyz/*", "get")], null);
        yield return ("system:node", [R("authentication.k8s.io", "tokenreviews", "create"), R("", "services,nodes", Read), R("", "nodes,nodes/status", "create,patch,update,get,list,watch"),
            R("", "events", "create,patch,update"), R("", "pods", "get,list,watch,create,delete"), R("", "pods/status", "patch,update"), R("", "pods/eviction", "create"),
            R("", "configmaps,secrets", "get,list,watch"), R("", "persistentvolumeclaims,persistentvolumes", "get"), R("", "serviceaccounts/token", "create"),
            R("certificates.k8s.io", "certificatesigningrequests", "create,get,list,watch"), R("coordination.k8s.io", "leases", "create,delete,get,patch,update")], null);
        yield return ("system:node-proxier", [R("", "endpoints,services", "list,watch"), R("", "nodes", Read), R("", "events", "create,patch,update"), R("discovery.k8s.io", "endpointslices", "list,watch")], null);
        yield return ("system:node-bootstrapper", [R("certificates.k8s.io", "certificatesigningrequests", "create,get,list,watch")], null);
        yield return ("system:kube-scheduler", [R("", "events", "create,patch,update"), R("coordination.k8s.io", "leases", "create,get,update"), R("", "pods", "delete,get,list,watch"),
            R("", "bindings,pods/binding", "create"), R("", "pods/status", "patch,update"), R("", "nodes,persistentvolumeclaims,persistentvolumes,replicationcontrollers,services", Read)], null);
        yield return ("system:kube-controller-manager", [R("", "secrets,serviceaccounts", "create,get,list,watch,delete"), R("", "serviceaccounts/token", "create"),
            R("coordination.k8s.io", "leases", "create,get,update"), R("*", "*", "list,watch"), R("", "events", "create,patch,update")], null);
        yield return ("system:kube-dns", [R("", "endpoints,services", "list,watch")], null);
        yield return ("system:auth-delegator", [R("authentication.k8s.io", "tokenreviews", "create"), R("authorization.k8s.io", "subjectaccessreviews", "create")], null);
        yield return ("system:heapster", [R("", "events,namespaces,nodes,pods", Read), R("apps", "deployments", Read)], null);
        yield return ("system:kube-aggregator", [R("", "endpoints,services", Read)], null);
        yield return ("system:persistent-volume-provisioner", [R("", "persistentvolumes", "create,delete,get,list,watch"), R("", "persistentvolumeclaims", "get,list,update,watch"),
            R("storage.k8s.io", "storageclasses", Read), R("", "events", "watch,create,patch,update")], null);
        yield return ("system:volume-scheduler", [R("", "persistentvolumes", "get,list,patch,update,watch"), R("storage.k8s.io", "storageclasses", Read), R("", "persistentvolumeclaims", "get,list,patch,update,watch")], null);
        yield return ("system:service-account-issuer-discovery", [Urls("/.well-known/openid-configuration,/.well-known/openid-configuration/,/openid/v1/jwks,/openid/v1/jwks/", "get")], null);
        yield return ("system:certificates.k8s.io:certificatesigningrequests:nodeclient", [R("certificates.k8s.io", "certificatesigningrequests/nodeclient", "create")], null);
        yield return ("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", [R("certificates.k8s.io", "certificatesigningrequests/selfnodeclient", "create")], null);
        yield return ("system:certificates.k8s.io:kube-apiserver-client-approver", [R("certificates.k8s.io", "signers", "approve", "kubernetes.io/kube-apiserver-client")], null);
        yield return ("system:certificates.k8s.io:kubelet-serving-approver", [R("certificates.k8s.io", "signers", "approve", "kubernetes.io/kubelet-serving")], null);
        yield return ("system:aggregate-to-admin", [R("authorization.k8s.io", "localsubjectaccessreviews", "create"), R("rbac.authorization.k8s.io", "rolebindings,roles", Write + ",get,list,watch")], null);
        yield return ("system:aggregate-to-edit", [R("", "pods/attach,pods/exec,pods/portforward,pods/proxy,secrets,services/proxy", Read), R("", "serviceaccounts", "impersonate"),
            R("apps", "daemonsets,deployments,deployments/rollback,deployments/scale,replicasets,replicasets/scale,statefulsets,statefulsets/scale", Write)], null);
        yield return ("system:aggregate-to-view", [R("", "configmaps,endpoints,persistentvolumeclaims,pods,pods/log,pods/status,replicationcontrollers,services", Read)], null);
        foreach (var controller in Controllers)
        {
            var rules = controller switch
            {
                "generic-garbage-collector" => new[] { R("*", "*", "delete,get,list,patch,update,watch"), R("", "events", "create,patch,update") },
                "namespace-controller" => [R("", "namespaces", "delete,get,list,watch"), R("", "namespaces/finalize,namespaces/status", "update"), R("*", "*", "delete,deletecollection,get,list")],
                "clusterrole-aggregation-controller" => [R("rbac.authorization.k8s.io", "clusterroles", "escalate,get,list,patch,update,watch")],
                "root-ca-cert-publisher" => [R("", "configmaps", "create,update"), R("", "events", "create,patch,update")],
                "certificate-controller" => [R("certificates.k8s.io", "certificatesigningrequests", "delete,get,list,watch"), R("certificates.k8s.io", "certificatesigningrequests/approval,certificatesigningrequests/status", "update"),
                    R("certificates.k8s.io", "signers", "approve", "kubernetes.io/kube-apiserver-client-kubelet,kubernetes.io/legacy-unknown"), R("authorization.k8s.io", "subjectaccessreviews", "create")],
                "persistent-volume-binder" => [R("", "persistentvolumes", "create,delete,get,list,update,watch"), R("", "persistentvolumeclaims", "get,list,update,watch"), R("", "pods", "create,delete,get,list,watch")],
                _ => [R(controller.Contains("job") || controller.Contains("cronjob") ? "batch" : controller.Contains("daemon") || controller.Contains("deployment") || controller.Contains("replicaset") || controller.Contains("statefulset") ? "apps" : "",
                    controller.Split('-')[0] + "s", "get,list,watch,update"), R("", "events", "create,patch,update"), R("", "pods", "create,delete,list,patch,watch")],
            };
            yield return ($"system:controller:{controller}", rules, null);
        }
        yield return ("eks:addon-manager", [R("", "configmaps,secrets,serviceaccounts,services", "*"), R("apps", "daemonsets,deployments", "*"), R("rbac.authorization.k8s.io", "clusterrolebindings,clusterroles,rolebindings,roles", "*"),
            R("admissionregistration.k8s.io", "mutatingwebhookconfigurations,validatingwebhookconfigurations", "*"), R("apiextensions.k8s.io", "customresourcedefinitions", "*")], null);
        yield return ("eks:az-poller", [R("", "nodes", Read), R("", "pods", Read)], null);
        yield return ("eks:certificate-controller", [R("certificates.k8s.io", "certificatesigningrequests", "get,list,watch"), R("certificates.k8s.io", "certificatesigningrequests/approval,certificatesigningrequests/status", "update"),
            R("certificates.k8s.io", "signers", "approve,sign", "beta.eks.amazonaws.com/app-serving")], null);
        yield return ("eks:cloud-controller-manager", [R("", "nodes", "*"), R("", "nodes/status", "patch"), R("", "services", "list,patch,update,watch"), R("", "services/status", "list,patch,update,watch"), R("", "events", "create,patch,update")], null);
        yield return ("eks:cluster-event-watcher", [R("", "events", Read)], null);
        yield return ("eks:fargate-manager", [R("", "pods", "get,list,watch,delete"), R("", "nodes", "get,list,watch,delete")], null);
        yield return ("eks:k8s-metrics", [R("", "nodes,pods", "list"), R("apps", "deployments", "list"), Urls("/metrics", "get")], null);
        yield return ("eks:node-bootstrapper", [R("certificates.k8s.io", "certificatesigningrequests/selfnodeclient", "create")], null);
        yield return ("eks:node-manager", [R("", "pods", "get,list,watch,delete"), R("", "nodes", "get,list,watch,patch"), R("", "pods/eviction", "create")], null);
        yield return ("eks:nodewatcher", [R("", "nodes", "list,watch,get,patch")], null);
        yield return ("eks:pod-identity-mutating-webhook", [R("", "serviceaccounts", Read), R("certificates.k8s.io", "certificatesigningrequests", "create,get,list,watch")], null);
        yield return ("eks:tagging-controller", [R("", "nodes", Read)], null);
        yield return ("eks:network-policy-controller", [R("networking.k8s.io", "networkpolicies", Read), R("networking.k8s.aws", "policyendpoints", "*"), R("", "pods,namespaces,services", Read)], null);
        yield return ("eks:service-operations", [R("", "secrets", "list")], null);
        yield return ("aws-node", [R("crd.k8s.amazonaws.com", "eniconfigs", Read), R("", "namespaces,pods", Read), R("", "nodes", "get,list,watch,patch"), R("", "events", "create,patch,list"),
            R("networking.k8s.aws", "policyendpoints", Read), R("vpcresources.k8s.aws", "cninodes", "get,list,patch")], null);
        yield return ("vpc-resource-controller-role", [R("", "pods", "get,list,patch,watch"), R("", "nodes", "get,list,patch,watch"), R("vpcresources.k8s.aws", "securitygrouppolicies,cninodes", "*")], null);
    }

    private static readonly string[] Controllers =
    [
        "attachdetach-controller", "clusterrole-aggregation-controller", "cronjob-controller", "daemon-set-controller", "deployment-controller", "disruption-controller",
        "endpoint-controller", "endpointslice-controller", "endpointslicemirroring-controller", "ephemeral-volume-controller", "expand-controller", "generic-garbage-collector",
        "horizontal-pod-autoscaler", "job-controller", "namespace-controller", "node-controller", "persistent-volume-binder", "pod-garbage-collector", "pv-protection-controller",
        "pvc-protection-controller", "replicaset-controller", "replication-controller", "resourcequota-controller", "root-ca-cert-publisher", "route-controller",
        "service-account-controller", "service-controller", "statefulset-controller", "ttl-after-finished-controller", "ttl-controller", "certificate-controller",
        "legacy-service-account-token-cleaner", "validatingadmissionpolicy-status-controller",
    ];

    private static readonly (string Name, string Namespace, string ServiceAccount, V1PolicyRule[] Rules)[] PlatformClusterRoles =
    [
        ("aws-load-balancer-controller-role", "kube-system", "aws-load-balancer-controller", [R("", "endpoints,namespaces,nodes,pods", Read), R("", "services,services/status", "get,list,patch,update,watch"), R("networking.k8s.io", "ingresses,ingresses/status", "get,list,patch,update,watch"), R("elbv2.k8s.aws", "targetgroupbindings,ingressclassparams", "*")]),
        ("ebs-csi-node-role", "kube-system", "ebs-csi-node-sa", [R("", "nodes", "get,patch"), R("storage.k8s.io", "volumeattachments", Read), R("storage.k8s.io", "csinodes", "get")]),
        ("ebs-external-provisioner-role", "kube-system", "ebs-csi-controller-sa", [R("", "persistentvolumes", "get,list,watch,create,patch,delete"), R("", "persistentvolumeclaims", "get,list,watch,update"), R("storage.k8s.io", "storageclasses,csinodes", Read), R("snapshot.storage.k8s.io", "volumesnapshots,volumesnapshotcontents", "get,list")]),
        ("ebs-external-attacher-role", "kube-system", "ebs-csi-controller-sa", [R("", "persistentvolumes", "get,list,watch,patch"), R("storage.k8s.io", "volumeattachments,volumeattachments/status", "get,list,watch,patch")]),
        ("system:metrics-server", "kube-system", "metrics-server", [R("", "nodes/metrics", "get"), R("", "pods,nodes", Read)]),
        ("system:aggregated-metrics-reader", "kube-system", "", [R("metrics.k8s.io", "pods,nodes", Read)]),
        ("cluster-autoscaler", "kube-system", "cluster-autoscaler", [R("", "events,endpoints", "create,patch"), R("", "pods/eviction", "create"), R("", "pods/status", "update"), R("", "nodes", "watch,list,get,update"), R("", "namespaces,pods,services,replicationcontrollers,persistentvolumeclaims,persistentvolumes", Read), R("apps", "daemonsets,replicasets,statefulsets", Read), R("batch", "jobs,cronjobs", Read)]),
        ("cloudwatch-agent-role", "amazon-cloudwatch", "cloudwatch-agent", [R("", "pods,nodes,endpoints,services,namespaces", "list,watch,get"), R("", "nodes/proxy,nodes/stats", "get"), R("apps", "replicasets,daemonsets,deployments,statefulsets", "list,watch")]),
        ("aws-guardduty-agent", "amazon-guardduty", "aws-guardduty-agent", [R("", "pods,nodes", "get,list,watch")]),
        ("prometheus", "monitoring", "prometheus", [R("", "nodes,nodes/metrics,services,endpoints,pods", Read), R("", "configmaps", "get"), Urls("/metrics,/metrics/cadvisor", "get")]),
        ("kube-state-metrics", "monitoring", "kube-state-metrics", [R("", "configmaps,secrets,nodes,pods,services,serviceaccounts,resourcequotas,replicationcontrollers,limitranges,persistentvolumeclaims,persistentvolumes,namespaces,endpoints", "list,watch"), R("apps", "statefulsets,daemonsets,deployments,replicasets", "list,watch")]),
        ("cert-manager-controller-issuers", "cert-manager", "cert-manager", [R("cert-manager.io", "issuers,issuers/status", "update,patch,get,list,watch"), R("", "secrets", "get,list,watch,create,update,delete"), R("", "events", "create,patch")]),
        ("cert-manager-controller-certificates", "cert-manager", "cert-manager", [R("cert-manager.io", "certificates,certificates/status,certificaterequests,certificaterequests/status", "update,patch,get,list,watch,create,delete"), R("", "secrets", "get,list,watch,create,update,delete,patch")]),
        ("cert-manager-cainjector", "cert-manager", "cert-manager-cainjector", [R("cert-manager.io", "certificates", Read), R("", "secrets", Read), R("admissionregistration.k8s.io", "validatingwebhookconfigurations,mutatingwebhookconfigurations", "get,list,watch,update,patch"), R("apiextensions.k8s.io", "customresourcedefinitions", "get,list,watch,update,patch")]),
        ("ingress-nginx", "ingress-nginx", "ingress-nginx", [R("", "configmaps,endpoints,nodes,pods,secrets,namespaces", "list,watch"), R("", "services", Read), R("networking.k8s.io", "ingresses,ingressclasses", Read), R("networking.k8s.io", "ingresses/status", "update")]),
        ("external-secrets-controller", "external-secrets", "external-secrets", [R("external-secrets.io", "secretstores,clustersecretstores,externalsecrets,clusterexternalsecrets,pushsecrets", "get,list,watch,update,patch"), R("", "secrets", "get,list,watch,create,update,delete,patch"), R("", "serviceaccounts/token", "create")]),
    ];

    public IEnumerable<V1ClusterRole> ClusterRoles()
    {
        var o = Objects;
        var bootstrap = SyntheticObjects.Labels(("kubernetes.io/bootstrapping", "rbac-defaults"));
        foreach (var (name, rules, aggregate) in DefaultClusterRoles())
        {
            var rng = o.Random("clusterrole/" + name);
            var labels = name.StartsWith("eks:", StringComparison.Ordinal) || name is "aws-node" or "vpc-resource-controller-role"
                ? SyntheticObjects.Labels(("eks.amazonaws.com/component", name.Replace("eks:", "", StringComparison.Ordinal)))
                : new Dictionary<string, string>(bootstrap);
            if (name.StartsWith("system:aggregate-to-", StringComparison.Ordinal)) labels[$"rbac.authorization.k8s.io/aggregate-to-{name["system:aggregate-to-".Length..]}"] = "true";
            var aggregation = aggregate is null ? null : new V1AggregationRule
            {
                ClusterRoleSelectors = [new V1LabelSelector { MatchLabels = SyntheticObjects.Labels(($"rbac.authorization.k8s.io/aggregate-to-{aggregate}", "true")) }],
            };
            yield return o.ClusterRole(name, rules, o.ClusterCreated, rng, labels, aggregation);
        }
        foreach (var p in PlatformClusterRoles)
            if (_namespaceByName.ContainsKey(p.Namespace))
                yield return o.ClusterRole(p.Name, p.Rules, _namespaceByName[p.Namespace].Created, o.Random("clusterrole/" + p.Name), SyntheticObjects.Labels(("app.kubernetes.io/name", p.Namespace)));
        for (var i = 0; i < _customClusterRoles; i++)
        {
            var (name, rules) = CustomClusterRole(i);
            var rng = o.Random("clusterrole/custom", i);
            yield return o.ClusterRole(name, rules, o.CreatedAgo(rng, 1, 380), rng, SyntheticObjects.Labels(("app.kubernetes.io/managed-by", rng.Chance(0.6) ? "Helm" : "kustomize")));
        }
    }

    private static readonly (string Name, V1PolicyRule[] Rules)[] RiskyClusterRoles =
    [
        ("secret-reader", [R("", "secrets", Read)]),
        ("ci-deployer", [R("apps", "*", "*"), R("", "services,configmaps,secrets", "*"), R("batch", "jobs,cronjobs", "*")]),
        ("debug-exec", [R("", "pods", "get,list"), R("", "pods/exec,pods/attach,pods/portforward", "create,get")]),
        ("node-proxy-access", [R("", "nodes/proxy,nodes/stats,nodes/metrics", "get,create")]),
        ("impersonator", [R("", "users,groups,serviceaccounts", "impersonate"), R("authentication.k8s.io", "uids,userextras/scopes", "impersonate")]),
        ("webhook-manager", [R("admissionregistration.k8s.io", "validatingwebhookconfigurations,mutatingwebhookconfigurations", "*")]),
        ("pv-creator", [R("", "persistentvolumes", "create,delete,get,list")]),
        ("csr-approver", [R("certificates.k8s.io", "certificatesigningrequests/approval", "update"), R("certificates.k8s.io", "signers", "approve")]),
        ("token-creator", [R("", "serviceaccounts/token", "create")]),
        ("rbac-manager", [R("rbac.authorization.k8s.io", "clusterroles,clusterrolebindings,roles,rolebindings", "bind,escalate,create,update,patch,delete,get,list")]),
        ("namespace-admin", [R("*", "*", "*")]),
        ("healthcheck-reader", [R("", "nodes,pods", "get,list"), Urls("/healthz,/metrics", "get")]),
    ];

    private (string Name, V1PolicyRule[] Rules) CustomClusterRole(int i)
    {
        if (i < RiskyClusterRoles.Length) return RiskyClusterRoles[i];
        var rng = Objects.Random("clusterrole/custom-shape", i);
        var team = SyntheticObjects.Teams[i % SyntheticObjects.Teams.Length];
        var round = i / SyntheticObjects.Teams.Length;
        return rng.PickWeighted([50, 30, 15, 5]) switch
        {
            0 => ($"{team}-readonly{(round > 0 ? "-" + round : "")}", [R("", "pods,pods/log,services,configmaps,events,endpoints", Read), R("apps", "deployments,replicasets,statefulsets,daemonsets", Read), R("batch", "jobs,cronjobs", Read)]),
            1 => ($"{team}-{SyntheticObjects.Apps[rng.Next(SyntheticObjects.Apps.Length)]}-operator-{i}", [R($"{team}.example.com", "*", "*"), R("", "configmaps,services,events", "get,list,watch,create,update,patch"), R("apps", "deployments,statefulsets", "get,list,watch,create,update,patch,delete"), R("coordination.k8s.io", "leases", "get,create,update")]),
            2 => ($"{team}-crd-viewer-{i}", [R("apiextensions.k8s.io", "customresourcedefinitions", Read), R($"{team}.example.com", "*", Read)]),
            _ => ($"{team}-power-user-{i}", [R("", "*", "*"), R("apps", "*", "*")]),
        };
    }

    private IEnumerable<(string Name, string Role, Rbacv1Subject[] Subjects, bool Bootstrap)> DefaultClusterRoleBindingsList()
    {
        static Rbacv1Subject U(string n) => SyntheticObjects.User(n);
        static Rbacv1Subject G(string n) => SyntheticObjects.Group(n);
        static Rbacv1Subject S(string n, string ns = "kube-system") => SyntheticObjects.ServiceAccountSubject(n, ns);
        yield return ("cluster-admin", "cluster-admin", [G("system:masters")], true);
        yield return ("system:basic-user", "system:basic-user", [G("system:authenticated")], true);
        yield return ("system:discovery", "system:discovery", [G("system:authenticated")], true);
        yield return ("system:public-info-viewer", "system:public-info-viewer", [G("system:authenticated"), G("system:unauthenticated")], true);
        yield return ("system:monitoring", "system:monitoring", [G("system:monitoring")], true);
        yield return ("system:node-proxier", "system:node-proxier", [U("system:kube-proxy")], true);
        yield return ("system:kube-controller-manager", "system:kube-controller-manager", [U("system:kube-controller-manager")], true);
        yield return ("system:kube-scheduler", "system:kube-scheduler", [U("system:kube-scheduler")], true);
        yield return ("system:volume-scheduler", "system:volume-scheduler", [U("system:kube-scheduler")], true);
        yield return ("system:kube-dns", "system:kube-dns", [S("kube-dns")], true);
        yield return ("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", [G("system:serviceaccounts")], true);
        yield return ("system:node", "system:node", [], true);
        yield return ("kubelet-api-admin", "system:kubelet-api-admin", [U("kube-apiserver-kubelet-client")], true);
        yield return ("system:coredns", "system:coredns", [S("coredns")], false);
        foreach (var controller in Controllers)
            yield return ($"system:controller:{controller}", $"system:controller:{controller}", [S(controller)], true);
        foreach (var eks in new[] { "addon-manager", "az-poller", "certificate-controller", "cloud-controller-manager", "cluster-event-watcher", "fargate-manager", "k8s-metrics", "node-manager", "nodewatcher", "pod-identity-mutating-webhook", "tagging-controller", "network-policy-controller", "service-operations" })
            yield return ($"eks:{eks}", $"eks:{eks}", [U($"eks:{eks}")], false);
        yield return ("eks:node-bootstrapper", "eks:node-bootstrapper", [G("system:bootstrappers"), G("system:nodes")], false);
        yield return ("aws-node", "aws-node", [S("aws-node")], false);
        yield return ("vpc-resource-controller-rolebinding", "vpc-resource-controller-role", [U("eks:vpc-resource-controller"), S("eks-vpc-resource-controller")], false);
        foreach (var p in PlatformClusterRoles)
            if (p.ServiceAccount.Length > 0 && _namespaceByName.ContainsKey(p.Namespace))
                yield return (p.Name.Replace("-role", "", StringComparison.Ordinal) + "-binding", p.Name, [S(p.ServiceAccount, p.Namespace)], false);
    }

    private int DefaultClusterRoleBindingCount() => DefaultClusterRoleBindingsList().Count();

    public IEnumerable<V1ClusterRoleBinding> ClusterRoleBindings()
    {
        var o = Objects;
        var count = 0;
        var bootstrap = SyntheticObjects.Labels(("kubernetes.io/bootstrapping", "rbac-defaults"));
        foreach (var (name, role, subjects, isBootstrap) in DefaultClusterRoleBindingsList())
        {
            if (count++ >= _clusterRoleBindings) yield break;
            yield return o.ClusterRoleBinding(name, role, subjects, o.ClusterCreated, o.Random("crb/" + name), isBootstrap ? new Dictionary<string, string>(bootstrap) : null);
        }
        var apps = _namespaces.Where(n => n.Kind == NamespaceKind.Application).ToList();
        for (var i = 0; count < _clusterRoleBindings; i++, count++)
        {
            var rng = o.Random("crb/custom", i);
            var created = o.CreatedAgo(rng, 1, 380);
            // A handful of the classic mistakes, once each.
            (string Name, string Role, Rbacv1Subject[] Subjects) b = i switch
            {
                0 => ("platform-admins", "cluster-admin", [SyntheticObjects.Group("platform-admins")]),
                1 => ("anonymous-healthcheck", "healthcheck-reader", [SyntheticObjects.User("system:anonymous")]),
                2 => ("authenticated-view", "view", [SyntheticObjects.Group("system:authenticated")]),
                3 => ("ci-deployer", "ci-deployer", [SyntheticObjects.Group("ci-deployers"), SyntheticObjects.User("jenkins")]),
                4 => ("argocd-application-controller", "cluster-admin", [SyntheticObjects.ServiceAccountSubject("argocd-application-controller", "argocd")]),
                5 => ("default-sa-edit", "edit", [SyntheticObjects.ServiceAccountSubject("default", "default")]),
                6 => ("security-auditors", "view", [SyntheticObjects.Group("security-auditors")]),
                7 => ("oncall-debug", "debug-exec", [SyntheticObjects.Group("oncall")]),
                8 => ("legacy-admin", "cluster-admin", [SyntheticObjects.User($"{SyntheticObjects.Users[rng.Next(SyntheticObjects.Users.Length)]}@example.com")]),
                _ => CustomBinding(i, rng, apps),
            };
            yield return o.ClusterRoleBinding(b.Name, b.Role, b.Subjects, created, rng, SyntheticObjects.Labels(("app.kubernetes.io/managed-by", "Helm")));
        }
    }

    private (string Name, string Role, Rbacv1Subject[] Subjects) CustomBinding(int i, SyntheticRandom rng, List<NamespacePlan> apps)
    {
        var (role, _) = CustomClusterRole(rng.Next(_customClusterRoles));
        var subjects = new List<Rbacv1Subject>();
        var n = rng.PickWeighted([60, 30, 10]) + 1;
        for (var s = 0; s < n; s++)
        {
            var roll = rng.NextDouble();
            if (roll < 0.45 && apps.Count > 0)
            {
                var ns = apps[rng.Next(apps.Count)];
                var sa = ns.ServiceAccounts[rng.Next(ns.ServiceAccounts.Count)];
                subjects.Add(SyntheticObjects.ServiceAccountSubject(sa.Name, ns.Name));
            }
            else if (roll < 0.85) subjects.Add(SyntheticObjects.Group($"{rng.Pick(SyntheticObjects.Teams)}-{rng.Pick(new[] { "viewers", "developers", "oncall", "leads" })}"));
            else subjects.Add(SyntheticObjects.User($"{rng.Pick(SyntheticObjects.Users)}@example.com"));
        }
        return ($"{role}-binding-{i}", role, subjects.ToArray());
    }

    private (string Name, V1PolicyRule[] Rules) NamespaceRole(NamespacePlan ns, int i)
    {
        if (ns.Kind != NamespaceKind.Application)
            return i == 0
                ? ($"{ns.Name}-leader-election", [R("coordination.k8s.io", "leases", "get,create,update,patch"), R("", "configmaps", "get,create,update"), R("", "events", "create,patch")])
                : ($"{ns.Name}-config-reader", [R("", "configmaps", Read), R("", "secrets", "get", ns.Name + "-tls")]);
        return i switch
        {
            0 => ($"{ns.Team}-developer", [R("", "pods,pods/log,services,endpoints,events", Read), R("apps", "deployments,replicasets,statefulsets", Read), R("", "configmaps", Read + ",create,update,patch")]),
            1 => ($"{ns.Team}-deployer", [R("apps", "deployments,statefulsets,daemonsets", "get,list,watch,create,update,patch,delete"), R("", "services,configmaps", "get,list,create,update,patch,delete"), R("", "secrets", "get,list")]),
            2 => ("pod-debugger", [R("", "pods", "get,list"), R("", "pods/exec,pods/portforward", "create")]),
            3 => ("secret-reader", [R("", "secrets", Read)]),
            4 => ($"{ns.Team}-ops", [R("*", "*", "*")]),
            _ => ("leader-election", [R("coordination.k8s.io", "leases", "get,create,update"), R("", "events", "create,patch")]),
        };
    }

    public IEnumerable<V1Role> Roles()
    {
        foreach (var ns in _namespaces)
            for (var i = 0; i < ns.Roles; i++)
            {
                var rng = Objects.Random($"role/{ns.Name}", i);
                var (name, rules) = NamespaceRole(ns, i);
                yield return Objects.Role(name, ns.Name, rules, Objects.CreatedAgo(rng, 1, 380), rng);
            }
    }

    public IEnumerable<V1RoleBinding> RoleBindings()
    {
        var o = Objects;
        foreach (var ns in _namespaces)
        {
            if (ns.RoleBindings == 0) continue;
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < ns.RoleBindings; i++)
            {
                var rng = o.Random($"rolebinding/{ns.Name}", i);
                var sa = ns.ServiceAccounts[rng.Next(ns.ServiceAccounts.Count)];
                var role0 = NamespaceRole(ns, rng.Next(Math.Max(1, ns.Roles))).Name;
                var user = $"{rng.Pick(SyntheticObjects.Users)}@example.com";
                // The last four are mistakes: rare, as in a real cluster (a few per 50,000 bindings for the group ones).
                (string Name, string Kind, string Role, Rbacv1Subject[] Subjects) b = rng.PickWeighted([35, 25, 15, 10, 10, 1, 0.02, 0.02, 0.004]) switch
                {
                    0 => ($"{sa.Name}-{(rng.Chance(0.5) ? "view" : "reader")}", rng.Chance(0.5) ? "ClusterRole" : "Role", rng.Chance(0.5) ? "view" : role0, [SyntheticObjects.ServiceAccountSubject(sa.Name, ns.Name)]),
                    1 => ($"{ns.Team}-developers-edit", "ClusterRole", "edit", [SyntheticObjects.Group($"{ns.Team}-developers")]),
                    2 => ($"{ns.Team}-admins", "ClusterRole", "admin", [SyntheticObjects.Group($"{ns.Team}-admins"), SyntheticObjects.Group("platform-admins")]),
                    3 => ($"{user.Split('@')[0]}-{role0}", "Role", role0, [SyntheticObjects.User(user)]),
                    4 => ("ci-deployer", "Role", NamespaceRole(ns, Math.Min(1, ns.Roles - 1)).Name, [SyntheticObjects.Group("ci-deployers"), SyntheticObjects.ServiceAccountSubject("ci-runner", "ci")]),
                    5 => ("default-sa-binding", "ClusterRole", rng.Chance(0.5) ? "edit" : "view", [SyntheticObjects.ServiceAccountSubject("default", ns.Name)]),
                    6 => ("authenticated-read", "ClusterRole", "view", [SyntheticObjects.Group("system:authenticated")]),
                    7 => ($"{user.Split('@')[0]}-cluster-admin", "ClusterRole", "cluster-admin", [SyntheticObjects.User(user)]),
                    _ => ("anonymous-access", "Role", role0, [SyntheticObjects.User("system:anonymous")]),
                };
                var name = b.Name;
                for (var n = 2; !names.Add(name); n++) name = $"{b.Name}-{n}";
                yield return o.RoleBinding(name, ns.Name, b.Kind, b.Role, b.Subjects, o.CreatedAgo(rng, 1, 380), rng);
            }
        }
    }
}
