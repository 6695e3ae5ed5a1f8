using EksSecurity.Engine;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.PodSecurityLevel;
using static EksSecurity.Tests.PodSecurity.PodSecurityTestPods;

namespace EksSecurity.Tests.PodSecurity;

/// <summary>SecurityEngine.EvaluatePodSecurity over a snapshot.</summary>
public class PodSecurityEngineTests
{
    private static V1Pod BarePod(string ns, string name, V1PodSpec spec, Dictionary<string, string>? annotations = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Annotations = annotations },
        Spec = spec,
    };

    private static V1Namespace Namespace(string name, string? level = null, string? version = null)
    {
        var labels = new Dictionary<string, string>();
        if (level is not null) labels["pod-security.kubernetes.io/enforce"] = level;
        if (version is not null) labels["pod-security.kubernetes.io/enforce-version"] = version;
        return new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = labels } };
    }

    private static V1PodSpec PrivilegedPod()
    {
        var pod = BaselinePod();
        pod.Containers[0].SecurityContext = new() { Privileged = true };
        return pod;
    }

    private static ClusterSnapshot Snapshot(IEnumerable<V1Pod> pods, IEnumerable<V1Namespace>? namespaces = null, IEnumerable<V1Deployment>? deployments = null)
    {
        var s = TestSnapshots.Empty("prod");
        s.Kubernetes.Pods = Section<V1Pod>.Collected(pods);
        if (namespaces is not null) s.Kubernetes.Namespaces = Section<V1Namespace>.Collected(namespaces);
        if (deployments is not null) s.Kubernetes.Deployments = Section<V1Deployment>.Collected(deployments);
        return s;
    }

    private static IReadOnlyList<PodSecurityResult> Run(ClusterSnapshot s, PodSecurityOptions o, CancellationToken ct = default) =>
        new SecurityEngine().EvaluatePodSecurity(s, o, ct);

    [Fact]
    public void Evaluates_pods_and_templates_at_the_parameter_level_in_order()
    {
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "apps" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector(),
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { ["container.apparmor.security.beta.kubernetes.io/app"] = "unconfined" } },
                    Spec = BaselinePod(),
                },
            },
        };
        var s = Snapshot([BarePod("apps", "ok", RestrictedPod()), BarePod("apps", "bad", PrivilegedPod())], deployments: [deployment]);
        s.SourceLocations[("Deployment", "apps", "web")] = new SourceLocation("manifests/web.yaml", 12);

        var results = Run(s, new PodSecurityOptions { Level = Baseline, Version = "v1.30" });

        Assert.Equal(["Pod/ok", "Pod/bad", "Deployment/web"], results.Select(r => $"{r.Kind}/{r.Name}"));
        Assert.All(results, r =>
        {
            Assert.Equal("prod", r.ClusterName);
            Assert.Equal("apps", r.Namespace);
            Assert.Equal(Baseline, r.Level);
            Assert.Equal("v1.30", r.Version);
            Assert.Equal("parameter", r.LevelSource);
        });
        Assert.True(results[0].Allowed);
        Assert.Empty(results[0].Violations);
        Assert.Null(results[0].SourcePath);
        Assert.False(results[1].Allowed);
        Assert.Equal("violates PodSecurity \"baseline:v1.30\": privileged (container \"app\" must not set securityContext.privileged=true)", results[1].Message);
        // the template's annotations are the pod's
        Assert.False(results[2].Allowed);
        Assert.Equal("appArmorProfile", Assert.Single(results[2].Violations).CheckId);
        Assert.Equal("manifests/web.yaml", results[2].SourcePath);
        Assert.Equal(12, results[2].SourceLine);
        Assert.Contains("(manifests/web.yaml:12)", results[2].ToString());
    }

    [Fact]
    public void Defaults_to_restricted_latest()
    {
        var results = Run(Snapshot([BarePod("a", "p", BaselinePod())]), new PodSecurityOptions());
        var r = Assert.Single(results);
        Assert.Equal(Restricted, r.Level);
        Assert.Equal("latest", r.Version);
        Assert.False(r.Allowed);
        Assert.StartsWith("violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false", r.Message);
    }

    [Theory]
    [InlineData("1.29")]
    [InlineData("v1.029")]
    [InlineData("Latest")]
    [InlineData("")]
    [InlineData("v2.0")]
    public void Invalid_version_is_an_InvalidArgument_error(string version)
    {
        var e = Assert.Throws<EksSecurityException>(() => Run(Snapshot([]), new PodSecurityOptions { Version = version }));
        Assert.Equal("InvalidPodSecurityVersion", e.ErrorId);
        Assert.Equal(EksErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"\"{version}\"", e.Message);
        Assert.Contains("latest", e.Message);
        Assert.Contains("v1.<minor>", e.Message);
    }

    [Fact]
    public void Invalid_level_is_an_InvalidArgument_error()
    {
        var e = Assert.Throws<EksSecurityException>(() => Run(Snapshot([]), new PodSecurityOptions { Level = (PodSecurityLevel)9 }));
        Assert.Equal("InvalidPodSecurityLevel", e.ErrorId);
        Assert.Equal(EksErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Honours_cancellation()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Run(Snapshot([BarePod("a", "p", BaselinePod())]), new PodSecurityOptions(), cts.Token));
    }

    [Fact]
    public void Namespace_labels_choose_level_and_version()
    {
        var pods = new[]
        {
            BarePod("base", "priv", PrivilegedPod()),
            BarePod("base129", "sysctl", new V1PodSpec { SecurityContext = new() { Sysctls = [new() { Name = "net.ipv4.tcp_rmem", Value = "1" }] }, Containers = [Container("app")] }),
            BarePod("base132", "sysctl", new V1PodSpec { SecurityContext = new() { Sysctls = [new() { Name = "net.ipv4.tcp_rmem", Value = "1" }] }, Containers = [Container("app")] }),
            BarePod("strict", "base", BaselinePod()),
            BarePod("open", "priv", PrivilegedPod()),
            BarePod("unlabelled", "priv", PrivilegedPod()),
            BarePod("ghost", "priv", PrivilegedPod()),
        };
        var namespaces = new[]
        {
            Namespace("base", "baseline"),
            Namespace("base129", "baseline", "v1.29"),
            Namespace("base132", "baseline", "v1.32"),
            Namespace("strict", "restricted", "latest"),
            Namespace("open", "privileged"),
            Namespace("unlabelled"),
        };
        var results = Run(Snapshot(pods, namespaces), new PodSecurityOptions { Level = Restricted, Version = "v1.0", UseNamespaceLabels = true });

        Assert.Equal(
            [
                "base/priv baseline:latest denied",
                "base129/sysctl baseline:v1.29 denied",
                "base132/sysctl baseline:v1.32 allowed",
                "strict/base restricted:latest denied",
                "open/priv privileged:latest allowed",
                "unlabelled/priv privileged:latest allowed",
                "ghost/priv restricted:v1.0 denied",
            ],
            results.Select(r => $"{r.Namespace}/{r.Name} {r.Level.ToString().ToLowerInvariant()}:{r.Version} {(r.Allowed ? "allowed" : "denied")}"));

        Assert.Equal("namespace \"base\": pod-security.kubernetes.io/enforce=baseline; no pod-security.kubernetes.io/enforce-version label: latest", results[0].LevelSource);
        Assert.Equal("namespace \"base129\": pod-security.kubernetes.io/enforce=baseline; pod-security.kubernetes.io/enforce-version=v1.29", results[1].LevelSource);
        Assert.Contains("no pod-security.kubernetes.io/enforce label: privileged", results[5].LevelSource);
        Assert.Contains("namespace \"ghost\" is not in the input", results[6].LevelSource);
        Assert.Contains("-Level/-Version asked for is used", results[6].LevelSource);
    }

    [Fact]
    public void Invalid_labels_are_evaluated_as_the_admission_controller_does()
    {
        var pods = new[] { BarePod("a", "p", BaselinePod()), BarePod("b", "p", PrivilegedPod()), BarePod("c", "p", BaselinePod()) };
        var namespaces = new[]
        {
            Namespace("a", "Baseline"),            // invalid level → restricted
            Namespace("b", "baseline", "1.29"),    // invalid version → latest
            Namespace("c", null, "v1.29"),         // version only: level stays privileged
        };
        var results = Run(Snapshot(pods, namespaces), new PodSecurityOptions { UseNamespaceLabels = true });

        Assert.Equal(Restricted, results[0].Level);
        Assert.Equal("latest", results[0].Version);
        Assert.False(results[0].Allowed);
        Assert.Contains("invalid pod-security.kubernetes.io/enforce=\"Baseline\"", results[0].LevelSource);
        Assert.Contains("evaluated as restricted", results[0].LevelSource);

        Assert.Equal(Baseline, results[1].Level);
        Assert.Equal("latest", results[1].Version);
        Assert.False(results[1].Allowed);
        Assert.Contains("invalid pod-security.kubernetes.io/enforce-version=\"1.29\"", results[1].LevelSource);
        Assert.Contains("evaluated as latest", results[1].LevelSource);

        Assert.Equal(Privileged, results[2].Level);
        Assert.Equal("v1.29", results[2].Version);
        Assert.True(results[2].Allowed);
    }

    [Fact]
    public void Without_namespaces_in_the_snapshot_the_level_asked_for_is_used_and_says_why()
    {
        // Labels that could not be read must never turn into "privileged, everything allowed".
        var s = Snapshot([BarePod("a", "p", PrivilegedPod())]);
        s.Kubernetes.Namespaces = Section<V1Namespace>.Denied("list namespaces");
        var r = Assert.Single(Run(s, new PodSecurityOptions { UseNamespaceLabels = true, Level = Baseline }));
        Assert.Equal(Baseline, r.Level);
        Assert.False(r.Allowed);
        Assert.Contains("namespaces were not collected (Denied)", r.LevelSource);
    }

    [Fact]
    public void Manifest_without_namespace_uses_the_default_namespace_labels()
    {
        var s = Snapshot([BarePod(null!, "p", PrivilegedPod())], [Namespace("default", "baseline")]);
        var r = Assert.Single(Run(s, new PodSecurityOptions { UseNamespaceLabels = true }));
        Assert.Equal(Baseline, r.Level);
        Assert.False(r.Allowed);
        Assert.Contains("\"default\"", r.LevelSource);
    }
}
