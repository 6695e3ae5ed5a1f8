using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// What Test-EksIrsa and Test-EksPodIdentity share: the cluster (live or a snapshot), the service accounts
/// (by namespace and name, or piped objects), one result per service account, and -Quiet for a single [bool].
/// </summary>
public abstract class WorkloadIdentityTestCmdlet : EksClusterCmdlet
{
    private const string SnapshotSet = "Snapshot";
    private const string NameSet = "ClusterName";

    [Parameter(Mandatory = true, ParameterSetName = SnapshotSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string? SnapshotPath { get; set; }

    /// <summary>A live cluster, by name or from Get-EKSCluster objects (by property name).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string? ClusterName { get; set; }

    [Parameter(ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Arn")]
    [ValidateNotNullOrEmpty]
    public string? ClusterArn { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Namespace { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? ServiceAccount { get; set; }

    /// <summary>Service account objects (kubectl get sa -o json | ConvertFrom-Json | % items): judged instead of the cluster's own.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject[]? InputObject { get; set; }

    [Parameter]
    public SwitchParameter Quiet { get; set; }

    private readonly List<string> _serviceAccountJson = [];
    private string? _snapshotPath;
    private (string Name, string? Region)? _cluster;
    private bool _allPassed = true;
    private int _results;

    /// <summary>True when the cluster or snapshot itself arrives through the pipeline (files, Get-EKSCluster objects): piped objects are then targets, not service accounts.</summary>
    private bool _targetFromPipeline;

    protected abstract IReadOnlyList<WorkloadIdentityResult> Test(IClusterSnapshot snapshot, WorkloadIdentityQuery query);

    protected override void BeginProcessing()
    {
        var bound = MyInvocation.BoundParameters;
        _targetFromPipeline = !bound.ContainsKey(nameof(SnapshotPath)) && !bound.ContainsKey(nameof(ClusterName)) && !bound.ContainsKey(nameof(ClusterArn))
                              && !bound.ContainsKey(nameof(InputObject));
        base.BeginProcessing();
    }

    protected override void ProcessRecord()
    {
        foreach (var item in _targetFromPipeline ? [] : InputObject ?? [])
        {
            var json = InvokeCommand.InvokeScript("param($o) ConvertTo-Json -InputObject $o -Depth 100 -Compress", true, PipelineResultTypes.None, null, item);
            if (json.Count > 0) _serviceAccountJson.Add(json[0].ToString());
        }
        if (ParameterSetName == SnapshotSet)
        {
            var path = GetUnresolvedProviderPathFromPSPath(SnapshotPath!);
            if (_snapshotPath is not null && _snapshotPath != path && _targetFromPipeline) Run();
            _snapshotPath = path;
        }
        else
        {
            (string Name, string? Region) target;
            try { target = ClusterTarget(ClusterName, ClusterArn); }
            catch (ArgumentException ex) { ThrowTerminatingError(new ErrorRecord(ex, "InvalidClusterArn", ErrorCategory.InvalidArgument, ClusterArn)); return; }
            if (_cluster is not null && _cluster != target && _targetFromPipeline) Run();
            _cluster = target;
        }
    }

    protected override void EndProcessing()
    {
        Run();
        if (Quiet) WriteObject(_allPassed && _results > 0);
        base.EndProcessing();
    }

    /// <summary>Tests the cluster or snapshot bound so far (piped service accounts are judged against the last one).</summary>
    private void Run()
    {
        IClusterSnapshot snapshot;
        if (_snapshotPath is { } path)
        {
            try { snapshot = Engine.ReadSnapshot(path, StopToken); }
            catch (EksSecurityException ex) { ThrowTerminatingError(ToErrorRecord(ex, path)); return; }
            _snapshotPath = null;
        }
        else if (_cluster is { } target)
        {
            var access = BuildAccessRequest(target.Region);
            ResolveAccessOrThrow(access);
            snapshot = RunWithProgress(progress => Engine.CollectAsync(access, BuildCollectionRequest(target.Name), progress, StopToken));
            _cluster = null;
        }
        else return;

        var query = new WorkloadIdentityQuery
        {
            Namespaces = Namespace ?? [],
            ServiceAccounts = ServiceAccount ?? [],
            ServiceAccountJson = [.. _serviceAccountJson],
        };
        _serviceAccountJson.Clear();
        IReadOnlyList<WorkloadIdentityResult> results;
        try { results = Test(snapshot, query); }
        catch (EksSecurityException ex) { WriteEksError(ex); _allPassed = false; return; }
        foreach (var result in results)
        {
            _results++;
            _allPassed &= result.Passed;
            if (!Quiet) WriteObject(result);
        }
    }
}
