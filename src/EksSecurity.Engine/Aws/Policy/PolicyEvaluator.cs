namespace EksSecurity.Engine.Aws.Policy;

internal enum PolicyDecisionKind
{
    Allowed,
    ExplicitDeny,
    /// <summary>Nothing allows the request (or a permissions boundary / the other side of a cross-account request does not).</summary>
    ImplicitDeny,
}

/// <summary>Which kind of policy a statement came from.</summary>
internal enum PolicySource
{
    Identity,
    /// <summary>A resource policy; a role's trust policy is one.</summary>
    Resource,
    PermissionsBoundary,
}

/// <summary>A statement that decided (or would have decided) a request, and the kind of policy it sits in.</summary>
internal sealed record StatementMatch(PolicyStatement Statement, PolicySource Source)
{
    public override string ToString() => Source switch
    {
        PolicySource.Identity => $"{Statement.Effect} by identity {Statement.Label}",
        PolicySource.Resource => $"{Statement.Effect} by resource {Statement.Label}",
        _ => $"{Statement.Effect} by permissions boundary {Statement.Label}",
    };
}

/// <summary>The answer to "is this request allowed", with the statements behind it so a finding can say why.</summary>
internal sealed class PolicyDecision
{
    public required PolicyDecisionKind Kind { get; init; }
    /// <summary>
    /// Allowed: the allowing statements (and the boundary statements letting them through). ExplicitDeny: the
    /// denying statements. ImplicitDeny: allowing statements a boundary or the missing other side of a
    /// cross-account request cancelled, else empty.
    /// </summary>
    public required IReadOnlyList<StatementMatch> Evidence { get; init; }
    /// <summary>One sentence: "explicitly denied by policy 'AppPolicy' statement 2 (Sid DenyLogs)".</summary>
    public required string Reason { get; init; }

    public bool IsAllowed => Kind == PolicyDecisionKind.Allowed;
    public bool IsExplicitDeny => Kind == PolicyDecisionKind.ExplicitDeny;
    public IEnumerable<PolicyStatement> Statements => Evidence.Select(m => m.Statement);

    public override string ToString() => $"{Kind}: {Reason}";
}

/// <summary>The policies that apply to one principal and one resource.</summary>
internal sealed class PolicySet
{
    /// <summary>Inline and attached managed policies of the user or role (and its groups).</summary>
    public IReadOnlyList<PolicyDocument> IdentityPolicies { get; init; } = [];
    /// <summary>The resource's policy (bucket policy, key policy, a role's trust policy); its Principal must name the caller.</summary>
    public PolicyDocument? ResourcePolicy { get; init; }
    /// <summary>The principal's permissions boundary: identity grants must fall inside it as well.</summary>
    public PolicyDocument? PermissionsBoundary { get; init; }
}

/// <summary>
/// IAM's evaluation logic for identity policies, a resource policy and a permissions boundary: an explicit Deny
/// anywhere wins; otherwise, within one account, an Allow from the identity policies (inside the boundary) or
/// from the resource policy suffices; across accounts both sides must allow; by default everything is denied.
/// </summary>
internal static class PolicyEvaluator
{
    public static PolicyDecision Evaluate(AccessRequest request, params PolicyDocument[] identityPolicies) =>
        Evaluate(request, new PolicySet { IdentityPolicies = identityPolicies });

    public static PolicyDecision Evaluate(AccessRequest request, PolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policies);
        var identity = policies.IdentityPolicies.SelectMany(p => Applying(p, request, checkPrincipal: false, PolicySource.Identity)).ToList();
        var resource = policies.ResourcePolicy is null ? [] : Applying(policies.ResourcePolicy, request, checkPrincipal: true, PolicySource.Resource).ToList();
        var boundary = policies.PermissionsBoundary is null ? [] : Applying(policies.PermissionsBoundary, request, checkPrincipal: false, PolicySource.PermissionsBoundary).ToList();

        var denies = identity.Concat(resource).Concat(boundary).Where(m => m.Statement.IsDeny).ToList();
        if (denies.Count > 0) return ExplicitDeny(denies);

        var identityAllows = identity.Where(m => m.Statement.IsAllow).ToList();
        var resourceAllows = resource.Where(m => m.Statement.IsAllow).ToList();
        var boundaryAllows = boundary.Where(m => m.Statement.IsAllow).ToList();
        var insideBoundary = policies.PermissionsBoundary is null || boundaryAllows.Count > 0;
        // A resource policy naming this very user or role session is not capped by the boundary; naming the role or account is.
        var resourceAllowsPastBoundary = resourceAllows
            .Where(m => request.Principal is not null && m.Statement.MatchedPrincipal(request.Principal) is { } entry && PrincipalMatcher.NamesSessionOrUserDirectly(entry, request.Principal))
            .ToList();
        var identityGrants = identityAllows.Count > 0 && insideBoundary;
        var resourceGrants = resourceAllows.Count > 0 && (insideBoundary || resourceAllowsPastBoundary.Count > 0);
        var action = $"{request.Action} on {request.Resource ?? "the resource"}";

