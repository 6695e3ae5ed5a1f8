namespace EksSecurity.Engine.Aws.Policy;

/// <summary>
/// Questions about a role's trust policy: who may assume it, through which statements, and (for IRSA) which
/// service accounts of which cluster's OIDC provider.
/// </summary>
internal static class TrustPolicy
{
    public const string AssumeRole = "sts:AssumeRole";
    public const string AssumeRoleWithWebIdentity = "sts:AssumeRoleWithWebIdentity";
    public const string TagSession = "sts:TagSession";
    /// <summary>The audience EKS's pod identity webhook requests for IRSA tokens.</summary>
    public const string StsAudience = "sts.amazonaws.com";
    /// <summary>The service principal of EKS Pod Identity.</summary>
    public const string PodIdentityService = "pods.eks.amazonaws.com";

    /// <summary>
    /// The Allow statements whose Principal admits <paramref name="principal"/> and whose Action covers
    /// <paramref name="action"/>, conditions not evaluated: the statements a rule inspects for their conditions.
    /// </summary>
    public static IReadOnlyList<PolicyStatement> StatementsAdmitting(PolicyDocument trust, RequestPrincipal principal, string action)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(principal);
        return trust.Statements.Where(s => s.IsAllow && s.AdmitsPrincipal(principal) && s.CoversAction(action)).ToList();
    }

    /// <summary>Whether the trust policy alone lets the request's principal in (Deny wins, conditions evaluated against its context).</summary>
    public static PolicyDecision Evaluate(PolicyDocument trust, AccessRequest request) =>
        PolicyEvaluator.EvaluateSingle(trust, request, PolicySource.Resource);

    public static PolicyDecision Evaluate(PolicyDocument trust, RequestPrincipal principal, string action, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? context = null) =>
        Evaluate(trust, new AccessRequest(action, resource: null, principal, context));

    /// <summary>
    /// Whether a web identity token from <paramref name="providerArn"/> with this subject and audience may assume
    /// the role: sts:AssumeRoleWithWebIdentity with the keys &lt;issuer&gt;:sub and &lt;issuer&gt;:aud.
    /// </summary>
    public static PolicyDecision EvaluateWebIdentity(PolicyDocument trust, string providerArn, string subject, string audience = StsAudience)
    {
        var issuer = OidcIssuer(providerArn) ?? throw new ArgumentException($"'{providerArn}' is not an OIDC provider ARN", nameof(providerArn));
        var request = new AccessRequest(AssumeRoleWithWebIdentity, resource: null, RequestPrincipal.Federated(providerArn))
            .With($"{issuer}:sub", subject)
            .With($"{issuer}:aud", audience);
        return Evaluate(trust, request);
    }

    /// <summary>"system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;", the sub claim of a service account token.</summary>
    public static string ServiceAccountSubject(string ns, string serviceAccount) => $"system:serviceaccount:{ns}:{serviceAccount}";

    /// <summary>The issuer host and path an OIDC provider ARN names (arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC → oidc.eks.us-west-2.amazonaws.com/id/ABC); null for other ARNs.</summary>
    public static string? OidcIssuer(string providerArn)
    {
        const string Marker = ":oidc-provider/";
        var at = providerArn.IndexOf(Marker, StringComparison.Ordinal);
        return providerArn.StartsWith("arn:", StringComparison.Ordinal) && at > 0 && at + Marker.Length < providerArn.Length ? providerArn[(at + Marker.Length)..] : null;
    }

    /// <summary>The OIDC provider ARN for an issuer URL ("https://oidc.eks.../id/ABC") in an account.</summary>
    public static string OidcProviderArn(string accountId, string issuerUrl, string partition = "aws") =>
        $"arn:{partition}:iam::{accountId}:oidc-provider/{IssuerHostPath(issuerUrl)}";

    /// <summary>"eu-west-1" from an EKS issuer (oidc.eks.eu-west-1.amazonaws.com/id/...); "" for any other issuer.</summary>
    public static string EksIssuerRegion(string issuerUrl)
    {
        var parts = IssuerHostPath(issuerUrl).Split('/')[0].Split('.');
        return parts.Length > 3 && parts[0] == "oidc" && parts[1] == "eks" ? parts[2] : "";
    }

    /// <summary>
    /// An issuer as IAM names its provider: host and path, no scheme, no trailing slash ("https://oidc.eks.../id/ABC/" and
    /// IAM's "oidc.eks.../id/ABC" compare equal). Never throws: it normalizes what clusters and IAM report.
    /// </summary>
    public static string IssuerHostPath(string issuerUrl)
    {
        var issuer = issuerUrl.Trim();
        if (issuer.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) issuer = issuer["https://".Length..];
        return issuer.TrimEnd('/');
    }

    /// <summary>Every federated principal an Allow statement names for sts:AssumeRoleWithWebIdentity (to spot trust in other clusters' issuers).</summary>
    public static IReadOnlyList<string> WebIdentityProviders(PolicyDocument trust) =>
        trust.Allows
            .Where(s => !s.IsNotPrincipal && s.CoversAction(AssumeRoleWithWebIdentity))
            .SelectMany(s => s.Principals)
            .Where(p => p.Type == PrincipalTypes.Federated)
            .Select(p => p.Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>How each Allow statement admitting <paramref name="providerArn"/> for web identity constrains the token's sub and aud.</summary>
    public static IReadOnlyList<WebIdentityGrant> WebIdentityGrants(PolicyDocument trust, string providerArn)
    {
        var issuer = OidcIssuer(providerArn) ?? throw new ArgumentException($"'{providerArn}' is not an OIDC provider ARN", nameof(providerArn));
        return StatementsAdmitting(trust, RequestPrincipal.Federated(providerArn), AssumeRoleWithWebIdentity)
            .Select(s => new WebIdentityGrant(s, issuer))
            .ToList();
    }
}

