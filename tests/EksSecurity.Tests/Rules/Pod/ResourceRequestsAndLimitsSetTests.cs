using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Pod;
using k8s.Models;
using static EksSecurity.Tests.Rules.Pod.PodFixtures;

namespace EksSecurity.Tests.Rules.Pod;

public class ResourceRequestsAndLimitsSetTests
{
    private static V1ResourceRequirements R(string? cpuRequest = null, string? memoryRequest = null, string? cpuLimit = null, string? memoryLimit = null)
    {
        Dictionary<string, ResourceQuantity>? Map(params (string Key, string? Value)[] items)
        {
            var map = items.Where(i => i.Value is not null).ToDictionary(i => i.Key, i => new ResourceQuantity(i.Value));
            return map.Count == 0 ? null : map;
        }
        return new V1ResourceRequirements { Requests = Map(("cpu", cpuRequest), ("memory", memoryRequest)), Limits = Map(("cpu", cpuLimit), ("memory", memoryLimit)) };
    }

    private static readonly V1ResourceRequirements Complete = R("250m", "256Mi", memoryLimit: "512Mi");

    [Fact]
    public void Missing_resources_fail_naming_what_is_missing()
    {
        var finding = OnPod<ResourceRequestsAndLimitsSet>(Spec(C("app", resources: Complete), C("sidecar", resources: R(cpuRequest: "10m"))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-POD-017", finding.RuleId);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Contains("1 container(s)", finding.Message);
        Assert.Contains("containers[sidecar]", finding.Message);
        var line = Assert.Single(finding.Evidence);
        Assert.StartsWith("spec.containers[sidecar].resources: requests.cpu = 10m", line);
        Assert.EndsWith("; missing requests.memory, limits.memory", line);
    }

    [Fact]
    public void Init_containers_are_judged()
    {
        var spec = Spec(C("app", resources: Complete)).With(s => s.InitContainers = [C("migrate")]);
        var finding = OnPod<ResourceRequestsAndLimitsSet>(spec);
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("initContainers[migrate]", finding.Message);
    }

    [Fact]
    public void Complete_containers_pass_and_ephemeral_containers_are_not_judged()
    {
        var spec = Spec(C("app", resources: Complete)).With(s => s.EphemeralContainers = [E("debug")]);
        var finding = OnPod<ResourceRequestsAndLimitsSet>(spec);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("spec.containers[app].resources: requests.cpu = 250m, requests.memory = 256Mi, limits.memory = 512Mi, limits.cpu = (unset) (not required)", finding.Evidence);
        Assert.Contains(finding.Evidence, e => e.StartsWith("spec.ephemeralContainers[debug].resources: not judged", StringComparison.Ordinal));
    }

    [Fact]
    public void A_limit_sets_the_request_it_defaults()
    {
        var finding = OnPod<ResourceRequestsAndLimitsSet>(Spec(C("app", resources: R(cpuRequest: "100m", memoryLimit: "1Gi"))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("requests.memory = 1Gi (from limits.memory)", Evidence(finding));
    }

    [Fact]
    public void Cpu_limit_is_required_only_when_configured()
    {
        var spec = Spec(C("app", resources: Complete));
        Assert.Equal(FindingStatus.Pass, OnPod<ResourceRequestsAndLimitsSet>(spec).Status);
        var strict = OnPod<ResourceRequestsAndLimitsSet>(spec, new RuleSettings { RequireCpuLimits = true });
        Assert.Equal(FindingStatus.Fail, strict.Status);
        Assert.Contains("missing limits.cpu", Evidence(strict));

        var withCpuLimit = OnPod<ResourceRequestsAndLimitsSet>(Spec(C("app", resources: R("250m", "256Mi", "500m", "512Mi"))), new RuleSettings { RequireCpuLimits = true });
        Assert.Equal(FindingStatus.Pass, withCpuLimit.Status);
    }

    [Fact]
    public void Namespace_limit_range_defaults_count_for_templates()
    {
        var range = new V1LimitRange
        {
            Metadata = new V1ObjectMeta { Name = "defaults", NamespaceProperty = "app" },
            Spec = new V1LimitRangeSpec
            {
                Limits =
                [
                    new V1LimitRangeItem
                    {
                        Type = "Container",
                        DefaultProperty = new Dictionary<string, ResourceQuantity> { ["memory"] = new("512Mi") },
                        DefaultRequest = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("256Mi") },
                    },
                ],
            },
        };
        var bare = Spec(C("app"));
        var finding = One<ResourceRequestsAndLimitsSet>(Cluster(Deployment("api", bare), range));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("limits.memory = 512Mi (default of LimitRange defaults)", Evidence(finding));

        // A LimitRange of another namespace does not help.
        var other = One<ResourceRequestsAndLimitsSet>(Cluster(Deployment("api", bare, ns: "other"), range));
        Assert.Equal(FindingStatus.Fail, other.Status);
    }

    [Fact]
    public void Pod_level_resources_bound_containers_without_their_own()
    {
        var spec = Spec(C("app")).With(s => s.Resources = R("1", "1Gi", memoryLimit: "2Gi"));
        var finding = OnPod<ResourceRequestsAndLimitsSet>(spec);
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains("limits.memory = 2Gi (pod-level spec.resources)", Evidence(finding));
    }
}
