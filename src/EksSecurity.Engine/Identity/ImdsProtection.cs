namespace EksSecurity.Engine.Identity;

/// <summary>
/// The one judgment of an instance's metadata options (EKS-IAM-032, EKS-IAM-033, and the IMDS reach of pods): a pod that is not
/// on the host network sends its packets one hop further than the node, so IMDSv2 (tokens required) with a PUT response hop limit
/// of 1 keeps the session token, and so the node role's credentials, from reaching it. IMDSv1 answers any caller; a hop limit of
/// 2 or more lets the token reach pods. Unset members take EC2's defaults (endpoint enabled, tokens optional, hop limit 1).
/// </summary>
internal static class ImdsProtection
{
    public enum Outcome
    {
        /// <summary>HttpEndpoint disabled: no instance metadata at all.</summary>
        Disabled,
        /// <summary>Tokens required and the hop limit within the allowed one.</summary>
        Protected,
        /// <summary>HttpTokens optional: IMDSv1 answers without a token.</summary>
        TokensOptional,
        /// <summary>Tokens required, but the hop limit lets the token travel further than allowed.</summary>
        HopLimitTooHigh,
    }

    public readonly record struct Judgment(Outcome Outcome, string HttpEndpoint, string HttpTokens, int HopLimit)
    {
        /// <summary>True when pods (beyond the allowed hops) cannot get the node role's credentials from IMDS.</summary>
        public bool Blocked => Outcome is Outcome.Disabled or Outcome.Protected;

        /// <summary>"HttpEndpoint enabled, HttpTokens required, hop limit 1".</summary>
        public string Settings => $"HttpEndpoint {HttpEndpoint}, HttpTokens {HttpTokens}, hop limit {HopLimit}";
    }

    /// <param name="maxHopLimit">1 for nodes whose pods must not reach IMDS; 2 where pods are allowed to (IMDSv2 still required).</param>
    public static Judgment Judge(string? httpEndpoint, string? httpTokens, int? hopLimit, int maxHopLimit = 1)
    {
        var endpoint = string.IsNullOrEmpty(httpEndpoint) ? "enabled" : httpEndpoint;
        var tokens = string.IsNullOrEmpty(httpTokens) ? "optional" : httpTokens;
        var hops = hopLimit ?? 1;
        var outcome = string.Equals(endpoint, "disabled", StringComparison.OrdinalIgnoreCase) ? Outcome.Disabled
            : !string.Equals(tokens, "required", StringComparison.OrdinalIgnoreCase) ? Outcome.TokensOptional
            : hops > maxHopLimit ? Outcome.HopLimitTooHigh
            : Outcome.Protected;
        return new Judgment(outcome, endpoint, tokens, hops);
    }
}
