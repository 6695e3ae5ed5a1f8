using System.Text.Json;
using System.Text.Json.Serialization;

namespace EksSecurity.Benchmarks;

/// <summary>What one child process measured.</summary>
public sealed record RunResult
{
    /// <summary>read, evaluate or read-gz.</summary>
    public required string Mode { get; init; }
    /// <summary>The measured work: reading, or reading plus evaluating (seconds).</summary>
    public double WorkSeconds { get; init; }
    public double ReadSeconds { get; init; }
    /// <summary>SecurityEngine.Evaluate alone (evaluate mode).</summary>
    public double? EvaluateSeconds { get; init; }
    /// <summary>Creating the engine (rule discovery), before the timed work.</summary>
    public double EngineInitSeconds { get; init; }
    /// <summary>The child process from start to exit, as the parent saw it.</summary>
    public double ProcessSeconds { get; set; }
    /// <summary>Process.PeakWorkingSet64 (VmHWM) after the work.</summary>
    public long PeakWorkingSetBytes { get; init; }
    /// <summary>GC.GetTotalMemory after a full blocking collection, with the snapshot (and findings) still alive.</summary>
    public long ManagedHeapAfterGcBytes { get; init; }
    public long AllocatedBytes { get; init; }
    public int Gen0Collections { get; init; }
    public int Gen1Collections { get; init; }
    public int Gen2Collections { get; init; }
    public double GcPauseSeconds { get; init; }
    public int? Findings { get; init; }
    public Dictionary<string, int>? FindingsByStatus { get; init; }
    public int? Rules { get; init; }
    /// <summary>The machine's 1-minute load average when the child started and when it finished (/proc/loadavg): above the core count, other work was competing.</summary>
    public double? LoadAverageAtStart { get; init; }
    public double? LoadAverageAtEnd { get; init; }
    /// <summary>Item count per snapshot section, as read.</summary>
    public Dictionary<string, int>? Sections { get; init; }
}

/// <summary>One measurement: its runs and the best of them.</summary>
public sealed record Measurement
{
    public required string Name { get; init; }
    public required string Mode { get; init; }
    public required string File { get; init; }
    public List<RunResult> Runs { get; init; } = [];
    public RunResult? Best => Runs.Count == 0 ? null : Runs.MinBy(r => r.WorkSeconds);
}

public sealed record SnapshotInfo
{
    public required string Path { get; init; }
    public long Bytes { get; init; }
    public required string GzipPath { get; init; }
    public long GzipBytes { get; init; }
    public bool Reused { get; init; }
    public double? GenerateSeconds { get; init; }
    public double? CompressSeconds { get; init; }
    public required string Generator { get; init; }
}

public sealed record BenchmarkResults
{
    public required string Scale { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public required Dictionary<string, object> Machine { get; init; }
    public required object Options { get; init; }
    public required SnapshotInfo Snapshot { get; init; }
    public List<Measurement> Measurements { get; init; } = [];
    /// <summary>Evaluate time as a percentage of read time (best runs): the DESIGN.md goal keeps it small.</summary>
    public double? EvaluationAddsPercent { get; set; }
    /// <summary>The same, from whole-measurement bests: best(read+evaluate) against best(read).</summary>
    public double? EvaluationAddsPercentAcrossProcesses { get; set; }
    /// <summary>Evaluate time over read time within each read + evaluate child (same process, same load): the median over runs. Steadier than best against best on a busy machine.</summary>
    public double? EvaluationAddsPercentSameProcessMedian { get; set; }
    public double? EvaluationAddsPercentSameProcessMin { get; set; }
    public double GoalPercent { get; init; } = 50;
    public bool? WithinGoal { get; set; }
    public ProfileResult? Profile { get; set; }
}

public sealed record PhaseTiming(string Name, double Seconds, long? Bytes = null, int? Items = null, string? Note = null)
{
    public double? MegabytesPerSecond => Bytes is { } b && Seconds > 0 ? b / 1048576.0 / Seconds : null;
}

/// <summary>Stopwatch breakdown of reading and evaluating, from one child.</summary>
public sealed record ProfileResult
{
    public List<PhaseTiming> Reading { get; init; } = [];
    public List<PhaseTiming> Sections { get; init; } = [];
    public List<PhaseTiming> Rules { get; init; } = [];
    public List<PhaseTiming> Evaluation { get; init; } = [];
    public List<string> Notes { get; init; } = [];
}

public static class BenchJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static JsonSerializerOptions Compact { get; } = new(Options) { WriteIndented = false };
}
