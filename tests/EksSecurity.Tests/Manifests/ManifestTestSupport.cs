using EksSecurity.Engine.Manifests;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Tests.Manifests;

/// <summary>Collects what the reader says, for assertions.</summary>
internal sealed class RecordingLog : IEngineLog
{
    public List<string> Messages { get; } = [];
    public List<ManifestProblem> Problems { get; } = [];
    public void Verbose(string message) => Messages.Add(message);
    public void Problem(ManifestProblem problem) => Problems.Add(problem);

    public ManifestProblem Single(string errorId)
    {
        var matching = Problems.Where(p => p.ErrorId == errorId).ToList();
        Assert.True(matching.Count == 1, $"expected one {errorId}, got: {string.Join(" | ", Problems)}");
        return matching[0];
    }

    public void NoProblems() => Assert.True(Problems.Count == 0, "unexpected problems: " + string.Join(" | ", Problems));
}

/// <summary>A temporary directory of fixture files, deleted afterwards.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "eks-manifests-" + Guid.NewGuid().ToString("n"));

    public string Write(string relative, string text) => WriteBytes(relative, System.Text.Encoding.UTF8.GetBytes(text));

    public string WriteBytes(string relative, byte[] bytes)
    {
        var path = Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

internal static class Manifest
{
    public static ClusterSnapshot ReadText(string text, RecordingLog? log = null, string name = "test.yaml") =>
        ManifestReader.Read(new ManifestRequest { Texts = [new ManifestText { Name = name, Text = text }] }, log ?? new RecordingLog());

    public static ClusterSnapshot ReadPaths(RecordingLog log, params string[] paths) =>
        ManifestReader.Read(new ManifestRequest { Paths = paths }, log);

    public static SourceLocation Location(this ClusterSnapshot snapshot, string kind, string ns, string name) =>
        snapshot.SourceLocations.TryGetValue((kind, ns, name), out var location)
            ? location
            : throw new Xunit.Sdk.XunitException($"no location for {kind} {ns}/{name}; have: {string.Join(", ", snapshot.SourceLocations.Keys)}");

    public static string Pod(string name, string? ns = "default", string extra = "") => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
        {(ns is null ? "" : $"  namespace: {ns}")}
        spec:
          containers:
            - name: app
              image: nginx{extra}
        """;
}
