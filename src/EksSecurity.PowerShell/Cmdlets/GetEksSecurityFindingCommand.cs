using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>Get-EksSecurityFinding: runs the rules over snapshots and emits findings.</summary>
[Cmdlet(VerbsCommon.Get, "EksSecurityFinding", DefaultParameterSetName = SnapshotSet)]
[OutputType(typeof(EksSecurityFinding))]
public sealed class GetEksSecurityFindingCommand : EksSecurityCmdlet
{
    private const string SnapshotSet = "Snapshot";

    /// <summary>The statuses returned when the user asks for none: the ones that need attention.</summary>
    internal static readonly FindingStatus[] AttentionStatuses = [FindingStatus.Fail, FindingStatus.Warning, FindingStatus.Error];

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SnapshotSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "Path")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] SnapshotPath { get; set; } = [];

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

    private List<EksSecurityRule>? _rules;

    protected override void BeginProcessing()
    {
        var selector = new RuleSelector { Id = RuleId, ExcludeId = ExcludeRuleId, Area = Area };
        _rules = selector.Select(Engine.Rules, out var unmatched);
        // A typo in a rule id must not turn a compliance check into a silent pass: stop.
        if (unmatched.Count > 0)
            ThrowTerminatingError(new ErrorRecord(new ItemNotFoundException($"No rule has the id '{string.Join("', '", unmatched)}'. Run Get-EksSecurityRule to list them."),
                "RuleNotFound", ErrorCategory.ObjectNotFound, unmatched));
        if (_rules.Count == 0)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("The rule selection (-RuleId, -ExcludeRuleId, -Area) matches no rule, so nothing would be checked."),
                "NoRuleSelected", ErrorCategory.InvalidArgument, null));
    }

    protected override void ProcessRecord()
    {
        var options = new EvaluationOptions
        {
            RuleIds = _rules!.Select(r => r.Id).ToList(),
            Statuses = Status ?? (IncludePassed ? null : AttentionStatuses),
        };
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
            WriteVerbose($"Evaluating {options.RuleIds!.Count} rule(s) on cluster '{snapshot.ClusterName}' (snapshot schema {snapshot.SchemaVersion}).");
            var findings = Engine.Evaluate(snapshot, options, StopToken);
            foreach (var finding in findings)
                if (finding.Severity >= MinimumSeverity)
                    WriteObject(finding);
        }
        if (files.Count > 1)
            WriteProgress(new ProgressRecord(1, "Evaluating snapshots", "Done") { RecordType = ProgressRecordType.Completed });
    }
}
