using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// Get-EksSecurityScannerPolicy: the least privilege the scanner needs, generated from the data
/// the selected rules declare: an IAM policy ready for New-IAMPolicy / aws iam create-policy, or a
/// Kubernetes ClusterRole and binding ready for kubectl apply.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EksSecurityScannerPolicy")]
[OutputType(typeof(string))]
public sealed class GetEksSecurityScannerPolicyCommand : EksSecurityCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? RuleId { get; set; }

    [Parameter]
    public RuleArea[]? Area { get; set; }

    [Parameter]
    public ScannerPolicyType Type { get; set; } = ScannerPolicyType.IamPolicy;

    protected override void EndProcessing()
    {
        var rules = new RuleSelector { Id = RuleId, Area = Area }.Select(Engine.Rules, out var unmatched);
        if (unmatched.Count > 0)
            ThrowTerminatingError(new ErrorRecord(new ItemNotFoundException($"No rule has the id '{string.Join("', '", unmatched)}'."),
                "RuleNotFound", ErrorCategory.ObjectNotFound, unmatched));
        var ids = rules.Select(r => r.Id).ToList();
        WriteObject(Type == ScannerPolicyType.ClusterRole ? Engine.GetScannerClusterRole(ids) : Engine.GetScannerIamPolicy(ids));
        base.EndProcessing();
    }
}
