using System.Runtime.CompilerServices;

namespace EksSecurity.Tests;

/// <summary>Where the repository and the shared reference data are, wherever the test binaries were built.</summary>
public static class RepoPaths
{
    private const string SolutionFile = "EksSecurity.PowerShell.sln";

    /// <summary>The folder holding the solution: found from the binaries, else from this source file (builds with --artifacts-path live outside the repo).</summary>
    public static string Root { get; } = FindRoot(AppContext.BaseDirectory) ?? FindRoot(SourceDirectory()) ?? FindRoot(Directory.GetCurrentDirectory())
        ?? throw new InvalidOperationException($"Cannot find {SolutionFile} above {AppContext.BaseDirectory}.");

    /// <summary>../shared beside the repository: the design notes, rule catalogue, PSA corpus and AWS models.</summary>
    public static string SharedDirectory => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string InRepo(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string? FindRoot(string? start)
    {
        for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        return null;
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
