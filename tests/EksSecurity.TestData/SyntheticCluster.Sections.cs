using System.Globalization;
using System.Text;
using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.TestData;

public sealed partial class SyntheticCluster
{
    public VersionInfo ServerVersion() => Objects.ServerVersion();

    public IEnumerable<V1Namespace> Namespaces()
    {
        foreach (var ns in _namespaces)
        {
            var extra = ns.Kind == NamespaceKind.Application
                ? SyntheticObjects.Labels(("team", ns.Team), ("environment", ns.Environment), ("app.kubernetes.io/managed-by", "argocd"))
                : null;
            yield return Objects.Namespace(ns.Name, ns.Psa, ns.Created, Objects.Random("namespace/" + ns.Name), extra);
        }
    }

    public IEnumerable<V1Node> Nodes()
    {
        for (var i = 0; i < _nodes.Count; i++)
            yield return Objects.Node(_nodes[i], Objects.Random("node", i));
    }

    public IEnumerable<V1ServiceAccount> ServiceAccounts()
    {
        foreach (var ns in _namespaces)
            foreach (var sa in ns.ServiceAccounts)
            {
                var rng = Objects.Random($"serviceaccount/{ns.Name}/{sa.Name}");
                var created = sa.Name == "default" ? ns.Created : Objects.CreatedAgo(rng, 1, 380);
                yield return Objects.ServiceAccount(sa.Name, ns.Name, created, rng, sa.RoleArn, sa.Automount,
                    sa.Name == "default" ? null : SyntheticObjects.Labels(("app.kubernetes.io/name", sa.Name)));
            }
    }

    public IEnumerable<V1ConfigMap> ConfigMaps()
    {
        var o = Objects;
        foreach (var ns in _namespaces)
        {
            yield return o.KubeRootCa(ns.Name, ns.Created, o.Random($"configmap/{ns.Name}/kube-root-ca.crt"));
            if (ns.Name == "kube-system")
                foreach (var cm in KubeSystemConfigMaps()) yield return cm;
            foreach (var w in ns.Workloads)
            {
                if (w.Profile is not { UsesConfigMap: true } p) continue;
                var rng = o.Random($"configmap/{ns.Name}/{p.ConfigMapName}");
                var yaml = new StringBuilder();
                yaml.Append("server:\n  port: ").Append(p.Port).Append("\n  shutdownTimeout: 30s\nlogging:\n  level: info\n  format: json\n");
                yaml.Append("upstreams:\n");
                var upstreams = rng.Between(1, 6);
                for (var u = 0; u < upstreams; u++)
                    yaml.Append("  - name: ").Append(rng.Pick(SyntheticObjects.Apps)).Append("\n    url: http://").Append(rng.Pick(SyntheticObjects.Apps)).Append('.').Append(ns.Name).Append(".svc.cluster.local:8080\n    timeout: ").Append(rng.Between(1, 30)).Append("s\n");
                if (rng.Chance(0.01)) yaml.Append("database:\n  url: postgres://app@db:5432/app\n  password=").Append(rng.Hex(16)).Append('\n');
                var data = new Dictionary<string, string>
                {
                    ["mode"] = ns.Environment == "prod" ? "production" : ns.Environment,
                    ["application.yaml"] = yaml.ToString(),
                };
                if (rng.Chance(0.3)) data["features.json"] = "{\"newCheckout\":true,\"fastSearch\":false,\"betaUi\":" + (rng.Chance(0.5) ? "true" : "false") + "}";
                yield return o.ConfigMap(p.ConfigMapName, ns.Name, data, w.Created, rng, SyntheticObjects.Labels(("app.kubernetes.io/name", p.App)),
                    rng.Chance(0.3) ? SyntheticObjects.Labels(("meta.helm.sh/release-name", p.App), ("meta.helm.sh/release-namespace", ns.Name)) : null);
            }
        }
    }

