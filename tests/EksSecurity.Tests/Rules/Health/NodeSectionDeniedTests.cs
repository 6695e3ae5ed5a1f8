using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Health;
using EksSecurity.Engine.Rules.Infra;
using EksSecurity.Engine.Rules.Tenant;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Health;

/// <summary>Every rule that reads the node list reports Error, never Pass, when the list was denied or not collected.</summary>
public class NodeSectionDeniedTests
{
    public static TheoryData<Type> NodeRules() => new()
    {
        typeof(KubeletVersionSkewWithinPolicy), typeof(NodesReplacedRegularly),
        typeof(ContainerOptimizedOs), typeof(NodesManaged),
        typeof(NodesReady), typeof(NoNodePressure), typeof(NodeCapacityNotOvercommitted), typeof(NodeGroupsCanScale),
        typeof(TenantNodeIsolation), typeof(KubeletAnonymousAuthDisabled),
    };

    private static IReadOnlyList<EksSecurityFinding> Run(Type type, ClusterSnapshot snapshot)
    {
        var rule = (Rule)Activator.CreateInstance(type)!;
        return new RuleRunner(new RuleCatalog([rule]), RuleSettings.Default).RunOne(rule, snapshot);
    }

    [Theory, MemberData(nameof(NodeRules))]
    public void Denied_nodes_are_an_error_naming_the_permission(Type rule)
    {
        var finding = Assert.Single(Run(rule, TestSnapshots.Empty().With(s => s.Kubernetes.Nodes = Section<V1Node>.Denied("list nodes"))));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("list nodes"));
    }

    [Theory, MemberData(nameof(NodeRules))]
    public void Nodes_not_collected_are_an_error(Type rule)
    {
        var finding = Assert.Single(Run(rule, TestSnapshots.Empty().With(s => s.Kubernetes.Nodes = null)));
        Assert.Equal(FindingStatus.Error, finding.Status);
    }

    [Theory, MemberData(nameof(NodeRules))]
    public void Metadata_is_complete(Type rule)
    {
        var m = ((Rule)Activator.CreateInstance(rule)!).Metadata;
        Assert.False(string.IsNullOrWhiteSpace(m.Rationale));
        Assert.False(string.IsNullOrWhiteSpace(m.Remediation));
        Assert.NotEmpty(m.References);
        Assert.NotEmpty(m.Tags);
        Assert.Contains(SnapshotSection.Nodes, m.Reads);
    }
}
