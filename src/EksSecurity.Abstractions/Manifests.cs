namespace EksSecurity;

/// <summary>Manifest input to read: files, directories and text.</summary>
public sealed class ManifestRequest
{
    /// <summary>Resolved file or directory paths. Directories are read recursively.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];
    /// <summary>File-name wildcards to read in directories; default *.yaml, *.yml, *.json.</summary>
    public IReadOnlyList<string>? Include { get; init; }
    /// <summary>File-name or relative-path wildcards to skip.</summary>
    public IReadOnlyList<string>? Exclude { get; init; }
    /// <summary>YAML or JSON text (for example `helm template` output from the pipeline), each with a name for messages.</summary>
    public IReadOnlyList<ManifestText> Texts { get; init; } = [];
}

public sealed class ManifestText
{
    public required string Name { get; init; }
    public required string Text { get; init; }
}

/// <summary>A problem with one input that did not stop the others from being read.</summary>
public sealed class ManifestProblem
{
    /// <summary>Stable id: ManifestSyntaxError, ManifestDuplicateKey, ManifestTooLarge, ManifestInvalidEncoding, ManifestInvalidField, ManifestUnreadable, ...</summary>
    public required string ErrorId { get; init; }
    public required string Path { get; init; }
    public int? Line { get; init; }
    public int? Column { get; init; }
    public required string Message { get; init; }

    public override string ToString() =>
        $"{Path}{(Line is null ? "" : $":{Line}")}{(Column is null ? "" : $":{Column}")}: {Message}";
}

/// <summary>Receives what the engine has to say while it works; the cmdlets turn it into PowerShell streams.</summary>
public interface IEngineLog
{
    void Verbose(string message);
    void Problem(ManifestProblem problem);
}
