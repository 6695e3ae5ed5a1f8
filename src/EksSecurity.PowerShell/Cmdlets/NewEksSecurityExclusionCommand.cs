using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>New-EksSecurityExclusion: a documented exception for Get-EksSecurityFinding -Exclusion.</summary>
[Cmdlet(VerbsCommon.New, "EksSecurityExclusion")]
[OutputType(typeof(EksSecurityExclusion))]
public sealed class NewEksSecurityExclusionCommand : EksSecurityCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] RuleId { get; set; } = [];

    [Parameter]
    [SupportsWildcards]
    public string Namespace { get; set; } = "*";

    [Parameter]
    public string[] ResourceType { get; set; } = [];

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string ResourceName { get; set; } = "*";

    /// <summary>Mandatory: an exclusion without a reason is a finding hidden, not a decision recorded.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = "";

    protected override void ProcessRecord() => WriteObject(new EksSecurityExclusion
    {
        RuleId = RuleId,
        Namespace = Namespace,
        ResourceType = ResourceType,
        ResourceName = ResourceName,
        Reason = Reason,
    });
}
