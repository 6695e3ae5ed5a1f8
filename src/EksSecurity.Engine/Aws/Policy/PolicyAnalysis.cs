namespace EksSecurity.Engine.Aws.Policy;

internal enum AdminGrantKind
{
    /// <summary>Action "*" (or "*:*"): every action of every service.</summary>
    AllActions,
    /// <summary>Action "iam:*" and the like: every action of one service.</summary>
    ServiceWide,
    /// <summary>Allow with NotAction: every action except a few, the usual shape of a disguised admin grant.</summary>
    NotAction,
}

/// <summary>An Allow statement that grants admin-like power on every resource.</summary>
internal sealed record AdminGrant(PolicyStatement Statement, AdminGrantKind Kind, IReadOnlyList<string> Actions)
{
    public override string ToString() => Kind switch
    {
        AdminGrantKind.AllActions => $"{Statement.Label} allows every action on every resource",
        AdminGrantKind.ServiceWide => $"{Statement.Label} allows {string.Join(", ", Actions)} on every resource",
        _ => $"{Statement.Label} allows every action except {string.Join(", ", Actions)} (NotAction) on every resource",
    } + (Statement.HasConditions ? " (with conditions)" : "");
}

/// <summary>An Allow statement that grants one of the actions a rule asked about.</summary>
internal sealed record ActionGrant(string Action, PolicyStatement Statement)
{
    public override string ToString() =>
        $"{Statement.Label} allows {Action}{(PolicyAnalysis.CoversAllResources(Statement) ? " on every resource" : $" on {string.Join(", ", Statement.Resources)}")}";
}

/// <summary>
/// Least-privilege questions rules ask of identity policies, answered from the statements as written: grants
/// are reported with their conditions (<see cref="PolicyStatement.HasConditions"/>) for the rule to weigh.
/// </summary>
internal static class PolicyAnalysis
{
    /// <summary>
    /// Whether the statement is unscoped in resources: a Resource pattern from <see cref="IsUnscopedResource"/>,
    /// NotResource (everything but a few), or no Resource element at all.
    /// </summary>
    public static bool CoversAllResources(PolicyStatement statement) =>
        !statement.HasResource || statement.IsNotResource || statement.Resources.Any(IsUnscopedResource);

    /// <summary>
    /// "*", an ARN whose resource part is "*" (arn:aws:iam::*:*, arn:aws:s3:::*), or every resource of one type
    /// (arn:aws:iam::111122223333:role/*, arn:aws:secretsmanager:*:*:secret:*): in any or one account, as broad
    /// as "*" for what the action can reach. S3 object patterns (bucket/*) name one bucket and are scoped.
    /// </summary>
    public static bool IsUnscopedResource(string pattern)
    {
        var trimmed = pattern.Trim();
        if (trimmed == "*") return true;
        var parts = trimmed.Split(':', 6);
        // "arn:aws:*": the last part's wildcard covers the rest of the ARN.
        if (parts.Length < 6) return parts[^1] == "*";
        var (service, resource) = (parts[2], parts[5]);
        if (resource == "*") return true;
        if (service == "s3" || !resource.EndsWith('*')) return false;
        var type = resource[..^1];
        return type.Length > 1 && type[^1] is '/' or ':' && type[..^1].All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
    }

    /// <summary>The Allow statements granting <paramref name="action"/> (e.g. iam:PassRole) on every resource.</summary>
    public static IReadOnlyList<PolicyStatement> AllowsOnAllResources(IEnumerable<PolicyDocument> policies, string action) =>
        policies.SelectMany(p => p.Allows).Where(s => s.CoversAction(action) && CoversAllResources(s)).ToList();

    public static IReadOnlyList<PolicyStatement> AllowsOnAllResources(PolicyDocument policy, string action) =>
        AllowsOnAllResources([policy], action);

    /// <summary>
    /// Which of <paramref name="actions"/> (ECR write actions, iam:PassRole, ...) some Allow statement grants, on
    /// any resource, with the statement: one entry per action and granting statement.
    /// </summary>
    public static IReadOnlyList<ActionGrant> GrantsOf(IEnumerable<PolicyDocument> policies, IEnumerable<string> actions)
    {
        var allows = policies.SelectMany(p => p.Allows).ToList();
        return actions.SelectMany(action => allows.Where(s => s.CoversAction(action)).Select(s => new ActionGrant(action, s))).ToList();
    }

    /// <summary>
    /// The condition keys a policy reads, in Condition blocks and as ${...} variables in Resource and condition
    /// values (to see, for instance, whether it relies on aws:PrincipalTag/kubernetes-namespace session tags).
    /// </summary>
    public static IReadOnlySet<string> ReferencedContextKeys(PolicyDocument policy)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var statement in policy.Statements)
        {
            foreach (var condition in statement.Conditions)
            {
                keys.Add(condition.Key);
                if (statement.VariablesEnabled) keys.UnionWith(condition.Values.SelectMany(PolicyVariables.KeysIn));
            }
            if (statement.VariablesEnabled) keys.UnionWith(statement.Resources.SelectMany(PolicyVariables.KeysIn));
        }
        return keys;
    }

    /// <summary>The statement as an admin-like grant (Action * or service:* or NotAction, Allow, on every resource), or null.</summary>
    public static AdminGrant? AsAdminGrant(PolicyStatement statement)
    {
        if (!statement.IsAllow || !CoversAllResources(statement)) return null;
        if (statement.IsNotAction) return new AdminGrant(statement, AdminGrantKind.NotAction, statement.Actions);
        if (statement.Actions.Any(a => a.Trim() is "*" or "*:*")) return new AdminGrant(statement, AdminGrantKind.AllActions, ["*"]);
        var serviceWide = statement.Actions.Where(IsServiceWide).ToList();
        return serviceWide.Count > 0 ? new AdminGrant(statement, AdminGrantKind.ServiceWide, serviceWide) : null;
    }

    public static bool IsAdminLike(PolicyStatement statement) => AsAdminGrant(statement) is not null;

    public static IReadOnlyList<AdminGrant> AdminGrants(IEnumerable<PolicyDocument> policies) =>
        policies.SelectMany(p => p.Statements).Select(AsAdminGrant).OfType<AdminGrant>().ToList();

    /// <summary>"iam:*": one named service, every action.</summary>
    private static bool IsServiceWide(string action)
    {
        var colon = action.IndexOf(':');
        return colon > 0 && action[(colon + 1)..] == "*" && !action[..colon].Contains('*') && !action[..colon].Contains('?');
    }
}
