using EksSecurity.Engine.Rules.Iam;

namespace EksSecurity.Engine.Aws.Policy;

/// <summary>Who makes a request: an AWS principal ARN (or account), a service, a federated identity provider, a canonical user.</summary>
internal sealed record RequestPrincipal(string Type, string Value)
{
    public static RequestPrincipal Aws(string arnOrAccount) => new(PrincipalTypes.Aws, arnOrAccount);
    public static RequestPrincipal Service(string servicePrincipal) => new(PrincipalTypes.Service, servicePrincipal);
    /// <summary>An OIDC or SAML provider ARN (arn:aws:iam::111122223333:oidc-provider/oidc.eks...), or a web identity domain such as accounts.google.com.</summary>
    public static RequestPrincipal Federated(string provider) => new(PrincipalTypes.Federated, provider);
    public static RequestPrincipal CanonicalUser(string id) => new(PrincipalTypes.CanonicalUser, id);

    /// <summary>The account of an AWS principal or federated provider ARN; null for services and domains.</summary>
    public string? Account => Type is PrincipalTypes.Aws or PrincipalTypes.Federated ? AccountOf(Value) : null;

    /// <summary>"111122223333" and "arn:aws:iam::111122223333:root" name a whole account.</summary>
    internal static string? AccountNamedBy(string value)
    {
        var trimmed = value.Trim();
        if (IsAccountId(trimmed)) return trimmed;
        var parts = trimmed.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[5] == "root" && IsAccountId(parts[4]) ? parts[4] : null;
    }

    internal static string? AccountOf(string value)
    {
        var trimmed = value.Trim();
        if (IsAccountId(trimmed)) return trimmed;
        var parts = trimmed.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" && IsAccountId(parts[4]) ? parts[4] : null;
    }

    private static bool IsAccountId(string s) => s.Length == 12 && s.All(char.IsAsciiDigit);

    public override string ToString() => $"{Type}:{Value}";
}

/// <summary>
/// The request a policy set is asked about: action, resource, principal and the request context (condition keys,
/// each with one or several values). Keys compare case-insensitively, values case-sensitively. aws:PrincipalArn,
/// aws:PrincipalAccount and aws:username are derived from an AWS principal unless given.
/// </summary>
internal sealed class AccessRequest
{
    private readonly Dictionary<string, IReadOnlyList<string>> _context;

    public AccessRequest(string action, string? resource = null, RequestPrincipal? principal = null, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? context = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        Action = action;
        Resource = resource;
        Principal = principal;
        _context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (context is not null)
            foreach (var (key, values) in context)
                _context[key] = values;
    }

    public string Action { get; }
    /// <summary>The resource ARN; null when the policy is attached to the resource itself (a trust policy's role).</summary>
    public string? Resource { get; }
    /// <summary>The caller; null for an anonymous request.</summary>
    public RequestPrincipal? Principal { get; }
    /// <summary>The account owning the resource, when its ARN does not say (S3 ARNs); decides same- or cross-account evaluation.</summary>
    public string? ResourceAccount { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Context => _context;

    /// <summary>A copy with <paramref name="key"/> set to <paramref name="values"/> (several for a multivalued key, none for an empty one).</summary>
    public AccessRequest With(string key, params string[] values)
    {
        var context = new Dictionary<string, IReadOnlyList<string>>(_context, StringComparer.OrdinalIgnoreCase) { [key] = values };
        return new AccessRequest(Action, Resource, Principal, context) { ResourceAccount = ResourceAccount };
    }

    /// <summary>The values of a context key; false when the request does not carry it.</summary>
    public bool TryGetContextValues(string key, out IReadOnlyList<string> values)
    {
        if (_context.TryGetValue(key, out var given))
        {
            values = given;
            return true;
        }
        values = [];
        var derived = Derived(key);
        if (derived is null) return false;
        values = [derived];
        return true;
    }

    /// <summary>The resource's account: <see cref="ResourceAccount"/>, else the ARN's account part; null when unknown.</summary>
    public string? EffectiveResourceAccount => ResourceAccount ?? (Resource is null ? null : RequestPrincipal.AccountOf(Resource));

    private string? Derived(string key)
    {
        if (Principal is not { Type: PrincipalTypes.Aws }) return null;
        var arn = IamPrincipalArn.Parse(Principal.Value);
        if (string.Equals(key, "aws:PrincipalAccount", StringComparison.OrdinalIgnoreCase)) return Principal.Account;
        if (string.Equals(key, "aws:PrincipalArn", StringComparison.OrdinalIgnoreCase))
        {
            if (arn is null) return null;
            // For a role session, aws:PrincipalArn is the role's ARN.
            if (arn.Arn.Contains(":assumed-role/", StringComparison.Ordinal))
                return $"arn:{arn.Arn.Split(':')[1]}:iam::{arn.Account}:role/{arn.Name}";
            return arn.Arn;
        }
        if (string.Equals(key, "aws:username", StringComparison.OrdinalIgnoreCase))
            return arn is { Kind: PrincipalKind.User } ? arn.Name : null;
        return null;
    }

    public override string ToString() => $"{Action} on {Resource ?? "(the policy's resource)"} by {Principal?.ToString() ?? "anonymous"}";
}
