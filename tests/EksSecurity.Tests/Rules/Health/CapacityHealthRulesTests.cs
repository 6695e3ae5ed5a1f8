using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Health;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Infra.NodeFixtures;

namespace EksSecurity.Tests.Rules.Health;

public class NodeCapacityNotOvercommittedTests
{
    private static V1Pod Using(string name, string node, string cpu, string memory, string? memoryLimit, string phase = "Running") =>
        HealthFixtures.Pod(name, node: node, phase: phase, spec: new V1PodSpec
        {
            NodeName = node,
            Containers =
            [
                new V1Container
                {
                    Name = "app", Image = "app:1",
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) },
                        Limits = memoryLimit is null ? null : new Dictionary<string, ResourceQuantity> { ["memory"] = new(memoryLimit) },
                    },
                },
            ],
        });

    private static ClusterSnapshot With(params V1Pod[] pods) => HealthFixtures.Nodes(Node("n1")).With(s => s.Kubernetes.Pods!.Items!.AddRange(pods));

    [Fact]
    public void Memory_limits_above_150_percent_warn()
    {
        // allocatable: 2 CPU, 4Gi.
        var findings = TestSnapshots.Run<NodeCapacityNotOvercommitted>(With(Using("a", "n1", "500m", "1Gi", "4Gi"), Using("b", "n1", "500m", "1Gi", "3Gi")));
        var node = findings.Single(f => f.ResourceType == "Node");
        Assert.Equal(FindingStatus.Warning, node.Status);
        Assert.Contains("memory limits add up to 175%", node.Message);
        Assert.Equal(FindingStatus.Pass, findings.Single(f => f.ResourceType == "Cluster").Status);
    }

    [Fact]
    public void Requests_above_90_percent_warn_for_node_and_cluster()
    {
        var findings = TestSnapshots.Run<NodeCapacityNotOvercommitted>(With(Using("a", "n1", "1900m", "1Gi", "1Gi")));
        Assert.All(findings, f => Assert.Equal(FindingStatus.Warning, f.Status));
        Assert.Contains("CPU requests take 95%", findings[0].Message);
    }

    [Fact]
    public void Within_thresholds_passes_and_finished_pods_do_not_count()
    {
        var findings = TestSnapshots.Run<NodeCapacityNotOvercommitted>(With(Using("a", "n1", "500m", "1Gi", "2Gi"), Using("done", "n1", "2", "4Gi", "8Gi", phase: "Succeeded")));
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
        Assert.Contains(findings[0].Evidence, e => e == "running pods = 1");
    }

    [Fact]
    public void Init_containers_count_as_the_scheduler_counts_them()
    {
        var pod = Using("a", "n1", "100m", "100Mi", null);
        pod.Spec.InitContainers = [new V1Container { Name = "init", Image = "i:1", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1900m") } } }];
        var node = TestSnapshots.Run<NodeCapacityNotOvercommitted>(With(pod)).Single(f => f.ResourceType == "Node");
        Assert.Equal(FindingStatus.Warning, node.Status);
        Assert.Contains(node.Evidence, e => e.Contains("1 container(s) have no memory limit"));
    }

    [Fact]
    public void Thresholds_are_configurable()
    {
        var findings = TestSnapshots.Run<NodeCapacityNotOvercommitted>(With(Using("a", "n1", "1900m", "1Gi", "1Gi")), new RuleSettings { NodeRequestsMaxPercent = 99 });
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
    }

    [Fact]
    public void Node_without_allocatable_is_an_error()
    {
        var node = Node("n1");
        node.Status.Allocatable = null;
        var finding = Assert.Single(TestSnapshots.Run<NodeCapacityNotOvercommitted>(HealthFixtures.Nodes(node)));
        Assert.Equal(FindingStatus.Error, finding.Status);
    }

    [Fact]
    public void Denied_pods_are_an_error()
    {
        var snapshot = HealthFixtures.Nodes(Node("n1")).With(s => s.Kubernetes.Pods = Section<V1Pod>.Denied("list pods"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NodeCapacityNotOvercommitted>(snapshot)).Status);
    }
}

public class ResourceMetricsAvailableTests
{
    private static V1APIService Metrics(string available) => new()
    {
        Metadata = new V1ObjectMeta { Name = "v1beta1.metrics.k8s.io" },
        Spec = new V1APIServiceSpec { Service = new Apiregistrationv1ServiceReference { Name = "metrics-server", NamespaceProperty = "kube-system" }, GroupPriorityMinimum = 100, VersionPriority = 100 },
        Status = new V1APIServiceStatus { Conditions = [new V1APIServiceCondition { Type = "Available", Status = available, Reason = available == "True" ? "Passed" : "FailedDiscoveryCheck" }] },
    };

    private static NodeMetrics Usage(string node) => new()
    {
        Metadata = new V1ObjectMeta { Name = node },
        Usage = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("1Gi") },
        Window = "20s",
    };

    [Fact]
    public void Missing_metrics_api_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<ResourceMetricsAvailable>(TestSnapshots.Empty()));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("APIService", finding.ResourceType);
    }

    [Fact]
    public void Unavailable_metrics_api_fails()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.ApiServices!.Items!.Add(Metrics("False")));
        var finding = Assert.Single(TestSnapshots.Run<ResourceMetricsAvailable>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("FailedDiscoveryCheck"));
    }

    [Fact]
    public void Available_api_passes_and_reports_usage_per_node()
    {
        var snapshot = HealthFixtures.Nodes(Node("n1"), Node("n2")).With(s =>
        {
            s.Kubernetes.ApiServices!.Items!.Add(Metrics("True"));
            s.Kubernetes.NodeMetrics!.Items!.Add(Usage("n1"));
        });
        var findings = TestSnapshots.Run<ResourceMetricsAvailable>(snapshot);
        Assert.Equal(3, findings.Count);
        Assert.Equal(FindingStatus.Pass, findings[0].Status);
        Assert.Contains(findings[0].Evidence, e => e == "node metrics for 1 of 2 node(s)");
        Assert.Equal(FindingStatus.Pass, findings[1].Status);
        Assert.Contains("cpu: usage 0.5 cores of 2 cores allocatable (25%)", findings[1].Message);
        Assert.Equal(FindingStatus.Warning, findings[2].Status);
        Assert.Equal("n2", findings[2].ResourceName);
    }

    [Fact]
    public void Node_metrics_not_collected_still_judges_the_api()
    {
        var snapshot = TestSnapshots.Empty().With(s =>
        {
            s.Kubernetes.ApiServices!.Items!.Add(Metrics("True"));
            s.Kubernetes.NodeMetrics = Section<NodeMetrics>.Denied("list nodes.metrics.k8s.io");
        });
        var finding = Assert.Single(TestSnapshots.Run<ResourceMetricsAvailable>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("list nodes.metrics.k8s.io"));
    }

    [Fact]
    public void Denied_api_services_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.ApiServices = Section<V1APIService>.Denied("list apiservices.apiregistration.k8s.io"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<ResourceMetricsAvailable>(snapshot)).Status);
    }
}

