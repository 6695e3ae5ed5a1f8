using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using EksSecurity.Engine.Snapshot;
using EksSecurity.TestData;

namespace EksSecurity.Benchmarks;

/// <summary>
/// dotnet run -c Release --project tests/EksSecurity.Benchmarks -- [--scale small|large] [--out DIR] [--runs N] [--regenerate] [--no-profile] [--verify]
///
/// Generates (or reuses) a synthetic snapshot at the scale, then measures, each run in a fresh
/// child process so peak memory belongs to one measurement: reading it, and reading plus
/// evaluating every rule. Prints a table and writes DIR/results.json (default out/bench under the
/// repository). It asserts nothing about time: it reports.
/// </summary>
public static class Program
{
    private const string ChildFlag = "--child-mode";

    public static int Main(string[] args)
    {
        try
        {
            if (args.Contains("--aws")) return AwsBench.Run(args);
            if (args.Contains("--collect")) return CollectBench.Run(args);
            var childIndex = Array.IndexOf(args, ChildFlag);
            if (childIndex >= 0)
                return ChildModes.Run(args[childIndex + 1], args[Array.IndexOf(args, "--snapshot") + 1]);
            return Parent(Arguments.Parse(args));
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            Console.Error.WriteLine("usage: dotnet run -c Release --project tests/EksSecurity.Benchmarks -- [--scale small|large] [--out DIR] [--runs N] [--regenerate] [--no-profile] [--verify]");
            Console.Error.WriteLine("       ... -- --aws [--clusters N] [--roles N] ...   |   ... -- --collect [--scale large|small] [--pods N] [--nodes N] [--runs N] ... (README.md)");
            return 2;
        }
    }

