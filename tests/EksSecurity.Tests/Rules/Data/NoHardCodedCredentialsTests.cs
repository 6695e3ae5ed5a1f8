using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Rules.Data;
using EksSecurity.Engine.Snapshot;
using k8s.Models;
using static EksSecurity.Tests.Rules.Runtime.WorkloadFixtures;

namespace EksSecurity.Tests.Rules.Data;

public class NoHardCodedCredentialsTests
{
    // Made-up values in the documented formats; none is a real credential.
    private const string AccessKeyId = "AKIAZ7EXAMPLE3QW2RT9";
    private const string Password = "Tr0ub4dor93-hx91";

    private static readonly string PemKey = string.Join("\n",
        "-----BEGIN RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEAq9zFakeFakeFakeNotARealKeyButLongEnough0123456789", "-----END RSA PRIVATE KEY-----");

    private static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    private static void AssertNoLeak(EksSecurityFinding finding, params string[] secrets)
    {
        var text = All(finding);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            // Not even a long fragment of it.
            if (secret.Length > 12) Assert.DoesNotContain(secret[4..12], text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Aws_access_key_in_env_fails_without_leaking_it()
    {
        var snapshot = Snapshot(Deployment("api", "shop", Spec(Container("app", env: Env("S3_UPLOADER", AccessKeyId)))));
        var finding = Assert.Single(TestSnapshots.Run<NoHardCodedCredentials>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("EKS-DATA-011", finding.RuleId);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains(finding.Evidence, e => e == "containers[app].env[S3_UPLOADER]: AWS access key id: AKIA…(20 chars)");
        AssertNoLeak(finding, AccessKeyId);
    }

    [Fact]
    public void Sensitive_env_name_with_a_literal_value_fails()
    {
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("app")).WithInit(Container("migrate", env: Env("DB_PASSWORD", Password)))));
        var finding = Assert.Single(TestSnapshots.Run<NoHardCodedCredentials>(snapshot));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e == $"initContainers[migrate].env[DB_PASSWORD]: sensitive name with a literal value: …({Password.Length} chars)");
        AssertNoLeak(finding, Password);
    }

    [Fact]
    public void Ephemeral_container_env_is_scanned()
    {
        var debugger = Ephemeral("debugger");
        debugger.Env = [Env("DATABASE_URL", $"postgres://app:{Password}@db.shop:5432/orders")];
        var finding = Assert.Single(TestSnapshots.Run<NoHardCodedCredentials>(Snapshot(BarePod("p", "shop", Spec(Container("app")).WithEphemeral(debugger)))));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith("ephemeralContainers[debugger].env[DATABASE_URL]: credentials in URL", StringComparison.Ordinal));
        AssertNoLeak(finding, Password);
    }

    [Fact]
    public void Config_map_with_a_private_key_and_a_password_fails_naming_keys_and_lines()
    {
        var properties = $"spring.datasource.url=jdbc:postgresql://db/orders\nspring.datasource.password={Password}\n";
        var snapshot = Snapshot(ConfigMap("app-config", "shop", ("application.properties", properties), ("tls.key", PemKey), ("log-level", "debug")));
        var findings = TestSnapshots.Run<NoHardCodedCredentials>(snapshot);
        var finding = Assert.Single(findings, f => f.ResourceType == "ConfigMap");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("app-config", finding.ResourceName);
        Assert.Contains(finding.Evidence, e => e == $"data[application.properties]: password assignment: …({Password.Length} chars) at line 2");
        Assert.Contains(finding.Evidence, e => e.StartsWith("data[tls.key]: private key (PEM)", StringComparison.Ordinal));
        Assert.Contains("data[application.properties], data[tls.key]", finding.Message);
        AssertNoLeak(finding, Password, PemKey, "MIIEowIBAAKCAQEAq9zFake");
    }

    [Theory]
    [InlineData("cache.url=redis://:Zq8vW2kLm4Np@redis.shop:6379/0", "credentials in URL", "Zq8vW2kLm4Np")]
    [InlineData("token = eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzaG9wLWFwaSJ9.c2lnbmF0dXJlLW5vdC1yZWFs", "JSON web token", "c2lnbmF0dXJlLW5vdC1yZWFs")]
    [InlineData("GH=ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "GitHub token", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")]
    [InlineData("session ASIAQ2EXAMPLE7KD4PLM in use", "AWS access key id", "Q2EXAMPLE7KD4PLM")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "private key (PEM)", "b3BlbnNzaC1rZXktdjEAAAAA")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIFakeKey\n-----END PRIVATE KEY-----", "private key (PEM)", "MC4CAQAwBQYDK2VwBCIEIFakeKey")]
    [InlineData("db:\n  user: shop\n  password: \"w7Hq2xPz\"\n", "password assignment", "w7Hq2xPz")]
    public void Value_patterns_are_found_in_config_maps(string content, string kind, string secret)
    {
        var snapshot = Snapshot(ConfigMap("cfg", "shop", ("app.conf", content)));
        var finding = Assert.Single(TestSnapshots.Run<NoHardCodedCredentials>(snapshot), f => f.ResourceType == "ConfigMap");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains(finding.Evidence, e => e.StartsWith($"data[app.conf]: {kind}: ", StringComparison.Ordinal));
        AssertNoLeak(finding, secret);
    }

    [Theory]
    [InlineData("password: ${DB_PASSWORD}")]
    [InlineData("password={{ .Values.db.password }}")]
    [InlineData("password=/run/secrets/db")]
    [InlineData("password: \"\"")]
    [InlineData("password: ********")]
    [InlineData("password_min_length=12")]
    [InlineData("aws_access_key_id=AKIAEXAMPLE")]
    public void Placeholders_and_look_alikes_pass(string line)
    {
        var snapshot = Snapshot(ConfigMap("cfg", "shop", ("app.conf", line)));
        var finding = Assert.Single(TestSnapshots.Run<NoHardCodedCredentials>(snapshot), f => f.ResourceType == "ConfigMap");
        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Theory]
    [InlineData("SECRET_NAME", "db-credentials")]
    [InlineData("TOKEN_TTL", "3600")]
    [InlineData("PASSWORD_FILE", "/etc/secrets/db/password")]
    [InlineData("API_KEY", "")]
    [InlineData("AUTH_TOKEN_ENABLED", "true")]
    [InlineData("LOG_LEVEL", "debug")]
    public void Harmless_env_values_pass(string name, string value)
    {
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("app", env: Env(name, value)))));
        Assert.Equal(FindingStatus.Pass, Assert.Single(TestSnapshots.Run<NoHardCodedCredentials>(snapshot)).Status);
    }

    [Fact]
    public void Replicas_are_judged_through_their_template()
    {
        var spec = Spec(Container("app", env: Env("AWS_ACCESS_KEY_ID", AccessKeyId)));
        var snapshot = Snapshot(Deployment("api", "shop", spec), BarePod("api-x", "shop", spec, owner: Owner("Deployment", "api")));
        var finding = Assert.Single(TestSnapshots.Run<NoHardCodedCredentials>(snapshot));
        Assert.Equal("Deployment", finding.ResourceType);
    }

    [Fact]
    public void Config_maps_are_optional()
    {
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("app"))))
            .With(s => s.Kubernetes.ConfigMaps = Section<V1ConfigMap>.Denied("list configmaps"));
        var finding = Assert.Single(TestSnapshots.Run<NoHardCodedCredentials>(snapshot));
        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("Pod", finding.ResourceType);
    }

    [Fact]
    public void Values_over_the_size_cap_are_reported_not_passed()
    {
        var settings = new RuleSettings { SensitiveValueMaxLength = 64 };
        var snapshot = Snapshot(ConfigMap("dashboards", "monitoring", ("big.json", new string('x', 100) + AccessKeyId)));
        var finding = Assert.Single(TestSnapshots.Run<NoHardCodedCredentials>(snapshot, settings), f => f.ResourceType == "ConfigMap");
        Assert.Equal(FindingStatus.Warning, finding.Status);
        Assert.Contains(finding.Evidence, e => e.Contains("not scanned"));
        AssertNoLeak(finding, AccessKeyId);
    }

    [Fact]
    public void Patterns_are_configurable_and_must_be_linear_time()
    {
        var custom = new RuleSettings
        {
            SensitiveValuePatterns = new Dictionary<string, string> { ["Slack token"] = @"\bxox[abprs]-[A-Za-z0-9-]{10,}" },
            SensitiveKeyNames = [],
        };
        var slack = "xoxb-1234567890-abcdefghij";
        var snapshot = Snapshot(BarePod("p", "shop", Spec(Container("app", env: [Env("NOTIFY", slack), Env("DB_PASSWORD", Password)]))));
        var finding = Assert.Single(TestSnapshots.Run<NoHardCodedCredentials>(snapshot, custom));
        Assert.Equal(FindingStatus.Fail, finding.Status);
        var evidence = Assert.Single(finding.Evidence);
        Assert.StartsWith("containers[app].env[NOTIFY]: Slack token", evidence);
        AssertNoLeak(finding, slack);

        // A backreference cannot run in linear time: the rule reports an error instead of risking a hang.
        var backtracking = new RuleSettings { SensitiveValuePatterns = new Dictionary<string, string> { ["bad"] = @"(a+)\1" } };
        var error = Assert.Single(TestSnapshots.Run<NoHardCodedCredentials>(snapshot, backtracking));
        Assert.Equal(FindingStatus.Error, error.Status);
        Assert.Contains("SensitiveValuePatterns[bad]", error.Message);
    }

    [Fact]
    public void Hostile_input_is_scanned_in_linear_time()
    {
        // Inputs that make backtracking engines explode on these pattern shapes.
        var hostile = "postgres://" + new string('a', 200_000) + ":" + new string('b', 200_000) + "password=" + new string(' ', 100_000);
        var snapshot = Snapshot(ConfigMap("evil", "shop", ("x", hostile)));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var finding = Assert.Single(TestSnapshots.Run<NoHardCodedCredentials>(snapshot), f => f.ResourceType == "ConfigMap");
        watch.Stop();
        Assert.NotEqual(FindingStatus.Error, finding.Status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }
}
