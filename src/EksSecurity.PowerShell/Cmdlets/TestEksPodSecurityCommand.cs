using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>Test-EksPodSecurity: the Pod Security Standards, as the admission controller applies them, on manifests, text or snapshots.</summary>
[Cmdlet(VerbsDiagnostic.Test, "EksPodSecurity", DefaultParameterSetName = PathSet)]
[OutputType(typeof(PodSecurityResult), typeof(bool))]
public sealed class TestEksPodSecurityCommand : EksSecurityCmdlet
{
    private const string PathSet = "Path";
    private const string InputSet = "InputObject";
    private const string SnapshotSet = "Snapshot";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(ParameterSetName = PathSet)]
    [SupportsWildcards]
    public string[]? Include { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [SupportsWildcards]
    public string[]? Exclude { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = InputSet, ValueFromPipeline = true)]
    [AllowEmptyString]
    [AllowNull]
    public object?[]? InputObject { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = SnapshotSet, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] SnapshotPath { get; set; } = [];

    [Parameter]
    public PodSecurityLevel Level { get; set; } = PodSecurityLevel.Restricted;

    [Parameter]
    [ValidatePattern(@"^(v1\.(0|[1-9][0-9]*)|latest)$", Options = System.Text.RegularExpressions.RegexOptions.None)]
    public string Version { get; set; } = "latest";

    [Parameter]
    public SwitchParameter UseNamespaceLabels { get; set; }

    [Parameter]
    public SwitchParameter Quiet { get; set; }

    private readonly ManifestInput _input = new();
    private bool _allAllowed = true;
    private int _evaluated;

    private PodSecurityOptions Options => new() { Level = Level, Version = Version, UseNamespaceLabels = UseNamespaceLabels };

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case PathSet:
                _input.AddPaths(ResolveFiles(Path, "ManifestNotFound", "Manifest path", directories: true));
                break;
            case InputSet:
                foreach (var item in InputObject ?? []) _input.AddInput(item, this);
                break;
            case SnapshotSet:
                foreach (var file in ResolveFiles(SnapshotPath, "SnapshotNotFound", "Snapshot file", terminating: true))
                {
                    IClusterSnapshot snapshot;
                    try { snapshot = Engine.ReadSnapshot(file, StopToken); }
                    catch (EksSecurityException ex) { ThrowTerminatingError(ToErrorRecord(ex, file)); return; }
                    Emit(Evaluate(snapshot));
                }
                break;
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName != SnapshotSet && !_input.IsEmpty)
        {
            var log = new EngineLog();
            var snapshot = Engine.ReadManifests(_input.ToRequest(Include, Exclude), log, StopToken);
            log.Flush(this);
            // A file that could not be read cannot be vouched for.
            if (log.ProblemCount > 0) _allAllowed = false;
            Emit(Evaluate(snapshot));
        }
        // Nor can a path that does not exist: a typo must not pass a CI gate.
        if (PathErrorCount > 0) _allAllowed = false;
        if (Quiet)
        {
            if (_evaluated == 0) WriteVerbose("No pod or workload was found in the input; nothing to deny.");
            WriteObject(_allAllowed);
        }
        base.EndProcessing();
    }

    private IReadOnlyList<PodSecurityResult> Evaluate(IClusterSnapshot snapshot)
    {
        try
        {
            return Engine.EvaluatePodSecurity(snapshot, Options, StopToken);
        }
        catch (EksSecurityException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex, Version));
            return [];
        }
    }

    private void Emit(IReadOnlyList<PodSecurityResult> results)
    {
        foreach (var result in results)
        {
            _evaluated++;
            if (!result.Allowed) _allAllowed = false;
            if (!Quiet) WriteObject(result);
        }
    }
}
