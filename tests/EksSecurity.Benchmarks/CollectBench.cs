using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime;
using System.Text;
using System.Text.Json;
using EksSecurity.Engine.Kubernetes.Collection;
using EksSecurity.Engine.Snapshot;
using EksSecurity.KubeTestServer.Api;
using EksSecurity.KubeTestServer.Scenario;
using EksSecurity.TestData;
using k8s;
using k8s.Models;
using KubeServer = EksSecurity.KubeTestServer.KubeTestServer;

namespace EksSecurity.Benchmarks;

/// <summary>
/// --collect: the Kubernetes half of collection at scale, against the loopback Kubernetes API test server.
///
/// dotnet run -c Release --project tests/EksSecurity.Benchmarks -- --collect [--scale large|small|tiny] [--pods N] [--nodes N]
///     [--namespaces N] [--runs 3] [--kubectl-runs N] [--page-size 500] [--managed-fields] [--no-kubectl]
///     [--kubectl-min-available-mb 2048] [--no-profile] [--out DIR]
///
/// One server process serves a synthetic cluster (lazily, as --synthetic large does); each measurement
/// runs in its own child process so its peak memory is its own, and the server's is not counted:
///   - ours, pods only: KubernetesCollector.CollectAsync with a client whose handler lets only
///     GET /api/v1/pods reach the server (every other kind is answered 403 locally, so those sections
///     are Denied); the pods section goes through the collector's own paging and compaction;
///   - kubectl get pods -A -o json --chunk-size=500 &gt; /dev/null, under /usr/bin/time (max RSS);
///   - ours, full: KubernetesConnection.OpenAsync, then KubernetesCollector.CollectAsync (every kind, as
///     SecurityEngine.CollectAsync runs it), then ClusterSnapshot.Normalize (timed apart);
///   - profile (once): the pod pages over raw HTTP/2 without deserializing them (the transfer floor), and
///     KubernetesJson deserialization of a sample of those pages from memory.
/// Pages and items sent are counted by the server (its request log, cleared before each measurement).
/// Writes DIR/collect-results.json. Asserts nothing about time.
/// </summary>
public static class CollectBench
{
    internal const string ChildFlag = "--collect-child";
    private const string Ready = "READY ";
    private const string Reply = "REPLY ";

    public static int Run(string[] args)
    {
        var a = CollectArguments.Parse(args);
        if (a.Child is { } mode)
        {
            if (mode == "server") return Server(a);
            object result = mode switch
            {
                "pods" => CollectChild(a, podsOnly: true),
                "full" => CollectChild(a, podsOnly: false),
                "pods-http" => RawHttpChild(a).GetAwaiter().GetResult(),
                _ => throw new ArgumentException($"Unknown collect child mode '{mode}'."),
            };
            Console.Out.WriteLine(ChildModes.ResultMarker + JsonSerializer.Serialize(result, result.GetType(), BenchJson.Compact));
            return 0;
        }
        return Parent(a);
    }

    // ------------------------------------------------------------ parent

    private static int Parent(CollectArguments a)
    {
        var options = a.Options();
        Directory.CreateDirectory(a.OutDirectory);
        var kubeconfig = Path.Combine(a.OutDirectory, "collect-bench.kubeconfig");
        Console.WriteLine($"EksSecurity Kubernetes collection benchmark: {options}; page size {a.PageSize}, {a.Runs} run(s) each" +
                          (a.ManagedFields ? ", pods served with managedFields" : ""));
        Console.WriteLine($"{Environment.ProcessorCount} cores, load average {Load()} at start");

        var results = new CollectBenchResults
        {
            StartedAt = DateTimeOffset.UtcNow,
            Options = options,
            PageSize = a.PageSize,
            ManagedFields = a.ManagedFields,
            Cores = Environment.ProcessorCount,
            LoadAverageAtStart = MemoryInfo.LoadAverage(),
        };

        using var server = ServerProcess.Start(a, kubeconfig);
        Console.WriteLine($"server: pid {server.Pid}, {server.Uri}, ready in {server.StartSeconds:F1} s; kubeconfig {kubeconfig}");
        results.ServerUri = server.Uri;

        var kubectl = a.Kubectl ? Kubectl.Find() : null;
        if (a.Kubectl && kubectl is null) Console.WriteLine("kubectl: not on PATH, skipped");
        if (kubectl is not null)
        {
            results.KubectlVersion = kubectl.Version;
            Console.WriteLine($"kubectl: {kubectl.Path} ({kubectl.Version}); peak memory from {(Kubectl.TimePath is null ? "polling /proc/<pid>/status VmHWM" : "/usr/bin/time (max RSS of kubectl and the kubectl it dispatches to)")}");
        }

        var measurements = new List<CollectMeasurement>
        {
            new() { Name = "ours: pods only", Mode = "pods" },
            new() { Name = "kubectl get pods -A -o json", Mode = "kubectl" },
            new() { Name = "ours: full collection", Mode = "full" },
        };
        if (kubectl is null) measurements.RemoveAt(1);
        for (var run = 1; run <= a.Runs; run++)
        {
            foreach (var m in measurements)
            {
                if (m.Mode == "kubectl" && run > (a.KubectlRuns ?? a.Runs)) continue;
                server.Command("clear");
                var load = MemoryInfo.LoadAverage();
                var r = m.Mode == "kubectl" ? kubectl!.Run(kubeconfig, a.PageSize, (long)a.KubectlMinAvailableMb << 20) : RunChild(m.Mode, a, kubeconfig);
                r.Server = server.Summary();
                r.LoadAverageAtStart ??= load;
                r.LoadAverageAtEnd ??= MemoryInfo.LoadAverage();
                m.Runs.Add(r);
                Console.WriteLine($"  {m.Name,-30} run {run}/{a.Runs}: {r.WorkSeconds,7:F2} s (process {r.ProcessSeconds:F2} s, CPU {r.CpuSeconds:F1} s), " +
                                  $"peak {Format.Bytes(r.PeakMemoryBytes)}" +
                                  (r.ManagedHeapAfterGcBytes is { } h ? $", heap after GC {Format.Bytes(h)}" : "") +
                                  $", pods {r.Pods?.ToString("N0", CultureInfo.InvariantCulture) ?? "-"} (server sent {r.Server.PodItems:N0} in {r.Server.PodPages} pages), " +
                                  $"{r.Server.Requests} requests, load {r.LoadAverageAtStart:F1}->{r.LoadAverageAtEnd:F1}");
                if (r.Error is not null) Console.WriteLine($"    error: {r.Error}");
            }
        }
        results.Measurements = measurements;

        if (a.Profile)
        {
            Console.WriteLine("profile: pod pages over raw HTTP/2, then KubernetesJson on a sample from memory (one more child) ...");
            server.Command("clear");
            var p = RunChild("pods-http", a, kubeconfig);
            p.Server = server.Summary();
            results.Profile = p;
        }
        results.ServerAtEnd = server.Summary();
        results.LoadAverageAtEnd = MemoryInfo.LoadAverage();

        Print(results);
        var path = Path.Combine(a.OutDirectory, "collect-results.json");
        File.WriteAllText(path, JsonSerializer.Serialize(results, BenchJson.Options));
        Console.WriteLine($"results: {path}");
        return 0;
    }

