using EksSecurity.Engine.Rules.Pod;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Pod;

public class NamespacesHavePodSecurityLabelsTests
{
    internal static V1Namespace Ns(string name, params (string Key, string Value)[] labels) =>
        new() { Metadata = TestSnapshots.Meta(name, labels: labels.Length == 0 ? null : labels.ToDictionary(l => l.Key, l => l.Value)) };

    internal static ClusterSnapshot WithNamespaces(params V1Namespace[] namespaces) =>
        TestSnapshots.Empty().With(s => s.Kubernetes.Namespaces = Section<V1Namespace>.Collected(namespaces));

    [Fact]
    public void Namespace_without_psa_labels_fails()
    {
        var snapshot = WithNamespaces(Ns("payments", ("team", "pay")));
        var finding = Assert.Single(TestSnapshots.Run<NamespacesHavePodSecurityLabels>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-001", finding.RuleId);
        Assert.Equal("Namespace", finding.ResourceType);
        Assert.Equal("payments", finding.ResourceName);
        Assert.Equal("payments", finding.Namespace);
        Assert.Contains(finding.Evidence, e => e.Contains("no pod-security.kubernetes.io/* label"));
    }

    [Fact]
    public void Any_mode_label_passes_and_system_namespaces_are_skipped()
    {
        var snapshot = WithNamespaces(
            Ns("kube-system"),
            Ns("web", ("pod-security.kubernetes.io/warn", "restricted"), ("pod-security.kubernetes.io/warn-version", "latest")));
        var finding = Assert.Single(TestSnapshots.Run<NamespacesHavePodSecurityLabels>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("web", finding.ResourceName);
        Assert.Contains("warn", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "metadata.labels[pod-security.kubernetes.io/warn] = restricted");
    }

    [Fact]
    public void Only_a_version_label_is_not_a_mode()
    {
        var snapshot = WithNamespaces(Ns("batch", ("pod-security.kubernetes.io/enforce-version", "v1.29")));
        var finding = Assert.Single(TestSnapshots.Run<NamespacesHavePodSecurityLabels>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("enforce-version] = v1.29"));
    }

    [Fact]
    public void Only_system_namespaces_is_not_applicable()
    {
        var finding = Assert.Single(TestSnapshots.Run<NamespacesHavePodSecurityLabels>(WithNamespaces(Ns("kube-system"), Ns("kube-public"))));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
    }

    [Fact]
    public void Denied_namespaces_is_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Namespaces = Section<V1Namespace>.Denied("list namespaces"));
        var finding = Assert.Single(TestSnapshots.Run<NamespacesHavePodSecurityLabels>(snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("list namespaces", finding.Message);
    }
}
