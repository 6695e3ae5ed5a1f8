using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using EksSecurity.Engine;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Benchmarks;

/// <summary>The work one child process measures. Each runs in a fresh process so peak memory is its own.</summary>
internal static class ChildModes
{
    public const string ResultMarker = "BENCH-RESULT ";

    public static int Run(string mode, string snapshotPath)
    {
        object result = mode switch
        {
            "read" or "read-gz" => Measure(mode, snapshotPath, evaluate: false),
            "evaluate" => Measure(mode, snapshotPath, evaluate: true),
            "pod-security" => Measure(mode, snapshotPath, evaluate: false, podSecurity: true),
            "profile" => Profiler.Run(snapshotPath),
            _ => throw new ArgumentException($"Unknown child mode '{mode}'."),
        };
        Console.Out.WriteLine(ResultMarker + JsonSerializer.Serialize(result, result.GetType(), BenchJson.Compact));
        return 0;
    }

    private static RunResult Measure(string mode, string path, bool evaluate, bool podSecurity = false)
    {
        var loadAtStart = MemoryInfo.LoadAverage();
        var sw = Stopwatch.StartNew();
        var engine = new SecurityEngine();
        var engineInit = sw.Elapsed.TotalSeconds;

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pauseBefore = GC.GetTotalPauseDuration();
        var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

        sw.Restart();
        var snapshot = engine.ReadSnapshot(path);
        var read = sw.Elapsed.TotalSeconds;

        IReadOnlyList<EksSecurityFinding>? findings = null;
        double? evaluateSeconds = null;
        if (evaluate)
        {
            sw.Restart();
            findings = engine.Evaluate(snapshot, new EvaluationOptions());
            evaluateSeconds = sw.Elapsed.TotalSeconds;
        }
        int? podSecurityResults = null;
        if (podSecurity)
        {
            sw.Restart();
            var results = engine.EvaluatePodSecurity(snapshot, new PodSecurityOptions { Level = PodSecurityLevel.Restricted, Version = "latest" });
            evaluateSeconds = sw.Elapsed.TotalSeconds;
            podSecurityResults = results.Count;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var pause = (GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds;
        var (c0, c1, c2) = (GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2);
        var peak = MemoryInfo.PeakWorkingSetBytes();

        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heap = GC.GetTotalMemory(forceFullCollection: false);

        var sections = snapshot.Sections.Where(s => s.Status == SectionStatus.Collected).ToDictionary(s => s.Section.ToString(), s => s.ItemCount);
        var result = new RunResult
        {
            Mode = mode,
            WorkSeconds = read + (evaluateSeconds ?? 0),
            ReadSeconds = read,
            EvaluateSeconds = evaluateSeconds,
            EngineInitSeconds = engineInit,
            PeakWorkingSetBytes = peak,
            ManagedHeapAfterGcBytes = heap,
            AllocatedBytes = allocated,
            Gen0Collections = c0,
            Gen1Collections = c1,
            Gen2Collections = c2,
            GcPauseSeconds = pause,
            Findings = findings?.Count ?? podSecurityResults,
            FindingsByStatus = findings?.GroupBy(f => f.Status.ToString()).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            Rules = evaluate ? engine.Rules.Count : null,
            Sections = sections,
            LoadAverageAtStart = loadAtStart,
            LoadAverageAtEnd = MemoryInfo.LoadAverage(),
        };
        GC.KeepAlive(snapshot);
        GC.KeepAlive(findings);
        return result;
    }
}

internal static class MemoryInfo
{
    /// <summary>VmHWM from /proc/self/status where there is one; Process.PeakWorkingSet64 otherwise (the same number on Linux).</summary>
    public static long PeakWorkingSetBytes()
    {
        var hwm = ReadStatusKb("VmHWM:");
        if (hwm is { } kb) return kb * 1024;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.PeakWorkingSet64;
    }

    /// <summary>The 1-minute load average, or null where /proc/loadavg does not exist.</summary>
    public static double? LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    public static long? CurrentRssBytes() => ReadStatusKb("VmRSS:") is { } kb ? kb * 1024 : null;

    private static long? ReadStatusKb(string key)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(key, StringComparison.Ordinal))
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