    private static string Load() => MemoryInfo.LoadAverage()?.ToString("F2", CultureInfo.InvariantCulture) ?? "?";

    private static CollectRunResult RunChild(string mode, CollectArguments a, string kubeconfig)
    {
        var start = SelfStart();
        foreach (var x in new[] { "--collect", ChildFlag, mode, "--kubeconfig", kubeconfig, "--page-size", a.PageSize.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(x);
        start.RedirectStandardOutput = true;
        var sw = Stopwatch.StartNew();
        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
        string? resultLine = null;
        while (child.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith(ChildModes.ResultMarker, StringComparison.Ordinal)) resultLine = line[ChildModes.ResultMarker.Length..];
            else Console.WriteLine("    | " + line);
        }
        child.WaitForExit();
        var seconds = sw.Elapsed.TotalSeconds;
        if (child.ExitCode != 0 || resultLine is null)
            throw new InvalidOperationException($"The {mode} child failed (exit code {child.ExitCode}).");
        var r = JsonSerializer.Deserialize<CollectRunResult>(resultLine, BenchJson.Options)!;
        r.ProcessSeconds = seconds;
        return r;
    }

    private static ProcessStartInfo SelfStart()
    {
        var start = new ProcessStartInfo { UseShellExecute = false };
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(CollectBench).Assembly.Location);
        return start;
    }

    // ------------------------------------------------------------ server process

    /// <summary>The test server in a child process of its own; commands on its stdin, one reply line each on its stdout.</summary>
    private sealed class ServerProcess : IDisposable
    {
        private readonly Process _process;
        private ServerProcess(Process process, string uri, double seconds) { _process = process; Uri = uri; StartSeconds = seconds; }

        public string Uri { get; }
        public double StartSeconds { get; }
        public int Pid => _process.Id;

