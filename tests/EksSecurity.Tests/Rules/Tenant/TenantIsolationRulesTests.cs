using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Tenant;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Tenant;

internal static class TenantFixtures
{
    public static V1Namespace Namespace(string name, params (string Key, string Value)[] labels) =>
        new() { Metadata = TestSnapshots.Meta(name, labels: labels.ToDictionary(l => l.Key, l => l.Value)) };

    public static V1Pod RunningOn(string name, string ns, string node, string? ownerKind = null)
    {
        var pod = BarePod(name, ns, Spec(Container("app")), owner: ownerKind is null ? null : Owner(ownerKind, name + "-owner"));
        pod.Spec.NodeName = node;
        pod.Status = new V1PodStatus { Phase = "Running" };
        return pod;
    }
}

public class NamespacesAsBoundariesTests
{
    [Fact]
    public void Namespace_with_workloads_and_no_owner_warns()
    {
        var snapshot = Snapshot(Deployment("web", "shop", Spec(Container("app"))), Deployment("api", "billing", Spec(Container("app"))))
            .With(s => s.Kubernetes.Namespaces!.Items!.AddRange([TenantFixtures.Namespace("shop"), TenantFixtures.Namespace("billing", ("team", "payments")), TenantFixtures.Namespace("empty"), TenantFixtures.Namespace("kube-system")]));
        var findings = TestSnapshots.Run<NamespacesAsBoundaries>(snapshot);
        Assert.Equal(3, findings.Count); // kube-system is the platform's
        var shop = findings.Single(f => f.ResourceName == "shop");
        Assert.Equal(FindingStatus.Warning, shop.Status);
        Assert.Equal(Severity.Informational, shop.Severity);
        Assert.Contains(shop.Evidence, e => e == "workloads: 1 Deployment");
        var billing = findings.Single(f => f.ResourceName == "billing");
        Assert.Equal(FindingStatus.Pass, billing.Status);
        Assert.Contains("payments", billing.Message);
        Assert.Equal(FindingStatus.Pass, findings.Single(f => f.ResourceName == "empty").Status);
    }

    [Fact]
    public void Owner_label_keys_are_configurable()
    {
        var snapshot = Snapshot(Deployment("web", "shop", Spec(Container("app")))).With(s => s.Kubernetes.Namespaces!.Items!.Add(TenantFixtures.Namespace("shop", ("cost-center", "cc-42"))));
        var finding = Assert.Single(TestSnapshots.Run<NamespacesAsBoundaries>(snapshot, new RuleSettings { TenantLabelKeys = ["cost-center"] }));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Denied_namespaces_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Namespaces = Section<V1Namespace>.Denied("list namespaces"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NamespacesAsBoundaries>(snapshot)).Status);
    }
}

public class PriorityClassNotAbusedTests
{
    private static V1PriorityClass Class(string name, int value, bool globalDefault = false) =>
        new() { Metadata = TestSnapshots.Meta(name), Value = value, GlobalDefault = globalDefault };

    private static V1Deployment WithClass(string name, string ns, string cls)
    {
        var spec = Spec(Container("app"));
        spec.PriorityClassName = cls;
        return Deployment(name, ns, spec);
    }

    [Fact]
    public void Tenant_pod_with_system_class_fails_platform_one_passes()
    {
        var snapshot = Snapshot(WithClass("web", "shop", "system-cluster-critical"), WithClass("coredns", "kube-system", "system-cluster-critical"),
            WithClass("agent", "amazon-guardduty", "system-node-critical"), WithClass("api", "shop", "tenant-high"));
        var findings = TestSnapshots.Run<PriorityClassNotAbused>(snapshot);
        Assert.Equal([FindingStatus.Fail, FindingStatus.Pass, FindingStatus.Pass, FindingStatus.Pass], findings.Select(f => f.Status).ToArray());
        Assert.Contains("shop/web", findings[0].Message);
    }

    [Fact]
    public void High_global_default_warns()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.PriorityClasses!.Items!.AddRange([Class("everyone", 2_000_000, globalDefault: true), Class("batch", 100)]));
        var finding = Assert.Single(TestSnapshots.Run<PriorityClassNotAbused>(snapshot));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal("PriorityClass", finding.ResourceType);
    }

    [Fact]
    public void Global_default_outranking_every_other_class_warns_and_a_low_one_passes()
    {
        var outranks = TestSnapshots.Empty().With(s => s.Kubernetes.PriorityClasses!.Items!.AddRange([Class("default", 5000, globalDefault: true), Class("critical-app", 1000)]));
        Assert.Equal(FindingStatus.Warning, Assert.Single(TestSnapshots.Run<PriorityClassNotAbused>(outranks)).Status);
        var low = TestSnapshots.Empty().With(s => s.Kubernetes.PriorityClasses!.Items!.AddRange([Class("default", 0, globalDefault: true), Class("critical-app", 1000)]));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<PriorityClassNotAbused>(low)).Status);
    }

    [Fact]
    public void No_classes_used_is_not_applicable()
    {
        Assert.Equal(FindingStatus.NotApplicable, Assert.Single(TestSnapshots.Run<PriorityClassNotAbused>(Snapshot(Deployment("web", "shop", Spec(Container("app")))))).Status);
    }

    [Fact]
    public void Denied_priority_classes_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.PriorityClasses = Section<V1PriorityClass>.Denied("list priorityclasses.scheduling.k8s.io"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<PriorityClassNotAbused>(snapshot)).Status);
    }
}

