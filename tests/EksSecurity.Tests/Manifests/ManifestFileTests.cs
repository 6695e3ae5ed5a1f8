using System.Diagnostics;
using System.Text;
using EksSecurity.Engine.Manifests;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Manifests;

public class ManifestFileTests
{
    private static string ServiceAccount(string name) => $"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n";

    private static TempTree Tree()
    {
        var tree = new TempTree();
        tree.Write("b.yaml", ServiceAccount("b"));
        tree.Write("a.yml", ServiceAccount("a"));
        tree.Write("apps/web/deploy.json", """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"web"}}""");
        tree.Write("apps/web/values.txt", "not: read");
        tree.Write("apps/web/tests/test.yaml", ServiceAccount("test"));
        tree.Write("apps/UPPER.YAML", ServiceAccount("upper"));
        tree.Write("charts/dep/templates/x.yaml", ServiceAccount("dep"));
        tree.Write(".github/workflows/ci.yml", "on: push\njobs: {}\n");
        tree.Write(".hidden.yaml", ServiceAccount("hidden"));
        return tree;
    }

    private static List<string> Names(RecordingLog log, TempTree tree, IReadOnlyList<string>? include = null, IReadOnlyList<string>? exclude = null)
    {
        var snapshot = ManifestReader.Read(new ManifestRequest { Paths = [tree.Root], Include = include, Exclude = exclude }, log);
        return snapshot.Kubernetes.ServiceAccounts!.All.Select(s => s.Metadata.Name).ToList();
    }

    [Fact]
    public void Directories_are_read_recursively_in_ordinal_path_order()
    {
        using var tree = Tree();
        var log = new RecordingLog();
        // a.yml, apps/UPPER.YAML, apps/web/deploy.json, apps/web/tests/test.yaml, b.yaml, charts/dep/templates/x.yaml
        Assert.Equal(["a", "upper", "web", "test", "b", "dep"], Names(log, tree));
        log.NoProblems(); // hidden .github workflows are not entered
    }

    [Fact]
    public void Include_matches_file_names()
    {
        using var tree = Tree();
        Assert.Equal(["web"], Names(new RecordingLog(), tree, include: ["*.json"]));
        Assert.Equal(["a", "upper", "test", "b", "dep"], Names(new RecordingLog(), tree, include: ["*.y*ml"]));
    }

    [Fact]
    public void Exclude_matches_names_and_relative_paths_and_prunes_directories()
    {
        using var tree = Tree();
        Assert.Equal(["a", "upper", "web", "test", "dep"], Names(new RecordingLog(), tree, exclude: ["b.yaml"]));
        Assert.Equal(["a", "upper", "web", "b", "dep"], Names(new RecordingLog(), tree, exclude: ["tests"]));
        Assert.Equal(["a", "upper", "web", "test", "b"], Names(new RecordingLog(), tree, exclude: ["charts/*"]));
        Assert.Equal(["a", "b", "dep"], Names(new RecordingLog(), tree, exclude: ["apps"]));
        Assert.Equal(["a", "upper", "b", "dep"], Names(new RecordingLog(), tree, exclude: ["apps/web/*"]));
    }

    [Fact]
    public void Explicit_files_are_read_whatever_their_extension_and_only_once()
    {
        using var tree = Tree();
        var text = tree.Write("manifest.txt", ServiceAccount("txt"));
        var log = new RecordingLog();
        var snapshot = ManifestReader.Read(new ManifestRequest { Paths = [text, Path.Combine(tree.Root, "b.yaml"), tree.Root] }, log);
        var names = snapshot.Kubernetes.ServiceAccounts!.All.Select(s => s.Metadata.Name).ToList();
        Assert.Equal(["txt", "b", "a", "upper", "web", "test", "dep"], names);
        Assert.Equal(text, snapshot.Location("ServiceAccount", "", "txt").Path);
    }

    [Fact]
    public void Source_paths_keep_the_directory_as_given()
    {
        using var tree = Tree();
        var snapshot = Manifest.ReadPaths(new RecordingLog(), tree.Root);
        Assert.Equal(Path.Combine(tree.Root, "apps", "web", "tests", "test.yaml"), snapshot.Location("ServiceAccount", "", "test").Path);
        Assert.Equal(new SourceLocation(Path.Combine(tree.Root, "apps", "web", "deploy.json"), 1), snapshot.Location("ServiceAccount", "", "web"));
    }

    [Fact]
    public void Texts_are_read_after_paths_and_named_in_locations()
    {
        using var tree = Tree();
        var snapshot = ManifestReader.Read(new ManifestRequest
        {
            Paths = [Path.Combine(tree.Root, "a.yml")],
            Texts = [new ManifestText { Name = "helm template", Text = "---\n" + ServiceAccount("piped") }],
        }, new RecordingLog());
        Assert.Equal(["a", "piped"], snapshot.Kubernetes.ServiceAccounts!.All.Select(s => s.Metadata.Name));
        Assert.Equal(new SourceLocation("helm template", 3), snapshot.Location("ServiceAccount", "", "piped"));
    }

    [Fact]
    public void Ten_thousand_objects_in_one_file()
    {
        using var tree = new TempTree();
        var text = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
            text.Append($"""
                ---
                # Source: chart/templates/pod-{i}.yaml
                apiVersion: v1
                kind: Pod
                metadata:
                  name: pod-{i}
                  namespace: ns-{i % 50}
                  labels: {"{"} app: web, index: "{i}" {"}"}
                spec:
                  securityContext: {"{"} runAsNonRoot: true {"}"}
                  containers:
                    - name: app
                      image: registry.example.com/app:{i}
                      resources: {"{"} limits: {"{"} cpu: 500m, memory: 256Mi {"}"} {"}"}
                      securityContext:
                        allowPrivilegeEscalation: false
                        capabilities: {"{"} drop: [ALL] {"}"}

                """);
        var path = tree.Write("big.yaml", text.ToString());
        var log = new RecordingLog();
        var watch = Stopwatch.StartNew();
        var snapshot = Manifest.ReadPaths(log, path);
        watch.Stop();
        log.NoProblems();
        Assert.Equal(10_000, snapshot.Kubernetes.Pods!.Count);
        // Each object is 17 lines; its kind is the 4th.
        Assert.Equal(9_999 * 17 + 4, snapshot.Location("Pod", "ns-49", "pod-9999").Line);
        Assert.Equal("ALL", snapshot.Kubernetes.Pods.All[1234].Spec.Containers[0].SecurityContext.Capabilities.Drop[0]);
        Console.WriteLine($"read 10,000 pods in {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Ten_thousand_items_in_one_json_list()
    {
        var items = string.Join(",\n", Enumerable.Range(0, 10_000).Select(i =>
            $$$"""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa-{{{i}}}","namespace":"ns"}}"""));
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[\n" + items + "]}", log, "list.json");
        log.NoProblems();
        Assert.Equal(10_000, snapshot.Kubernetes.ServiceAccounts!.Count);
        Assert.Equal(10_001, snapshot.Location("ServiceAccount", "ns", "sa-9999").Line);
    }
}
