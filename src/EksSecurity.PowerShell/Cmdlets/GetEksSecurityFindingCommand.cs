using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>Get-EksSecurityFinding: runs the rules over snapshots or manifest files and emits findings.</summary>
[Cmdlet(VerbsCommon.Get, "EksSecurityFinding", DefaultParameterSetName = SnapshotSet)]
[OutputType(typeof(EksSecurityFinding))]
public sealed class GetEksSecurityFindingCommand : EksClusterCmdlet
{
    private const string SnapshotSet = "Snapshot";
    private const string ManifestSet = "Manifest";
    private const string NameSet = "ClusterName";
    private const string ArnSet = "ClusterArn";

    /// <summary>The statuses returned when the user asks for none: the ones that need attention.</summary>
    internal static readonly FindingStatus[] AttentionStatuses = [FindingStatus.Fail, FindingStatus.Warning, FindingStatus.Error];

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SnapshotSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "Path")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] SnapshotPath { get; set; } = [];

    /// <summary>A live cluster: names from Get-EKSClusterList (by value) or Get-EKSCluster (by property name).</summary>
    [Parameter(Mandatory = true, ParameterSetName = NameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string? ClusterName { get; set; }

    [Parameter(ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = ArnSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Arn")]
    [ValidateNotNullOrEmpty]
    public string? ClusterArn { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ManifestSet, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] ManifestPath { get; set; } = [];

    [Parameter(ParameterSetName = ManifestSet)]
    [SupportsWildcards]
    public string[]? Include { get; set; }

    [Parameter(ParameterSetName = ManifestSet)]
    [SupportsWildcards]
    public string[]? Exclude { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? RuleId { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? ExcludeRuleId { get; set; }

    [Parameter]
    public RuleArea[]? Area { get; set; }

    [Parameter]
    public Severity MinimumSeverity { get; set; } = EksSecurity.Severity.Informational;

    [Parameter]
    public FindingStatus[]? Status { get; set; }

    [Parameter]
    public SwitchParameter IncludePassed { get; set; }

    [Parameter]
    [ValidateNotNull]
    public EksSecurityExclusion[]? Exclusion { get; set; }

    [Parameter]
    public SwitchParameter NoDefaultExclusion { get; set; }

    private EvaluationOptions? _options;
    private readonly ManifestInput _manifests = new();

    protected override void BeginProcessing()
    {
        var selector = new RuleSelector { Id = RuleId, ExcludeId = ExcludeRuleId, Area = Area };
        var rules = selector.Select(Engine.Rules, out var unmatched);
        // A typo in a rule id must not turn a compliance check into a silent pass: stop.
        if (unmatched.Count > 0)
            ThrowTerminatingError(new ErrorRecord(new ItemNotFoundException($"No rule has the id '{string.Join("', '", unmatched)}'. Run Get-EksSecurityRule to list them."),
                "RuleNotFound", ErrorCategory.ObjectNotFound, unmatched));
        if (rules.Count == 0)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("The rule selection (-RuleId, -ExcludeRuleId, -Area) matches no rule, so nothing would be checked."),
                "NoRuleSelected", ErrorCategory.InvalidArgument, null));
        _options = new EvaluationOptions
        {
            RuleIds = rules.Select(r => r.Id).ToList(),
            Statuses = Status ?? (IncludePassed ? null : AttentionStatuses),
            Exclusions = CombineExclusions(Exclusion, NoDefaultExclusion),
        };
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName is NameSet or ArnSet)
        {
            (string Name, string? Region) target;
            try { target = ClusterTarget(ClusterName, ClusterArn); }
            catch (ArgumentException ex) { ThrowTerminatingError(new ErrorRecord(ex, "InvalidClusterArn", ErrorCategory.InvalidArgument, ClusterArn)); return; }
            var access = BuildAccessRequest(target.Region);
            ResolveAccessOrThrow(access);
            var live = RunWithProgress(progress => Engine.CollectAsync(access, BuildCollectionRequest(target.Name), progress, StopToken));
            Emit(live);
            return;
        }
        if (ParameterSetName == ManifestSet)
        {
            // Terminating, as for snapshots: a mistyped path must not look like clean manifests.
            _manifests.AddPaths(ResolveFiles(ManifestPath, "ManifestNotFound", "Manifest path", terminating: true, directories: true));
            return;
        }
        var files = ResolveFiles(SnapshotPath, "SnapshotNotFound", "Snapshot file", terminating: true).ToList();
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            if (files.Count > 1)
                WriteProgress(new ProgressRecord(1, "Evaluating snapshots", file) { PercentComplete = i * 100 / files.Count });
            IClusterSnapshot snapshot;
            try
            {
                WriteVerbose($"Reading snapshot '{file}'.");
                snapshot = Engine.ReadSnapshot(file, StopToken);
            }
            catch (EksSecurityException ex)
            {
                // Terminating: a snapshot that cannot be read must never look like a clean scan.
                ThrowTerminatingError(ToErrorRecord(ex, file));
                return;
            }
            Emit(snapshot);
        }
        if (files.Count > 1)
            WriteProgress(new ProgressRecord(1, "Evaluating snapshots", "Done") { RecordType = ProgressRecordType.Completed });
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == ManifestSet && !_manifests.IsEmpty)
        {
            var log = new EngineLog();
            var snapshot = Engine.ReadManifests(_manifests.ToRequest(Include, Exclude), log, StopToken);
            log.Flush(this);
            Emit(snapshot);
        }
        base.EndProcessing();
    }

    private void Emit(IClusterSnapshot snapshot)
    {
        WriteVerbose($"Evaluating {_options!.RuleIds!.Count} rule(s) on '{snapshot.ClusterName}' (snapshot schema {snapshot.SchemaVersion}).");
        foreach (var finding in Engine.Evaluate(snapshot, _options, StopToken))
            if (finding.Severity >= MinimumSeverity)
                WriteObject(finding);
    }
}
