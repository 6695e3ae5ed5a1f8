using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EksSecurity.AwsTestServer.Auth;

/// <summary>The identity an EKS bearer token proves, or why it was rejected.</summary>
public sealed record EksTokenResult
{
    public bool Valid { get; init; }
    public string? Error { get; init; }
    /// <summary>GetCallerIdentity's Arn (arn:aws:sts::…:assumed-role/Role/session for roles).</summary>
    public string? Arn { get; init; }
    /// <summary>The ARN the EKS authenticator maps (assumed-role sessions become arn:aws:iam::…:role/Role).</summary>
    public string? CanonicalArn { get; init; }
    public string? Account { get; init; }
    public string? UserId { get; init; }
    public string? AccessKeyId { get; init; }

    public override string ToString() => Valid ? $"valid: {Arn}" : $"invalid: {Error}";
}

/// <summary>
/// Validates "k8s-aws-v1." bearer tokens as the EKS authenticator (aws-iam-authenticator)
/// does: the token is a base64url presigned STS GetCallerIdentity URL signed with the
/// x-k8s-aws-id header set to the cluster name. Instead of forwarding the URL to STS, the
/// signature is verified here against the scenario's credentials.
/// </summary>
public sealed class EksTokenValidator
{
    public const string Prefix = "k8s-aws-v1.";
    public const int MaxTokenLength = 4 * 1024;
    public static readonly TimeSpan PresignedUrlExpiration = TimeSpan.FromMinutes(15);
    public const int MaxExpiresSeconds = 60;

    private static readonly HashSet<string> s_allowedParameters = new(StringComparer.Ordinal)
    {
        "action", "version", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-expires",
        "x-amz-security-token", "x-amz-signature", "x-amz-signedheaders",
    };

    private static readonly Regex s_stsHost = new(
        @"^sts(-fips)?(\.[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+)?\.(amazonaws\.com|amazonaws\.com\.cn|c2s\.ic\.gov|sc2s\.sgov\.gov|api\.aws)$",
        RegexOptions.CultureInvariant);

    private readonly Func<string, ScenarioCredential?> _findCredential;
    private readonly Func<DateTimeOffset> _now;

