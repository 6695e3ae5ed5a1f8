using System.Text;
using EksSecurity.Engine.Manifests;

namespace EksSecurity.Tests.Manifests;

public class ManifestProblemTests
{
    private static string ServiceAccount(string name) => $"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n";

    [Fact]
    public void Yaml_syntax_error_names_line_and_column_and_the_stream_goes_on()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText(
            ServiceAccount("before") +                       // lines 1-4
            "---\n" +                                        // 5
            "apiVersion: v1\n" +                             // 6
            "kind: ServiceAccount\n" +                       // 7
            "metadata:\n" +                                  // 8
            "  name: \"unterminated\n" +                     // 9
            "  namespace: x\n" +                             // 10
            "---\n" +                                        // 11
            ServiceAccount("after"), log, "stream.yaml");
        var problem = log.Single(ManifestErrorIds.SyntaxError);
        Assert.Equal("stream.yaml", problem.Path);
        Assert.Equal(9, problem.Line);
        Assert.Equal(9, problem.Column);
        Assert.StartsWith("YAML syntax error:", problem.Message);
        Assert.Equal(["before", "after"], snapshot.Kubernetes.ServiceAccounts!.All.Select(s => s.Metadata.Name));
        Assert.Equal(13, snapshot.Location("ServiceAccount", "", "after").Line);
    }

    [Fact]
    public void Bad_indentation_is_a_syntax_error_at_its_line()
    {
        var log = new RecordingLog();
        Manifest.ReadText("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n    bad: indent\n", log);
        var problem = log.Single(ManifestErrorIds.SyntaxError);
        Assert.Equal(5, problem.Line);
        Assert.NotNull(problem.Column);
    }

    [Fact]
    public void Json_syntax_error_names_line_and_column()
    {
        var log = new RecordingLog();
        Manifest.ReadText("{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\"\n  \"metadata\": {}\n}\n", log, "bad.json");
        var problem = log.Single(ManifestErrorIds.SyntaxError);
        Assert.Equal((4, 3), (problem.Line, problem.Column));
        Assert.StartsWith("JSON syntax error:", problem.Message);
        Assert.Equal("bad.json:4:3: " + problem.Message, problem.ToString());
    }

    [Fact]
    public void Duplicate_key_is_reported_at_the_second_key()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: dup
            spec:
              hostNetwork: false
              containers: []
              hostNetwork: true
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: { name: fine, name: twice }
            """, log);
        Assert.Equal(2, log.Problems.Count);
        Assert.All(log.Problems, p => Assert.Equal(ManifestErrorIds.DuplicateKey, p.ErrorId));
        Assert.Equal((8, 3), (log.Problems[0].Line, log.Problems[0].Column));
        Assert.Contains("\"hostNetwork\"", log.Problems[0].Message);
        Assert.Contains("first at line 6, column 3", log.Problems[0].Message);
        Assert.Equal((12, 25), (log.Problems[1].Line, log.Problems[1].Column));
        Assert.Empty(snapshot.Kubernetes.Pods!.All);
        Assert.Empty(snapshot.Kubernetes.ServiceAccounts!.All);
    }

    [Fact]
    public void Duplicate_key_in_json_is_reported_and_the_next_object_read()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText(
            "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\n \"metadata\":{\"name\":\"a\"},\n \"kind\":\"Pod\"}\n" +
            "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"b\"}}", log, "dup.json");
        var problem = log.Single(ManifestErrorIds.DuplicateKey);
        Assert.Equal((3, 2), (problem.Line, problem.Column));
        Assert.Equal("b", Assert.Single(snapshot.Kubernetes.ServiceAccounts!.All).Metadata.Name);
    }

    [Fact]
    public void Billion_laughs_stops_at_the_alias_limit()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: lol }
            data:
              a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
              b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
              c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
              d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
              e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
              f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
              g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
              h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
              i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: { name: after }
            """, log);
        var problem = log.Single(ManifestErrorIds.AliasLimit);
        Assert.Equal((10, 10), (problem.Line, problem.Column));
        Assert.Empty(snapshot.Kubernetes.ConfigMaps!.All);
        Assert.Single(snapshot.Kubernetes.ServiceAccounts!.All);
    }

    [Fact]
    public void Modest_alias_use_is_fine()
    {
        var log = new RecordingLog();
        var items = string.Join("\n", Enumerable.Range(0, 200).Select(i => $"    - {{ name: c{i}, image: i, env: *env }}"));
        var snapshot = Manifest.ReadText($"apiVersion: v1\nkind: Pod\nmetadata: {{ name: p }}\nx-env: &env [{{ name: A, value: a }}, {{ name: B, value: b }}]\nspec:\n  containers:\n{items}\n", log);
        log.NoProblems();
        Assert.Equal(200, snapshot.Kubernetes.Pods!.All[0].Spec.Containers.Count(c => c.Env.Count == 2));
    }

    [Fact]
    public void Undefined_alias_is_a_syntax_error()
    {
        var log = new RecordingLog();
        Manifest.ReadText("apiVersion: v1\nkind: Pod\nmetadata:\n  name: *nowhere\n", log);
        var problem = log.Single(ManifestErrorIds.SyntaxError);
        Assert.Equal((4, 9), (problem.Line, problem.Column));
        Assert.Contains("*nowhere", problem.Message);
    }

    [Fact]
    public void Document_over_the_size_limit_is_skipped_and_the_next_read()
    {
        var log = new RecordingLog();
        var big = new string('x', (int)ManifestLimits.MaxDocumentBytes + 10);
        var snapshot = Manifest.ReadText(ServiceAccount("first") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  annotations:\n    a: " + big + "\n---\n" + ServiceAccount("last"), log);
        var problem = log.Single(ManifestErrorIds.TooLarge);
        Assert.Equal((5, 1), (problem.Line, problem.Column));
        Assert.Empty(snapshot.Kubernetes.ConfigMaps!.All);
        Assert.Equal(["first", "last"], snapshot.Kubernetes.ServiceAccounts!.All.Select(s => s.Metadata.Name));
    }

    [Fact]
    public void File_over_the_size_limit_is_not_read()
    {
        using var tree = new TempTree();
        var path = Path.Combine(tree.Root, "huge.yaml");
        using (var file = File.Create(path)) file.SetLength(ManifestLimits.MaxFileBytes + 1); // sparse: cheap to create
        var good = tree.Write("good.yaml", ServiceAccount("good"));
        var log = new RecordingLog();
        var snapshot = Manifest.ReadPaths(log, path, good);
        var problem = log.Single(ManifestErrorIds.TooLarge);
        Assert.Equal(path, problem.Path);
        Assert.Null(problem.Line);
        Assert.Single(snapshot.Kubernetes.ServiceAccounts!.All);
    }

    [Fact]
    public void Nesting_too_deep_is_refused_at_its_line()
    {
        var log = new RecordingLog();
        var deep = new string('[', 200) + new string(']', 200);
        Manifest.ReadText("apiVersion: v1\nkind: ConfigMap\nmetadata: { name: deep }\nx: " + deep + "\n", log);
        var problem = log.Single(ManifestErrorIds.TooLarge);
        Assert.Equal((4, 4 + ManifestLimits.MaxDepth - 1), (problem.Line, problem.Column));

        var json = new RecordingLog();
        Manifest.ReadText("{\"kind\":\n" + new string('[', 300) + new string(']', 300) + "}", json, "deep.json");
        Assert.Equal(2, json.Single(ManifestErrorIds.TooLarge).Line);
    }

    [Fact]
    public void Invalid_utf8_names_the_byte_offset_line_and_column()
    {
        using var tree = new TempTree();
        var bytes = Encoding.UTF8.GetBytes("apiVersion: v1\nkind: Pod\nmetadata:\n  name: café").Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();
        var bad = tree.WriteBytes("bad.yaml", bytes);
        var good = tree.Write("good.yaml", ServiceAccount("good"));
        var log = new RecordingLog();
        var snapshot = Manifest.ReadPaths(log, bad, good);
        var problem = log.Single(ManifestErrorIds.InvalidEncoding);
        // "  name: café" is 12 characters (13 bytes): the bad byte is the 13th character of line 4.
        Assert.Equal((4, 13), (problem.Line, problem.Column));
        Assert.Contains("byte 0xC3 at byte offset 48", problem.Message);
        Assert.Single(snapshot.Kubernetes.ServiceAccounts!.All);
    }

    [Fact]
    public void Utf16_without_byte_order_mark_is_called_out()
    {
        using var tree = new TempTree();
        var path = tree.WriteBytes("u16.yaml", Encoding.Unicode.GetBytes(ServiceAccount("x")));
        var log = new RecordingLog();
        Manifest.ReadPaths(log, path);
        Assert.Contains("UTF-16", log.Single(ManifestErrorIds.InvalidEncoding).Message);
    }

    [Fact]
    public void Field_of_the_wrong_type_names_its_path_and_position()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: maybe
              namespace: shop
            spec:
              hostNetwork: "maybe"
              containers: []
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              template:
                spec:
                  containers: {}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: ports
            spec:
              containers:
                - name: c
                  image: i
                  ports:
                    - containerPort: eighty
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: cpu
            spec:
              containers:
                - name: c
                  image: i
                  resources: { limits: { cpu: lots } }
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: { name: ok }
            """, log);
        Assert.Equal(4, log.Problems.Count);
        Assert.All(log.Problems, p => Assert.Equal(ManifestErrorIds.InvalidField, p.ErrorId));
        var (hostNetwork, containers, port, cpu) = (log.Problems[0], log.Problems[1], log.Problems[2], log.Problems[3]);
        Assert.Equal((7, 16), (hostNetwork.Line, hostNetwork.Column));
        Assert.Equal("Pod shop/maybe: spec.hostNetwork: expected a boolean (true or false), found the string \"maybe\".", hostNetwork.Message);
        Assert.Equal((17, 19), (containers.Line, containers.Column));
        Assert.Equal("Deployment web: spec.template.spec.containers: expected a list, found a mapping.", containers.Message);
        Assert.Equal((28, 26), (port.Line, port.Column));
        Assert.Contains("spec.containers[0].ports[0].containerPort: expected an integer", port.Message);
        Assert.Equal(38, cpu.Line);
        Assert.Contains("spec.containers[0].resources.limits.cpu", cpu.Message);
        Assert.Empty(snapshot.Kubernetes.Pods!.All);
        Assert.Single(snapshot.Kubernetes.ServiceAccounts!.All);
    }

    [Fact]
    public void Quoted_true_is_not_a_boolean_and_numbers_must_fit()
    {
        var log = new RecordingLog();
        Manifest.ReadText("apiVersion: v1\nkind: Pod\nmetadata: { name: q }\nspec:\n  hostPID: \"true\"\n  containers: []\n", log);
        Manifest.ReadText("apiVersion: v1\nkind: Pod\nmetadata: { name: r }\nspec:\n  containers:\n  - name: c\n    ports: [{ containerPort: 99999999999 }]\n", log);
        Assert.Equal(2, log.Problems.Count);
        Assert.Equal((5, 12), (log.Problems[0].Line, log.Problems[0].Column));
        Assert.Equal((7, 30), (log.Problems[1].Line, log.Problems[1].Column));
        Assert.Contains("out of range", log.Problems[1].Message);
    }

    [Fact]
    public void Missing_name_or_kind_is_an_invalid_field()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText("""
            apiVersion: v1
            kind: Pod
            metadata:
              generateName: job-
            spec: { containers: [] }
            ---
            replicaCount: 3
            image: { repository: nginx }
            ---
            apiVersion: v1
            kind: ServiceAccount
            """, log);
        Assert.Equal(3, log.Problems.Count);
        Assert.All(log.Problems, p => Assert.Equal(ManifestErrorIds.InvalidField, p.ErrorId));
        Assert.Equal(4, log.Problems[0].Line);
        Assert.Contains("metadata.name: required", log.Problems[0].Message);
        Assert.Contains("generateName", log.Problems[0].Message);
        Assert.Equal((7, 1), (log.Problems[1].Line, log.Problems[1].Column));
        Assert.Contains("kind: required", log.Problems[1].Message);
        Assert.Equal(10, log.Problems[2].Line);
        Assert.Empty(snapshot.Kubernetes.Pods!.All);
    }

    [Fact]
    public void Scalar_or_list_document_is_not_an_object()
    {
        var log = new RecordingLog();
        var snapshot = Manifest.ReadText(ServiceAccount("a") + "---\njust some text\n---\n- apiVersion: v1\n  kind: Pod\n---\n" + ServiceAccount("b") +
                                         "---\napiVersion: v1\nkind: List\nitems:\n  - 42\n", log);
        var problems = log.Problems;
        Assert.Equal(3, problems.Count);
        Assert.All(problems, p => Assert.Equal(ManifestErrorIds.NotAnObject, p.ErrorId));
        Assert.Equal((6, 1), (problems[0].Line, problems[0].Column));
        Assert.Contains("the string \"just some text\"", problems[0].Message);
        Assert.Equal((8, 1), (problems[1].Line, problems[1].Column));
        Assert.Contains("a list", problems[1].Message);
        Assert.Equal((19, 5), (problems[2].Line, problems[2].Column));
        Assert.Equal(2, snapshot.Kubernetes.ServiceAccounts!.Count);
    }

    [Fact]
    public void Missing_and_unreadable_paths_do_not_stop_the_others()
    {
        using var tree = new TempTree();
        var good = tree.Write("good.yaml", ServiceAccount("good"));
        var missing = Path.Combine(tree.Root, "missing.yaml");
        var locked = tree.Write("locked/locked.yaml", ServiceAccount("locked"));
        var canLock = !OperatingSystem.IsWindows() && Environment.UserName != "root";
        if (canLock) SetMode(locked, UnixFileMode.None);
        try
        {
            var log = new RecordingLog();
            var snapshot = Manifest.ReadPaths(log, missing, locked, good);
            var problems = log.Problems.Where(p => p.ErrorId == ManifestErrorIds.Unreadable).ToList();
            Assert.Equal(missing, problems[0].Path);
            Assert.Equal("The path does not exist.", problems[0].Message);
            if (canLock)
            {
                Assert.Equal(locked, problems[1].Path);
                Assert.Contains("permission denied", problems[1].Message);
            }
            Assert.Contains("good", snapshot.Kubernetes.ServiceAccounts!.All.Select(s => s.Metadata.Name));
        }
        finally
        {
            if (canLock) SetMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
    }

    [Fact]
    public void A_bad_file_does_not_stop_other_files()
    {
        using var tree = new TempTree();
        tree.Write("a.yaml", ServiceAccount("a"));
        tree.Write("b.yaml", "apiVersion: v1\nkind: Pod\n  metadata: : :\n");
        tree.Write("c.json", "{ \"apiVersion\": \"v1\", ");
        tree.WriteBytes("d.yaml", [0xFF, 0xFF, 0x00, 0x41]);
        tree.Write("e.yaml", ServiceAccount("e"));
        var log = new RecordingLog();
        var snapshot = Manifest.ReadPaths(log, tree.Root);
        Assert.Equal(3, log.Problems.Count);
        Assert.Equal(["a", "e"], snapshot.Kubernetes.ServiceAccounts!.All.Select(s => s.Metadata.Name));
        Assert.Equal(Path.Combine(tree.Root, "e.yaml"), snapshot.Location("ServiceAccount", "", "e").Path);
    }

    [Fact]
    public void Cancellation_is_honoured()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ManifestReader.Read(new ManifestRequest { Texts = [new ManifestText { Name = "x", Text = ServiceAccount("x") }] }, new RecordingLog(), cancelled.Token));
    }
}