        if (IsCrossAccount(request))
        {
            if (identityGrants && resourceAllows.Count > 0)
                return Allowed(identityAllows.Concat(resourceAllows).Concat(boundaryAllows), $"{action} is allowed by the identity policies and the resource policy (cross-account)");
            var cancelled = identityAllows.Concat(resourceAllows).ToList();
            var missing = !identityGrants
                ? identityAllows.Count > 0 ? $"the permissions boundary '{policies.PermissionsBoundary!.Name}' does not allow it" : "no identity policy allows it"
                : "the resource policy does not allow it";
            return ImplicitDeny(cancelled, $"{action} is a cross-account request and {missing}");
        }

        if (identityGrants || resourceGrants)
        {
            var evidence = new List<StatementMatch>();
            if (identityGrants) evidence.AddRange(identityAllows);
            if (resourceGrants) evidence.AddRange(insideBoundary ? resourceAllows : resourceAllowsPastBoundary);
            if (insideBoundary) evidence.AddRange(boundaryAllows);
            var by = string.Join(", ", evidence.Where(m => m.Source != PolicySource.PermissionsBoundary).Select(m => m.Statement.Label));
            return Allowed(evidence, $"{action} is allowed by {by}");
        }
        if (identityAllows.Count + resourceAllows.Count > 0)
            return ImplicitDeny(identityAllows.Concat(resourceAllows).ToList(),
                $"{action} is allowed by {string.Join(", ", identityAllows.Concat(resourceAllows).Select(m => m.Statement.Label))} but the permissions boundary '{policies.PermissionsBoundary!.Name}' does not allow it");
        return ImplicitDeny([], $"no statement allows {action}");
    }

    /// <summary>One policy alone (a trust policy asked "who may assume"): Deny wins, then any Allow, else implicit deny.</summary>
    public static PolicyDecision EvaluateSingle(PolicyDocument policy, AccessRequest request, PolicySource source)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        var matches = Applying(policy, request, checkPrincipal: source == PolicySource.Resource, source).ToList();
        var denies = matches.Where(m => m.Statement.IsDeny).ToList();
        if (denies.Count > 0) return ExplicitDeny(denies);
        var allows = matches.Where(m => m.Statement.IsAllow).ToList();
        return allows.Count > 0
            ? Allowed(allows, $"{request.Action} is allowed by {string.Join(", ", allows.Select(m => m.Statement.Label))}")
            : ImplicitDeny([], $"no statement of policy '{policy.Name}' allows {request.Action}{(request.Principal is null ? "" : $" for {request.Principal}")}");
    }

    /// <summary>The statements of <paramref name="policy"/> that apply to the request (action, resource, conditions, and principal when asked).</summary>
    public static IEnumerable<PolicyStatement> MatchingStatements(PolicyDocument policy, AccessRequest request, bool checkPrincipal) =>
        policy.Statements.Where(s => s.Applies(request, checkPrincipal));

    private static IEnumerable<StatementMatch> Applying(PolicyDocument policy, AccessRequest request, bool checkPrincipal, PolicySource source) =>
        MatchingStatements(policy, request, checkPrincipal).Select(s => new StatementMatch(s, source));

    /// <summary>Cross-account only when both accounts are known and differ; services and unknown resources count as same-account.</summary>
    private static bool IsCrossAccount(AccessRequest request) =>
        request.Principal?.Account is { } principalAccount &&
        request.EffectiveResourceAccount is { } resourceAccount &&
        !string.Equals(principalAccount, resourceAccount, StringComparison.Ordinal);

    private static PolicyDecision ExplicitDeny(IReadOnlyList<StatementMatch> denies) => new()
    {
        Kind = PolicyDecisionKind.ExplicitDeny,
        Evidence = denies,
        Reason = "explicitly denied by " + string.Join(", ", denies.Select(m => m.Statement.Label)),
    };

    private static PolicyDecision Allowed(IEnumerable<StatementMatch> evidence, string reason) => new()
    {
        Kind = PolicyDecisionKind.Allowed,
        Evidence = evidence.ToList(),
        Reason = reason,
    };

    private static PolicyDecision ImplicitDeny(IReadOnlyList<StatementMatch> evidence, string reason) => new()
    {
        Kind = PolicyDecisionKind.ImplicitDeny,
        Evidence = evidence,
        Reason = reason,
    };
}