    public EksTokenValidator(Func<string, ScenarioCredential?> findCredential, Func<DateTimeOffset>? now = null)
    {
        _findCredential = findCredential;
        _now = now ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>Extra hosts accepted as STS (none by default; the authenticator only accepts STS hostnames).</summary>
    public ISet<string> ExtraStsHosts { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public static bool IsStsHost(string host) => s_stsHost.IsMatch(host.ToLowerInvariant());

    public EksTokenResult Validate(string token, string clusterName)
    {
        if (string.IsNullOrEmpty(token)) return Invalid("token is empty");
        if (token.Length > MaxTokenLength) return Invalid("token is too large");
        if (!token.StartsWith(Prefix, StringComparison.Ordinal)) return Invalid($"token is missing expected \"{Prefix}\" prefix");

        string url;
        try { url = Encoding.UTF8.GetString(DecodeBase64UrlNoPadding(token[Prefix.Length..])); }
        catch (FormatException e) { return Invalid("token is not valid base64url: " + e.Message); }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return Invalid("token does not contain a valid URL");
        if (uri.Scheme != "https") return Invalid($"unexpected scheme \"{uri.Scheme}\" in pre-signed URL");
        var hostWithPort = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        if (!IsStsHost(uri.Host) && !ExtraStsHosts.Contains(uri.Host) && !ExtraStsHosts.Contains(hostWithPort))
            return Invalid($"unexpected hostname \"{uri.Host}\" in pre-signed URL");
        var rawPath = uri.GetComponents(UriComponents.Path | UriComponents.KeepDelimiter, UriFormat.UriEscaped);
        if (rawPath != "/") return Invalid($"unexpected path \"{rawPath}\" in pre-signed URL");

        var rawQuery = uri.Query.TrimStart('?');
        var pairs = SigV4Verifier.ParseQuery(rawQuery);
        var lower = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs)
        {
            var lk = k.ToLowerInvariant();
            if (!s_allowedParameters.Contains(lk)) return Invalid($"non-whitelisted query parameter \"{k}\"");
            if (!lower.TryAdd(lk, v)) return Invalid($"query parameter with multiple values not supported: \"{k}\"");
        }
        if (!lower.TryGetValue("action", out var action) || action != "GetCallerIdentity")
            return Invalid("unexpected action parameter in pre-signed URL");
        if (!lower.TryGetValue("x-amz-signedheaders", out var signedHeaders) ||
            !signedHeaders.Split(';').Contains("x-k8s-aws-id", StringComparer.OrdinalIgnoreCase))
            return Invalid("client did not sign the x-k8s-aws-id header in the pre-signed URL");
        if (!lower.TryGetValue("x-amz-expires", out var expiresText) ||
            !int.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
            return Invalid("X-Amz-Expires parameter is missing or not a number");
        if (expires > MaxExpiresSeconds)
            return Invalid($"X-Amz-Expires parameter in pre-signed URL must be {MaxExpiresSeconds} seconds or less");
        if (!lower.TryGetValue("x-amz-date", out var dateText) ||
            !DateTimeOffset.TryParseExact(dateText, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
            return Invalid("error parsing X-Amz-Date parameter");
        var now = _now();
        if (now > date + PresignedUrlExpiration)
            return Invalid($"X-Amz-Date parameter is expired ({PresignedUrlExpiration.TotalMinutes:0} minute expiration) {date:O}");
        if (date > now + PresignedUrlExpiration)
            return Invalid($"X-Amz-Date parameter is in the future {date:O}");

        // What STS would verify: the GET with Host and the x-k8s-aws-id header set to this cluster.
        var request = new SigV4Request("GET", rawPath, rawQuery, new List<KeyValuePair<string, string>>
        {
            new("Host", hostWithPort),
            new("x-k8s-aws-id", clusterName),
        }, Array.Empty<byte>());
        var verdict = SigV4Verifier.Verify(request, _findCredential, now, new SigV4Options { Service = "sts", MaxSkew = PresignedUrlExpiration });
        if (!verdict.Ok)
        {
            var why = verdict.Failure == Protocols.AuthFailureKind.SignatureDoesNotMatch
                ? $"signature does not match (token not issued for cluster \"{clusterName}\", or tampered): {verdict.Message}"
                : verdict.Message;
            return Invalid($"STS GetCallerIdentity would fail: {verdict.Failure}: {why}");
        }
        var cred = verdict.Credential!;
        return new EksTokenResult
        {
            Valid = true,
            Arn = cred.Arn,
            CanonicalArn = CanonicalizeArn(cred.Arn),
            Account = cred.Account,
            UserId = cred.UserId,
            AccessKeyId = cred.AccessKeyId,
        };
    }

    /// <summary>arn:aws:sts::A:assumed-role/R/s → arn:aws:iam::A:role/R, as the authenticator maps roles.</summary>
    public static string CanonicalizeArn(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length == 6 && parts[2] == "sts" && parts[5].StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            var role = parts[5].Split('/')[1];
            return $"arn:{parts[1]}:iam::{parts[4]}:role/{role}";
        }
        return arn;
    }

    public static byte[] DecodeBase64UrlNoPadding(string s)
    {
        if (s.Contains('=')) throw new FormatException("padding is not allowed (RawURLEncoding)");
        if (s.Any(c => c is '+' or '/')) throw new FormatException("not the URL alphabet");
        var b64 = s.Replace('-', '+').Replace('_', '/');
        switch (b64.Length % 4)
        {
            case 2: b64 += "=="; break;
            case 3: b64 += "="; break;
            case 1: throw new FormatException("invalid length");
        }
        return Convert.FromBase64String(b64);
    }

    private static EksTokenResult Invalid(string error) => new() { Valid = false, Error = error };
}