        public static ServerProcess Start(CollectArguments a, string kubeconfig)
        {
            var start = SelfStart();
            var args = new List<string> { "--collect", ChildFlag, "server", "--kubeconfig", kubeconfig, "--scale", a.Scale };
            if (a.Pods is { } p) args.AddRange(["--pods", p.ToString(CultureInfo.InvariantCulture)]);
            if (a.Nodes is { } n) args.AddRange(["--nodes", n.ToString(CultureInfo.InvariantCulture)]);
            if (a.Namespaces is { } ns) args.AddRange(["--namespaces", ns.ToString(CultureInfo.InvariantCulture)]);
            if (a.ManagedFields) args.Add("--managed-fields");
            args.AddRange(["--page-size", a.PageSize.ToString(CultureInfo.InvariantCulture)]);
            foreach (var x in args) start.ArgumentList.Add(x);
            start.RedirectStandardInput = true;
            start.RedirectStandardOutput = true;
            var sw = Stopwatch.StartNew();
            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server process.");
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith(Ready, StringComparison.Ordinal)) return new ServerProcess(process, line[Ready.Length..], sw.Elapsed.TotalSeconds);
                Console.WriteLine("    server| " + line);
            }
            throw new InvalidOperationException($"The server process exited before it was ready (exit code {(process.WaitForExit(5000) ? process.ExitCode : -1)}).");
        }

        public string Command(string command)
        {
            _process.StandardInput.WriteLine(command);
            _process.StandardInput.Flush();
            while (_process.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith(Reply, StringComparison.Ordinal)) return line[Reply.Length..];
                Console.WriteLine("    server| " + line);
            }
            throw new InvalidOperationException("The server process exited.");
        }

        public ServerSummary Summary() => JsonSerializer.Deserialize<ServerSummary>(Command("summary"), BenchJson.Options)!;

        public void Dispose()
        {
            try
            {
                _process.StandardInput.Close(); // the server stops at end of input
                if (!_process.WaitForExit(30_000)) _process.Kill();
            }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }
    }

    /// <summary>The server child: the synthetic cluster, lazily served (as --synthetic does), until stdin ends.</summary>
    private static int Server(CollectArguments a)
    {
        var options = a.Options();
        var scenario = KubeScenario.FromSynthetic(options);
        if (a.ManagedFields)
        {
            // What a real API server adds to every pod: field ownership (the collector drops it as pages arrive).
            var cluster = new SyntheticCluster(options);
            scenario.SetLazy(ResourceCatalog.Pods, () => cluster.Pods().Select(ManagedFields.Add));
        }
        using var server = new KubeServer(scenario, new EksSecurity.KubeTestServer.KubeTestServerOptions { Log = line => Console.Error.WriteLine("server: " + line) });
        var uri = server.Start();
        server.WriteKubeconfig(a.Kubeconfig ?? throw new ArgumentException("--kubeconfig is required."), KubeScenario.AdminToken);

        // Warm the server's list paths (JIT) so the first measurement does not pay for them.
        using (var http = server.CreateHttpClient())
        {
            foreach (var resource in new[] { "/api/v1/pods", "/api/v1/nodes", "/apis/apps/v1/replicasets", "/api/v1/namespaces" })
                http.GetStringAsync($"{resource}?limit={a.PageSize}").GetAwaiter().GetResult();
        }
        server.ClearLog();

        Console.Out.WriteLine(Ready + uri);
        Console.Out.Flush();
        while (Console.In.ReadLine() is { } command)
        {
            switch (command.Trim())
            {
                case "clear":
                    server.ClearLog();
                    Console.Out.WriteLine(Reply + "ok");
                    break;
                case "summary":
                    Console.Out.WriteLine(Reply + JsonSerializer.Serialize(Summarize(server.RequestLog), BenchJson.Compact));
                    break;
                default:
                    Console.Out.WriteLine(Reply + "unknown command");
                    break;
            }
            Console.Out.Flush();
        }
        return 0;
    }

    private static ServerSummary Summarize(IReadOnlyList<EksSecurity.KubeTestServer.RequestLogEntry> log)
    {
        var podLists = log.Where(e => e is { Verb: "list", Resource: "pods", Namespace: null, Subresource: null }).ToList();
        return new ServerSummary
        {
            Requests = log.Count,
            PodPages = podLists.Count,
            PodPagesWithContinue = podLists.Count(e => e.QueryValue("continue") is not null),
            PodItems = podLists.Sum(e => e.Items ?? 0),
            PodLimits = podLists.Select(e => e.QueryValue("limit") ?? "none").Distinct().Order().ToList(),
            ListPages = log.Count(e => e.Verb == "list"),
            Items = log.Sum(e => e.Items ?? 0),
            Protocols = log.GroupBy(e => e.Protocol ?? "?").ToDictionary(g => g.Key, g => g.Count()),
            NotOk = log.Where(e => e.Status != 200).GroupBy(e => $"{e.Status} {e.Verb} {e.Resource ?? e.Path}").ToDictionary(g => g.Key, g => g.Count()),
            WorkingSetBytes = Environment.WorkingSet,
            PeakWorkingSetBytes = MemoryInfo.PeakWorkingSetBytes(),
            ManagedBytes = GC.GetTotalMemory(false),
        };
    }

    // ------------------------------------------------------------ our collection (children)

    private static CollectRunResult CollectChild(CollectArguments a, bool podsOnly)
    {
        var kubeconfig = a.Kubeconfig ?? throw new ArgumentException("--kubeconfig is required.");
        var loadAtStart = MemoryInfo.LoadAverage();
        var snapshot = new ClusterSnapshot { ClusterName = "bench" };
        var config = KubernetesConnection.FromKubeconfig(kubeconfig, null);
        var gate = podsOnly ? new PodsOnlyHandler() : null;
        // Full: as SecurityEngine.CollectAsync opens it (one list namespaces?limit=1 first). Pods only: the handler keeps every other kind off the wire.
        using var ownClient = podsOnly ? new k8s.Kubernetes(config, gate!) : null;

        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pauseBefore = GC.GetTotalPauseDuration();
        var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var sw = Stopwatch.StartNew();
        var client = ownClient ?? KubernetesConnection.OpenAsync(config, CancellationToken.None).GetAwaiter().GetResult();
        try
        {
            new KubernetesCollector(client, a.PageSize).CollectAsync(snapshot, CancellationToken.None).GetAwaiter().GetResult();
        }
        finally
        {
            if (ownClient is null) client.Dispose();
        }
        var work = sw.Elapsed.TotalSeconds;
        double? normalize = null;
        if (!podsOnly)
        {
            sw.Restart();
            snapshot.Normalize();
            normalize = sw.Elapsed.TotalSeconds;
        }
        self.Refresh();
        var cpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var pause = (GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds;
        var (c0, c1, c2) = (GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2);
        var peak = MemoryInfo.PeakWorkingSetBytes();

        var heap = HeapAfterFullGc();

        var sections = Enum.GetValues<SnapshotSection>().Where(s => !ClusterSnapshot.IsAwsSection(s)).Select(snapshot.DescribeSection).ToList();
        var podCount = snapshot.Kubernetes.Pods is { IsCollected: true } collected ? collected.Count : (int?)null;
        long? withoutStatus = null, withoutAnnotations = null;
        if (podsOnly && snapshot.Kubernetes.Pods is { IsCollected: true } all)
        {
            // What a stricter compaction could save: the same pods without status, then also without annotations.
            foreach (var pod in all.All) pod.Status = null;
            withoutStatus = HeapAfterFullGc();
            foreach (var pod in all.All) if (pod.Metadata is { } meta) meta.Annotations = null;
            withoutAnnotations = HeapAfterFullGc();
        }
        var result = new CollectRunResult
        {
            Mode = podsOnly ? "pods" : "full",
            WorkSeconds = work,
            NormalizeSeconds = normalize,
            CpuSeconds = cpu,
            PeakMemoryBytes = peak,
            ManagedHeapAfterGcBytes = heap,
            AllocatedBytes = allocated,
            Gen0Collections = c0,
            Gen1Collections = c1,
            Gen2Collections = c2,
            GcPauseSeconds = pause,
            Pods = podCount,
            HeapWithoutPodStatusBytes = withoutStatus,
            HeapWithoutPodStatusAndAnnotationsBytes = withoutAnnotations,
            ClientRequests = gate?.Passed,
            BlockedRequests = gate?.Blocked,
            Sections = sections.Where(s => s.Status == SectionStatus.Collected).ToDictionary(s => s.Section.ToString(), s => s.ItemCount),
            SectionsNotCollected = sections.Where(s => s.Status is SectionStatus.Denied or SectionStatus.Failed)
                .GroupBy(s => s.Status.ToString()).ToDictionary(g => g.Key, g => g.Count()),
            Failures = sections.Where(s => s.Status == SectionStatus.Failed).Select(s => s.Describe()).ToList() is { Count: > 0 } f ? f : null,
            LoadAverageAtStart = loadAtStart,
            LoadAverageAtEnd = MemoryInfo.LoadAverage(),
        };
        GC.KeepAlive(snapshot);
        return result;
    }

    private static long HeapAfterFullGc()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    /// <summary>Lets only the cluster-wide pod list reach the server; every other request is answered 403 here, so its section is Denied and costs nothing.</summary>
    private sealed class PodsOnlyHandler : DelegatingHandler
    {
        private int _passed, _blocked;
        public int Passed => _passed;
        public int Blocked => _blocked;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri?.AbsolutePath == "/api/v1/pods")
            {
                Interlocked.Increment(ref _passed);
                return base.SendAsync(request, cancellationToken);
            }
            Interlocked.Increment(ref _blocked);
            const string status = """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"not requested: the benchmark collects pods only","reason":"Forbidden","code":403}""";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Forbidden)
            {
                RequestMessage = request,
                Content = new StringContent(status, Encoding.UTF8, "application/json"),
            });
        }
    }

    // ------------------------------------------------------------ profile: transfer alone, deserialization alone

    private static async Task<CollectRunResult> RawHttpChild(CollectArguments a)
    {
        var kubeconfig = a.Kubeconfig ?? throw new ArgumentException("--kubeconfig is required.");
        var config = KubernetesConnection.FromKubeconfig(kubeconfig, null);
        var ca = config.SslCaCerts ?? throw new InvalidOperationException("The kubeconfig has no CA.");
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null) return false;
            using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
            chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(ca);
            chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
            return chain.Build(certificate as System.Security.Cryptography.X509Certificates.X509Certificate2
                               ?? System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(config.Host!), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", config.AccessToken);

        const long sampleLimit = 48L << 20;
        var sample = new List<byte[]>();
        long sampleBytes = 0, bytes = 0;
        var pages = 0;
        var buffer = new MemoryStream(8 << 20);
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        string? token = null;
        do
        {
            var uri = $"/api/v1/pods?limit={a.PageSize}" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token));
            // As KubernetesClient sends it: HTTP/2, the body read as it arrives.
            using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = HttpVersion.Version20 };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            buffer.SetLength(0);
            await using (var body = await response.Content.ReadAsStreamAsync()) await body.CopyToAsync(buffer, 1 << 16);
            bytes += buffer.Length;
            pages++;
            token = ContinueOf(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            if (sampleBytes < sampleLimit)
            {
                sample.Add(buffer.ToArray());
                sampleBytes += buffer.Length;
            }
        }
        while (!string.IsNullOrEmpty(token));
        var transfer = sw.Elapsed.TotalSeconds;
        self.Refresh();
        var transferCpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;

        // Deserialization alone, from memory, each variant timed in CPU seconds of this (single-threaded) work, steadier than wall time on a busy machine.
        var scale = (double)bytes / sampleBytes;
        var phases = new List<PhaseTiming>();
        var podsInSample = 0;
        PhaseTiming Phase(string name, Func<byte[], int> parse)
        {
            foreach (var page in sample) parse(page); // a whole untimed pass first, so every variant is timed with tiered-up code
            GC.Collect();
            self.Refresh();
            var cpu0 = self.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var items = 0;
            foreach (var page in sample) items += parse(page);
            var wall = clock.Elapsed.TotalSeconds;
            self.Refresh();
            var cpu = (self.TotalProcessorTime - cpu0).TotalSeconds;
            var t = new PhaseTiming(name, cpu, sampleBytes, items, $"wall {wall:F2} s; all {pages} pages at this rate: {cpu * scale:F1} s CPU");
            phases.Add(t);
            return t;
        }
        // Two untimed passes first: the first variant timed otherwise pays for tiering up the model's code (measured ~2x slower than the same pass later).
        for (var warm = 0; warm < 2; warm++)
            foreach (var page in sample) KubernetesJson.Deserialize<V1PodList>(new MemoryStream(page));
        // What KubernetesClient does with each page: KubernetesJson over a stream.
        var kubernetesJson = Phase("KubernetesJson.Deserialize<V1PodList> (as KubernetesClient)", page => KubernetesJson.Deserialize<V1PodList>(new MemoryStream(page))!.Items.Count);
        podsInSample = kubernetesJson.Items ?? 0;
        // The same options with the date converter replaced by Utf8JsonReader.GetDateTime (ISO 8601), then also quantities skipped: what each costs.
        if (typeof(KubernetesJson).GetField("JsonSerializerOptions", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)?.GetValue(null) is JsonSerializerOptions original)
        {
            var fastDates = new JsonSerializerOptions(original);
            fastDates.Converters.Insert(0, new FastDateTimeConverter());
            Phase("  same, dates read by Utf8JsonReader.GetDateTime", page => KubernetesJson.Deserialize<V1PodList>(new MemoryStream(page), fastDates)!.Items.Count);
            var noQuantities = new JsonSerializerOptions(fastDates);
            noQuantities.Converters.Insert(0, new SkipQuantityConverter());
            Phase("  same, and resource quantities skipped (not parsed)", page => KubernetesJson.Deserialize<V1PodList>(new MemoryStream(page), noQuantities)!.Items.Count);
        }
        // The same model with System.Text.Json's own reflection resolver (no source-generated context): is KubernetesJson's configuration the cost?
        var reflection = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
            Converters = { new KubernetesJson.KubernetesDateTimeConverter(), new KubernetesJson.KubernetesDateTimeOffsetConverter() },
        };
        Phase("JsonSerializer, reflection resolver, same model", page => JsonSerializer.Deserialize<V1PodList>(new MemoryStream(page), reflection)!.Items.Count);
        Phase("JsonDocument.Parse (a DOM, no model)", page =>
        {
            using var doc = JsonDocument.Parse(page);
            return doc.RootElement.GetProperty("items").GetArrayLength();
        });
        Phase("Utf8JsonReader, tokenizing alone", page =>
        {
            var reader = new Utf8JsonReader(page);
            while (reader.Read()) { }
            return 0;
        });

        var notes = new List<string>
        {
            $"raw transfer: {pages} pages, {Format.Bytes(bytes)} in {transfer:F2} s ({bytes / 1048576.0 / transfer:F0} MiB/s), client CPU {transferCpu:F1} s",
            $"from memory, a sample of {sample.Count} pages ({Format.Bytes(sampleBytes)}, {podsInSample:N0} pods), CPU seconds:",
        };
        notes.AddRange(phases.Select(t => $"  {t.Seconds,6:F2} s  {t.Name}: {t.MegabytesPerSecond:F0} MiB/s ({t.Note})"));
        notes.Add($"  (the variants' converters were called: dates {FastDateTimeConverter.Calls:N0} times, quantities {SkipQuantityConverter.Calls:N0} times)");
        var tokenize = phases.Last().Seconds;
        var deserialize = kubernetesJson.Seconds;
        return new CollectRunResult
        {
            Mode = "pods-http",
            WorkSeconds = transfer,
            CpuSeconds = transferCpu,
            PeakMemoryBytes = MemoryInfo.PeakWorkingSetBytes(),
            PodPagesFetched = pages,
            ResponseBytes = bytes,
            DeserializeSampleSeconds = deserialize,
            DeserializeSampleBytes = sampleBytes,
            DeserializeSamplePods = podsInSample,
            DeserializeAllEstimateSeconds = deserialize * scale,
            TokenizeAllEstimateSeconds = tokenize * scale,
            Phases = phases,
            Notes = notes,
            LoadAverageAtStart = MemoryInfo.LoadAverage(),
        };
    }

    /// <summary>metadata.continue of a list answer (the list's metadata comes before its items).</summary>
    private static string? ContinueOf(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
            if (reader.ValueTextEquals("items"u8)) { reader.Skip(); continue; }
            if (!reader.ValueTextEquals("metadata"u8)) { reader.Skip(); continue; }
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("continue"u8))
                {
                    reader.Read();
                    return reader.GetString();
                }
                reader.Skip();
            }
            return null;
        }
        return null;
    }

    // ------------------------------------------------------------ kubectl

    private sealed class Kubectl
    {
        public static readonly string? TimePath = File.Exists("/usr/bin/time") ? "/usr/bin/time" : null;

        public required string Path { get; init; }
        public required string Version { get; init; }

        public static Kubectl? Find()
        {
            var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator)
                .Select(d => System.IO.Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists);
            if (path is null) return null;
            var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var x in new[] { "version", "--client", "-o", "json" }) start.ArgumentList.Add(x);
            using var p = Process.Start(start)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            string version;
            try { version = JsonDocument.Parse(output).RootElement.GetProperty("clientVersion").GetProperty("gitVersion").GetString() ?? "?"; }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException) { version = "?"; }
            return new Kubectl { Path = path, Version = version };
        }

        /// <summary>kubectl get pods -A -o json --chunk-size=N &gt; /dev/null, under /usr/bin/time for its max RSS (or /proc polling without it).</summary>
        public CollectRunResult Run(string kubeconfig, int pageSize, long minAvailableBytes)
        {
            var timeFile = System.IO.Path.GetTempFileName();
            var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec \"$@\" > /dev/null");
            start.ArgumentList.Add("sh");
            if (TimePath is not null)
                foreach (var x in new[] { TimePath, "-f", "%e %M %U %S", "-o", timeFile }) start.ArgumentList.Add(x);
            foreach (var x in new[] { Path, "--kubeconfig", kubeconfig, "get", "pods", "-A", "-o", "json", $"--chunk-size={pageSize}" })
                start.ArgumentList.Add(x);
            var loadAtStart = MemoryInfo.LoadAverage();
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(start) ?? throw new InvalidOperationException("Could not start kubectl.");
            var stderr = p.StandardError.ReadToEndAsync();
            long polledPeak = 0, lowestAvailable = long.MaxValue;
            string? aborted = null;
            while (!p.WaitForExit(TimePath is null ? 20 : 200))
            {
                if (TimePath is null && ReadHwm(p.Id) is { } hwm) polledPeak = Math.Max(polledPeak, hwm);
                // kubectl -o json holds every object until it prints: on a shared machine, stop it before it starves the others.
                if (MemAvailableBytes() is { } available)
                {
                    lowestAvailable = Math.Min(lowestAvailable, available);
                    if (available < minAvailableBytes && aborted is null)
                    {
                        aborted = $"stopped after {sw.Elapsed.TotalSeconds:F0} s: the machine's MemAvailable fell to {Format.Bytes(available)} (limit {Format.Bytes(minAvailableBytes)})";
                        p.Kill(entireProcessTree: true);
                    }
                }
            }
            var wall = sw.Elapsed.TotalSeconds;
            var error = stderr.GetAwaiter().GetResult().Trim();

            double? timeWall = null, cpu = null;
            long peak = polledPeak;
            if (TimePath is not null)
            {
                var fields = File.ReadAllLines(timeFile).LastOrDefault(l => l.Split(' ').Length == 4)?.Split(' ');
                if (fields is not null)
                {
                    timeWall = double.Parse(fields[0], CultureInfo.InvariantCulture);
                    peak = long.Parse(fields[1], CultureInfo.InvariantCulture) * 1024;
                    cpu = double.Parse(fields[2], CultureInfo.InvariantCulture) + double.Parse(fields[3], CultureInfo.InvariantCulture);
                }
            }
            File.Delete(timeFile);
            return new CollectRunResult
            {
                Mode = "kubectl",
                WorkSeconds = wall,
                ProcessSeconds = timeWall ?? wall,
                CpuSeconds = cpu,
                PeakMemoryBytes = peak,
                PeakMemorySource = TimePath is null ? "VmHWM polled every 20 ms" : "/usr/bin/time %M (max RSS)",
                Error = aborted ?? (p.ExitCode != 0 || error.Length > 0 ? $"exit {p.ExitCode}: {error}" : null),
                LowestMemAvailableBytes = lowestAvailable == long.MaxValue ? null : lowestAvailable,
                LoadAverageAtStart = loadAtStart,
                LoadAverageAtEnd = MemoryInfo.LoadAverage(),
            };
        }

        private static long? MemAvailableBytes()
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/meminfo"))
                    if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                        return long.Parse(line[13..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            return null;
        }

        private static long? ReadHwm(int pid)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            return null;
        }
    }

    // ------------------------------------------------------------ report

    private static void Print(CollectBenchResults r)
    {
        Console.WriteLine();
        Console.WriteLine($"cluster: {r.Options}; page size {r.PageSize}; load average {r.LoadAverageAtStart:F2} at start, {r.LoadAverageAtEnd:F2} at end, {r.Cores} cores");
        Console.WriteLine("wall: ours = stopwatch around the collection in the child (process start, JIT of startup and client creation excluded; 'process' = the whole child); " +
                          "kubectl = the whole process, discovery included. Peak: ours = VmHWM of the child; kubectl = " + (Kubectl.TimePath is null ? "VmHWM polled" : "/usr/bin/time max RSS") + ".");
        Console.WriteLine();
        Console.WriteLine($"{"measurement",-30}{"wall best",10}{"median",8}{"process",9}{"CPU",7}{"peak best",11}{"median",10}{"heap/GC",10}{"allocated",11}{"pods",10}{"pages",7}{"requests",9}   all runs (s)");
        foreach (var m in r.Measurements.Where(m => m.Runs.Count > 0))
        {
            var b = m.Best!;
            Console.WriteLine($"{m.Name,-30}{b.WorkSeconds,10:F2}{Median(m.Runs.Select(x => x.WorkSeconds)),8:F2}{b.ProcessSeconds,9:F2}{b.CpuSeconds,7:F1}" +
                              $"{Format.Bytes(b.PeakMemoryBytes),11}{Format.Bytes((long)Median(m.Runs.Select(x => (double)x.PeakMemoryBytes))),10}" +
                              $"{(b.ManagedHeapAfterGcBytes is { } h ? Format.Bytes(h) : "-"),10}{(b.AllocatedBytes is { } al ? Format.Bytes(al) : "-"),11}" +
                              $"{(b.Pods ?? b.Server?.PodItems)?.ToString("N0", CultureInfo.InvariantCulture),10}{b.Server?.PodPages,7}{b.Server?.Requests,9}" +
                              $"   {string.Join(" ", m.Runs.Select(x => x.WorkSeconds.ToString("F2", CultureInfo.InvariantCulture)))}");
        }
        if (r.Profile is { } p)
        {
            Console.WriteLine();
            Console.WriteLine("profile (pods, one child):");
            foreach (var n in p.Notes ?? []) Console.WriteLine("  " + n);
        }

        var ours = r.Measurements.FirstOrDefault(m => m.Mode == "pods")?.Best;
        var kubectl = r.Measurements.FirstOrDefault(m => m.Mode == "kubectl")?.Best;
        var full = r.Measurements.FirstOrDefault(m => m.Mode == "full")?.Best;
        Console.WriteLine();
        if (ours is not null && kubectl is not null)
        {
            Console.WriteLine($"pods: ours {ours.WorkSeconds:F2} s (whole process {ours.ProcessSeconds:F2} s) against kubectl {kubectl.WorkSeconds:F2} s: " +
                              $"{(ours.ProcessSeconds <= kubectl.WorkSeconds ? "no slower (goal met)" : ours.WorkSeconds <= kubectl.WorkSeconds ? "no slower in collection time, slower counting process start" : "SLOWER (goal not met)")}; " +
                              $"ratio {ours.WorkSeconds / kubectl.WorkSeconds:F2}. Peak memory ours {Format.Bytes(ours.PeakMemoryBytes)}, kubectl {Format.Bytes(kubectl.PeakMemoryBytes)}.");
        }
        if (ours is { ManagedHeapAfterGcBytes: { } live, HeapWithoutPodStatusBytes: { } noStatus, HeapWithoutPodStatusAndAnnotationsBytes: { } noAnnotations, Pods: > 0 })
        {
            Console.WriteLine($"pods in memory: {Format.Bytes(live)} live after GC ({live / (double)ours.Pods!.Value / 1024:F1} KiB a pod" +
                              (r.Profile?.ResponseBytes is { } json ? $", against {json / (double)ours.Pods.Value / 1024:F1} KiB of JSON a pod" : "") +
                              $"); without pod status {Format.Bytes(noStatus)} ({100.0 * (live - noStatus) / live:F0}% less); without status and annotations {Format.Bytes(noAnnotations)} ({100.0 * (live - noAnnotations) / live:F0}% less)");
        }
        if (full is not null)
        {
            var response = r.Profile?.ResponseBytes;
            Console.WriteLine($"full: {full.WorkSeconds:F2} s (+ normalize {full.NormalizeSeconds:F2} s), peak {Format.Bytes(full.PeakMemoryBytes)}, live snapshot (heap after GC) {Format.Bytes(full.ManagedHeapAfterGcBytes ?? 0)}" +
                              (response is { } rb ? $", pod responses alone {Format.Bytes(rb)} of JSON" : "") +
                              $"; peak / live snapshot = {(double)full.PeakMemoryBytes / Math.Max(1, full.ManagedHeapAfterGcBytes ?? 1):F2}");
        }
        if (r.Measurements.SelectMany(m => m.Runs).Select(x => x.LoadAverageAtStart).OfType<double>().DefaultIfEmpty(0).Max() > r.Cores)
            Console.WriteLine($"note: the load average exceeded {r.Cores} during the runs: other work competed, times are upper bounds.");
        if (r.ServerAtEnd is { } s)
            Console.WriteLine($"server process (not counted above): peak working set {Format.Bytes(s.PeakWorkingSetBytes)}, now {Format.Bytes(s.WorkingSetBytes)}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        return v.Count == 0 ? 0 : v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }
}

/// <summary>Profile only: DateTime read by Utf8JsonReader.GetDateTime (ISO 8601) instead of KubernetesJson's string parsing.</summary>
internal sealed class FastDateTimeConverter : System.Text.Json.Serialization.JsonConverter<DateTime>
{
    public static int Calls;
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Calls++;
        return reader.GetDateTime().ToUniversalTime();
    }
    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Profile only: resource quantities skipped, to see what parsing them costs.</summary>
internal sealed class SkipQuantityConverter : System.Text.Json.Serialization.JsonConverter<ResourceQuantity>
{
    public static int Calls;
    public override ResourceQuantity? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Calls++; // a quantity is one string (or number) token: nothing to skip
        return null;
    }
    public override void Write(Utf8JsonWriter writer, ResourceQuantity value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

/// <summary>Realistic field ownership for served pods (--managed-fields): what kube-controller-manager and the kubelet record on every pod.</summary>
internal static class ManagedFields
{
    public static V1Pod Add(V1Pod pod)
    {
        var containers = pod.Spec?.Containers?.Select(c => c.Name).ToList() ?? [];
        var spec = new Dictionary<string, object>
        {
            ["f:dnsPolicy"] = new { }, ["f:enableServiceLinks"] = new { }, ["f:restartPolicy"] = new { }, ["f:schedulerName"] = new { },
            ["f:securityContext"] = new { }, ["f:serviceAccount"] = new { }, ["f:serviceAccountName"] = new { }, ["f:terminationGracePeriodSeconds"] = new { },
        };
        foreach (var name in containers)
        {
            spec[$"k:{{\"name\":\"{name}\"}}"] = new Dictionary<string, object>
            {
                ["."] = new { }, ["f:image"] = new { }, ["f:imagePullPolicy"] = new { }, ["f:name"] = new { },
                ["f:ports"] = new Dictionary<string, object> { ["."] = new { }, ["k:{\"containerPort\":8080,\"protocol\":\"TCP\"}"] = new Dictionary<string, object> { ["."] = new { }, ["f:containerPort"] = new { }, ["f:name"] = new { }, ["f:protocol"] = new { } } },
                ["f:resources"] = new Dictionary<string, object> { ["."] = new { }, ["f:limits"] = new Dictionary<string, object> { ["."] = new { }, ["f:memory"] = new { } }, ["f:requests"] = new Dictionary<string, object> { ["."] = new { }, ["f:cpu"] = new { }, ["f:memory"] = new { } } },
                ["f:securityContext"] = new Dictionary<string, object> { ["."] = new { }, ["f:allowPrivilegeEscalation"] = new { }, ["f:readOnlyRootFilesystem"] = new { }, ["f:runAsNonRoot"] = new { } },
                ["f:terminationMessagePath"] = new { }, ["f:terminationMessagePolicy"] = new { },
            };
        }
        var status = new Dictionary<string, object>
        {
            ["f:conditions"] = new Dictionary<string, object>
            {
                ["k:{\"type\":\"ContainersReady\"}"] = new Dictionary<string, object> { ["."] = new { }, ["f:lastProbeTime"] = new { }, ["f:lastTransitionTime"] = new { }, ["f:status"] = new { }, ["f:type"] = new { } },
                ["k:{\"type\":\"Initialized\"}"] = new Dictionary<string, object> { ["."] = new { }, ["f:lastProbeTime"] = new { }, ["f:lastTransitionTime"] = new { }, ["f:status"] = new { }, ["f:type"] = new { } },
                ["k:{\"type\":\"PodReadyToStartContainers\"}"] = new Dictionary<string, object> { ["."] = new { }, ["f:lastProbeTime"] = new { }, ["f:lastTransitionTime"] = new { }, ["f:status"] = new { }, ["f:type"] = new { } },
                ["k:{\"type\":\"Ready\"}"] = new Dictionary<string, object> { ["."] = new { }, ["f:lastProbeTime"] = new { }, ["f:lastTransitionTime"] = new { }, ["f:status"] = new { }, ["f:type"] = new { } },
            },
            ["f:containerStatuses"] = new { }, ["f:hostIP"] = new { }, ["f:hostIPs"] = new { }, ["f:phase"] = new { }, ["f:podIP"] = new { }, ["f:podIPs"] = new Dictionary<string, object> { ["."] = new { }, ["k:{\"ip\":\"10.0.0.1\"}"] = new Dictionary<string, object> { ["."] = new { }, ["f:ip"] = new { } } }, ["f:startTime"] = new { },
        };
        var time = pod.Metadata?.CreationTimestamp ?? DateTime.UtcNow;
        pod.Metadata!.ManagedFields =
        [
            new V1ManagedFieldsEntry
            {
                ApiVersion = "v1", FieldsType = "FieldsV1", Manager = "kube-controller-manager", Operation = "Update", Time = time,
                FieldsV1 = JsonSerializer.SerializeToElement(new Dictionary<string, object>
                {
                    ["f:metadata"] = new Dictionary<string, object> { ["f:generateName"] = new { }, ["f:labels"] = new { }, ["f:ownerReferences"] = new { } },
                    ["f:spec"] = new Dictionary<string, object> { ["f:containers"] = spec },
                }),
            },
            new V1ManagedFieldsEntry
            {
                ApiVersion = "v1", FieldsType = "FieldsV1", Manager = "kubelet", Operation = "Update", Subresource = "status", Time = time,
                FieldsV1 = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["f:status"] = status }),
            },
        ];
        return pod;
    }
}