    private IEnumerable<V1ConfigMap> KubeSystemConfigMaps()
    {
        var o = Objects;
        var created = o.ClusterCreated;
        SyntheticRandom R(string name) => o.Random("configmap/kube-system/" + name);
        yield return AwsAuthConfigMap();
        yield return o.ConfigMap("coredns", "kube-system", new Dictionary<string, string>
        {
            ["Corefile"] = ".:53 {\n    errors\n    health {\n        lameduck 5s\n      }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      pods insecure\n      fallthrough in-addr.arpa ip6.arpa\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n",
        }, created, R("coredns"), SyntheticObjects.Labels(("eks.amazonaws.com/component", "coredns"), ("k8s-app", "kube-dns")));
        yield return o.ConfigMap("kube-proxy", "kube-system", new Dictionary<string, string>
        {
            ["kubeconfig"] = $"kind: Config\napiVersion: v1\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: https://{o.OidcId}.gr7.{o.Region}.eks.amazonaws.com\n  name: default\ncontexts:\n- context:\n    cluster: default\n    namespace: default\n    user: default\n  name: default\ncurrent-context: default\nusers:\n- name: default\n  user:\n    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n",
        }, created, R("kube-proxy"), SyntheticObjects.Labels(("eks.amazonaws.com/component", "kube-proxy"), ("k8s-app", "kube-proxy")));
        yield return o.ConfigMap("kube-proxy-config", "kube-system", new Dictionary<string, string>
        {
            ["config"] = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nbindAddress: 0.0.0.0\nclientConnection:\n  acceptContentTypes: \"\"\n  burst: 10\n  contentType: application/vnd.kubernetes.protobuf\n  kubeconfig: /var/lib/kube-proxy/kubeconfig\n  qps: 5\nclusterCIDR: \"\"\nconfigSyncPeriod: 15m0s\nconntrack:\n  maxPerCore: 32768\n  min: 131072\nenableProfiling: false\nhealthzBindAddress: 0.0.0.0:10256\niptables:\n  masqueradeAll: false\n  masqueradeBit: 14\n  minSyncPeriod: 0s\n  syncPeriod: 30s\nkind: KubeProxyConfiguration\nmetricsBindAddress: 0.0.0.0:10249\nmode: \"iptables\"\n",
        }, created, R("kube-proxy-config"), SyntheticObjects.Labels(("eks.amazonaws.com/component", "kube-proxy"), ("k8s-app", "kube-proxy")));
        yield return o.ConfigMap("amazon-vpc-cni", "kube-system", new Dictionary<string, string>
        {
            ["enable-network-policy-controller"] = "true",
            ["enable-windows-ipam"] = "false",
            ["enable-windows-prefix-delegation"] = "false",
            ["warm-prefix-target"] = "0",
            ["warm-ip-target"] = "0",
            ["minimum-ip-target"] = "0",
            ["branch-eni-cooldown"] = "60",
        }, created, R("amazon-vpc-cni"), SyntheticObjects.Labels(("app.kubernetes.io/name", "aws-node")));
        yield return o.ConfigMap("extension-apiserver-authentication", "kube-system", new Dictionary<string, string>
        {
            ["client-ca-file"] = o.ClusterCaPem,
            ["requestheader-allowed-names"] = "[\"front-proxy-client\"]",
            ["requestheader-client-ca-file"] = o.ClusterCaPem,
            ["requestheader-extra-headers-prefix"] = "[\"X-Remote-Extra-\"]",
            ["requestheader-group-headers"] = "[\"X-Remote-Group\"]",
            ["requestheader-username-headers"] = "[\"X-Remote-User\"]",
        }, created, R("extension-apiserver-authentication"));
        yield return o.ConfigMap("cluster-autoscaler-status", "kube-system", new Dictionary<string, string>
        {
            ["status"] = $"time: {o.Now:yyyy-MM-dd HH:mm:ss} +0000 UTC\nautoscalerStatus: Running\nclusterWide:\n  health:\n    status: Healthy\n    nodeCounts:\n      registered:\n        total: {_nodes.Count}\n        ready: {_nodes.Count(n => n.Ready)}\n",
        }, o.Now.AddMinutes(-1), R("cluster-autoscaler-status"));
    }

