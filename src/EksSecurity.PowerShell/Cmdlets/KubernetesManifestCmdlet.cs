using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// The one output path of the cmdlets that generate Kubernetes objects (New-EksMetadataDenyPolicy, New-EksSecurityGroupPolicy):
/// the objects on the pipeline (they show as YAML); -OutFile writes them as one multi-document YAML file and returns the file;
/// -Apply creates or updates them on the cluster and returns what it did. Both go through ShouldProcess: -WhatIf writes
/// nothing, -Confirm asks per file and per object.
/// </summary>
public abstract class KubernetesManifestCmdlet : EksRemediationCmdlet
{
    /// <summary>Writes the objects to this file as multi-document YAML (overwriting it).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>Creates or updates the objects on the cluster.</summary>
    [Parameter]
    public SwitchParameter Apply { get; set; }

    /// <summary>With -OutFile or -Apply, also returns the objects.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>The objects to write, once every namespace is known.</summary>
    protected abstract IReadOnlyList<KubernetesManifest> Generate();

    protected override void EndProcessing()
    {
        // A missing cluster is found before anything is generated or written.
        if (Apply) RequireAccess("-Apply");
        IReadOnlyList<KubernetesManifest> manifests;
        try
        {
            manifests = Generate();
        }
        catch (EksSecurityException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return;
        }
        if (manifests.Count == 0)
        {
            WriteWarning("No namespace to write an object for: nothing was generated.");
            base.EndProcessing();
            return;
        }
        if ((OutFile is null && !Apply) || PassThru) WriteObject(manifests, enumerateCollection: true);
        if (OutFile is not null) Save(manifests);
        if (Apply) ApplyToCluster(manifests);
        base.EndProcessing();
    }

    private void Save(IReadOnlyList<KubernetesManifest> manifests)
    {
        var path = GetUnresolvedProviderPathFromPSPath(OutFile!);
        if (!ShouldProcess(path, $"Write {Describe(manifests)} as YAML")) return;
        try
        {
            Engine.SaveManifests(manifests, path);
            WriteObject(new FileInfo(path));
        }
        catch (EksSecurityException ex)
        {
            WriteEksError(ex, path);
        }
    }

    private void ApplyToCluster(IReadOnlyList<KubernetesManifest> manifests)
    {
        var access = RequireAccess("-Apply");
        var cluster = ClusterLabel;
        var approved = manifests.Where(m => ShouldProcess($"{m.Kind} {(m.Namespace.Length == 0 ? "" : m.Namespace + "/")}{m.Name} on {cluster}", "Create or update")).ToList();
        if (approved.Count == 0) return;
        var results = RunWithProgress(_ => Engine.ApplyManifestsAsync(access, approved, new KubernetesWriteOptions(), StopToken));
        foreach (var result in results)
        {
            if (result.Action == KubernetesApplyAction.Failed)
            {
                WriteFailure(result);
                continue;
            }
            WriteVerbose(result.ToString());
            WriteObject(result);
        }
    }

    /// <summary>"3 NetworkPolicy objects", "1 SecurityGroupPolicy object".</summary>
    private static string Describe(IReadOnlyList<KubernetesManifest> manifests) =>
        string.Join(", ", manifests.GroupBy(m => m.Kind).Select(g => $"{g.Count()} {g.Key} object{(g.Count() == 1 ? "" : "s")}"));
}
