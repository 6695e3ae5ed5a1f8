using EksSecurity.Engine.Kubernetes;
using k8s.Models;

namespace EksSecurity.Engine.Snapshot;

/// <summary>Look-ups many rules share, computed once per snapshot.</summary>
public sealed class SnapshotIndex
{
    private readonly ClusterSnapshot _snapshot;
    private readonly Lazy<AwsAuthConfig> _awsAuth;
    private readonly Lazy<ILookup<string, V1Pod>> _podsByNamespace;
    private readonly Lazy<IReadOnlyList<PodSpecSource>> _podSpecs;
    private readonly Lazy<EksSecurity.Engine.Kubernetes.Rbac.RbacGraph> _rbac;

    internal SnapshotIndex(ClusterSnapshot snapshot)
    {
        _snapshot = snapshot;
        _awsAuth = new(() => AwsAuthConfig.From(FindConfigMap(AwsAuthConfig.Namespace, AwsAuthConfig.Name)));
        _podsByNamespace = new(() => (snapshot.Kubernetes.Pods?.All ?? []).ToLookup(p => p.Metadata?.NamespaceProperty ?? ""));
        _podSpecs = new(() => PodSpecSource.Collect(snapshot));
        _rbac = new(() => EksSecurity.Engine.Kubernetes.Rbac.RbacGraph.From(snapshot));
    }

    /// <summary>kube-system/aws-auth as parsed; <see cref="AwsAuthConfig.Exists"/> is false when the ConfigMap is absent.</summary>
    public AwsAuthConfig AwsAuth => _awsAuth.Value;

    public ILookup<string, V1Pod> PodsByNamespace => _podsByNamespace.Value;

    /// <summary>Every pod spec to judge: bare pods and workload templates, replicas of a present workload left out.</summary>
    public IReadOnlyList<PodSpecSource> PodSpecs => _podSpecs.Value;

    /// <summary>The effective-permission graph (bindings, roles with aggregation, subjects), built on first use.</summary>
    public EksSecurity.Engine.Kubernetes.Rbac.RbacGraph Rbac => _rbac.Value;

    public V1ConfigMap? FindConfigMap(string ns, string name) =>
        _snapshot.Kubernetes.ConfigMaps?.All.FirstOrDefault(c => c.Metadata?.Name == name && c.Metadata?.NamespaceProperty == ns);
}
