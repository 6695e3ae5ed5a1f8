using EksSecurity.Engine.Kubernetes;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Infra;
using EksSecurity.Engine.Snapshot;
using static EksSecurity.Tests.Rules.Infra.NodeFixtures;

namespace EksSecurity.Tests.Rules.Infra;

/// <summary>What every kubelet configuration rule (EKS-INFRA-009 to 018) shares: sampling, Fargate and Auto Mode, errors.</summary>
public class KubeletConfigRuleSharedTests
{
    public static TheoryData<string> Rules() => new()
    {
        nameof(KubeletAnonymousAuthDisabled), nameof(KubeletAuthorizationNotAlwaysAllow), nameof(KubeletClientCaConfigured),
        nameof(KubeletReadOnlyPortDisabled), nameof(KubeletStreamingIdleTimeoutSet), nameof(KubeletMakesIptablesUtilChains),
        nameof(KubeletEventRecordQpsCapturesEvents), nameof(KubeletClientCertRotation), nameof(KubeletServingCertRotation),
        nameof(KubeletAdditionalHardening),
    };

    private static IReadOnlyList<EksSecurityFinding> Run(string rule, ClusterSnapshot snapshot)
    {
        var instance = (Rule)Activator.CreateInstance(typeof(KubeletConfigRule).Assembly.GetType($"EksSecurity.Engine.Rules.Infra.{rule}")!)!;
        return new RuleRunner(new RuleCatalog([instance]), RuleSettings.Default).RunOne(instance, snapshot);
    }

    [Theory, MemberData(nameof(Rules))]
    public void Hardened_configuration_passes(string rule)
    {
        var finding = Assert.Single(Run(rule, One(Hardened())));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("Node", finding.ResourceType);
        Assert.Contains(finding.Evidence, e => e.Contains("nodeGroup = general"));
    }

