using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests;

/// <summary>Builds snapshots in code for rule tests, and runs one rule over them the way the engine does.</summary>
public static class TestSnapshots
{
    /// <summary>A snapshot of a minimal, compliant-looking cluster with every section empty but collected.</summary>
    public static ClusterSnapshot Empty(string name = "test-cluster")
    {
        var snapshot = new ClusterSnapshot
        {
            ClusterName = name,
            Region = "eu-west-1",
            AccountId = "111122223333",
            ClusterArn = $"arn:aws:eks:eu-west-1:111122223333:cluster/{name}",
            CollectedAt = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
        };
        snapshot.Aws.Cluster = ObjectSection<EksCluster>.Collected(new EksCluster
        {
            Name = name,
            Arn = snapshot.ClusterArn,
            Version = "1.33",
            Status = "ACTIVE",
            ResourcesVpcConfig = new EksVpcConfig { EndpointPrivateAccess = true, EndpointPublicAccess = false },
        });
        foreach (var property in typeof(KubernetesSections).GetProperties())
            SetCollectedEmpty(snapshot.Kubernetes, property);
        foreach (var property in typeof(AwsSections).GetProperties().Where(p => p.Name != nameof(AwsSections.Cluster)))
            SetCollectedEmpty(snapshot.Aws, property);
        return snapshot;
    }

    private static void SetCollectedEmpty(object owner, System.Reflection.PropertyInfo property)
    {
        var section = Activator.CreateInstance(property.PropertyType)!;
        property.PropertyType.GetProperty("Status")!.SetValue(section, SectionStatus.Collected);
        var items = property.PropertyType.GetProperty("Items");
        if (items is not null) items.SetValue(section, Activator.CreateInstance(items.PropertyType));
        property.SetValue(owner, section);
    }

    public static ClusterSnapshot With(this ClusterSnapshot snapshot, Action<ClusterSnapshot> change)
    {
        change(snapshot);
        return snapshot;
    }

    /// <summary>The cluster description of the snapshot, for in-place changes.</summary>
    public static EksCluster Cluster(this ClusterSnapshot snapshot) => snapshot.Aws.Cluster!.Value!;

    public static V1ObjectMeta Meta(string name, string? ns = null, IDictionary<string, string>? labels = null, IDictionary<string, string>? annotations = null) =>
        new() { Name = name, NamespaceProperty = ns, Labels = labels, Annotations = annotations };

    /// <summary>Runs one rule as the engine would (section checks, NotApplicable, errors).</summary>
    public static IReadOnlyList<EksSecurityFinding> Run<TRule>(ClusterSnapshot snapshot, RuleSettings? settings = null) where TRule : Rule, new() =>
        new RuleRunner(new RuleCatalog([new TRule()]), settings ?? RuleSettings.Default).RunOne(new TRule(), snapshot);
}
