using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>Get-EksSecurityRule: the rule catalogue as objects.</summary>
[Cmdlet(VerbsCommon.Get, "EksSecurityRule")]
[OutputType(typeof(EksSecurityRule))]
public sealed class GetEksSecurityRuleCommand : EksSecurityCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RuleId")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    [Parameter]
    public RuleArea[]? Area { get; set; }

    [Parameter]
    public Severity[]? Severity { get; set; }

    [Parameter]
    [SupportsWildcards]
    public string[]? Tag { get; set; }

    protected override void ProcessRecord()
    {
        var selector = new RuleSelector { Id = Id, Area = Area, Severity = Severity, Tag = Tag };
        var rules = selector.Select(Engine.Rules, out var unmatched);
        foreach (var id in unmatched)
            WriteError(new ErrorRecord(new ItemNotFoundException($"No rule has the id '{id}'. Run Get-EksSecurityRule to list them."),
                "RuleNotFound", ErrorCategory.ObjectNotFound, id));
        WriteObject(rules, enumerateCollection: true);
    }
}
