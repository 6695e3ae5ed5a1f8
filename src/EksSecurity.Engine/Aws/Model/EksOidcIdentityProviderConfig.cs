namespace EksSecurity.Engine.Aws.Model;

// Shape OidcIdentityProviderConfig (aws-models/eks), with the wire's member names: the "oidc"
// object inside identityProviderConfig of `aws eks describe-identity-provider-config` output.

public sealed class EksOidcIdentityProviderConfig
{
    public string? IdentityProviderConfigName { get; set; }
    public string? IdentityProviderConfigArn { get; set; }
    public string? ClusterName { get; set; }
    public string? IssuerUrl { get; set; }
    public string? ClientId { get; set; }
    public string? UsernameClaim { get; set; }
    /// <summary>Without a prefix, IdP usernames can collide with Kubernetes or IAM-mapped ones.</summary>
    public string? UsernamePrefix { get; set; }
    public string? GroupsClaim { get; set; }
    /// <summary>Without a prefix, an IdP group named system:masters (or similar) binds as the real one.</summary>
    public string? GroupsPrefix { get; set; }
    public Dictionary<string, string>? RequiredClaims { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    /// <summary>CREATING, DELETING or ACTIVE.</summary>
    public string? Status { get; set; }
}