    /// <summary>kube-system/aws-auth: node roles, human roles (two in system:masters), a CI role without session names, a user, and one role that no longer exists.</summary>
    public V1ConfigMap AwsAuthConfigMap()
    {
        var o = Objects;
        var roles = new List<SyntheticObjects.AwsAuthEntry>();
        foreach (var node in _nodeRoleNames.Append(_karpenterNodeRole).OfType<string>())
            roles.Add(new(o.RoleArn(node), "system:node:{{EC2PrivateDNSName}}", "system:bootstrappers", "system:nodes"));
        roles.Add(new(o.RoleArn("platform-admin"), "platform-admin:{{SessionName}}", "system:masters"));
        roles.Add(new(o.RoleArn("break-glass-admin"), "break-glass:{{SessionName}}", "system:masters"));
        roles.Add(new(o.RoleArn("developer"), "developer:{{SessionName}}", "developers"));
        roles.Add(new(o.RoleArn("readonly"), "readonly:{{SessionName}}", "viewers"));
        roles.Add(new(o.RoleArn("ci-deployer"), "ci-deployer", "ci-deployers"));
        roles.Add(new(o.RoleArn("old-ops-admin"), "old-ops-admin", "system:masters"));
        var users = new List<SyntheticObjects.AwsAuthEntry>
        {
            new($"arn:aws:iam::{o.AccountId}:user/alice.admin", "alice", "system:masters"),
            new($"arn:aws:iam::{o.AccountId}:user/legacy-ci", "legacy-ci", "ci-deployers"),
        };
        return o.AwsAuth(roles, users, o.ClusterCreated.AddHours(2), o.Random("configmap/kube-system/aws-auth"));
    }

    public IEnumerable<V1Secret> Secrets()
    {
        var o = Objects;
        foreach (var ns in _namespaces)
        {
            var nsRng = o.Random("secrets/" + ns.Name);
            foreach (var w in ns.Workloads)
            {
                if (w.Profile is { UsesSecret: true } p)
                    yield return o.Secret(p.SecretName, ns.Name, "Opaque", w.Created, o.Random($"secret/{ns.Name}/{p.SecretName}"), SyntheticObjects.Labels(("app.kubernetes.io/name", p.App)));
                if (w.Ingress && w.IngressTls)
                    yield return o.Secret(w.Name + "-tls", ns.Name, "kubernetes.io/tls", w.Created, o.Random($"secret/{ns.Name}/{w.Name}-tls"),
                        annotations: SyntheticObjects.Labels(("cert-manager.io/certificate-name", w.Name + "-tls"), ("cert-manager.io/issuer-kind", "ClusterIssuer"), ("cert-manager.io/issuer-name", "letsencrypt-prod")));
            }
            if (ns.Kind == NamespaceKind.Application && nsRng.Chance(0.5))
            {
                var release = ns.Workloads.Count > 0 ? ns.Workloads[0].Name : ns.Team;
                var revisions = nsRng.Between(1, 4);
                for (var v = 1; v <= revisions; v++)
                    yield return o.Secret($"sh.helm.release.v1.{release}.v{v}", ns.Name, "helm.sh/release.v1", o.CreatedAgo(nsRng, 1, 200), o.Random($"secret/{ns.Name}/helm/{release}", v),
                        SyntheticObjects.Labels(("name", release), ("owner", "helm"), ("status", v == revisions ? "deployed" : "superseded"), ("version", v.ToString(CultureInfo.InvariantCulture))));
            }
            if (ns.Kind == NamespaceKind.Application && nsRng.Chance(0.3))
                yield return o.Secret("regcred", ns.Name, "kubernetes.io/dockerconfigjson", o.CreatedAgo(nsRng, 1, 300), o.Random($"secret/{ns.Name}/regcred"));
            if (nsRng.Chance(0.02) || ns.Name == "kube-system")
            {
                var sa = ns.ServiceAccounts[nsRng.Next(ns.ServiceAccounts.Count)];
                var name = $"{sa.Name}-token-{nsRng.KubeSuffix(5)}";
                yield return o.Secret(name, ns.Name, "kubernetes.io/service-account-token", o.CreatedAgo(nsRng, 100, 400), o.Random($"secret/{ns.Name}/{name}"),
                    annotations: SyntheticObjects.Labels(("kubernetes.io/service-account.name", sa.Name), ("kubernetes.io/service-account.uid", o.Uid("ServiceAccount", ns.Name, sa.Name))));
            }
            if (ns.Name == "cert-manager")
                yield return o.Secret("cert-manager-webhook-ca", ns.Name, "Opaque", ns.Created, o.Random("secret/cert-manager/webhook-ca"));
        }
    }

