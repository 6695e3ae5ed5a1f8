using EksSecurity.KubeTestServer.Api;

namespace EksSecurity.KubeTestServer.Tests;

/// <summary>
/// The core checks with every kubectl release installed beside the one on PATH (the Google Cloud SDK
/// ships kubectl.1.27 … kubectl.1.33 and a dispatcher); with a single kubectl, with that one.
/// Client-side changes between releases (aggregated discovery, protobuf request bodies from 1.32)
/// show up here before a user meets them.
/// </summary>
public sealed class KubectlVersionsTests : IClassFixture<DemoServerFixture>
{
    private readonly DemoServerFixture _f;

    public KubectlVersionsTests(DemoServerFixture fixture) => _f = fixture;

    [Fact]
    public void EveryInstalledKubectlReleaseWorks()
    {
        var releases = Kubectl.VersionedSiblings();
        var candidates = releases.Count > 0 ? releases : [("on PATH", Kubectl.Executable)];
        using var dir = new TempDir();
        var failures = new List<string>();
        foreach (var (version, path) in candidates)
        {
            var admin = new Kubectl(_f.Server, Path.Combine(dir.Path, version, "admin"), executable: path);
            var viewer = new Kubectl(_f.Server, Path.Combine(dir.Path, version, "viewer"), Tokens.Viewer, path);
            void Check(string what, bool ok, Kubectl.Result r)
            {
                if (!ok) failures.Add($"kubectl {version}: {what}\n{r}");
            }
            // apply validates first: 1.27 and 1.28 download /openapi/v2, every release asks /openapi/v3 whether the server validates fields.
            var manifest = Path.Combine(dir.Path, version, "np.yaml");
            File.WriteAllText(manifest, $"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: versions-{version.Replace('.', '-').Replace(' ', '-')}\n  namespace: payments\nspec:\n  podSelector: {{}}\n");
            var apply = admin.Run("apply", "--dry-run=server", "-f", manifest);
            Check("apply --dry-run=server", apply.ExitCode == 0 && apply.Stdout.Contains("created (server dry run)"), apply);
            File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("podSelector", "podSelectr"));
            var refused = admin.Run("apply", "--dry-run=server", "-f", manifest);
            Check("apply of a misspelled field", refused.ExitCode != 0 && refused.Stderr.Contains("strict decoding error: unknown field \"spec.podSelectr\""), refused);
            var json = admin.Run("get", "pods", "-A", "-o", "json");
            Check("get pods -A -o json", json.ExitCode == 0 && json.Json["items"]!.AsArray().Count == _f.Names(ResourceCatalog.Pods).Count, json);
            var table = admin.Run("get", "pods", "-A");
            Check("get pods -A (table)", table.ExitCode == 0 && table.Stdout.StartsWith("NAMESPACE", StringComparison.Ordinal), table);
            var denied = viewer.Run("get", "secrets", "-n", "kube-system");
            Check("forbidden secrets", denied.Stderr.Contains("secrets is forbidden: User \"viewer\" cannot list resource \"secrets\""), denied);
            var canI = viewer.Run("auth", "can-i", "list", "secrets", "-n", "kube-system");
            Check("auth can-i (no)", canI.Stdout.Trim() == "no", canI);
            var canPods = viewer.Run("auth", "can-i", "list", "pods", "-A");
            Check("auth can-i (yes)", canPods.Stdout.Trim() == "yes", canPods);
            // whoami is GA (authentication.k8s.io/v1) from 1.28; older clients ask for v1beta1.
            if (!Version.TryParse(version, out var v) || v >= new Version(1, 28))
            {
                var who = viewer.Run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
                Check("auth whoami", who.ExitCode == 0 && who.Stdout.Trim() == "viewer", who);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}