internal static class Format
{
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F0} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F0} KiB",
        _ => $"{bytes} B",
    };
}

internal sealed record CollectArguments
{
    public string Scale { get; init; } = "large";
    public int? Pods { get; init; }
    public int? Nodes { get; init; }
    public int? Namespaces { get; init; }
    public int Runs { get; init; } = 3;
    public int PageSize { get; init; } = 500;
    public bool ManagedFields { get; init; }
    public bool Kubectl { get; init; } = true;
    /// <summary>kubectl is stopped when the machine's MemAvailable falls below this (MiB).</summary>
    public int KubectlMinAvailableMb { get; init; } = 2048;
    /// <summary>kubectl runs (default: --runs); at 150,000 pods one takes minutes and ~20 GB.</summary>
    public int? KubectlRuns { get; init; }
    public bool Profile { get; init; } = true;
    public string OutDirectory { get; init; } = "";
    public string? Child { get; init; }
    public string? Kubeconfig { get; init; }

    public SyntheticClusterOptions Options()
    {
        var o = SyntheticClusterOptions.ForScale(Scale);
        if (Pods is { } p) o = o with { Pods = p };
        if (Nodes is { } n) o = o with { Nodes = n };
        if (Namespaces is { } ns) o = o with { Namespaces = ns };
        return o;
    }