public class NodeGroupsCanScaleTests
{
    private static ClusterSnapshot With(int desired, int max, params V1Pod[] pods) => HealthFixtures.Nodes(Node("n1"), Node("n2")).With(s =>
    {
        s.Aws.NodeGroups!.Items!.Add(new EksNodegroup { NodegroupName = "general", ScalingConfig = new EksNodegroupScalingConfig { MinSize = 1, DesiredSize = desired, MaxSize = max } });
        s.Kubernetes.Pods!.Items!.AddRange(pods);
    });

    private static V1Pod Waiting(string message) => HealthFixtures.Pod("w", phase: "Pending", node: null, conditions: HealthFixtures.Unschedulable(message));

    [Fact]
    public void At_max_with_pods_waiting_for_capacity_warns()
    {
        var finding = Assert.Single(TestSnapshots.Run<NodeGroupsCanScale>(With(2, 2, Waiting("0/2 nodes are available: 2 Insufficient cpu."))));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains("maximum of 2", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Contains("shop/w"));
    }

    [Fact]
    public void At_max_without_waiting_pods_passes()
    {
        var finding = Assert.Single(TestSnapshots.Run<NodeGroupsCanScale>(With(2, 2, Waiting("0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector."))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Room_to_grow_passes()
    {
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<NodeGroupsCanScale>(With(2, 5, Waiting("Insufficient memory")))).Status);
    }

    [Fact]
    public void Missing_scaling_config_is_an_error()
    {
        var snapshot = HealthFixtures.Nodes().With(s => s.Aws.NodeGroups!.Items!.Add(new EksNodegroup { NodegroupName = "general" }));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NodeGroupsCanScale>(snapshot)).Status);
    }

    [Fact]
    public void Denied_node_groups_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.NodeGroups = Section<EksNodegroup>.Denied("eks:DescribeNodegroup"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NodeGroupsCanScale>(snapshot)).Status);
    }
}