public class TenantNodeIsolationTests
{
    private static ClusterSnapshot With(params V1Pod[] pods) => TestSnapshots.Empty().With(s =>
    {
        s.Kubernetes.Nodes!.Items!.AddRange([Infra.NodeFixtures.Node("n1"), Infra.NodeFixtures.Node("n2")]);
        s.Kubernetes.Namespaces!.Items!.AddRange([TenantFixtures.Namespace("shop-web", ("tenant", "shop")), TenantFixtures.Namespace("shop-api", ("tenant", "shop")), TenantFixtures.Namespace("bank")]);
        s.Kubernetes.Pods!.Items!.AddRange(pods);
    });

    [Fact]
    public void Node_shared_by_two_tenants_warns()
    {
        var findings = TestSnapshots.Run<TenantNodeIsolation>(With(
            TenantFixtures.RunningOn("a", "shop-web", "n1"), TenantFixtures.RunningOn("b", "bank", "n1"),
            TenantFixtures.RunningOn("c", "shop-web", "n2"), TenantFixtures.RunningOn("d", "shop-api", "n2")));
        Assert.Equal(FindingStatus.Warning, findings[0].Status);
        Assert.Contains("bank, shop", findings[0].Message);
        Assert.Equal(FindingStatus.Pass, findings[1].Status); // two namespaces, one tenant label
        Assert.Contains(findings[1].Evidence, e => e == "tenant shop: namespace(s) shop-api, shop-web");
    }

    [Fact]
    public void Daemon_set_and_system_pods_do_not_make_a_node_shared()
    {
        var findings = TestSnapshots.Run<TenantNodeIsolation>(With(
            TenantFixtures.RunningOn("a", "shop-web", "n1"), TenantFixtures.RunningOn("agent", "bank", "n1", ownerKind: "DaemonSet"),
            TenantFixtures.RunningOn("coredns", "kube-system", "n1")));
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
    }

    [Fact]
    public void Denied_pods_are_an_error()
    {
        var snapshot = With().With(s => s.Kubernetes.Pods = Section<V1Pod>.Denied("list pods"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<TenantNodeIsolation>(snapshot)).Status);
    }
}

public class NoCrossNamespaceRbacGrantsTests
{
    private static V1RoleBinding Binding(string name, string ns, params Rbacv1Subject[] subjects) => new()
    {
        Metadata = TestSnapshots.Meta(name, ns),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "editor" },
        Subjects = subjects.ToList(),
    };

    private static Rbacv1Subject Sa(string name, string? ns) => new() { Kind = "ServiceAccount", Name = name, NamespaceProperty = ns };
    private static Rbacv1Subject Group(string name) => new() { Kind = "Group", Name = name, ApiGroup = "rbac.authorization.k8s.io" };

    private static ClusterSnapshot With(params V1RoleBinding[] bindings) => TestSnapshots.Empty().With(s => s.Kubernetes.RoleBindings!.Items!.AddRange(bindings));

    [Fact]
    public void Service_account_of_another_namespace_warns()
    {
        var finding = Assert.Single(TestSnapshots.Run<NoCrossNamespaceRbacGrants>(With(Binding("ci", "bank", Sa("deployer", "shop")))));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("ServiceAccount shop/deployer", finding.Message);
    }

    [Theory]
    [InlineData("system:serviceaccounts:shop")]
    [InlineData("system:serviceaccounts")]
    public void Service_account_groups_of_other_namespaces_warn(string group)
    {
        var finding = Assert.Single(TestSnapshots.Run<NoCrossNamespaceRbacGrants>(With(Binding("all", "bank", Group(group)))));
        Assert.Equal(FindingStatus.Warning, finding.Status);
    }

    [Fact]
    public void Same_namespace_subjects_pass_once_for_the_cluster()
    {
        var finding = Assert.Single(TestSnapshots.Run<NoCrossNamespaceRbacGrants>(With(
            Binding("own", "shop", Sa("web", "shop"), Sa("api", null), Group("system:serviceaccounts:shop")),
            Binding("leader", "kube-system", Sa("aws-node", "kube-system")))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("2 RoleBinding(s)", finding.Message);
    }

    [Fact]
    public void Platform_service_accounts_are_not_judged()
    {
        var finding = Assert.Single(TestSnapshots.Run<NoCrossNamespaceRbacGrants>(With(Binding("metrics", "shop", Sa("metrics-server", "kube-system")))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("kube-system/metrics-server"));
    }

    [Fact]
    public void Denied_role_bindings_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.RoleBindings = Section<V1RoleBinding>.Denied("list rolebindings.rbac.authorization.k8s.io"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NoCrossNamespaceRbacGrants>(snapshot)).Status);
    }
}