    public static CollectArguments Parse(string[] args)
    {
        var a = new CollectArguments();
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{args[i - 1]} takes a positive number.");
            switch (args[i])
            {
                case "--collect": break;
                case "--scale":
                    var scale = Value().ToLowerInvariant();
                    a = a with { Scale = scale is "large" or "small" or "tiny" ? scale : throw new ArgumentException("--scale is large, small or tiny.") };
                    break;
                case "--pods": a = a with { Pods = Number() }; break;
                case "--nodes": a = a with { Nodes = Number() }; break;
                case "--namespaces": a = a with { Namespaces = Number() }; break;
                case "--runs": a = a with { Runs = Number() }; break;
                case "--page-size": a = a with { PageSize = Number() }; break;
                case "--managed-fields": a = a with { ManagedFields = true }; break;
                case "--no-kubectl": a = a with { Kubectl = false }; break;
                case "--kubectl-runs": a = a with { KubectlRuns = int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) && k >= 0 ? k : throw new ArgumentException("--kubectl-runs takes a number.") }; break;
                case "--kubectl-min-available-mb": a = a with { KubectlMinAvailableMb = Number() }; break;
                case "--no-profile": a = a with { Profile = false }; break;
                case "--out": output = Value(); break;
                case CollectBench.ChildFlag: a = a with { Child = Value() }; break;
                case "--kubeconfig": a = a with { Kubeconfig = Value() }; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}' for --collect.");
            }
        }
        output ??= Path.Combine(FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), "out", "bench");
        return a with { OutDirectory = Path.GetFullPath(output) };
    }

    private static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "EksSecurity.PowerShell.sln"))) return dir.FullName;
        return null;
    }
}

