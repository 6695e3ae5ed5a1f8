using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Health;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Infra.NodeFixtures;

namespace EksSecurity.Tests.Rules.Health;

internal static class HealthFixtures
{
    public static ClusterSnapshot Nodes(params V1Node[] nodes) => TestSnapshots.Empty().With(s => s.Kubernetes.Nodes!.Items!.AddRange(nodes));

    public static V1Pod Pod(string name, string ns = "shop", string phase = "Running", string? node = "n1", DateTime? created = null,
        V1ContainerStatus? status = null, V1PodSpec? spec = null, params V1PodCondition[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, CreationTimestamp = created ?? Now.AddHours(-1) },
        Spec = spec ?? new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "app", Image = "app:1" }] },
        Status = new V1PodStatus { Phase = phase, ContainerStatuses = status is null ? null : [status], Conditions = conditions.Length == 0 ? null : conditions.ToList() },
    };

    public static V1ContainerStatus Waiting(string reason, int restarts = 3) => new()
    {
        Name = "app", Image = "app:1", ImageID = "", Ready = false, RestartCount = restarts,
        State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = reason + " happened" } },
    };

    public static V1ContainerStatus Running(int restarts = 0, string? lastReason = null) => new()
    {
        Name = "app", Image = "app:1", ImageID = "", Ready = true, RestartCount = restarts,
        State = new V1ContainerState { Running = new V1ContainerStateRunning() },
        LastState = lastReason is null ? null : new V1ContainerState { Terminated = new V1ContainerStateTerminated { Reason = lastReason, ExitCode = 137 } },
    };

    public static V1PodCondition Unschedulable(string message) => new() { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = message };
}

public class NodesReadyTests
{
    [Fact]
    public void Ready_node_passes_and_not_ready_fails_with_duration()
    {
        var findings = TestSnapshots.Run<NodesReady>(HealthFixtures.Nodes(Node("ok"), Node("bad", ready: "False")));
        Assert.Equal(FindingStatus.Pass, findings[0].Status);
        Assert.Equal(FindingStatus.Fail, findings[1].Status);
        Assert.Equal(Severity.High, findings[1].Severity);
        Assert.Contains("for 3h 0m", findings[1].Message);
    }

    [Fact]
    public void Unknown_readiness_fails_as_stopped_reporting()
    {
        var finding = Assert.Single(TestSnapshots.Run<NodesReady>(HealthFixtures.Nodes(Node("lost", ready: "Unknown"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("stopped reporting", finding.Message);
    }

    [Fact]
    public void Node_without_ready_condition_is_an_error()
    {
        var node = Node("n1");
        node.Status.Conditions = [];
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NodesReady>(HealthFixtures.Nodes(node))).Status);
    }

    [Fact]
    public void Denied_nodes_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Nodes = Section<V1Node>.Denied("list nodes"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NodesReady>(snapshot)).Status);
    }
}

public class NoNodePressureTests
{
    [Fact]
    public void Pressure_conditions_fail_and_calm_nodes_pass()
    {
        var findings = TestSnapshots.Run<NoNodePressure>(HealthFixtures.Nodes(
            Node("calm", conditions: [("MemoryPressure", "False"), ("DiskPressure", "False"), ("PIDPressure", "False")]),
            Node("full", conditions: [("DiskPressure", "True"), ("PIDPressure", "True")])));
        Assert.Equal(FindingStatus.Pass, findings[0].Status);
        Assert.Equal(FindingStatus.Fail, findings[1].Status);
        Assert.Contains("DiskPressure, PIDPressure", findings[1].Message);
    }

    [Fact]
    public void Network_unavailable_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<NoNodePressure>(HealthFixtures.Nodes(Node("n", conditions: [("NetworkUnavailable", "True")]))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
    }

    [Fact]
    public void Node_without_conditions_is_an_error()
    {
        var node = Node("n1");
        node.Status.Conditions = null;
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<NoNodePressure>(HealthFixtures.Nodes(node))).Status);
    }
}

public class PodsNotFailingTests
{
    private static ClusterSnapshot Pods(params V1Pod[] pods) => TestSnapshots.Empty().With(s => s.Kubernetes.Pods!.Items!.AddRange(pods));

