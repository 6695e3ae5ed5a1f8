using EksSecurity.Engine.Kubernetes;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Pod;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

/// <summary>What every pod-spec rule (EKS-POD-004 to 019) shares: sections, one finding per source, Error and NotApplicable.</summary>
public class PodSpecRulesTests
{
    private static readonly Rule[] PodSpecRules =
    [
        new NoPrivilegedContainers(), new NoHostPid(), new NoHostIpc(), new NoHostNetwork(), new PrivilegeEscalationDisallowed(),
        new ContainersRunAsNonRoot(), new ReadOnlyRootFilesystem(), new HostPathVolumesMinimized(), new HostPathMountsReadOnly(),
        new ContainerRuntimeSocketNotMounted(), new NoHostPorts(), new NoCredentialHostPathsMounted(), new NoWindowsHostProcessContainers(),
        new ResourceRequestsAndLimitsSet(), new NoUnsafeSysctlsOrUnmaskedProcMount(), new ServiceDiscoveryReduced(),
    ];

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var rule in PodSpecRules) data.Add(rule.Metadata.Id);
        return data;
    }

    private static Rule ById(string id) => PodSpecRules.Single(r => r.Metadata.Id == id);

    private static IReadOnlyList<EksSecurityFinding> Run(Rule rule, ClusterSnapshot snapshot) =>
        new RuleRunner(new RuleCatalog([rule]), RuleSettings.Default).RunOne(rule, snapshot);

    [Theory]
    [MemberData(nameof(Ids))]
    public void Metadata_declares_pods_and_the_workload_sections(string id)
    {
        var m = ById(id).Metadata;
        Assert.Equal([SnapshotSection.Pods], m.Reads);
        Assert.All(PodSpecSource.WorkloadSections, s => Assert.Contains(s, m.OptionallyReads));
        Assert.Contains("pod-security", m.Tags);
        Assert.Contains("manifest", m.Tags);
        Assert.Equal(RuleArea.Pod, m.Area);
        Assert.Contains(m.References, r => r.StartsWith("https://docs.aws.amazon.com/eks/latest/best-practices/", StringComparison.Ordinal));
        Assert.Contains("\n", m.Remediation); // carries a YAML or command snippet
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void One_finding_per_source_and_replicas_of_present_workloads_are_left_out(string id)
    {
        var spec = Spec(C("app"));
        var snapshot = Cluster(
            Deployment("api", spec),
            ReplicaSet("api-1", spec, "api"),
            BarePod("api-1-x", spec, ownerKind: "ReplicaSet", ownerName: "api-1"),
            CronJob("nightly", spec),
            BarePod("bare", spec));
        var findings = Run(ById(id), snapshot);
        Assert.Equal(["CronJob/nightly", "Deployment/api", "Pod/bare"],
            findings.Select(f => $"{f.ResourceType}/{f.ResourceName}").Order(StringComparer.Ordinal));
        Assert.All(findings, f => Assert.NotEmpty(f.Evidence));
        Assert.Contains(findings.Single(f => f.ResourceType == "CronJob").Evidence, e => e.StartsWith("spec.jobTemplate.spec.template.spec", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Denied_pods_is_an_error(string id)
    {
        var snapshot = Cluster().With(s => s.Kubernetes.Pods = Section<V1Pod>.Denied("list pods"));
        var finding = Assert.Single(Run(ById(id), snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("list pods", finding.Message + string.Join(" ", finding.Evidence));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void No_pod_spec_is_not_applicable(string id)
    {
        var finding = Assert.Single(Run(ById(id), Cluster()));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Pods_of_a_workload_that_was_not_collected_are_judged_themselves(string id)
    {
        var spec = Spec(C("app"));
        var snapshot = Cluster(BarePod("api-1-x", spec, ownerKind: "ReplicaSet", ownerName: "api-1"))
            .With(s => s.Kubernetes.ReplicaSets = Section<V1ReplicaSet>.Denied("list replicasets"));
        var finding = Assert.Single(Run(ById(id), snapshot));
        Assert.Equal("Pod", finding.ResourceType);
        Assert.Equal("api-1-x", finding.ResourceName);
        Assert.NotEqual(FindingStatus.Error, finding.Status);
    }
}