/// <summary>One measurement of the --collect benchmark (a child process, or kubectl).</summary>
public sealed record CollectRunResult
{
    /// <summary>pods, full, kubectl or pods-http.</summary>
    public required string Mode { get; init; }
    /// <summary>Ours: stopwatch around the collection in the child. kubectl: the whole process.</summary>
    public double WorkSeconds { get; init; }
    public double ProcessSeconds { get; set; }
    public double? NormalizeSeconds { get; init; }
    /// <summary>User + system CPU of the measured process during the work (kubectl: its whole life).</summary>
    public double? CpuSeconds { get; init; }
    /// <summary>Ours: VmHWM of the child. kubectl: max RSS (/usr/bin/time %M).</summary>
    public long PeakMemoryBytes { get; init; }
    public string? PeakMemorySource { get; init; }
    /// <summary>GC.GetTotalMemory after a full compacting collection with the snapshot alive: the compact snapshot's own size.</summary>
    public long? ManagedHeapAfterGcBytes { get; init; }
    public long? AllocatedBytes { get; init; }
    public int? Gen0Collections { get; init; }
    public int? Gen1Collections { get; init; }
    public int? Gen2Collections { get; init; }
    public double? GcPauseSeconds { get; init; }
    /// <summary>Pods in the snapshot (ours).</summary>
    public int? Pods { get; init; }
    /// <summary>Pods only: requests the handler let through, and the others it answered 403 locally.</summary>
    public int? ClientRequests { get; init; }
    public int? BlockedRequests { get; init; }
    public Dictionary<string, int>? Sections { get; init; }
    public Dictionary<string, int>? SectionsNotCollected { get; init; }
    public List<string>? Failures { get; init; }
    public string? Error { get; init; }
    /// <summary>kubectl: the lowest MemAvailable of the machine while it ran.</summary>
    public long? LowestMemAvailableBytes { get; init; }
    /// <summary>Pods only: the live heap again after dropping every pod's status, then also its annotations (what a stricter compaction could save).</summary>
    public long? HeapWithoutPodStatusBytes { get; init; }
    public long? HeapWithoutPodStatusAndAnnotationsBytes { get; init; }
    public int? PodPagesFetched { get; init; }
    public long? ResponseBytes { get; init; }
    public double? DeserializeSampleSeconds { get; init; }
    public long? DeserializeSampleBytes { get; init; }
    public int? DeserializeSamplePods { get; init; }
    public double? DeserializeAllEstimateSeconds { get; init; }
    public double? TokenizeAllEstimateSeconds { get; init; }
    /// <summary>Profile: CPU seconds of each way of reading the sampled pages from memory.</summary>
    public List<PhaseTiming>? Phases { get; init; }
    public List<string>? Notes { get; init; }
    public double? LoadAverageAtStart { get; set; }
    public double? LoadAverageAtEnd { get; set; }
    /// <summary>What the server saw during this measurement.</summary>
    public ServerSummary? Server { get; set; }
}

