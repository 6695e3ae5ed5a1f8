namespace EksSecurity.Engine.Rules;

/// <summary>
/// One check of the catalogue. A rule is a pure function of the snapshot: it never calls an
/// API. Add a rule by adding a sealed subclass under Rules/&lt;Area&gt;/; the catalogue finds it.
/// </summary>
public abstract class Rule
{
    /// <summary>Id, title, severity, rationale, remediation and the sections it reads.</summary>
    public abstract EksSecurityRule Metadata { get; }

    /// <summary>
    /// Yields one finding per resource judged. Called only when every section in
    /// <see cref="EksSecurityRule.Reads"/> was collected; yielding nothing means nothing applied.
    /// </summary>
    public abstract IEnumerable<EksSecurityFinding> Evaluate(RuleContext context);
}
