namespace EksSecurity.Engine.Manifests;

/// <summary>The stable <see cref="ManifestProblem.ErrorId"/> values. Never rename: scripts filter on them.</summary>
public static class ManifestErrorIds
{
    /// <summary>YAML or JSON syntax (with line and column), an alias to an anchor that does not exist, a bad merge key.</summary>
    public const string SyntaxError = "ManifestSyntaxError";
    /// <summary>A mapping key given twice (Kubernetes' strict decoding rejects these); line and column of the second one.</summary>
    public const string DuplicateKey = "ManifestDuplicateKey";
    /// <summary>Aliases expanding to more nodes than <see cref="ManifestLimits.MaxAliasExpansion"/> ("billion laughs").</summary>
    public const string AliasLimit = "ManifestAliasLimit";
    /// <summary>A file, document or nesting over the <see cref="ManifestLimits"/>.</summary>
    public const string TooLarge = "ManifestTooLarge";
    /// <summary>A file that is not valid UTF-8 (or UTF-16/32 with a byte order mark).</summary>
    public const string InvalidEncoding = "ManifestInvalidEncoding";
    /// <summary>A field of the wrong type, or a required field (kind, apiVersion, metadata.name) missing; names the field path.</summary>
    public const string InvalidField = "ManifestInvalidField";
    /// <summary>A path that does not exist or cannot be read (I/O error, permission denied).</summary>
    public const string Unreadable = "ManifestUnreadable";
    /// <summary>A document (or list item) that is a scalar or a list, not an object.</summary>
    public const string NotAnObject = "ManifestNotAnObject";
}

/// <summary>
/// Bounds on what one manifest input may cost. Chosen far above any real manifest (the API server
/// itself refuses objects over about 1.5 MiB, etcd's request limit), low enough that a hostile file
/// cannot exhaust memory or time.
/// </summary>
public static class ManifestLimits
{
    /// <summary>A file or text over this many bytes is not read at all.</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;
    /// <summary>A YAML document (between <c>---</c> markers) or JSON value over this many bytes is skipped.</summary>
    public const long MaxDocumentBytes = 16L * 1024 * 1024;
    /// <summary>Nesting of mappings and sequences deeper than this is refused (Kubernetes objects nest about 15 deep), as written and once aliases are expanded.</summary>
    public const int MaxDepth = 100;
    /// <summary>
    /// Nodes that aliases may add to one document when expanded (each alias counts the full size of
    /// what it refers to, nested aliases included). A billion-laughs document hits it after a few
    /// aliases, before anything is expanded.
    /// </summary>
    public const long MaxAliasExpansion = 100_000;
    /// <summary>Lists (kind: List, PodList, ...) inside lists deeper than this are refused.</summary>
    public const int MaxListNesting = 16;
    /// <summary>Unknown fields reported (verbose) per object, so a model mismatch cannot flood the log.</summary>
    public const int MaxUnknownFieldsLogged = 10;
}

/// <summary>A problem inside one document: it is reported and the reader goes on with the next document.</summary>
internal sealed class ManifestDocumentException(string errorId, int? line, int? column, string message) : Exception(message)
{
    public string ErrorId { get; } = errorId;
    public int? Line { get; } = line;
    public int? Column { get; } = column;
}
