using k8s.Models;

namespace EksSecurity.Engine.Rules.Iam;

/// <summary>The subject test EKS-IAM-007 and EKS-IAM-008 share: does a binding grant anything to unauthenticated requests?</summary>
internal static class AnonymousBindingCheck
{
    /// <summary>The one role Kubernetes itself grants to unauthenticated requests: GET on /healthz, /livez, /readyz and /version.</summary>
    public const string PublicInfoViewer = "system:public-info-viewer";

    public static EksSecurityFinding Judge(RuleContext context, ResourceRef resource, IList<Rbacv1Subject>? subjects, V1RoleRef? roleRef)
    {
        var list = Rbac.Subjects(subjects);
        var anonymous = list.Select((s, i) => (Subject: s, Index: i)).Where(x => Rbac.IsAnonymous(x.Subject)).ToList();
        var evidence = new List<string> { $"roleRef = {Rbac.Describe(roleRef)}" };
        evidence.AddRange(anonymous.Select(x => $"subjects[{x.Index}] = {Rbac.Describe(x.Subject)}"));

        if (anonymous.Count == 0)
        {
            evidence.Add(list.Count == 0 ? "subjects = (none)" : $"subjects = [{string.Join(", ", list.Select(Rbac.Describe))}]");
            return context.Pass(resource, "No subject is system:anonymous or system:unauthenticated.", evidence);
        }
        if (roleRef is { Kind: "ClusterRole", Name: PublicInfoViewer })
        {
            evidence.Add($"{PublicInfoViewer} grants only GET on /healthz, /livez, /readyz and /version; Kubernetes binds it to unauthenticated requests by default");
            return context.Pass(resource, $"Unauthenticated requests are bound only to {PublicInfoViewer} (health and version endpoints), the Kubernetes default.", evidence);
        }
        var who = string.Join(" and ", anonymous.Select(x => Rbac.Describe(x.Subject)).Distinct());
        // The pre-1.14 defaults expose API discovery and self-review only: still wrong, but not a takeover.
        var isLeftover = roleRef is { Kind: "ClusterRole", Name: "system:discovery" or "system:basic-user" };
        var leftover = isLeftover
            ? " This binding is a leftover of clusters created before Kubernetes 1.14, which granted it to unauthenticated requests by default."
            : "";
        return context.Fail(resource, $"{who} is bound to {Rbac.Describe(roleRef)}: anyone who can reach the API endpoint gets these rights without credentials.{leftover}",
            evidence, isLeftover ? Severity.Medium : null);
    }
}
