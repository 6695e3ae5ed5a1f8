using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>Save-EksClusterSnapshot: collects a cluster into a snapshot file for offline or later evaluation.</summary>
[Cmdlet(VerbsData.Save, "EksClusterSnapshot", DefaultParameterSetName = NameSet, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class SaveEksClusterSnapshotCommand : EksClusterCmdlet
{
    private const string NameSet = "Name";
    private const string ArnSet = "Arn";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string? ClusterName { get; set; }

    /// <summary>Gives region and account; with -ClusterName (or a piped Get-EKSCluster object) it only supplies the region.</summary>
    [Parameter(ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = ArnSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Arn")]
    [ValidateNotNullOrEmpty]
    public string? ClusterArn { get; set; }

    /// <summary>The file to write; a folder gets &lt;cluster&gt;.snapshot.json.gz inside it. .gz compresses.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        (string Name, string? Region) target;
        try { target = ClusterTarget(ClusterName, ClusterArn); }
        catch (ArgumentException ex) { ThrowTerminatingError(new ErrorRecord(ex, "InvalidClusterArn", ErrorCategory.InvalidArgument, ClusterArn)); return; }

        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (Directory.Exists(path)) path = System.IO.Path.Combine(path, $"{target.Name}.snapshot.json.gz");
        if (File.Exists(path) && !Force)
        {
            WriteError(new ErrorRecord(new IOException($"'{path}' exists. Use -Force to overwrite it."), "SnapshotFileExists", ErrorCategory.ResourceExists, path));
            return;
        }
        if (!ShouldProcess(path, $"Collect cluster '{target.Name}' and write its snapshot")) return;

        var access = BuildAccessRequest(target.Region);
        ResolveAccessOrThrow(access);
        var snapshot = RunWithProgress(progress => Engine.CollectAsync(access, BuildCollectionRequest(target.Name), progress, StopToken));
        foreach (var section in snapshot.Sections.Where(s => s.Status is SectionStatus.Denied or SectionStatus.Failed))
            WriteWarning($"{target.Name}: {section.Describe()}");
        try
        {
            Engine.SaveSnapshot(snapshot, path);
        }
        catch (EksSecurityException ex)
        {
            WriteEksError(ex, path);
            return;
        }
        WriteObject(new FileInfo(path));
    }
}