    public IEnumerable<V1Service> Services()
    {
        var o = Objects;
        if (_namespaceByName.ContainsKey("default"))
            yield return o.Service("kubernetes", "default", "ClusterIP", null, 443, 443, o.ClusterCreated, o.Random("service/default/kubernetes"));
        yield return o.Service("kube-dns", "kube-system", "ClusterIP", SyntheticObjects.Labels(("k8s-app", "kube-dns")), 53, 53, o.ClusterCreated, o.Random("service/kube-system/kube-dns"));
        foreach (var ns in _namespaces)
        {
            foreach (var w in ns.Workloads)
            {
                if (w.ServiceType is null) continue;
                var rng = o.Random($"service/{ns.Name}/{w.Name}");
                var selector = w.System is { } s
                    ? SyntheticObjects.Labels((s.AppLabelKey, s.Name))
                    : SyntheticObjects.Labels(("app.kubernetes.io/name", w.Profile!.App), ("app.kubernetes.io/instance", w.Profile.App));
                var port = w.Profile?.Port ?? w.System!.Containers[0].Port ?? 8080;
                if (w.Kind == WorkloadKind.StatefulSet)
                {
                    yield return o.Service(w.Name + "-headless", ns.Name, "ClusterIP", selector, port, port, w.Created, rng, headless: true);
                    continue;
                }
                Dictionary<string, string>? annotations = null;
                IList<string>? ranges = null;
                if (w.ServiceType == "LoadBalancer")
                {
                    var internetFacing = rng.Chance(0.6);
                    annotations = SyntheticObjects.Labels(
                        ("service.beta.kubernetes.io/aws-load-balancer-type", "external"),
                        ("service.beta.kubernetes.io/aws-load-balancer-nlb-target-type", "ip"),
                        ("service.beta.kubernetes.io/aws-load-balancer-scheme", internetFacing ? "internet-facing" : "internal"),
                        ("service.beta.kubernetes.io/aws-load-balancer-ssl-cert", rng.Chance(0.5) ? $"arn:aws:acm:{o.Region}:{o.AccountId}:certificate/{rng.Uuid()}" : null),
                        ("service.beta.kubernetes.io/aws-load-balancer-ssl-ports", rng.Chance(0.5) ? "443" : null));
                    if (internetFacing && rng.Chance(0.3)) ranges = ["203.0.113.0/24", "198.51.100.0/24"];
                }
                yield return o.Service(w.Name, ns.Name, w.ServiceType, selector, w.ServiceType == "LoadBalancer" ? 443 : 80, port, w.Created, rng, annotations, sourceRanges: ranges);
            }
        }
    }

    public IEnumerable<V1Ingress> Ingresses()
    {
        foreach (var ns in _namespaces)
            foreach (var w in ns.Workloads)
                if (w.Ingress)
                    yield return Objects.Ingress(w.Name, ns.Name, w.Name, 80, w.IngressTls, w.Created, Objects.Random($"ingress/{ns.Name}/{w.Name}"));
    }

