using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// New-EksPodIdentityTrustPolicy: the least-privilege EKS Pod Identity trust policy, scoped to the account and,
/// for a role shared by several clusters, to exactly those clusters; ready for New-IAMRole.
/// </summary>
[Cmdlet(VerbsCommon.New, "EksPodIdentityTrustPolicy", DefaultParameterSetName = ClusterSet)]
[OutputType(typeof(string))]
public sealed class NewEksPodIdentityTrustPolicyCommand : EksAwsCmdlet
{
    private const string ClusterSet = "Cluster";
    private const string ArnSet = "Arn";
    private const string AccountSet = "Account";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ClusterSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] ClusterName { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = ArnSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Arn")]
    [ValidateNotNullOrEmpty]
    public string[] ClusterArn { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? AccountId { get; set; }

    private readonly List<string> _arns = [];

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ArnSet) _arns.AddRange(ClusterArn);
        else if (ParameterSetName == ClusterSet)
        {
            // ARN strings piped by value arrive here: they name their cluster already.
            _arns.AddRange(ClusterName.Where(IsArn));
            var names = ClusterName.Where(n => !IsArn(n)).ToList();
            if (names.Count == 0) return;
            var access = BuildAccessRequest(null);
            ResolveAccessOrThrow(access);
            foreach (var name in names)
                _arns.Add(RunWithProgress(_ => Engine.DescribeClusterIdentityAsync(access, name, StopToken)).Arn);
        }
    }

    private static bool IsArn(string value) => value.StartsWith("arn:", StringComparison.Ordinal);

    /// <summary>One policy for everything piped: a shared role names every cluster that may use it.</summary>
    protected override void EndProcessing()
    {
        var account = AccountId ?? _arns.Select(a => a.Split(':')).Where(p => p.Length == 6 && p[4].Length == 12 && p[4].All(char.IsAsciiDigit)).Select(p => p[4]).FirstOrDefault();
        if (account is null) { if (_arns.Count > 0) ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-ClusterArn: '{_arns[0]}' is not an EKS cluster ARN (arn:aws:eks:<region>:<account>:cluster/<name>)."), "TrustPolicyInputInvalid", ErrorCategory.InvalidArgument, "ClusterArn")); return; }
        try
        {
            WriteObject(Engine.NewPodIdentityTrustPolicy(new PodIdentityTrustPolicyRequest { AccountId = account, ClusterArns = _arns }));
        }
        catch (EksSecurityException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
        }
        base.EndProcessing();
    }
}
