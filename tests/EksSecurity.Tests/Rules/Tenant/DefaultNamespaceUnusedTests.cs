using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Tenant;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Tenant;

public class DefaultNamespaceUnusedTests
{
    /// <summary>What a fresh cluster has in default: the kubernetes Service, the default ServiceAccount and the root CA ConfigMap.</summary>
    private static ClusterSnapshot Fresh() => TestSnapshots.Empty().With(s =>
    {
        s.Kubernetes.Services = Section<V1Service>.Collected([new V1Service { Metadata = TestSnapshots.Meta("kubernetes", "default") }]);
        s.Kubernetes.ServiceAccounts = Section<V1ServiceAccount>.Collected([new V1ServiceAccount { Metadata = TestSnapshots.Meta("default", "default") }]);
        s.Kubernetes.ConfigMaps = Section<V1ConfigMap>.Collected([new V1ConfigMap { Metadata = TestSnapshots.Meta("kube-root-ca.crt", "default") }]);
    });

    [Fact]
    public void Fresh_default_namespace_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<DefaultNamespaceUnused>(Fresh()));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("EKS-TENANT-003", finding.RuleId);
        Assert.Equal("Namespace", finding.ResourceType);
        Assert.Equal("default", finding.ResourceName);
        Assert.Contains(finding.Evidence, e => e.Contains("Service/kubernetes") && e.Contains("ServiceAccount/default") && e.Contains("ConfigMap/kube-root-ca.crt"));
    }

    [Fact]
    public void Each_user_object_in_default_fails()
    {
        var snapshot = Fresh().With(s =>
        {
            s.Kubernetes.Deployments = Section<V1Deployment>.Collected([new V1Deployment { Metadata = TestSnapshots.Meta("web", "default") }]);
            var pod = new V1Pod { Metadata = TestSnapshots.Meta("web-7d9f-abcde", "default") };
            pod.Metadata.OwnerReferences = [new V1OwnerReference { Kind = "ReplicaSet", Name = "web-7d9f", ApiVersion = "apps/v1", Uid = "u1" }];
            s.Kubernetes.Pods = Section<V1Pod>.Collected([pod, new V1Pod { Metadata = TestSnapshots.Meta("api-1", "team-a") }]);
            s.Kubernetes.Secrets = Section<V1Secret>.Collected([new V1Secret { Metadata = TestSnapshots.Meta("db-password", "default"), Type = "Opaque" }]);
        });
        var findings = TestSnapshots.Run<DefaultNamespaceUnused>(snapshot);
        Assert.Equal(3, findings.Count);
        Assert.All(findings, f => Assert.Equal(FindingStatus.Fail, f.Status));
        Assert.All(findings, f => Assert.Equal("default", f.Namespace));

        var pod = Assert.Single(findings, f => f.ResourceType == "Pod");
        Assert.Equal("web-7d9f-abcde", pod.ResourceName);
        Assert.Contains(pod.Evidence, e => e == "metadata.ownerReferences = [ReplicaSet/web-7d9f]");
        Assert.Equal("web", Assert.Single(findings, f => f.ResourceType == "Deployment").ResourceName);
        var secret = Assert.Single(findings, f => f.ResourceType == "Secret");
        Assert.Contains("Secret db-password is in the default namespace", secret.Message);
    }

    [Fact]
    public void Guardrails_and_the_legacy_default_token_are_not_usage()
    {
        var snapshot = Fresh().With(s =>
        {
            s.Kubernetes.NetworkPolicies = Section<V1NetworkPolicy>.Collected([new V1NetworkPolicy { Metadata = TestSnapshots.Meta("default-deny", "default") }]);
            s.Kubernetes.ResourceQuotas = Section<V1ResourceQuota>.Collected([new V1ResourceQuota { Metadata = TestSnapshots.Meta("no-pods", "default") }]);
            s.Kubernetes.Secrets = Section<V1Secret>.Collected([new V1Secret
            {
                Metadata = TestSnapshots.Meta("default-token-x7k2p", "default", annotations: new Dictionary<string, string> { ["kubernetes.io/service-account.name"] = "default" }),
                Type = "kubernetes.io/service-account-token",
            }]);
        });
        var finding = Assert.Single(TestSnapshots.Run<DefaultNamespaceUnused>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("NetworkPolicy/default-deny") && e.Contains("ResourceQuota/no-pods"));
    }

    [Fact]
    public void Token_secret_of_another_service_account_is_usage()
    {
        var snapshot = Fresh().With(s => s.Kubernetes.Secrets = Section<V1Secret>.Collected([new V1Secret
        {
            Metadata = TestSnapshots.Meta("default-token-abcde", "default", annotations: new Dictionary<string, string> { ["kubernetes.io/service-account.name"] = "ci" }),
            Type = "kubernetes.io/service-account-token",
        }]));
        var finding = Assert.Single(TestSnapshots.Run<DefaultNamespaceUnused>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("default-token-abcde", finding.ResourceName);
    }

    [Fact]
    public void Optional_sections_not_collected_are_named_in_the_pass()
    {
        var snapshot = Fresh().With(s =>
        {
            s.Kubernetes.Secrets = Section<V1Secret>.Denied("list secrets");
            s.Kubernetes.Roles = null;
        });
        var finding = Assert.Single(TestSnapshots.Run<DefaultNamespaceUnused>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("among the", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "sections not collected, so not checked: Secrets, Roles");
    }

    [Fact]
    public void Denied_pods_are_an_error()
    {
        var snapshot = Fresh().With(s => s.Kubernetes.Pods = Section<V1Pod>.Denied("list pods"));
        var finding = Assert.Single(TestSnapshots.Run<DefaultNamespaceUnused>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("list pods", finding.Message);
    }

    [Fact]
    public void Default_configured_as_system_namespace_is_not_applicable()
    {
        var settings = new RuleSettings { SystemNamespaces = new HashSet<string> { "kube-system", "default" } };
        var finding = Assert.Single(TestSnapshots.Run<DefaultNamespaceUnused>(Fresh(), settings));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
    }
}