    [Theory, MemberData(nameof(Rules))]
    public void Denied_configz_is_an_error_naming_the_permission(string rule)
    {
        var snapshot = One(Hardened()).With(s => s.Kubernetes.KubeletConfigs = Section<KubeletConfigSample>.Denied("get nodes/proxy"));
        var finding = Assert.Single(Run(rule, snapshot));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("get nodes/proxy"));
    }

    [Theory, MemberData(nameof(Rules))]
    public void Absent_section_is_an_error_not_a_pass(string rule)
    {
        var snapshot = One(Hardened()).With(s => s.Kubernetes.KubeletConfigs = null);
        Assert.Equal(FindingStatus.Error, Assert.Single(Run(rule, snapshot)).Status);
    }

    [Theory, MemberData(nameof(Rules))]
    public void Node_that_could_not_be_asked_is_an_error(string rule)
    {
        var node = Node("n1");
        var finding = Assert.Single(Run(rule, With([node], Sample(node, null, error: "the server could not find the requested resource (404)"))));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Contains("404", finding.Message);
    }

    [Theory, MemberData(nameof(Rules))]
    public void Fargate_and_auto_mode_nodes_are_not_applicable(string rule)
    {
        var fargate = Node("fargate-ip-10-0-2-3.eu-west-1.compute.internal", nodeGroup: null, computeType: "fargate");
        var auto = Node("i-0abc", nodeGroup: null, computeType: "auto");
        var findings = Run(rule, With([fargate, auto], Sample(fargate, new KubeletConfiguration { ReadOnlyPort = 10255 }), Sample(auto, new KubeletConfiguration())));
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(FindingStatus.NotApplicable, f.Status));
        Assert.Contains(findings, f => f.Message.Contains("Fargate"));
        Assert.Contains(findings, f => f.Message.Contains("Auto Mode"));
    }

    [Theory, MemberData(nameof(Rules))]
    public void Unsampled_node_group_is_an_error_beside_the_sampled_ones(string rule)
    {
        var a = Node("a1");
        var b1 = Node("b1", nodeGroup: "batch");
        var b2 = Node("b2", nodeGroup: "batch");
        var findings = Run(rule, With([a, b1, b2], Sample(a, Hardened())));
        Assert.Equal(2, findings.Count);
        Assert.Equal(FindingStatus.Pass, findings[0].Status);
        var error = findings[1];
        Assert.Equal(FindingStatus.Error, error.Status);
        Assert.Equal("NodeGroup", error.ResourceType);
        Assert.Equal("batch", error.ResourceName);
        Assert.Contains("2 node(s)", error.Message);
    }

    [Fact]
    public void Each_launch_template_version_is_its_own_group()
    {
        var old = Node("a1", launchTemplate: "lt-0123:3");
        var rolled = Node("a2", launchTemplate: "lt-0123:4");
        Assert.NotEqual(KubeletConfigSample.GroupKeyOf(old), KubeletConfigSample.GroupKeyOf(rolled));
        var findings = TestSnapshots.Run<KubeletAnonymousAuthDisabled>(With([old, rolled], Sample(rolled, Hardened())));
        Assert.Contains(findings, f => f.Status == FindingStatus.Error && f.Message.Contains("lt-0123:3"));
    }

    [Fact]
    public void Ungrouped_self_managed_node_is_its_own_group()
    {
        var lone = Node("lonely", nodeGroup: null);
        var finding = Assert.Single(TestSnapshots.Run<KubeletReadOnlyPortDisabled>(With([lone])));
        Assert.Equal(FindingStatus.Error, finding.Status);
        Assert.Equal("Node", finding.ResourceType);
        Assert.Equal("lonely", finding.ResourceName);
    }

    [Fact]
    public void Karpenter_nodes_group_by_node_pool_and_node_class()
    {
        var node = Node("k1", nodeGroup: null, labels: new Dictionary<string, string> { ["karpenter.sh/nodepool"] = "default", ["karpenter.k8s.aws/ec2nodeclass"] = "al2023" });
        Assert.Equal(("karpenter:default", "ec2nodeclass:al2023"), KubeletConfigSample.GroupOf(node));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<KubeletReadOnlyPortDisabled>(With([node], Sample(node, Hardened())))).Status);
    }

    [Fact]
    public void Empty_configz_object_applies_the_kubelet_defaults()
    {
        // configz drops false, 0 and empty values: an empty object is the kubelet's defaults.
        var empty = One(new KubeletConfiguration());
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<KubeletAnonymousAuthDisabled>(empty)).Status);
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<KubeletAuthorizationNotAlwaysAllow>(empty)).Status);
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<KubeletClientCaConfigured>(empty)).Status);
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<KubeletReadOnlyPortDisabled>(empty)).Status);
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<KubeletStreamingIdleTimeoutSet>(empty)).Status);
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<KubeletMakesIptablesUtilChains>(empty)).Status);
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<KubeletEventRecordQpsCapturesEvents>(empty)).Status);
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<KubeletClientCertRotation>(empty)).Status);
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<KubeletServingCertRotation>(empty)).Status);
        Assert.Equal(FindingStatus.Warning, Assert.Single(TestSnapshots.Run<KubeletAdditionalHardening>(empty)).Status);
        var finding = Assert.Single(TestSnapshots.Run<KubeletAnonymousAuthDisabled>(empty));
        Assert.Contains(finding.Evidence, e => e == "authentication.anonymous.enabled = (absent: kubelet default false)");
    }

    [Fact]
    public void Kubelet_rules_do_not_run_on_manifests()
    {
        Assert.False(new KubeletAnonymousAuthDisabled().Metadata.AppliesToManifests);
        Assert.Equal([SnapshotSection.KubeletConfigs, SnapshotSection.Nodes], new KubeletReadOnlyPortDisabled().Metadata.Reads);
    }

    [Theory]
    [InlineData("4h0m0s", 4 * 3600.0)]
    [InlineData("0s", 0.0)]
    [InlineData("0", 0.0)]
    [InlineData("1h30m", 5400.0)]
    [InlineData("300ms", 0.3)]
    [InlineData("1.5h", 5400.0)]
    public void Go_durations_parse(string text, double seconds) =>
        Assert.Equal(seconds, KubeletConfigRule.ParseGoDuration(text)!.Value.TotalSeconds, 3);

    [Theory]
    [InlineData("")]
    [InlineData("4 hours")]
    [InlineData("5")]
    [InlineData("h")]
    public void Non_durations_do_not_parse(string text) => Assert.Null(KubeletConfigRule.ParseGoDuration(text));
}

