using System.Buffers;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using EksSecurity.Engine;
using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;
using k8s.Models;

namespace EksSecurity.Benchmarks;

/// <summary>
/// Where the time goes, with stopwatches around phases (no profiler needed): raw I/O, JSON
/// tokenizing alone, the deserializer over a stream (sync) and over memory, each section on its
/// own, the reader's own path, the snapshot index, and each rule on its own.
/// </summary>
internal static class Profiler
{
    public static ProfileResult Run(string path)
    {
        var result = new ProfileResult();
        var size = new FileInfo(path).Length;
        var options = SnapshotJson.Options;
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("Profile the plain JSON file.");

        // 1. The floor: bytes off the disk (page cache), then tokens without building objects.
        var sw = Stopwatch.StartNew();
        using (var file = File.OpenRead(path))
        {
            var buffer = new byte[1 << 20];
            while (file.Read(buffer) > 0) { }
        }
        result.Reading.Add(new PhaseTiming("file read only (1 MiB chunks)", sw.Elapsed.TotalSeconds, size));

        sw.Restart();
        var tokens = CountTokens(path);
        result.Reading.Add(new PhaseTiming("JSON tokenize only (Utf8JsonReader over the stream)", sw.Elapsed.TotalSeconds, size, (int)Math.Min(int.MaxValue, tokens)));

        // 2. The deserializer, synchronously over a stream (the reader uses DeserializeAsync + GetResult).
        Collect();
        sw.Restart();
        ClusterSnapshot? snapshot;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            snapshot = JsonSerializer.Deserialize<ClusterSnapshot>(file, options);
        result.Reading.Add(new PhaseTiming("JsonSerializer.Deserialize(Stream) sync", sw.Elapsed.TotalSeconds, size, Note: GcNote()));
        snapshot = null;
        Collect();

        // 3. The deserializer over memory (no stream, no resumable state); arrays stop at 2 GiB.
        if (size > Array.MaxLength)
        {
            result.Notes.Add($"The file is larger than an array can hold ({size:N0} bytes): the in-memory and per-section phases were skipped.");
            return FinishWithReader(path, size, result);
        }
        sw.Restart();
        byte[]? bytes = File.ReadAllBytes(path);
        result.Reading.Add(new PhaseTiming("File.ReadAllBytes", sw.Elapsed.TotalSeconds, size));
        sw.Restart();
        snapshot = JsonSerializer.Deserialize<ClusterSnapshot>(bytes, options);
        result.Reading.Add(new PhaseTiming("JsonSerializer.Deserialize(ReadOnlySpan<byte>) from memory", sw.Elapsed.TotalSeconds, size, Note: GcNote()));
        sw.Restart();
        typeof(ClusterSnapshot).GetMethod("Normalize", BindingFlags.Instance | BindingFlags.NonPublic)?.Invoke(snapshot, null);
        result.Reading.Add(new PhaseTiming("ClusterSnapshot.Normalize", sw.Elapsed.TotalSeconds));
        var quantities = CountQuantities(snapshot!);
        snapshot = null;
        Collect();

        // 4. Each section on its own, kept alive so the heap grows as in a whole read.
        var kept = new List<object?>();
        foreach (var (group, name, type, start, length) in LocateSections(bytes, options))
        {
            sw.Restart();
            var value = JsonSerializer.Deserialize(bytes.AsSpan(start, length), type, options);
            var seconds = sw.Elapsed.TotalSeconds;
            kept.Add(value);
            result.Sections.Add(new PhaseTiming($"{group}.{name}", seconds, length, (value as SectionBase)?.Count));
        }
        kept.Clear();
        bytes = null;
        Collect();

        // 5. ResourceQuantity parsing, which the Kubernetes models do eagerly for every quantity.
        var samples = new[] { "100m", "250m", "128Mi", "512Mi", "2", "1Gi", "104845292Ki", "95551679124", "0", "7910m", "20Gi" };
        sw.Restart();
        for (var i = 0; i < quantities; i++) _ = new ResourceQuantity(samples[i % samples.Length]);
        result.Reading.Add(new PhaseTiming($"new ResourceQuantity(string) x {quantities:N0} (the number of quantities in pods, nodes, quotas, volumes)", sw.Elapsed.TotalSeconds, Items: quantities));

        return FinishWithReader(path, size, result);
    }

    private static ProfileResult FinishWithReader(string path, long size, ProfileResult result)
    {
        // 6. The reader's own path, warm (same process, converters already compiled).
        Collect();
        var sw = Stopwatch.StartNew();
        var snapshot = SnapshotReader.Read(path);
        result.Reading.Add(new PhaseTiming("SnapshotReader.Read (warm: after the phases above)", sw.Elapsed.TotalSeconds, size, Note: GcNote()));

        // 7. Evaluation: the shared index, then each rule alone, then the engine as the cmdlets call it.
        sw.Restart();
        var index = snapshot.Index;
        foreach (var p in typeof(SnapshotIndex).GetProperties(BindingFlags.Instance | BindingFlags.Public))
            if (p.GetIndexParameters().Length == 0) _ = p.GetValue(index);
        result.Evaluation.Add(new PhaseTiming("SnapshotIndex (every property forced)", sw.Elapsed.TotalSeconds));

        var runner = new RuleRunner(RuleCatalog.Default, RuleSettings.Default);
        foreach (var rule in RuleCatalog.Default.Rules)
        {
            sw.Restart();
            var findings = runner.RunOne(rule, snapshot);
            result.Rules.Add(new PhaseTiming(rule.Metadata.Id, sw.Elapsed.TotalSeconds, Items: findings.Count, Note: rule.Metadata.Title));
        }
        result.Evaluation.Add(new PhaseTiming("all rules one by one (sum)", result.Rules.Sum(r => r.Seconds), Items: result.Rules.Sum(r => r.Items ?? 0)));
        var engine = new SecurityEngine();
        sw.Restart();
        var all = engine.Evaluate(snapshot, new EvaluationOptions());
        result.Evaluation.Add(new PhaseTiming($"SecurityEngine.Evaluate (parallel, {Environment.ProcessorCount} cores, index already built)", sw.Elapsed.TotalSeconds, Items: all.Count));
        result.Rules.Sort((a, b) => b.Seconds.CompareTo(a.Seconds));
        GC.KeepAlive(snapshot);
        return result;
    }

