using EksSecurity.Engine.Rules.Data;
using k8s.Models;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Data;

public class SecretsNotInEnvironmentVariablesTests
{
    private static V1EnvVar FromSecret(string name, string secret, string key) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } } };

    [Fact]
    public void Secret_key_ref_fails()
    {
        var snapshot = Snapshot(Deployment("api", "shop", Spec(Container("app", env: FromSecret("DB_PASSWORD", "db-credentials", "password")))));
        var finding = Assert.Single(TestSnapshots.Run<SecretsNotInEnvironmentVariables>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-DATA-010", finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("db-credentials", finding.Message);
        Assert.Contains(finding.Evidence, e => e == "containers[app].env[DB_PASSWORD].valueFrom.secretKeyRef = secret db-credentials, key password");
    }

    [Fact]
    public void Env_from_secret_ref_in_an_init_container_fails()
    {
        var init = Container("migrate");
        init.EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "settings" } }, new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "db" }, Prefix = "DB_" }];
        var snapshot = Snapshot(CronJob("backup", "shop", Spec(Container("app")).WithInit(init)));
        var finding = Assert.Single(TestSnapshots.Run<SecretsNotInEnvironmentVariables>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("CronJob", finding.ResourceType);
        Assert.Contains(finding.Evidence, e => e == "initContainers[migrate].envFrom[1].secretRef = secret db (every key, prefix DB_)");
    }

    [Fact]
    public void Literal_values_config_map_refs_and_volumes_pass()
    {
        var app = Container("app", env: [new V1EnvVar { Name = "LOG_LEVEL", Value = "info" },
            new V1EnvVar { Name = "MODE", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "mode" } } }]);
        app.VolumeMounts = [new V1VolumeMount { Name = "db", MountPath = "/etc/secrets/db", ReadOnlyProperty = true }];
        var spec = Spec(app);
        spec.Volumes = [new V1Volume { Name = "db", Secret = new V1SecretVolumeSource { SecretName = "db-credentials" } }];
        var finding = Assert.Single(TestSnapshots.Run<SecretsNotInEnvironmentVariables>(Snapshot(Deployment("api", "shop", spec))));
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Fact]
    public void Ephemeral_containers_are_judged()
    {
        var debugger = Ephemeral("debugger");
        debugger.Env = [FromSecret("TOKEN", "api-token", "token")];
        var finding = Assert.Single(TestSnapshots.Run<SecretsNotInEnvironmentVariables>(Snapshot(BarePod("p", "shop", Spec(Container("app")).WithEphemeral(debugger)))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("ephemeralContainers[debugger].env[TOKEN]", StringComparison.Ordinal));
    }
}
