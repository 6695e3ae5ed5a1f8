using System.Collections.ObjectModel;
using System.Management.Automation;
using EksSecurity.PowerShell.Loading;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// The base of every cmdlet: the engine, cancellation on Ctrl+C, and errors with stable ids.
/// </summary>
public abstract class EksSecurityCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    protected IEksSecurityEngine Engine => EngineHost.Engine;

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>How many given paths could not be resolved (reported as errors).</summary>
    protected int PathErrorCount { get; private set; }

    protected override void EndProcessing() => _stopping.Dispose();

    /// <summary>The engine exclusions plus the user's: what turns matching failures into Suppressed findings.</summary>
    protected IReadOnlyList<EksSecurityExclusion> CombineExclusions(EksSecurityExclusion[]? extra, bool noDefaults) =>
        (noDefaults ? [] : Engine.DefaultExclusions).Concat(extra ?? []).ToList();

    /// <summary>A non-terminating error from an engine failure; the cmdlet goes on with the rest.</summary>
    protected void WriteEksError(EksSecurityException exception, object? target = null) =>
        WriteError(ToErrorRecord(exception, target));

    protected static ErrorRecord ToErrorRecord(EksSecurityException exception, object? target = null) =>
        new(exception, exception.ErrorId, Category(exception.Kind), target ?? exception.Target);

    protected static ErrorCategory Category(EksErrorKind kind) => kind switch
    {
        EksErrorKind.InvalidData => ErrorCategory.InvalidData,
        EksErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        EksErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        EksErrorKind.ConnectionError => ErrorCategory.ConnectionError,
        EksErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        EksErrorKind.NotImplemented => ErrorCategory.NotImplemented,
        EksErrorKind.OperationStopped => ErrorCategory.OperationStopped,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>
    /// Resolves -Path style input with PowerShell's providers and wildcards. A literal path that
    /// does not exist is reported with <paramref name="notFoundErrorId"/>: skipped, or, when
    /// <paramref name="terminating"/>, the end of the command.
    /// </summary>
    protected IEnumerable<string> ResolveFiles(IEnumerable<string> paths, string notFoundErrorId, string what, bool terminating = false, bool directories = false)
    {
        void Report(ErrorRecord record)
        {
            PathErrorCount++;
            if (terminating) ThrowTerminatingError(record);
            WriteError(record);
        }

        foreach (var path in paths)
        {
            Collection<string> resolved;
            try
            {
                resolved = GetResolvedProviderPathFromPSPath(path, out var provider);
                if (provider.Name != "FileSystem")
                {
                    Report(new ErrorRecord(new ArgumentException($"{what} '{path}' is not a file system path."),
                        "PathNotFileSystem", ErrorCategory.InvalidArgument, path));
                    continue;
                }
            }
            catch (ItemNotFoundException)
            {
                Report(new ErrorRecord(new FileNotFoundException($"{what} '{path}' does not exist.", path),
                    notFoundErrorId, ErrorCategory.ObjectNotFound, path));
                continue;
            }
            if (resolved.Count == 0)
            {
                Report(new ErrorRecord(new FileNotFoundException($"No file matches {what.ToLowerInvariant()} '{path}'.", path),
                    notFoundErrorId, ErrorCategory.ObjectNotFound, path));
                continue;
            }
            foreach (var file in resolved)
            {
                if (!directories && Directory.Exists(file))
                {
                    Report(new ErrorRecord(new ArgumentException($"{what} '{file}' is a directory, not a file."),
                        notFoundErrorId, ErrorCategory.InvalidArgument, file));
                    continue;
                }
                yield return file;
            }
        }
    }
}