public class KubeletAnonymousAuthDisabledTests
{
    [Fact]
    public void Anonymous_auth_on_fails_critical()
    {
        var config = Hardened();
        config.Authentication!.Anonymous!.Enabled = true;
        var finding = Assert.Single(TestSnapshots.Run<KubeletAnonymousAuthDisabled>(One(config)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("EKS-INFRA-009", finding.RuleId);
        Assert.Contains(finding.Evidence, e => e == "authentication.anonymous.enabled = true");
    }
}

public class KubeletAuthorizationNotAlwaysAllowTests
{
    [Fact]
    public void Always_allow_fails()
    {
        var config = Hardened();
        config.Authorization!.Mode = "AlwaysAllow";
        var finding = Assert.Single(TestSnapshots.Run<KubeletAuthorizationNotAlwaysAllow>(One(config)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("AlwaysAllow", finding.Message);
    }

    [Fact]
    public void Unknown_mode_is_an_error()
    {
        var config = Hardened();
        config.Authorization!.Mode = "Node";
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<KubeletAuthorizationNotAlwaysAllow>(One(config))).Status);
    }
}

public class KubeletClientCaConfiguredTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Missing_client_ca_fails(string? file)
    {
        var config = Hardened();
        config.Authentication!.X509!.ClientCaFile = file;
        var finding = Assert.Single(TestSnapshots.Run<KubeletClientCaConfigured>(One(config)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.High, finding.Severity);
    }

    [Fact]
    public void Configured_ca_is_named()
    {
        var finding = Assert.Single(TestSnapshots.Run<KubeletClientCaConfigured>(One(Hardened())));
        Assert.Contains("/etc/kubernetes/pki/ca.crt", finding.Message);
    }
}

public class KubeletReadOnlyPortDisabledTests
{
    [Fact]
    public void Open_read_only_port_fails()
    {
        var config = Hardened();
        config.ReadOnlyPort = 10255;
        var finding = Assert.Single(TestSnapshots.Run<KubeletReadOnlyPortDisabled>(One(config)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("10255", finding.Message);
    }

    [Fact]
    public void Explicit_zero_passes()
    {
        var config = Hardened();
        config.ReadOnlyPort = 0;
        var finding = Assert.Single(TestSnapshots.Run<KubeletReadOnlyPortDisabled>(One(config)));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e == "readOnlyPort = 0");
    }
}

public class KubeletStreamingIdleTimeoutSetTests
{
    [Theory]
    [InlineData("0s")]
    [InlineData("0")]
    [InlineData("0m0s")]
    public void Zero_timeout_fails(string value)
    {
        var config = Hardened();
        config.StreamingConnectionIdleTimeout = value;
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<KubeletStreamingIdleTimeoutSet>(One(config))).Status);
    }

    [Fact]
    public void Unreadable_timeout_is_an_error()
    {
        var config = Hardened();
        config.StreamingConnectionIdleTimeout = "forever";
        Assert.Equal(FindingStatus.Error, Assert.Single(TestSnapshots.Run<KubeletStreamingIdleTimeoutSet>(One(config))).Status);
    }

    [Fact]
    public void Short_timeout_passes()
    {
        var config = Hardened();
        config.StreamingConnectionIdleTimeout = "5m0s";
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<KubeletStreamingIdleTimeoutSet>(One(config))).Status);
    }
}

public class KubeletMakesIptablesUtilChainsTests
{
    [Fact]
    public void Disabled_chains_fail()
    {
        var config = Hardened();
        config.MakeIPTablesUtilChains = false;
        Assert.Equal(FindingStatus.Fail, Assert.Single(TestSnapshots.Run<KubeletMakesIptablesUtilChains>(One(config))).Status);
    }
}