    private sealed record Arguments(string Scale, string OutDirectory, int Runs, bool Regenerate, bool Profile, bool Verify)
    {
        public static Arguments Parse(string[] args)
        {
            var scale = "large";
            string? output = null;
            var runs = 3;
            bool regenerate = false, profile = true, verify = false;
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--scale": scale = Value().ToLowerInvariant(); break;
                    case "--out": output = Value(); break;
                    case "--runs": runs = int.TryParse(Value(), out var n) && n > 0 ? n : throw new ArgumentException("--runs takes a positive number."); break;
                    case "--regenerate": regenerate = true; break;
                    case "--no-profile": profile = false; break;
                    case "--verify": verify = true; break;
                    default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }
            if (scale is not ("small" or "large" or "tiny")) throw new ArgumentException($"--scale is small or large, not '{scale}'.");
            output ??= Path.Combine(FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), "out", "bench");
            return new Arguments(scale, Path.GetFullPath(output), runs, regenerate, profile, verify);
        }
    }

    private static int Parent(Arguments a)
    {
        var started = DateTimeOffset.UtcNow;
        var options = SyntheticClusterOptions.ForScale(a.Scale);
        Console.WriteLine($"EksSecurity benchmarks, scale {a.Scale}: {options}");
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, " +
                          $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, output {a.OutDirectory}");
        Directory.CreateDirectory(a.OutDirectory);
        if (a.Verify && !VerifyStreaming()) return 1;

        var snapshot = EnsureSnapshot(options, a);
        Console.WriteLine($"snapshot: {snapshot.Path}  {FormatBytes(snapshot.Bytes)} plain, {FormatBytes(snapshot.GzipBytes)} gzip " +
                          $"({100.0 * snapshot.GzipBytes / Math.Max(1, snapshot.Bytes):F1}%){(snapshot.Reused ? ", reused" : "")}");

        var results = new BenchmarkResults
        {
            Scale = a.Scale,
            StartedAt = started,
            Machine = new Dictionary<string, object>
            {
                ["runtime"] = RuntimeInformation.FrameworkDescription,
                ["os"] = RuntimeInformation.OSDescription,
                ["cores"] = Environment.ProcessorCount,
                ["memoryBytes"] = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
                ["gc"] = (GCSettings.IsServerGC ? "server" : "workstation") + (GCSettings.LatencyMode == GCLatencyMode.Batch ? "" : ", concurrent"),
            },
            Options = options,
            Snapshot = snapshot,
        };
        var plan = new (string Name, string Mode, string File)[]
        {
            ("read", "read", snapshot.Path),
            ("read + evaluate", "evaluate", snapshot.Path),
            ("read (gzip)", "read-gz", snapshot.GzipPath),
            // Issue 3's measure: Pod Security Standards on every pod and template, at restricted/latest.
            ("read + pod security", "pod-security", snapshot.Path),
        };
        foreach (var (name, mode, file) in plan)
        {
            var m = new Measurement { Name = name, Mode = mode, File = Path.GetFileName(file) };
            for (var run = 1; run <= a.Runs; run++)
            {
                var r = RunChild<RunResult>(mode, file, out var processSeconds);
                r.ProcessSeconds = processSeconds;
                m.Runs.Add(r);
                Console.WriteLine($"  {name,-16} run {run}/{a.Runs}: {r.WorkSeconds,7:F2} s" +
                                  (r.EvaluateSeconds is { } e ? $" (read {r.ReadSeconds:F2} + evaluate {e:F2})" : "") +
                                  $", peak {FormatBytes(r.PeakWorkingSetBytes)}, heap after GC {FormatBytes(r.ManagedHeapAfterGcBytes)}, process {processSeconds:F1} s" +
                                  (r.LoadAverageAtStart is { } l0 ? $", load {l0:F1}->{r.LoadAverageAtEnd:F1}" : ""));
            }
            results.Measurements.Add(m);
        }

        var read = results.Measurements[0].Best!;
        var evaluate = results.Measurements[1].Best!;
        var bestEvaluate = results.Measurements[1].Runs.Min(r => r.EvaluateSeconds ?? 0);
        results.EvaluationAddsPercent = 100 * bestEvaluate / read.ReadSeconds;
        results.EvaluationAddsPercentAcrossProcesses = 100 * (evaluate.WorkSeconds - read.WorkSeconds) / read.WorkSeconds;
        var sameProcess = results.Measurements[1].Runs.Where(r => r.ReadSeconds > 0).Select(r => 100 * (r.EvaluateSeconds ?? 0) / r.ReadSeconds).Order().ToList();
        results.EvaluationAddsPercentSameProcessMin = sameProcess.FirstOrDefault();
        results.EvaluationAddsPercentSameProcessMedian = sameProcess.Count == 0 ? null
            : sameProcess.Count % 2 == 1 ? sameProcess[sameProcess.Count / 2] : (sameProcess[sameProcess.Count / 2 - 1] + sameProcess[sameProcess.Count / 2]) / 2;
        results.WithinGoal = results.EvaluationAddsPercent <= results.GoalPercent;

        if (a.Profile)
        {
            Console.WriteLine("profiling phases (one more child) ...");
            results.Profile = RunChild<ProfileResult>("profile", snapshot.Path, out _);
        }

        PrintTable(results);
        var resultsPath = Path.Combine(a.OutDirectory, "results.json");
        File.WriteAllText(resultsPath, JsonSerializer.Serialize(results, BenchJson.Options));
        Console.WriteLine($"results: {resultsPath}");
        return 0;
    }

    // ------------------------------------------------------------ snapshot

    private static SnapshotInfo EnsureSnapshot(SyntheticClusterOptions options, Arguments a)
    {
        var directory = Path.Combine(a.OutDirectory, "snapshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"synthetic-{a.Scale}.json");
        var gzip = path + ".gz";
        var meta = Path.Combine(directory, $"synthetic-{a.Scale}.meta.json");
        var identity = JsonSerializer.Serialize(new { SyntheticCluster.GeneratorVersion, options }, BenchJson.Compact);
        if (!a.Regenerate && File.Exists(path) && File.Exists(gzip) && File.Exists(meta))
        {
            var saved = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(meta));
            if (saved is not null && saved.TryGetValue("identity", out var id) && id.GetString() == identity &&
                saved["bytes"].GetInt64() == new FileInfo(path).Length && saved["gzipBytes"].GetInt64() == new FileInfo(gzip).Length)
            {
                return new SnapshotInfo
                {
                    Path = path, Bytes = new FileInfo(path).Length, GzipPath = gzip, GzipBytes = new FileInfo(gzip).Length,
                    Reused = true, Generator = SyntheticCluster.GeneratorVersion,
                };
            }
        }

        File.Delete(meta);
        Console.WriteLine($"generating {path} ...");
        var sw = Stopwatch.StartNew();
        var temp = path + ".tmp";
        new SyntheticCluster(options).WriteTo(temp);
        File.Move(temp, path, overwrite: true);
        var generate = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"  generated {FormatBytes(new FileInfo(path).Length)} in {generate:F1} s (peak working set of this process {FormatBytes(MemoryInfo.PeakWorkingSetBytes())})");

        sw.Restart();
        var gzipTemp = gzip + ".tmp";
        using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        using (var output = new FileStream(gzipTemp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var compressor = new GZipStream(output, CompressionLevel.Fastest)) // as SnapshotWriter writes .gz
            input.CopyTo(compressor, 1 << 20);
        File.Move(gzipTemp, gzip, overwrite: true);
        var compress = sw.Elapsed.TotalSeconds;

        var info = new SnapshotInfo
        {
            Path = path, Bytes = new FileInfo(path).Length, GzipPath = gzip, GzipBytes = new FileInfo(gzip).Length,
            Reused = false, GenerateSeconds = generate, CompressSeconds = compress, Generator = SyntheticCluster.GeneratorVersion,
        };
        File.WriteAllText(meta, JsonSerializer.Serialize(new { identity, bytes = info.Bytes, gzipBytes = info.GzipBytes, info.GenerateSeconds, info.CompressSeconds }, BenchJson.Options));
        return info;
    }

    /// <summary>The streamed file must read back as the in-memory snapshot does (checked on a tiny cluster).</summary>
    private static bool VerifyStreaming()
    {
        var cluster = new SyntheticCluster(SyntheticClusterOptions.Tiny);
        using var streamed = new MemoryStream();
        cluster.WriteTo(streamed);
        streamed.Position = 0;
        using var built = new MemoryStream();
        SnapshotWriter.Write(cluster.Build(), built);
        built.Position = 0;
        static byte[] Canonical(Stream s)
        {
            using var m = new MemoryStream();
            SnapshotWriter.Write(SnapshotReader.Read(s, "verify"), m);
            return m.ToArray();
        }
        var same = Canonical(streamed).AsSpan().SequenceEqual(Canonical(built));
        Console.WriteLine(same ? "verify: streamed snapshot reads back identical to the built one" : "verify: FAILED, the streamed snapshot differs from the built one");
        return same;
    }

    // ------------------------------------------------------------ children

    private static T RunChild<T>(string mode, string snapshotPath, out double processSeconds)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.ArgumentList.Add(ChildFlag);
        start.ArgumentList.Add(mode);
        start.ArgumentList.Add("--snapshot");
        start.ArgumentList.Add(snapshotPath);

        var sw = Stopwatch.StartNew();
        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
        string? resultLine = null;
        while (child.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith(ChildModes.ResultMarker, StringComparison.Ordinal)) resultLine = line[ChildModes.ResultMarker.Length..];
            else Console.WriteLine("    | " + line);
        }
        child.WaitForExit();
        processSeconds = sw.Elapsed.TotalSeconds;
        if (child.ExitCode != 0 || resultLine is null)
            throw new InvalidOperationException($"The {mode} child failed (exit code {child.ExitCode}).");
        return JsonSerializer.Deserialize<T>(resultLine, BenchJson.Options)!;
    }

    // ------------------------------------------------------------ report

    private static void PrintTable(BenchmarkResults r)
    {
        Console.WriteLine();
        Console.WriteLine($"snapshot ({r.Scale}): {FormatBytes(r.Snapshot.Bytes)} JSON, {FormatBytes(r.Snapshot.GzipBytes)} gzip");
        var counts = r.Measurements[0].Best?.Sections;
        if (counts is not null)
        {
            string C(string s) => counts.TryGetValue(s, out var n) ? n.ToString("N0", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine($"  pods {C("Pods")}, nodes {C("Nodes")}, namespaces {C("Namespaces")}, role bindings {C("RoleBindings")} + cluster role bindings {C("ClusterRoleBindings")}, " +
                              $"IAM roles {C("IamRoles")}, deployments {C("Deployments")}, replica sets {C("ReplicaSets")}, config maps {C("ConfigMaps")}, secrets {C("Secrets")}");
        }
        Console.WriteLine();
        Console.WriteLine($"{"measurement",-18}{"best (s)",10}{"peak WS",12}{"heap after GC",15}{"allocated",12}{"GCs 0/1/2",14}{"findings",10}   all runs (s)");
        foreach (var m in r.Measurements)
        {
            var b = m.Best!;
            Console.WriteLine($"{m.Name,-18}{b.WorkSeconds,10:F2}" +
                              $"{FormatBytes(b.PeakWorkingSetBytes),12}{FormatBytes(b.ManagedHeapAfterGcBytes),15}{FormatBytes(b.AllocatedBytes),12}" +
                              $"{$"{b.Gen0Collections}/{b.Gen1Collections}/{b.Gen2Collections}",14}{(b.Findings?.ToString("N0", CultureInfo.InvariantCulture) ?? "-"),10}" +
                              $"   {string.Join(" ", m.Runs.Select(x => x.WorkSeconds.ToString("F2", CultureInfo.InvariantCulture)))}");
        }
        var evaluate = r.Measurements[1].Best!;
        var loads = r.Measurements.SelectMany(m => m.Runs).Select(x => x.LoadAverageAtStart).OfType<double>().ToList();
        if (loads.Count > 0 && loads.Max() > Environment.ProcessorCount)
            Console.WriteLine($"note: load average reached {loads.Max():F1} on {Environment.ProcessorCount} cores during the runs: other work competed, times are upper bounds.");
        Console.WriteLine();
        Console.WriteLine($"evaluation ({evaluate.Rules} rules) adds {r.EvaluationAddsPercent:F1}% to read time " +
                          $"(best evaluate {r.Measurements[1].Runs.Min(x => x.EvaluateSeconds ?? 0):F2} s / best read {r.Measurements[0].Best!.ReadSeconds:F2} s; " +
                          $"goal <= {r.GoalPercent:F0}%: {(r.WithinGoal == true ? "met" : "NOT met")}); within each read + evaluate process: median {r.EvaluationAddsPercentSameProcessMedian:F1}%, " +
                          $"min {r.EvaluationAddsPercentSameProcessMin:F1}%; whole measurements, best against best: {r.EvaluationAddsPercentAcrossProcesses:F1}%");
        if (evaluate.FindingsByStatus is { } statuses)
            Console.WriteLine("findings by status: " + string.Join(", ", statuses.Select(s => $"{s.Key} {s.Value:N0}")));

        if (r.Profile is { } p)
        {
            Console.WriteLine();
            Console.WriteLine("phases (one child, stopwatch):");
            foreach (var t in p.Reading) PrintPhase(t);
            Console.WriteLine("  sections, slowest first (deserialized one by one from memory):");
            foreach (var t in p.Sections.OrderByDescending(s => s.Seconds).Take(12)) PrintPhase(t, "    ");
            Console.WriteLine($"    sum of all {p.Sections.Count} sections: {p.Sections.Sum(s => s.Seconds):F2} s");
            foreach (var t in p.Evaluation) PrintPhase(t);
            Console.WriteLine("  rules, slowest first (each alone):");
            foreach (var t in p.Rules.Take(10)) PrintPhase(t, "    ");
        }
    }

    private static void PrintPhase(PhaseTiming t, string indent = "  ")
    {
        var rate = t.MegabytesPerSecond is { } mbs ? $"  {mbs,7:F0} MiB/s" : "";
        var items = t.Items is { } n ? $"  {n:N0} items" : "";
        var size = t.Bytes is { } b ? $"  {FormatBytes(b)}" : "";
        Console.WriteLine($"{indent}{t.Seconds,8:F2} s  {t.Name}{size}{rate}{items}{(t.Note is null ? "" : "  (" + t.Note + ")")}");
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F0} KiB",
        _ => $"{bytes} B",
    };

    private static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "EksSecurity.PowerShell.sln"))) return dir.FullName;
        }
        return null;
    }
}