    public IEnumerable<V1NetworkPolicy> NetworkPolicies()
    {
        var o = Objects;
        foreach (var ns in _namespaces)
        {
            var rng = o.Random("networkpolicies/" + ns.Name);
            var created = o.CreatedAgo(rng, 1, 300);
            var profile = ns.NetworkPolicies;
            if (profile is NetworkPolicyProfile.DefaultDeny or NetworkPolicyProfile.DefaultDenyNoDns)
                yield return o.DefaultDenyAll(ns.Name, created, rng);
            if (profile is NetworkPolicyProfile.DefaultDeny or NetworkPolicyProfile.DenyImds)
                yield return o.AllowDns(ns.Name, created, rng);
            if (profile == NetworkPolicyProfile.DenyImds)
                yield return o.DenyImds(ns.Name, created, rng);
            if (profile is NetworkPolicyProfile.DefaultDeny or NetworkPolicyProfile.DefaultDenyNoDns or NetworkPolicyProfile.IngressOnly)
                foreach (var w in ns.Workloads)
                    if (w.ServiceType is not null && w.Profile is { } p)
                        yield return o.AllowFromIngress(ns.Name, p.App, p.Port, w.Created, o.Random($"networkpolicy/{ns.Name}/{w.Name}"));
        }
    }

    public IEnumerable<V1ResourceQuota> ResourceQuotas()
    {
        foreach (var ns in _namespaces)
            if (ns.Quota)
                yield return Objects.ResourceQuota(ns.Name, Math.Max(1, ns.PodBudget / 30 + 1), ns.Created, Objects.Random("resourcequota/" + ns.Name));
    }

    public IEnumerable<V1LimitRange> LimitRanges()
    {
        foreach (var ns in _namespaces)
            if (ns.LimitRange)
                yield return Objects.LimitRange(ns.Name, ns.Created, Objects.Random("limitrange/" + ns.Name));
    }

    public IEnumerable<V1StorageClass> StorageClasses()
    {
        var o = Objects;
        yield return o.StorageClass("gp2", "kubernetes.io/aws-ebs", new Dictionary<string, string> { ["fsType"] = "ext4", ["type"] = "gp2" }, false, o.ClusterCreated, o.Random("storageclass/gp2"));
        yield return o.StorageClass("gp3", "ebs.csi.aws.com", new Dictionary<string, string> { ["type"] = "gp3", ["encrypted"] = "true", ["fsType"] = "ext4" }, true, o.ClusterCreated.AddDays(2), o.Random("storageclass/gp3"));
        yield return o.StorageClass("io2-unencrypted", "ebs.csi.aws.com", new Dictionary<string, string> { ["type"] = "io2", ["iopsPerGB"] = "50" }, false, o.ClusterCreated.AddDays(40), o.Random("storageclass/io2"));
        yield return o.StorageClass("efs-sc", "efs.csi.aws.com", new Dictionary<string, string> { ["provisioningMode"] = "efs-ap", ["fileSystemId"] = "fs-0" + o.Random("efs").Hex(16), ["directoryPerms"] = "700" }, false, o.ClusterCreated.AddDays(60), o.Random("storageclass/efs"));
    }

    public IEnumerable<V1ValidatingWebhookConfiguration> ValidatingWebhooks()
    {
        var o = Objects;
        yield return o.ValidatingWebhook("aws-load-balancer-webhook", "kube-system", "aws-load-balancer-webhook-service", ["elbv2.k8s.aws", "networking.k8s.io"], ["targetgroupbindings", "ingresses"], "Fail", o.Random("vwc/alb"));
        yield return o.ValidatingWebhook("vpc-resource-validating-webhook", "kube-system", "vpc-resource-controller", [""], ["pods"], "Ignore", o.Random("vwc/vpc"));
        if (_namespaceByName.ContainsKey("cert-manager"))
            yield return o.ValidatingWebhook("cert-manager-webhook", "cert-manager", "cert-manager-webhook", ["cert-manager.io", "acme.cert-manager.io"], ["*/*"], "Fail", o.Random("vwc/cert-manager"));
        if (_namespaceByName.ContainsKey("external-secrets"))
            yield return o.ValidatingWebhook("externalsecret-validate", "external-secrets", "external-secrets-webhook", ["external-secrets.io"], ["externalsecrets"], "Fail", o.Random("vwc/eso"));
    }

