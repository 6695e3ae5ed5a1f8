using System.Text.Json;
using EksSecurity.Engine.Aws.Model;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Infra;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Tests.Rules.Infra;

public class CoreAddonsManagedCurrentHealthyTests
{
    private static readonly RuleSettings OnlyCni = new() { CoreAddons = ["vpc-cni"] };

    private static EksAddonInfo Versions(string name, string defaultVersion, params string[] others) => new()
    {
        AddonName = name,
        AddonVersions = others.Select(v => new EksAddonVersionInfo { AddonVersion = v, Compatibilities = [new EksAddonCompatibility { ClusterVersion = "1.33", DefaultVersion = false }] })
            .Append(new EksAddonVersionInfo { AddonVersion = defaultVersion, Compatibilities = [new EksAddonCompatibility { ClusterVersion = "1.33", DefaultVersion = true }, new EksAddonCompatibility { ClusterVersion = "1.32", DefaultVersion = false }] })
            .ToList(),
    };

    private static EksAddon Addon(string name, string version, string status = "ACTIVE", params EksIssue[] issues) =>
        new() { AddonName = name, AddonVersion = version, Status = status, Health = new EksHealth { Issues = issues.ToList() } };

    private static V1DaemonSet DaemonSet(string name, string container, string image) => new()
    {
        Metadata = TestSnapshots.Meta(name, "kube-system"),
        Spec = new V1DaemonSetSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = container, Image = image }] } } },
    };

    private static ClusterSnapshot With(EksAddon[] addons, EksAddonInfo[] versions, params V1DaemonSet[] daemonSets) => TestSnapshots.Empty().With(s =>
    {
        s.Aws.Addons!.Items!.AddRange(addons);
        s.Aws.AddonVersions!.Items!.AddRange(versions);
        s.Kubernetes.DaemonSets!.Items!.AddRange(daemonSets);
    });

    [Fact]
    public void Managed_addon_below_the_default_fails()
    {
        var snapshot = With([Addon("vpc-cni", "v1.18.3-eksbuild.2")], [Versions("vpc-cni", "v1.19.5-eksbuild.1", "v1.18.3-eksbuild.2")]);
        var finding = Assert.Single(TestSnapshots.Run<CoreAddonsManagedCurrentHealthy>(snapshot, OnlyCni));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("Addon", finding.ResourceType);
        Assert.Equal("vpc-cni", finding.ResourceName);
        Assert.Contains("older than v1.19.5-eksbuild.1", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "default vpc-cni version for Kubernetes 1.33 = v1.19.5-eksbuild.1");
    }

    [Theory]
    [InlineData("v1.19.5-eksbuild.1", FindingStatus.Pass)]   // the default
    [InlineData("v1.19.5-eksbuild.3", FindingStatus.Pass)]   // a newer build
    [InlineData("v1.19.4-eksbuild.9", FindingStatus.Fail)]
    public void Version_boundary(string version, FindingStatus expected)
    {
        var snapshot = With([Addon("vpc-cni", version)], [Versions("vpc-cni", "v1.19.5-eksbuild.1")]);
        Assert.Equal(expected, Assert.Single(TestSnapshots.Run<CoreAddonsManagedCurrentHealthy>(snapshot, OnlyCni)).Status);
    }

    [Fact]
    public void Degraded_addon_fails_with_its_issue_codes()
    {
        var issue = new EksIssue { Code = "InsufficientNumberOfReplicas", Message = "The add-on is unhealthy because it doesn't have the desired number of replicas." };
        var snapshot = With([Addon("vpc-cni", "v1.19.5-eksbuild.1", "DEGRADED", issue)], [Versions("vpc-cni", "v1.19.5-eksbuild.1")]);
        var finding = Assert.Single(TestSnapshots.Run<CoreAddonsManagedCurrentHealthy>(snapshot, OnlyCni));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("DEGRADED", finding.Message);
        Assert.Contains("InsufficientNumberOfReplicas", finding.Message);
    }

    [Fact]
    public void Self_managed_and_outdated_fails_self_managed_and_current_warns()
    {
        var old = With([], [Versions("vpc-cni", "v1.19.5-eksbuild.1")],
            DaemonSet("aws-node", "aws-node", "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.16.0-eksbuild.1"));
        var oldFinding = Assert.Single(TestSnapshots.Run<CoreAddonsManagedCurrentHealthy>(old, OnlyCni));
        Assert.Equal(FindingStatus.Fail, oldFinding.Status);
        Assert.Contains("self-managed", oldFinding.Message);
        Assert.Contains(oldFinding.Evidence, e => e.Contains("amazon-k8s-cni:v1.16.0-eksbuild.1"));

        var current = With([], [Versions("vpc-cni", "v1.19.5-eksbuild.1")],
            DaemonSet("aws-node", "aws-node", "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.5-eksbuild.1"));
        var currentFinding = Assert.Single(TestSnapshots.Run<CoreAddonsManagedCurrentHealthy>(current, OnlyCni));
        Assert.Equal(FindingStatus.Warning, currentFinding.Status);
        Assert.Equal(Severity.Low, currentFinding.Severity);
    }

    [Fact]
    public void Kube_proxy_minimal_image_tag_is_compared_by_version()
    {
        var snapshot = With([], [Versions("kube-proxy", "v1.33.0-eksbuild.2")],
            DaemonSet("kube-proxy", "kube-proxy", "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1.32.0-minimal-eksbuild.2"));
        var finding = Assert.Single(TestSnapshots.Run<CoreAddonsManagedCurrentHealthy>(snapshot, new RuleSettings { CoreAddons = ["kube-proxy"] }));
        Assert.Equal(FindingStatus.Fail, finding.Status);
    }

    [Fact]
    public void Component_not_installed_is_not_applicable_and_auto_mode_provides_it()
    {
        var snapshot = With([], [Versions("eks-pod-identity-agent", "v1.3.7-eksbuild.2")]);
        var finding = Assert.Single(TestSnapshots.Run<CoreAddonsManagedCurrentHealthy>(snapshot, new RuleSettings { CoreAddons = ["eks-pod-identity-agent"] }));
        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
        var auto = With([], []).With(s => s.Cluster().ComputeConfig = new EksComputeConfig { Enabled = true });
        var autoFinding = Assert.Single(TestSnapshots.Run<CoreAddonsManagedCurrentHealthy>(auto, OnlyCni));
        Assert.Equal(FindingStatus.NotApplicable, autoFinding.Status);
        Assert.Contains("Auto Mode", autoFinding.Message);
    }

    [Fact]
    public void Every_core_addon_gets_a_finding_by_default()
    {
        var findings = TestSnapshots.Run<CoreAddonsManagedCurrentHealthy>(With([], []));
        Assert.Equal(["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent"], findings.Select(f => f.ResourceName).ToArray());
    }

    [Fact]
    public void Unknown_default_version_is_an_error_not_a_pass()
    {
        var snapshot = With([Addon("vpc-cni", "v1.19.5-eksbuild.1")], []).With(s => s.Aws.AddonVersions = Section<EksAddonInfo>.Denied("eks:DescribeAddonVersions"));
        var finding = Assert.Single(TestSnapshots.Run<CoreAddonsManagedCurrentHealthy>(snapshot, OnlyCni));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("eks:DescribeAddonVersions", finding.Message);
    }

    [Fact]
    public void Self_managed_copy_that_cannot_be_checked_is_an_error()
    {
        var snapshot = With([], [Versions("vpc-cni", "v1.19.5-eksbuild.1")]).With(s => s.Kubernetes.DaemonSets = Section<V1DaemonSet>.Denied("list daemonsets"));
        var finding = Assert.Single(TestSnapshots.Run<CoreAddonsManagedCurrentHealthy>(snapshot, OnlyCni));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("list daemonsets"));
    }

    [Theory]
    [InlineData(typeof(EksAddonInfo), "AddonInfo")]
    [InlineData(typeof(EksAddonVersionInfo), "AddonVersionInfo")]
    [InlineData(typeof(EksAddonCompatibility), "Compatibility")]
    public void Addon_version_model_matches_the_eks_service_definition(Type type, string shape)
    {
        var path = Path.Combine(RepoPaths.SharedDirectory, "aws-models", "eks", "service-2.json");
        using var model = JsonDocument.Parse(File.ReadAllText(path));
        var members = model.RootElement.GetProperty("shapes").GetProperty(shape).GetProperty("members");
        foreach (var property in type.GetProperties())
            Assert.True(members.TryGetProperty(JsonNamingPolicy.CamelCase.ConvertName(property.Name), out _), $"{type.Name}.{property.Name} is not a member of {shape}");
    }

    [Fact]
    public void Denied_addons_are_an_error()
    {
        var snapshot = TestSnapshots.Empty().With(s => s.Aws.Addons = Section<EksAddon>.Denied("eks:DescribeAddon"));
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<CoreAddonsManagedCurrentHealthy>(snapshot)).Status);
    }
}