/// <summary>The server's request log over one measurement.</summary>
public sealed record ServerSummary
{
    public int Requests { get; init; }
    public int PodPages { get; init; }
    public int PodPagesWithContinue { get; init; }
    public long PodItems { get; init; }
    public List<string> PodLimits { get; init; } = [];
    public int ListPages { get; init; }
    public long Items { get; init; }
    public Dictionary<string, int> Protocols { get; init; } = [];
    public Dictionary<string, int> NotOk { get; init; } = [];
    public long WorkingSetBytes { get; init; }
    public long PeakWorkingSetBytes { get; init; }
    public long ManagedBytes { get; init; }
}

public sealed record CollectMeasurement
{
    public required string Name { get; init; }
    public required string Mode { get; init; }
    public List<CollectRunResult> Runs { get; init; } = [];
    public CollectRunResult? Best => Runs.Count == 0 ? null : Runs.MinBy(r => r.WorkSeconds);
}

public sealed record CollectBenchResults
{
    public DateTimeOffset StartedAt { get; init; }
    public required SyntheticClusterOptions Options { get; init; }
    public int PageSize { get; init; }
    public bool ManagedFields { get; init; }
    public int Cores { get; init; }
    public string? ServerUri { get; set; }
    public string? KubectlVersion { get; set; }
    public double? LoadAverageAtStart { get; init; }
    public double? LoadAverageAtEnd { get; set; }
    public List<CollectMeasurement> Measurements { get; set; } = [];
    public CollectRunResult? Profile { get; set; }
    public ServerSummary? ServerAtEnd { get; set; }
}