public class KubeletEventRecordQpsCapturesEventsTests
{
    [Theory]
    [InlineData(-1, FindingStatus.Fail)]
    [InlineData(0, FindingStatus.Pass)]   // no limit
    [InlineData(4, FindingStatus.Fail)]   // below the default minimum of 5
    [InlineData(5, FindingStatus.Pass)]
    [InlineData(50, FindingStatus.Pass)]
    public void Event_qps_boundaries(int qps, FindingStatus expected)
    {
        var config = Hardened();
        config.EventRecordQps = qps;
        Assert.Equal(expected, Assert.Single(TestSnapshots.Run<KubeletEventRecordQpsCapturesEvents>(One(config))).Status);
    }

    [Fact]
    public void Minimum_is_configurable()
    {
        var config = Hardened();
        config.EventRecordQps = 20;
        var finding = Assert.Single(TestSnapshots.Run<KubeletEventRecordQpsCapturesEvents>(One(config), new RuleSettings { KubeletMinEventRecordQps = 25 }));
        Assert.Equal(FindingStatus.Fail, finding.Status);
    }
}

public class KubeletClientCertRotationTests
{
    [Fact]
    public void Rotation_off_fails()
    {
        var config = Hardened();
        config.RotateCertificates = false;
        var finding = Assert.Single(TestSnapshots.Run<KubeletClientCertRotation>(One(config)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(Severity.Medium, finding.Severity);
    }

    [Fact]
    public void Absent_means_the_default_false()
    {
        var config = Hardened();
        config.RotateCertificates = null;
        var finding = Assert.Single(TestSnapshots.Run<KubeletClientCertRotation>(One(config)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("absent", finding.Message);
    }
}

public class KubeletServingCertRotationTests
{
    [Fact]
    public void Gate_off_fails_even_with_bootstrap()
    {
        var config = Hardened();
        config.FeatureGates!["RotateKubeletServerCertificate"] = false;
        var finding = Assert.Single(TestSnapshots.Run<KubeletServingCertRotation>(One(config)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("feature gate is off", finding.Message);
    }

    [Fact]
    public void Missing_gate_defaults_to_on()
    {
        var config = Hardened();
        config.FeatureGates = null;
        var finding = Assert.Single(TestSnapshots.Run<KubeletServingCertRotation>(One(config)));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e == "featureGates.RotateKubeletServerCertificate = (absent: kubelet default true)");
    }

    [Fact]
    public void Self_signed_serving_certificate_fails()
    {
        var config = Hardened();
        config.ServerTlsBootstrap = false;
        var finding = Assert.Single(TestSnapshots.Run<KubeletServingCertRotation>(One(config)));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("self-signed", finding.Message);
    }
}

public class KubeletAdditionalHardeningTests
{
    [Fact]
    public void Each_weakness_is_named()
    {
        var config = Hardened();
        config.ProtectKernelDefaults = false;
        config.PodPidsLimit = -1;
        config.TlsCipherSuites = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"];
        config.TlsMinVersion = "VersionTLS10";
        var finding = Assert.Single(TestSnapshots.Run<KubeletAdditionalHardening>(One(config)));
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Contains("protectKernelDefaults is off", finding.Message);
        Assert.Contains("no PID limit", finding.Message);
        Assert.Contains("TLS_RSA_WITH_3DES_EDE_CBC_SHA", finding.Message);
        Assert.DoesNotContain("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,", finding.Message);
        Assert.Contains("VersionTLS10", finding.Message);
    }

    [Fact]
    public void Go_default_ciphers_and_tls_version_pass()
    {
        var config = Hardened();
        config.TlsCipherSuites = null;
        config.TlsMinVersion = null;
        var finding = Assert.Single(TestSnapshots.Run<KubeletAdditionalHardening>(One(config)));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("tlsCipherSuites = (absent", StringComparison.Ordinal));
    }

    [Fact]
    public void Protect_kernel_defaults_is_not_judged_on_windows()
    {
        var node = Node("win1", labels: new Dictionary<string, string>());
        node.Metadata.Labels["kubernetes.io/os"] = "windows";
        var config = Hardened();
        config.ProtectKernelDefaults = null;
        var finding = Assert.Single(TestSnapshots.Run<KubeletAdditionalHardening>(With([node], Sample(node, config))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("not judged on a Windows node"));
    }
}
