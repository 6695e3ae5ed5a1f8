using System.Diagnostics;
using System.Text.Json.Nodes;

namespace EksSecurity.AwsTestServer.Tests;

/// <summary>Runs the real aws CLI against the test server with an isolated environment.</summary>
internal sealed class AwsCli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonNode Json => JsonNode.Parse(Stdout) ?? throw new InvalidOperationException("aws CLI printed no JSON:\n" + Stderr);
        public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    private static readonly Lazy<string?> s_path = new(() =>
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "aws");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    });

    /// <summary>The aws executable on PATH; fails the test (never skips) when it is missing.</summary>
    public static string Executable => s_path.Value
        ?? throw new Xunit.Sdk.XunitException(
            "The aws CLI was not found on PATH. These tests check the test server against the real aws CLI: install Debian's awscli (apt-get install -y awscli).");

    private readonly Uri _endpoint;

    public AwsCli(Uri endpoint) => _endpoint = endpoint;

    public string AccessKeyId { get; init; } = TestScenario.AdminKey;
    public string SecretAccessKey { get; init; } = TestScenario.AdminSecret;
    public string? SessionToken { get; init; }
    public string Region { get; init; } = TestScenario.Region;
    public Dictionary<string, string> ExtraEnvironment { get; init; } = new();

    /// <summary>aws --endpoint-url … --output json ARGS</summary>
    public Result Run(params string[] args) => RunRaw(new[] { "--endpoint-url", _endpoint.ToString().TrimEnd('/'), "--output", "json" }.Concat(args).ToArray());

    /// <summary>aws ARGS (no endpoint; e.g. eks get-token, which only signs locally).</summary>
    public Result RunRaw(params string[] args)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var env = psi.Environment;
        foreach (var key in env.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.Contains("proxy", StringComparison.OrdinalIgnoreCase)).ToList())
            env.Remove(key);
        env["AWS_ACCESS_KEY_ID"] = AccessKeyId;
        env["AWS_SECRET_ACCESS_KEY"] = SecretAccessKey;
        if (SessionToken is not null) env["AWS_SESSION_TOKEN"] = SessionToken;
        env["AWS_DEFAULT_REGION"] = Region;
        env["AWS_CONFIG_FILE"] = "/dev/null";
        env["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        env["AWS_EC2_METADATA_DISABLED"] = "true";
        env["AWS_PAGER"] = "";
        env["AWS_RETRY_MODE"] = "standard";
        env["AWS_MAX_ATTEMPTS"] = "3";
        env["NO_PROXY"] = "127.0.0.1,localhost";
        foreach (var (k, v) in ExtraEnvironment) env[k] = v;

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("aws " + string.Join(' ', args) + " did not finish in 60 s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