    [Theory]
    [InlineData("CrashLoopBackOff")]
    [InlineData("ImagePullBackOff")]
    [InlineData("ErrImagePull")]
    [InlineData("CreateContainerConfigError")]
    public void Failing_wait_reasons_fail(string reason)
    {
        var finding = Assert.Single(TestSnapshots.Run<PodsNotFailing>(Pods(HealthFixtures.Pod("p", status: HealthFixtures.Waiting(reason)))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(reason, finding.Message);
        Assert.Equal("Pod", finding.ResourceType);
        Assert.Equal("shop", finding.Namespace);
    }

    [Fact]
    public void Oom_killed_last_state_fails()
    {
        var finding = Assert.Single(TestSnapshots.Run<PodsNotFailing>(Pods(HealthFixtures.Pod("p", status: HealthFixtures.Running(restarts: 2, lastReason: "OOMKilled")))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("OOMKilled", finding.Message);
    }

    [Fact]
    public void Failed_phase_fails()
    {
        var pod = HealthFixtures.Pod("p", phase: "Failed");
        pod.Status.Reason = "Evicted";
        Assert.Contains("Evicted", Assert.Single(TestSnapshots.Run<PodsNotFailing>(Pods(pod))).Message);
    }

    [Theory]
    [InlineData(10, FindingStatus.Pass)]
    [InlineData(11, FindingStatus.Fail)]
    public void Pending_boundary(int minutes, FindingStatus expected)
    {
        var pod = HealthFixtures.Pod("p", phase: "Pending", node: null, created: Now.AddMinutes(-minutes));
        Assert.Equal(expected, Assert.Single(TestSnapshots.Run<PodsNotFailing>(Pods(pod))).Status);
    }

    [Fact]
    public void Pending_time_uses_collected_at_and_errors_without_it()
    {
        var pod = HealthFixtures.Pod("p", phase: "Pending", node: null, created: Now.AddDays(-100));
        var snapshot = Pods(pod).With(s => s.CollectedAt = null);
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<PodsNotFailing>(snapshot)).Status);
    }

    [Fact]
    public void Healthy_and_completed_pods_pass()
    {
        var findings = TestSnapshots.Run<PodsNotFailing>(Pods(HealthFixtures.Pod("run", status: HealthFixtures.Running()), HealthFixtures.Pod("done", phase: "Succeeded")));
        Assert.All(findings, f => Assert.Equal(FindingStatus.Pass, f.Status));
    }

    [Fact]
    public void Threshold_is_configurable()
    {
        var pod = HealthFixtures.Pod("p", phase: "Pending", node: null, created: Now.AddMinutes(-20));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<PodsNotFailing>(Pods(pod), new RuleSettings { PendingPodMaxMinutes = 30 })).Status);
    }
}

public class WorkloadsHaveDesiredReplicasTests
{
    private static V1Deployment Deployment(string name, int? replicas, int? ready, long generation = 1, long observed = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop", Generation = generation },
        Spec = new V1DeploymentSpec { Replicas = replicas, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
        Status = new V1DeploymentStatus { ReadyReplicas = ready, ObservedGeneration = observed },
    };

    [Fact]
    public void Below_desired_fails_and_full_passes()
    {
        var snapshot = TestSnapshots.Empty().With(s =>
        {
            s.Kubernetes.Deployments!.Items!.AddRange([Deployment("web", 3, 1), Deployment("api", 2, 2), Deployment("idle", 0, null)]);
            s.Kubernetes.StatefulSets!.Items!.Add(new V1StatefulSet { Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "shop" }, Spec = new V1StatefulSetSpec { Replicas = 3 }, Status = new V1StatefulSetStatus { Replicas = 3, ReadyReplicas = 2 } });
            s.Kubernetes.DaemonSets!.Items!.Add(new V1DaemonSet { Metadata = new V1ObjectMeta { Name = "agent", NamespaceProperty = "monitoring" }, Status = new V1DaemonSetStatus { DesiredNumberScheduled = 5, NumberReady = 4 } });
        });
        var findings = TestSnapshots.Run<WorkloadsHaveDesiredReplicas>(snapshot);
        Assert.Equal([FindingStatus.Fail, FindingStatus.Pass, FindingStatus.Pass, FindingStatus.Fail, FindingStatus.Fail], findings.Select(f => f.Status).ToArray());
        Assert.Contains("1 of 3", findings[0].Message);
        Assert.Contains("4 of 5", findings[4].Message);
        Assert.Equal("DaemonSet", findings[4].ResourceType);
    }

    [Fact]
    public void Replicas_default_to_one()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Deployments!.Items!.Add(Deployment("web", null, null)));
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<WorkloadsHaveDesiredReplicas>(snapshot)).Status);
    }

    [Fact]
    public void Rollout_in_progress_warns()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.Deployments!.Items!.Add(Deployment("web", 3, 2, generation: 5, observed: 4)));
        Assert.Equal(FindingStatus.Warning, Assert.Single(TestSnapshots.Run<WorkloadsHaveDesiredReplicas>(snapshot)).Status);
    }

    [Fact]
    public void Denied_daemon_sets_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Kubernetes.DaemonSets = Section<V1DaemonSet>.Denied("list daemonsets.apps"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<WorkloadsHaveDesiredReplicas>(snapshot)).Status);
    }
}