/// <summary>One trust statement letting an OIDC provider's tokens in, read for what it demands of sub and aud.</summary>
internal sealed class WebIdentityGrant
{
    public WebIdentityGrant(PolicyStatement statement, string issuer)
    {
        Statement = statement;
        Issuer = issuer;
        SubjectConditions = statement.ConditionsOn(SubjectKey);
        AudienceConditions = statement.ConditionsOn(AudienceKey);
    }

    public PolicyStatement Statement { get; }
    public string Issuer { get; }
    public string SubjectKey => $"{Issuer}:sub";
    public string AudienceKey => $"{Issuer}:aud";
    public IReadOnlyList<PolicyCondition> SubjectConditions { get; }
    public IReadOnlyList<PolicyCondition> AudienceConditions { get; }

    /// <summary>Values of plain StringEquals conditions on sub.</summary>
    public IReadOnlyList<string> ExactSubjects => Restricting(SubjectConditions)
        .Where(c => c.Operator.Test == ConditionTest.StringEquals)
        .SelectMany(c => c.Values).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Values with a wildcard under StringLike on sub (system:serviceaccount:ns:*).</summary>
    public IReadOnlyList<string> SubjectWildcards => Restricting(SubjectConditions)
        .Where(c => c.Operator.Test == ConditionTest.StringLike)
        .SelectMany(c => c.Values).Where(HasWildcard).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>No condition pins sub: every service account of the cluster (every token of the issuer) gets in.</summary>
    public bool SubjectUnconstrained => !Restricting(SubjectConditions).Any();
    /// <summary>No condition pins aud: tokens minted for any audience get in.</summary>
    public bool AudienceUnconstrained => !Restricting(AudienceConditions).Any();

    /// <summary>
    /// True when the statement admits only <paramref name="subject"/> with audience <paramref name="audience"/>:
    /// some condition pins sub to that one value and some condition pins aud to that one value.
    /// </summary>
    public bool IsExactlyFor(string subject, string audience = TrustPolicy.StsAudience) => PinsSubject(subject) && PinsAudience(audience);

    /// <summary>Some condition (StringEquals, or StringLike without wildcards) limits sub to this one value.</summary>
    public bool PinsSubject(string subject) => Restricting(SubjectConditions).Any(c => Pins(c, subject));

    /// <summary>Some condition limits aud to this one value (sts.amazonaws.com for IRSA).</summary>
    public bool PinsAudience(string audience = TrustPolicy.StsAudience) => Restricting(AudienceConditions).Any(c => Pins(c, audience));

    /// <summary>Conditions that can only narrow who gets in: not negated, not IfExists, not ForAllValues (which a missing key satisfies).</summary>
    private static IEnumerable<PolicyCondition> Restricting(IEnumerable<PolicyCondition> conditions) =>
        conditions.Where(c => !c.Operator.Negated && !c.Operator.IfExists && c.Operator.Qualifier != ConditionSetQualifier.ForAllValues &&
                              c.Operator.Test is ConditionTest.StringEquals or ConditionTest.StringEqualsIgnoreCase or ConditionTest.StringLike);

    private static bool Pins(PolicyCondition condition, string value)
    {
        if (condition.Values.Count != 1) return false;
        var pinned = condition.Values[0];
        if (condition.Operator.Test == ConditionTest.StringLike && HasWildcard(pinned)) return false;
        var comparison = condition.Operator.Test == ConditionTest.StringEqualsIgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return string.Equals(pinned, value, comparison);
    }

    private static bool HasWildcard(string value) => value.Contains('*') || value.Contains('?');

    public override string ToString() => $"{Statement.Label}: sub {Describe(SubjectConditions)}, aud {Describe(AudienceConditions)}";

    private static string Describe(IReadOnlyList<PolicyCondition> conditions) =>
        conditions.Count == 0 ? "unconstrained" : string.Join("; ", conditions.Select(c => $"{c.Operator.Name} [{string.Join(", ", c.Values)}]"));
}