public class PersistentVolumesBoundTests
{
    private static V1PersistentVolumeClaim Claim(string name, string phase, string? volume = null, string? storageClass = "gp3") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop" },
        Spec = new V1PersistentVolumeClaimSpec { VolumeName = volume, StorageClassName = storageClass },
        Status = new V1PersistentVolumeClaimStatus { Phase = phase },
    };

    private static V1StorageClass Class(string name, string mode) => new() { Metadata = new V1ObjectMeta { Name = name }, Provisioner = "ebs.csi.aws.com", VolumeBindingMode = mode };

    [Fact]
    public void Lost_and_pending_claims_fail_bound_ones_pass()
    {
        var snapshot = TestSnapshots.Empty().With(s =>
        {
            s.Kubernetes.StorageClasses!.Items!.Add(Class("gp3", "Immediate"));
            s.Kubernetes.PersistentVolumes!.Items!.Add(new V1PersistentVolume { Metadata = new V1ObjectMeta { Name = "pv-1" }, Status = new V1PersistentVolumeStatus { Phase = "Bound" } });
            s.Kubernetes.PersistentVolumeClaims!.Items!.AddRange([Claim("data", "Bound", "pv-1"), Claim("old", "Lost"), Claim("new", "Pending")]);
        });
        var findings = TestSnapshots.Run<PersistentVolumesBound>(snapshot);
        Assert.Equal([FindingStatus.Pass, FindingStatus.Fail, FindingStatus.Fail], findings.Select(f => f.Status).ToArray());
        Assert.Contains("Lost", findings[1].Message);
    }

    [Fact]
    public void Wait_for_first_consumer_without_a_pod_passes_with_one_fails()
    {
        var consumer = HealthFixtures.Pod("user", spec: new V1PodSpec { Containers = [], Volumes = [new V1Volume { Name = "v", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "used" } }] });
        var snapshot = TestSnapshots.Empty().With(s =>
        {
            s.Kubernetes.StorageClasses!.Items!.Add(Class("gp3", "WaitForFirstConsumer"));
            s.Kubernetes.PersistentVolumeClaims!.Items!.AddRange([Claim("idle", "Pending"), Claim("used", "Pending")]);
            s.Kubernetes.Pods!.Items!.Add(consumer);
        });
        var findings = TestSnapshots.Run<PersistentVolumesBound>(snapshot);
        Assert.Equal([FindingStatus.Pass, FindingStatus.Fail], findings.Select(f => f.Status).ToArray());
        Assert.Contains(findings[1].Evidence, e => e == "used by pod(s) user");
    }

    [Fact]
    public void Bound_to_a_failed_or_missing_volume_fails()
    {
        var snapshot = TestSnapshots.Empty().With(s =>
        {
            s.Kubernetes.PersistentVolumes!.Items!.Add(new V1PersistentVolume { Metadata = new V1ObjectMeta { Name = "pv-1" }, Status = new V1PersistentVolumeStatus { Phase = "Failed", Message = "delete failed" } });
            s.Kubernetes.PersistentVolumeClaims!.Items!.AddRange([Claim("a", "Bound", "pv-1"), Claim("b", "Bound", "pv-gone")]);
        });
        var findings = TestSnapshots.Run<PersistentVolumesBound>(snapshot);
        Assert.All(findings, f => Assert.Equal(FindingStatus.Fail, f.Status));
    }

    [Fact]
    public void Denied_claims_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.PersistentVolumeClaims = Section<V1PersistentVolumeClaim>.Denied("list persistentvolumeclaims"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<PersistentVolumesBound>(snapshot)).Status);
    }
}
