using EksSecurity.Engine.Kubernetes.Collection;
using k8s.Models;

namespace EksSecurity.Tests.Kubernetes;

/// <summary>What the collector keeps of each object: what rules read, not the raw response.</summary>
public class CollectorCompactionTests
{
    [Fact]
    public void Pods_keep_what_rules_read_and_drop_the_rest()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "api", NamespaceProperty = "shop",
                ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl" }],
                Annotations = new Dictionary<string, string> { ["kubectl.kubernetes.io/last-applied-configuration"] = "{}", ["team"] = "shop" },
            },
            Status = new V1PodStatus
            {
                Phase = "Running", Reason = "Evicted", PodIP = "10.0.1.5", HostIP = "10.0.0.9", QosClass = "Burstable",
                Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }],
                ContainerStatuses = [new V1ContainerStatus
                {
                    Name = "app", RestartCount = 7, Ready = true, Image = "app:1", ImageID = "sha256:abc", ContainerID = "containerd://x",
                    State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } },
                }],
            },
        };
        KubernetesCollector.Compact(pod);
        Assert.Null(pod.Metadata.ManagedFields);
        Assert.Equal(["team"], pod.Metadata.Annotations.Keys);
        Assert.Equal(("Running", "Evicted", "10.0.1.5"), (pod.Status.Phase, pod.Status.Reason, pod.Status.PodIP));
        Assert.Null(pod.Status.HostIP);
        Assert.Null(pod.Status.QosClass);
        Assert.Single(pod.Status.Conditions);
        var container = Assert.Single(pod.Status.ContainerStatuses);
        Assert.Equal((7, "CrashLoopBackOff", "app:1"), (container.RestartCount, container.State.Waiting.Reason, container.Image));
        Assert.Null(container.ImageID);
        Assert.Null(container.ContainerID);
    }

    [Fact]
    public void Nodes_drop_their_image_and_volume_lists()
    {
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "n1" },
            Status = new V1NodeStatus
            {
                Images = [new V1ContainerImage { Names = ["a"] }],
                VolumesInUse = ["kubernetes.io/csi/ebs.csi.aws.com^vol-1"],
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
                Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2") },
            },
        };
        KubernetesCollector.Compact(node);
        Assert.Null(node.Status.Images);
        Assert.Null(node.Status.VolumesInUse);
        Assert.Single(node.Status.Conditions);
        Assert.Single(node.Status.Allocatable);
    }
}