    private static void Collect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        s_gcMark = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
    }

    private static (int G0, int G1, int G2, TimeSpan Pause) s_gcMark;

    private static string GcNote()
    {
        var pause = GC.GetTotalPauseDuration() - s_gcMark.Pause;
        return $"GCs gen0/1/2 = {GC.CollectionCount(0) - s_gcMark.G0}/{GC.CollectionCount(1) - s_gcMark.G1}/{GC.CollectionCount(2) - s_gcMark.G2}, GC pause {pause.TotalSeconds:F2} s";
    }

    private static long CountTokens(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        var state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 128 });
        long tokens = 0;
        var filled = 0;
        var final = false;
        try
        {
            while (true)
            {
                var read = final ? 0 : file.Read(buffer, filled, buffer.Length - filled);
                if (read == 0) final = true;
                filled += read;
                var reader = new Utf8JsonReader(buffer.AsSpan(0, filled), final, state);
                while (reader.Read()) tokens++;
                var consumed = (int)reader.BytesConsumed;
                state = reader.CurrentState;
                if (final) break;
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;
                if (filled == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, bigger, 0, filled);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return tokens;
    }

    /// <summary>The byte range of each section of aws and kubernetes, with the type it deserializes to.</summary>
    private static List<(string Group, string Name, Type Type, int Start, int Length)> LocateSections(byte[] bytes, JsonSerializerOptions options)
    {
        var groups = new Dictionary<string, Type> { ["aws"] = typeof(AwsSections), ["kubernetes"] = typeof(KubernetesSections) };
        var found = new List<(string, string, Type, int, int)>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 128 });
        reader.Read(); // root {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (!groups.TryGetValue(name, out var groupType) || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            var properties = options.GetTypeInfo(groupType).Properties.ToDictionary(p => p.Name, p => p.PropertyType);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var section = reader.GetString()!;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var end = (int)reader.BytesConsumed;
                if (properties.TryGetValue(section, out var type)) found.Add((name, section, type, start, end - start));
            }
        }
        return found;
    }

    private static int CountQuantities(ClusterSnapshot s)
    {
        static int Res(V1ResourceRequirements? r) => (r?.Requests?.Count ?? 0) + (r?.Limits?.Count ?? 0);
        static int Containers(V1PodSpec? spec) =>
            (spec?.Containers?.Sum(c => Res(c.Resources)) ?? 0) + (spec?.InitContainers?.Sum(c => Res(c.Resources)) ?? 0) +
            (spec?.Volumes?.Count(v => v.EmptyDir?.SizeLimit is not null) ?? 0) + (spec?.Overhead?.Count ?? 0);
        var k = s.Kubernetes;
        var n = 0;
        n += k.Pods?.All.Sum(p => Containers(p.Spec)) ?? 0;
        n += k.Deployments?.All.Sum(d => Containers(d.Spec?.Template?.Spec)) ?? 0;
        n += k.ReplicaSets?.All.Sum(d => Containers(d.Spec?.Template?.Spec)) ?? 0;
        n += k.StatefulSets?.All.Sum(d => Containers(d.Spec?.Template?.Spec) + (d.Spec?.VolumeClaimTemplates?.Count ?? 0)) ?? 0;
        n += k.DaemonSets?.All.Sum(d => Containers(d.Spec?.Template?.Spec)) ?? 0;
        n += k.Jobs?.All.Sum(d => Containers(d.Spec?.Template?.Spec)) ?? 0;
        n += k.CronJobs?.All.Sum(d => Containers(d.Spec?.JobTemplate?.Spec?.Template?.Spec)) ?? 0;
        n += k.Nodes?.All.Sum(x => (x.Status?.Capacity?.Count ?? 0) + (x.Status?.Allocatable?.Count ?? 0)) ?? 0;
        n += k.ResourceQuotas?.All.Sum(x => (x.Spec?.Hard?.Count ?? 0) + (x.Status?.Hard?.Count ?? 0) + (x.Status?.Used?.Count ?? 0)) ?? 0;
        n += k.PersistentVolumes?.All.Sum(x => x.Spec?.Capacity?.Count ?? 0) ?? 0;
        n += k.PersistentVolumeClaims?.All.Sum(x => (x.Spec?.Resources?.Requests?.Count ?? 0) + (x.Status?.Capacity?.Count ?? 0)) ?? 0;
        n += k.LimitRanges?.All.Sum(x => x.Spec?.Limits?.Sum(l => (l.DefaultProperty?.Count ?? 0) + (l.DefaultRequest?.Count ?? 0) + (l.Max?.Count ?? 0) + (l.Min?.Count ?? 0)) ?? 0) ?? 0;
        return n;
    }
}