    public IEnumerable<V1MutatingWebhookConfiguration> MutatingWebhooks()
    {
        var o = Objects;
        yield return o.MutatingWebhook("pod-identity-webhook", "kube-system", "pod-identity-webhook", [""], ["pods"], "Ignore", o.Random("mwc/pod-identity"));
        yield return o.MutatingWebhook("aws-load-balancer-webhook", "kube-system", "aws-load-balancer-webhook-service", [""], ["pods"], "Fail", o.Random("mwc/alb"));
        yield return o.MutatingWebhook("vpc-resource-mutating-webhook", "kube-system", "vpc-resource-controller", [""], ["pods"], "Ignore", o.Random("mwc/vpc"));
        if (_namespaceByName.ContainsKey("cert-manager"))
            yield return o.MutatingWebhook("cert-manager-webhook", "cert-manager", "cert-manager-webhook", ["cert-manager.io"], ["*/*"], "Fail", o.Random("mwc/cert-manager"));
    }

    public IEnumerable<SecurityGroupPolicy> SecurityGroupPolicies()
    {
        foreach (var ns in _namespaces)
        {
            if (ns.Kind != NamespaceKind.Application || ns.Workloads.Count == 0) continue;
            var rng = Objects.Random("sgp/" + ns.Name);
            if (!rng.Chance(0.02)) continue;
            var app = ns.Workloads[0].Profile?.App ?? ns.Workloads[0].Name;
            yield return Objects.SecurityGroupPolicy(app + "-sgp", ns.Name, app, ["sg-0" + rng.Hex(16), Objects.NodeSecurityGroupId], rng);
        }
    }

    public IEnumerable<V1PriorityClass> PriorityClasses()
    {
        var o = Objects;
        yield return o.PriorityClass("system-cluster-critical", 2000000000, false, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.", o.Random("pc/1"));
        yield return o.PriorityClass("system-node-critical", 2000001000, false, "Used for system critical pods that must not be moved from their current node.", o.Random("pc/2"));
        yield return o.PriorityClass("business-critical", 1000000, false, "Revenue-bearing services.", o.Random("pc/3"));
        yield return o.PriorityClass("aws-guardduty-agent.priorityclass", 1000000000, false, "Priority class for the GuardDuty security agent.", o.Random("pc/4"));
    }

    public IEnumerable<V1APIService> ApiServices()
    {
        var o = Objects;
        var local = new[]
        {
            ("", "v1"), ("admissionregistration.k8s.io", "v1"), ("apiextensions.k8s.io", "v1"), ("apps", "v1"), ("authentication.k8s.io", "v1"), ("authorization.k8s.io", "v1"),
            ("autoscaling", "v1"), ("autoscaling", "v2"), ("batch", "v1"), ("certificates.k8s.io", "v1"), ("coordination.k8s.io", "v1"), ("discovery.k8s.io", "v1"),
            ("events.k8s.io", "v1"), ("flowcontrol.apiserver.k8s.io", "v1"), ("networking.k8s.io", "v1"), ("node.k8s.io", "v1"), ("policy", "v1"),
            ("rbac.authorization.k8s.io", "v1"), ("scheduling.k8s.io", "v1"), ("storage.k8s.io", "v1"), ("crd.k8s.amazonaws.com", "v1alpha1"),
            ("elbv2.k8s.aws", "v1beta1"), ("networking.k8s.aws", "v1alpha1"), ("vpcresources.k8s.aws", "v1beta1"), ("vpcresources.k8s.aws", "v1alpha1"),
            ("cert-manager.io", "v1"), ("acme.cert-manager.io", "v1"), ("external-secrets.io", "v1beta1"), ("monitoring.coreos.com", "v1"),
        };
        foreach (var (group, version) in local)
            yield return o.ApiService(group, version, null, o.Random($"apiservice/{group}/{version}"));
        yield return o.ApiService("metrics.k8s.io", "v1beta1", ("kube-system", "metrics-server"), o.Random("apiservice/metrics"));
    }
}
