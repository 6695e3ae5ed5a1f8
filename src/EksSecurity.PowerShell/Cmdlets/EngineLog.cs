using System.Collections.Concurrent;
using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// Collects what the engine reports while it works (possibly from other threads) and replays it
/// on the pipeline thread as verbose messages and non-terminating errors.
/// </summary>
internal sealed class EngineLog : IEngineLog
{
    private readonly ConcurrentQueue<object> _entries = new();

    public int ProblemCount { get; private set; }

    public void Verbose(string message) => _entries.Enqueue(message);

    public void Problem(ManifestProblem problem) => _entries.Enqueue(problem);

    /// <summary>Writes what was collected; call on the pipeline thread.</summary>
    public void Flush(Cmdlet cmdlet)
    {
        while (_entries.TryDequeue(out var entry))
        {
            if (entry is ManifestProblem problem)
            {
                ProblemCount++;
                var exception = new EksSecurityException(problem.ErrorId, EksErrorKind.InvalidData, problem.ToString(), problem.Path);
                cmdlet.WriteError(new ErrorRecord(exception, problem.ErrorId, ErrorCategory.InvalidData, problem.Path)
                {
                    ErrorDetails = new ErrorDetails(problem.ToString()),
                });
            }
            else
            {
                cmdlet.WriteVerbose((string)entry);
            }
        }
    }
}
