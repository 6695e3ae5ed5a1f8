using System.Diagnostics;
using System.Text.Json.Nodes;

namespace EksSecurity.KubeTestServer.Tests;

/// <summary>Runs the real kubectl against a test server, with its own kubeconfig and discovery cache.</summary>
internal sealed class Kubectl
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, string Command)
    {
        public JsonNode Json => JsonNode.Parse(Stdout) ?? throw new InvalidOperationException($"kubectl printed no JSON:\n{this}");

        public Result Ok()
        {
            if (ExitCode != 0) throw new Xunit.Sdk.XunitException($"kubectl failed:\n{this}");
            return this;
        }

        public override string ToString() => $"$ {Command}\nexit {ExitCode}\nstdout: {Truncate(Stdout)}\nstderr: {Truncate(Stderr)}";

        private static string Truncate(string s) => s.Length > 4000 ? s[..4000] + $"... ({s.Length} chars)" : s;
    }

    private static readonly Lazy<string?> s_path = new(() =>
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "kubectl.exe" : "kubectl");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    });

    /// <summary>kubectl on PATH; fails the test (never skips) when it is missing.</summary>
    public static string Executable => s_path.Value
        ?? throw new Xunit.Sdk.XunitException(
            "kubectl was not found on PATH. These tests check the Kubernetes test server against the real kubectl; .ci/run installs it " +
            "(on the machine image it is /usr/bin/kubectl).");

    /// <summary>
    /// Versioned kubectl binaries beside the one on PATH (the Google Cloud SDK layout: kubectl.1.31,
    /// kubectl.1.32 ..., with kubectl a dispatcher that picks one by server version); empty elsewhere.
    /// </summary>
    public static IReadOnlyList<(string Version, string Path)> VersionedSiblings()
    {
        var resolved = File.ResolveLinkTarget(Executable, returnFinalTarget: true)?.FullName ?? Executable;
        var dir = Path.GetDirectoryName(resolved)!;
        return Directory.EnumerateFiles(dir, "kubectl.1.*")
            .Select(p => (Version: Path.GetFileName(p)["kubectl.".Length..], Path: p))
            .Where(v => Version.TryParse(v.Version, out _))
            .OrderBy(v => Version.Parse(v.Version))
            .ToList();
    }

    private readonly string _kubeconfig;
    private readonly string _cacheDir;
    private readonly string _executable;

    public Kubectl(KubeTestServer server, string directory, string token = Scenario.KubeScenario.AdminToken, string? executable = null)
    {
        Directory.CreateDirectory(directory);
        _kubeconfig = server.WriteKubeconfig(Path.Combine(directory, "kubeconfig"), token);
        _cacheDir = Path.Combine(directory, "cache");
        _executable = executable ?? Executable;
    }

    public string Kubeconfig => _kubeconfig;

    /// <summary>kubectl --kubeconfig K --cache-dir C ARGS</summary>
    public Result Run(params string[] args)
    {
        var psi = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(_kubeconfig);
        psi.ArgumentList.Add("--cache-dir");
        psi.ArgumentList.Add(_cacheDir);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var env = psi.Environment;
        foreach (var key in env.Keys.Where(k => k == "KUBECONFIG" || k.Contains("proxy", StringComparison.OrdinalIgnoreCase)).ToList())
            env.Remove(key);
        env["NO_PROXY"] = "127.0.0.1,localhost";
        env["KUBECTL_INTERACTIVE_DELETE"] = "false";

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("kubectl " + string.Join(' ', args) + " did not finish in 60 s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result, Path.GetFileName(_executable) + " " + string.Join(' ', args));
    }
}
