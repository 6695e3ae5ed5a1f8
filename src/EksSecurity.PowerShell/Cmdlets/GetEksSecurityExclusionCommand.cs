using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>Get-EksSecurityExclusion: the built-in EKS system baseline, so it can be reviewed and overridden.</summary>
[Cmdlet(VerbsCommon.Get, "EksSecurityExclusion")]
[OutputType(typeof(EksSecurityExclusion))]
public sealed class GetEksSecurityExclusionCommand : EksSecurityCmdlet
{
    /// <summary>Only the exclusions that apply to these rule ids.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[]? RuleId { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var exclusion in Engine.DefaultExclusions)
        {
            if (RuleId is { Length: > 0 } &&
                !RuleId.Any(id => exclusion.RuleId.Any(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase).IsMatch(id))))
                continue;
            WriteObject(exclusion);
        }
    }
}
