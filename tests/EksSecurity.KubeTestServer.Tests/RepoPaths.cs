using System.Runtime.CompilerServices;

namespace EksSecurity.KubeTestServer.Tests;

/// <summary>Where the repository is, wherever the test binaries were built (--artifacts-path puts them outside it).</summary>
internal static class RepoPaths
{
    private const string SolutionFile = "EksSecurity.PowerShell.sln";

    public static string Root { get; } = FindRoot(AppContext.BaseDirectory) ?? FindRoot(SourceDirectory()) ?? FindRoot(Directory.GetCurrentDirectory())
        ?? throw new InvalidOperationException($"Cannot find {SolutionFile} above {AppContext.BaseDirectory}.");

    public static string InRepo(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string DemoSnapshot => InRepo("examples", "demo-cluster", "snapshot.json");

    /// <summary>A scenario file of the server project, in the source tree (its relative paths point into the repository).</summary>
    public static string Scenario(string name) => InRepo("tests", "EksSecurity.KubeTestServer", "scenarios", name);

    private static string? FindRoot(string? start)
    {
        for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        return null;
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
