using EksSecurity.Engine;
using EksSecurity.KubeTestServer.Api;
using k8s.Models;

namespace EksSecurity.KubeTestServer.Tests;

/// <summary>
/// The files New-EksMetadataDenyPolicy -OutFile and New-EksSecurityGroupPolicy -OutFile write are valid Kubernetes objects:
/// the real kubectl accepts them (client dry run, then the server's strict field validation), and once applied with kubectl
/// the engine's -Apply finds them already as it would write them.
/// </summary>
public sealed class RemediationKubectlTests : IClassFixture<DemoServerFixture>
{
    private readonly DemoServerFixture _f;
    private readonly SecurityEngine _engine = new();

    public RemediationKubectlTests(DemoServerFixture fixture) => _f = fixture;

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Kubectl_accepts_the_metadata_deny_policy_file()
    {
        using var dir = new TempDir();
        var file = dir.File("imds.yaml");
        var manifests = _engine.NewMetadataDenyPolicies(new MetadataDenyPolicyRequest
        {
            Namespaces = ["payments", "frontend"],
            Name = "deny-imds-kubectl",
            AllowPodSelector = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "imds-agent" },
            IPv6 = true,
        });
        _engine.SaveManifests(manifests, file);
        var before = _f.Server.WriteLog.Count;

        string[] names = ["networkpolicy.networking.k8s.io/deny-imds-kubectl", "networkpolicy.networking.k8s.io/allow-imds-kubectl",
                          "networkpolicy.networking.k8s.io/deny-imds-kubectl", "networkpolicy.networking.k8s.io/allow-imds-kubectl"];
        Assert.Equal(names.Select(n => n + " created (dry run)"), Lines(_f.Kubectl.Run("apply", "--dry-run=client", "-f", file).Ok().Stdout));
        Assert.Equal(before, _f.Server.WriteLog.Count);

        Assert.Equal(names.Select(n => n + " created (server dry run)"), Lines(_f.Kubectl.Run("apply", "--dry-run=server", "-f", file).Ok().Stdout));
        var dry = _f.Server.WriteLog.Skip(before).ToList();
        Assert.Equal(4, dry.Count);
        Assert.All(dry, w => Assert.True(w.DryRun && w.Status == 201 && w.FieldValidation == "Strict" && w.Warnings.Count == 0, w.ToString()));
        Assert.Null(_f.Scenario.Store(ResourceCatalog.NetworkPolicies)!.Find("payments", "deny-imds-kubectl"));
    }

    [Fact]
    public async Task What_kubectl_applied_from_the_file_the_engine_finds_unchanged()
    {
        using var dir = new TempDir();
        var file = dir.File("imds.yaml");
        var manifests = _engine.NewMetadataDenyPolicies(new MetadataDenyPolicyRequest { Namespaces = ["batch"], Name = "kubectl-applied" });
        _engine.SaveManifests(manifests, file);
        Assert.Equal("networkpolicy.networking.k8s.io/kubectl-applied created", _f.Kubectl.Run("apply", "-f", file).Ok().Stdout.Trim());
        var stored = (V1NetworkPolicy)_f.Scenario.Store(ResourceCatalog.NetworkPolicies)!.Find("batch", "kubectl-applied")!;
        Assert.Equal("169.254.169.254/32", stored.Spec.Egress[0].To[0].IpBlock.Except.Single());

        var writes = _f.Server.WriteLog.Count;
        var results = await _engine.ApplyManifestsAsync(new KubernetesAccessRequest { KubeConfigPath = _f.Kubectl.Kubeconfig }, manifests, new KubernetesWriteOptions());
        Assert.Equal(KubernetesApplyAction.Unchanged, results.Single().Action);
        Assert.Equal(writes, _f.Server.WriteLog.Count);
    }

    [Fact]
    public void Kubectl_accepts_the_security_group_policy_file()
    {
        using var dir = new TempDir();
        var file = dir.File("sgp.yaml");
        _engine.SaveManifests(_engine.NewSecurityGroupPolicies(new SecurityGroupPolicyRequest
        {
            Namespaces = ["payments"],
            Name = "kubectl-sgp",
            ServiceAccountSelector = new Dictionary<string, string> { ["role"] = "db-client" },
            SecurityGroupIds = ["sg-0123456789abcdef0", "sg-12345678"],
        }), file);
        const string name = "securitygrouppolicy.vpcresources.k8s.aws/kubectl-sgp";
        Assert.Equal(name + " created (dry run)", _f.Kubectl.Run("apply", "--dry-run=client", "-f", file).Ok().Stdout.Trim());
        Assert.Equal(name + " created (server dry run)", _f.Kubectl.Run("apply", "--dry-run=server", "-f", file).Ok().Stdout.Trim());
        Assert.True(_f.Server.WriteLog.Single(w => w.Name == "kubectl-sgp").DryRun);
    }
}
