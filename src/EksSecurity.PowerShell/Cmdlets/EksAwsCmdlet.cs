using System.Collections.Concurrent;
using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// The base of every cmdlet that calls AWS: AWS Tools for PowerShell's common parameters with
/// their names and aliases, the session's $StoredAWSCredentials / $StoredAWSRegion, and the
/// cluster target (-ClusterName by value and by property name, -ClusterArn).
/// </summary>
public abstract class EksAwsCmdlet : EksSecurityCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("RegionToCall")]
    public string? Region { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("StoredCredentials", "AWSProfileName")]
    public string? ProfileName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("AWSProfilesLocation", "ProfilesLocation")]
    public string? ProfileLocation { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("AK")]
    public string? AccessKey { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("SK", "SecretAccessKey")]
    public string? SecretKey { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ST")]
    public string? SessionToken { get; set; }

    /// <summary>An AWSCredentials object from AWS Tools (Get-AWSCredential, Use-STSRole ...), read by shape.</summary>
    [Parameter]
    public PSObject? Credential { get; set; }

    [Parameter]
    public string? EndpointUrl { get; set; }

    /// <summary>How many AWS calls may run at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 8;

    /// <summary>The request for the engine, with the session's AWS Tools variables.</summary>
    protected AwsAccessRequest BuildAccessRequest(string? arnRegion) => new()
    {
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        SessionToken = SessionToken,
        ProfileName = ProfileName,
        ProfileLocation = ProfileLocation,
        Region = Region,
        EndpointUrl = EndpointUrl,
        Credential = Credential?.BaseObject,
        StoredCredentials = Unwrap(SessionState.PSVariable.GetValue("StoredAWSCredentials")),
        StoredRegion = Unwrap(SessionState.PSVariable.GetValue("StoredAWSRegion"))?.ToString(),
        ArnRegion = arnRegion,
        ThrottleLimit = ThrottleLimit,
    };

    private static object? Unwrap(object? value) => value is PSObject ps ? ps.BaseObject : value;

    /// <summary>Resolves credentials and region now, so a missing one stops the command with AWS Tools' wording, and says where they came from under -Debug.</summary>
    protected void ResolveAccessOrThrow(AwsAccessRequest request)
    {
        try
        {
            var info = Engine.ResolveAwsAccess(request);
            WriteDebug($"AWS {info}" + (info.AccessKeyId is null ? "" : $" (access key {info.AccessKeyId})"));
        }
        catch (EksSecurityException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
        }
    }

    /// <summary>Runs an engine task on a worker while the pipeline thread shows its progress; Ctrl+C cancels it.</summary>
    protected T RunWithProgress<T>(Func<IProgress<EngineProgress>, Task<T>> start, int activityId = 2)
    {
        var reports = new ConcurrentQueue<EngineProgress>();
        var progress = new QueueProgress(reports);
        var task = Task.Run(() => start(progress));
        EngineProgress? last = null;
        // Poll without Wait(): it would wrap a failure in AggregateException and lose the error id.
        while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(100))
        {
            while (reports.TryDequeue(out var report)) last = report;
            if (last is not null)
                WriteProgress(new ProgressRecord(activityId, last.Activity, last.Status)
                {
                    PercentComplete = last.Total == 0 ? 0 : Math.Min(100, last.Completed * 100 / last.Total),
                });
        }
        if (last is not null)
            WriteProgress(new ProgressRecord(activityId, last.Activity, "Done") { RecordType = ProgressRecordType.Completed });
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (EksSecurityException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            throw;
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>(name, region) from -ClusterName or -ClusterArn.</summary>
    protected static (string Name, string? Region) ClusterTarget(string? name, string? arn)
    {
        if (string.IsNullOrEmpty(arn)) return (name!, null);
        // arn:partition:eks:region:account:cluster/name
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[2] != "eks" || !parts[5].StartsWith("cluster/", StringComparison.Ordinal))
            throw new ArgumentException($"'{arn}' is not an EKS cluster ARN (arn:aws:eks:<region>:<account>:cluster/<name>).");
        var arnName = parts[5]["cluster/".Length..];
        if (!string.IsNullOrEmpty(name) && name != arnName)
            throw new ArgumentException($"-ClusterName '{name}' and -ClusterArn '{arn}' name different clusters.");
        return (arnName, parts[3]);
    }

    private sealed class QueueProgress(ConcurrentQueue<EngineProgress> queue) : IProgress<EngineProgress>
    {
        public void Report(EngineProgress value) => queue.Enqueue(value);
    }
}
