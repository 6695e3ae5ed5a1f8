using EksSecurity.Engine.Identity;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>Turns the sub-checks of a workload identity analysis into one finding: the worst status wins, failures lead the message.</summary>
internal static class WorkloadIdentityFindings
{
    public static EksSecurityFinding From(RuleContext context, ResourceRef resource, IEnumerable<WorkloadIdentityCheck> checks, string passMessage)
    {
        var list = checks.ToList();
        var evidence = list.SelectMany(c => c.Evidence.Select(e => $"  {e}").Prepend($"{c.Id}: {c.Status}: {c.Message}")).ToList();
        string Join(FindingStatus status) => string.Join(" ", list.Where(c => c.Status == status).Select(c => c.Message));
        if (list.Any(c => c.Status == FindingStatus.Fail)) return context.Fail(resource, Join(FindingStatus.Fail), evidence);
        if (list.Any(c => c.Status == FindingStatus.Error)) return context.Error(resource, Join(FindingStatus.Error), evidence);
        if (list.Any(c => c.Status == FindingStatus.Warning)) return context.Warn(resource, Join(FindingStatus.Warning), evidence);
        return context.Pass(resource, passMessage, evidence);
    }
}
