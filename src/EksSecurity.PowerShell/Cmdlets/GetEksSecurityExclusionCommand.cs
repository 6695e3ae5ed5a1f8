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
        // The user's ids may be wildcards too: resolve them to catalogue rules first.
        var ids = RuleId is { Length: > 0 }
            ? Engine.Rules.Select(r => r.Id).Where(id => RuleId.Any(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase).IsMatch(id))).ToList()
            : null;
        foreach (var exclusion in Engine.DefaultExclusions)
        {
            if (ids is not null && !ids.Any(id => exclusion.RuleId.Any(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase).IsMatch(id))))
                continue;
            WriteObject(exclusion);
        }
    }
}
