namespace EksSecurity.Engine.Rules.Iam;

/// <summary>
/// EKS-IAM-040: every OIDC identity provider associated with the cluster prefixes the usernames and groups it asserts, so the IdP cannot
/// name a user or group that means something else in the cluster (system:masters, eks:*, a group RBAC grants to IAM principals).
/// </summary>
public sealed class OidcIdentityProviderNamespaced : Rule
{
    /// <summary>EKS's default username claim.</summary>
    internal const string DefaultUsernameClaim = "sub";
    /// <summary>The usernamePrefix value that turns prefixing off.</summary>
    internal const string NoPrefix = "-";
    /// <summary>Name prefixes Kubernetes and EKS reserve for their own users and groups.</summary>
    private static readonly string[] ReservedPrefixes = ["system:", "eks:"];

    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-IAM-040",
        Title = "OIDC identity-provider config is namespaced",
        Severity = Severity.Informational,
        Area = RuleArea.Iam,
        Rationale = "An OIDC identity provider associated with the cluster authenticates users with the username and groups its tokens " +
                    "carry. Without a prefix those names are used as they are: whoever administers the IdP, or can put a value into the " +
                    "claim, can name a user or group that RBAC already grants to someone else (a group bound for IAM principals, a built-in " +
                    "system: or eks: group). A prefix such as oidc: keeps the IdP's names apart from every other source of identity.",
        Remediation = "An identity provider configuration cannot be updated: replace it. Bind the roles to the prefixed names first, then " +
                      "disassociate the old configuration and associate one with prefixes (IdP users cannot sign in while EKS applies the change):\n" +
                      "kubectl create clusterrolebinding <name> --clusterrole=<role> --group=oidc:<idp-group>\n" +
                      "aws eks disassociate-identity-provider-config --cluster-name <cluster> --identity-provider-config type=oidc,name=<name>\n" +
                      "aws eks associate-identity-provider-config --cluster-name <cluster> --oidc identityProviderConfigName=<name>," +
                      "issuerUrl=<issuer>,clientId=<client>,usernameClaim=email,usernamePrefix=oidc:,groupsClaim=groups,groupsPrefix=oidc:\n" +
                      "Then delete the bindings to the unprefixed names.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/authenticate-oidc-identity-provider.html",
            "https://docs.aws.amazon.com/eks/latest/APIReference/API_OidcIdentityProviderConfigRequest.html",
            "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#openid-connect-tokens",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.IdentityProviderConfigs],
        Tags = ["aws", "authentication", "oidc", "identity-provider", "rbac"],
    };

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        foreach (var config in context.Aws.IdentityProviderConfigs!.All.OrderBy(c => c.IdentityProviderConfigName, StringComparer.Ordinal))
        {
            var name = config.IdentityProviderConfigName ?? config.IdentityProviderConfigArn ?? "(unnamed)";
            var resource = new ResourceRef("IdentityProviderConfig", null, name);
            var evidence = new List<string>
            {
                $"issuerUrl = {Show(config.IssuerUrl)}",
                $"clientId = {Show(config.ClientId)}",
                $"status = {Show(config.Status)}",
            };
            var problems = new List<string>();

            var usernameClaim = string.IsNullOrEmpty(config.UsernameClaim) ? DefaultUsernameClaim : config.UsernameClaim;
            evidence.Add($"usernameClaim = {usernameClaim}{(string.IsNullOrEmpty(config.UsernameClaim) ? " (default)" : "")}");
            if (config.UsernamePrefix == NoPrefix)
            {
                evidence.Add("usernamePrefix = - (prefixing turned off)");
                problems.Add($"usernamePrefix '-' turns prefixing off: usernames from the '{usernameClaim}' claim are used as they are");
            }
            else if (string.IsNullOrEmpty(config.UsernamePrefix))
            {
                if (usernameClaim == "email")
                {
                    evidence.Add("usernamePrefix = (unset; EKS adds no prefix to the email claim)");
                    problems.Add("usernamePrefix is unset and usernameClaim is email, which EKS does not prefix: usernames are the bare addresses");
                }
                else
                    evidence.Add($"usernamePrefix = (unset; EKS prefixes the issuer URL: {config.IssuerUrl}#)");
            }
            else
            {
                evidence.Add($"usernamePrefix = {config.UsernamePrefix}");
                if (Reserved(config.UsernamePrefix) is { } reserved)
                    problems.Add($"usernamePrefix '{config.UsernamePrefix}' puts the IdP's usernames among the reserved {reserved} names");
            }

            if (string.IsNullOrEmpty(config.GroupsClaim))
                evidence.Add("groupsClaim = (unset; the IdP's groups are not used)");
            else
            {
                evidence.Add($"groupsClaim = {config.GroupsClaim}");
                if (string.IsNullOrEmpty(config.GroupsPrefix))
                {
                    evidence.Add("groupsPrefix = (unset; EKS adds no prefix to groups)");
                    problems.Add($"groupsPrefix is unset: groups from the '{config.GroupsClaim}' claim are used as they are");
                }
                else
                {
                    evidence.Add($"groupsPrefix = {config.GroupsPrefix}");
                    if (Reserved(config.GroupsPrefix) is { } reserved)
                        problems.Add($"groupsPrefix '{config.GroupsPrefix}' puts the IdP's groups among the reserved {reserved} names");
                }
            }
            evidence.Add(config.RequiredClaims is { Count: > 0 } claims
                ? "requiredClaims = " + string.Join(", ", claims.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"))
                : "requiredClaims = (none)");

            var what = $"OIDC identity provider {name} ({Show(config.IssuerUrl)}, client {Show(config.ClientId)})";
            if (problems.Count > 0)
                yield return context.Warn(resource,
                    $"{what} is not namespaced: {string.Join("; ", problems)}. The IdP can then name a user or group that RBAC grants to someone else.", evidence);
            else
                yield return context.Pass(resource, $"{what} keeps its usernames and groups apart with prefixes.", evidence);
        }
    }

    private static string? Reserved(string prefix) =>
        ReservedPrefixes.FirstOrDefault(r => prefix.StartsWith(r, StringComparison.OrdinalIgnoreCase));

    private static string Show(string? value) => string.IsNullOrEmpty(value) ? "(absent)" : value;
}
