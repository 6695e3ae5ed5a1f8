using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EksSecurity.AwsTestServer.Protocols;

namespace EksSecurity.AwsTestServer.Auth;

/// <summary>A request as it arrived: the raw (still percent-encoded) path and query, the headers and the body.</summary>
public sealed record SigV4Request(
    string Method,
    string RawPath,
    string RawQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body)
{
    public IEnumerable<string> HeaderValues(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public string? Header(string name) => HeaderValues(name).FirstOrDefault();
}

/// <summary>What the verifier requires beyond a correct signature.</summary>
public sealed record SigV4Options
{
    /// <summary>The signing name the credential scope must carry (eks, iam, sts, ec2, kms); null accepts any.</summary>
    public string? Service { get; init; }
    /// <summary>Regions the credential scope may name; null accepts any.</summary>
    public IReadOnlyCollection<string>? Regions { get; init; }
    /// <summary>Allowed clock skew of X-Amz-Date for header auth (AWS: 15 minutes).</summary>
    public TimeSpan MaxSkew { get; init; } = TimeSpan.FromMinutes(15);
    /// <summary>Accept x-amz-content-sha256: UNSIGNED-PAYLOAD with header auth (presigned URLs always may use it).</summary>
    public bool AllowUnsignedPayload { get; init; }
}

/// <summary>The verifier's verdict.</summary>
public sealed record SigV4Result
{
    public AuthFailureKind Failure { get; init; }
    public string Message { get; init; } = "";
    public ScenarioCredential? Credential { get; init; }
    public string? AccessKeyId { get; init; }
    public string? Region { get; init; }
    public string? Service { get; init; }
    public bool Presigned { get; init; }
    public DateTimeOffset? SignedAt { get; init; }
    public IReadOnlyList<string> SignedHeaders { get; init; } = Array.Empty<string>();
    /// <summary>The canonical request the server computed (for diagnosing a mismatch).</summary>
    public string? CanonicalRequest { get; init; }
    public string? StringToSign { get; init; }
    public bool Ok => Failure == AuthFailureKind.None;

    public override string ToString() => Ok ? $"OK {Credential?.Arn}" : $"{Failure}: {Message}";
}

/// <summary>
/// AWS Signature Version 4 verification, written from the specification: header auth
/// (Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…) and
/// query-string auth (presigned URLs with X-Amz-Expires), canonical request with the
/// double-encoded path of non-S3 services, credential scope date/region/service, clock skew,
/// session tokens and UNSIGNED-PAYLOAD.
/// </summary>
public static class SigV4Verifier
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";
    private static readonly TimeSpan MaxPresignExpiry = TimeSpan.FromDays(7);

    public static SigV4Result Verify(SigV4Request request, Func<string, ScenarioCredential?> findCredential, DateTimeOffset now, SigV4Options options)
    {
        var query = ParseQuery(request.RawQuery);
        var authorization = request.Header("Authorization");
        var presigned = authorization is null && query.Any(p => p.Key == "X-Amz-Algorithm" || p.Key == "X-Amz-Signature" || p.Key == "X-Amz-Credential");
        if (authorization is null && !presigned)
            return Fail(AuthFailureKind.MissingAuthentication, "Request is missing Authentication Token");

        string credentialText, signedHeadersText, signature, dateText;
        string? sessionToken;
        TimeSpan? expires = null;
        if (!presigned)
        {
            var auth = authorization!.Trim();
            var space = auth.IndexOf(' ');
            var algorithm = space < 0 ? auth : auth[..space];
            if (algorithm != Algorithm)
                return Fail(AuthFailureKind.IncompleteSignature, $"Unsupported AWS 'algorithm': '{algorithm}'");
            var parts = (space < 0 ? "" : auth[(space + 1)..])
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .Where(p => p.Length == 2)
                .GroupBy(p => p[0].Trim())
                .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.Ordinal);
            var missing = new StringBuilder();
            foreach (var name in new[] { "Credential", "Signature", "SignedHeaders" })
                if (!parts.ContainsKey(name)) missing.Append($"Authorization header requires '{name}' parameter. ");
            var amzDate = request.Header("X-Amz-Date");
            var httpDate = request.Header("Date");
            if (amzDate is null && httpDate is null)
                missing.Append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
            if (missing.Length > 0)
                return Fail(AuthFailureKind.IncompleteSignature, missing + "Authorization=" + auth);
            credentialText = parts["Credential"];
            signedHeadersText = parts["SignedHeaders"];
            signature = parts["Signature"];
            if (amzDate is not null) dateText = amzDate;
            else if (DateTimeOffset.TryParse(httpDate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var hd))
                dateText = hd.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
            else return Fail(AuthFailureKind.IncompleteSignature, $"Date must be in ISO-8601 'basic format'. Got '{httpDate}'.");
            sessionToken = request.Header("X-Amz-Security-Token");
        }
        else
        {
            string? Q(string name) => query.FirstOrDefault(p => p.Key == name).Value;
            var alg = Q("X-Amz-Algorithm");
            var cred = Q("X-Amz-Credential");
            var date = Q("X-Amz-Date");
            var exp = Q("X-Amz-Expires");
            var sh = Q("X-Amz-SignedHeaders");
            var sig = Q("X-Amz-Signature");
            if (alg is null || cred is null || date is null || exp is null || sh is null || sig is null)
                return Fail(AuthFailureKind.IncompleteSignature,
                    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
            if (alg != Algorithm)
                return Fail(AuthFailureKind.IncompleteSignature, $"X-Amz-Algorithm only supports \"{Algorithm}\"");
            if (!int.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expSeconds) || expSeconds <= 0 || expSeconds > MaxPresignExpiry.TotalSeconds)
                return Fail(AuthFailureKind.IncompleteSignature, "X-Amz-Expires must be a number of seconds between 1 and 604800.");
            expires = TimeSpan.FromSeconds(expSeconds);
            credentialText = cred;
            signedHeadersText = sh;
            signature = sig;
            dateText = date;
            sessionToken = Q("X-Amz-Security-Token");
        }

        // Credential scope: AKID/yyyymmdd/region/service/aws4_request
        var scope = credentialText.Split('/');
        if (scope.Length != 5)
            return Fail(AuthFailureKind.IncompleteSignature, $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credentialText}'");
        var (accessKeyId, scopeDate, region, service, terminator) = (scope[0], scope[1], scope[2], scope[3], scope[4]);
        if (!DateTimeOffset.TryParseExact(dateText, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
            return Fail(AuthFailureKind.IncompleteSignature, $"Date must be in ISO-8601 'basic format'. Got '{dateText}'. See http://en.wikipedia.org/wiki/ISO_8601");
        var baseResult = new SigV4Result { AccessKeyId = accessKeyId, Region = region, Service = service, Presigned = presigned, SignedAt = signedAt };

        // The access key and its session token come before the signature, as in AWS.
        var credential = findCredential(accessKeyId);
        if (credential is null)
            return baseResult with { Failure = AuthFailureKind.InvalidClientTokenId, Message = "The security token included in the request is invalid." };
        if (credential.SessionToken is null ? sessionToken is not null : sessionToken != credential.SessionToken)
            return baseResult with { Failure = AuthFailureKind.InvalidClientTokenId, Message = "The security token included in the request is invalid." };
        if (credential.Expiration is { } expiration && expiration <= now)
            return baseResult with { Failure = AuthFailureKind.ExpiredToken, Message = "The security token included in the request is expired" };

        if (terminator != "aws4_request")
            return baseResult with { Failure = AuthFailureKind.SignatureDoesNotMatch, Message = $"Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'." };
        var expectedDate = signedAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        if (scopeDate != expectedDate)
            return baseResult with { Failure = AuthFailureKind.SignatureDoesNotMatch, Message = $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeDate}' != '{expectedDate}', from '{dateText}'." };
        if (options.Service is not null && service != options.Service)
            return baseResult with { Failure = AuthFailureKind.SignatureDoesNotMatch, Message = $"Credential should be scoped to correct service: '{options.Service}'. " };
        if (options.Regions is not null && !options.Regions.Contains(region))
            return baseResult with { Failure = AuthFailureKind.SignatureDoesNotMatch, Message = "Credential should be scoped to a valid region. " };

        // Time: header auth within the skew window; presigned URLs until X-Amz-Date + X-Amz-Expires.
        if (!presigned)
        {
            if (signedAt < now - options.MaxSkew)
                return baseResult with { Failure = AuthFailureKind.SignatureExpired, Message = $"Signature expired: {dateText} is now earlier than {Fmt(now - options.MaxSkew)} ({Fmt(now)} - {options.MaxSkew.TotalMinutes:0} min.)" };
            if (signedAt > now + options.MaxSkew)
                return baseResult with { Failure = AuthFailureKind.SignatureExpired, Message = $"Signature not yet current: {dateText} is still later than {Fmt(now + options.MaxSkew)} ({Fmt(now)} + {options.MaxSkew.TotalMinutes:0} min.)" };
        }
        else
        {
            if (signedAt > now + options.MaxSkew)
                return baseResult with { Failure = AuthFailureKind.SignatureExpired, Message = $"Signature not yet current: {dateText} is still later than {Fmt(now + options.MaxSkew)} ({Fmt(now)} + {options.MaxSkew.TotalMinutes:0} min.)" };
            if (signedAt + expires!.Value < now)
                return baseResult with { Failure = AuthFailureKind.SignatureExpired, Message = $"Signature expired: {Fmt(signedAt + expires.Value)} is now earlier than {Fmt(now)} (X-Amz-Date + X-Amz-Expires)" };
        }

        var signedHeaders = signedHeadersText.Split(';');
        if (!signedHeaders.Contains("host"))
            return baseResult with { Failure = AuthFailureKind.IncompleteSignature, Message = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." };
        if (signedHeaders.Any(h => h.Length == 0 || h != h.ToLowerInvariant()) || !signedHeaders.SequenceEqual(signedHeaders.OrderBy(h => h, StringComparer.Ordinal)))
            return baseResult with { Failure = AuthFailureKind.SignatureDoesNotMatch, Message = AwsErrors.SignatureMismatchMessage, SignedHeaders = signedHeaders };

        // Payload hash: x-amz-content-sha256 when sent (it must match the body unless UNSIGNED-PAYLOAD),
        // else the body's hash; a presigned URL may use either UNSIGNED-PAYLOAD or the body hash.
        var bodyHash = HexSha256(request.Body);
        var candidates = new List<string>();
        var contentSha = request.Header("X-Amz-Content-SHA256");
        if (contentSha is not null)
        {
            if (contentSha == UnsignedPayload)
            {
                if (!presigned && !options.AllowUnsignedPayload)
                    return baseResult with { Failure = AuthFailureKind.SignatureDoesNotMatch, Message = "UNSIGNED-PAYLOAD is not allowed for this service; the payload must be signed." };
            }
            else if (!string.Equals(contentSha, bodyHash, StringComparison.OrdinalIgnoreCase))
                return baseResult with { Failure = AuthFailureKind.SignatureDoesNotMatch, Message = "The provided 'x-amz-content-sha256' header does not match what was computed." };
            candidates.Add(contentSha);
        }
        else
        {
            candidates.Add(bodyHash);
            if (presigned) candidates.Add(UnsignedPayload);
        }

        var key = SigningKey(credential.SecretAccessKey, scopeDate, region, service);
        string? firstCanonical = null, firstStringToSign = null;
        foreach (var payloadHash in candidates)
        {
            var canonical = CanonicalRequest(request.Method, request.RawPath, query, presigned, request, signedHeaders, payloadHash);
            var stringToSign = StringToSign(dateText, $"{scopeDate}/{region}/{service}/aws4_request", canonical);
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
            firstCanonical ??= canonical;
            firstStringToSign ??= stringToSign;
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.ToLowerInvariant())) && signature.Length == 64)
                return baseResult with { Credential = credential, SignedHeaders = signedHeaders, CanonicalRequest = canonical, StringToSign = stringToSign };
        }
        return baseResult with
        {
            Failure = AuthFailureKind.SignatureDoesNotMatch,
            Message = AwsErrors.SignatureMismatchMessage,
            SignedHeaders = signedHeaders,
            CanonicalRequest = firstCanonical,
            StringToSign = firstStringToSign,
        };

        static SigV4Result Fail(AuthFailureKind kind, string message) => new() { Failure = kind, Message = message };
        static string Fmt(DateTimeOffset t) => t.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
    }

    /// <summary>The canonical request of the SigV4 specification.</summary>
    public static string CanonicalRequest(string method, string rawPath, IReadOnlyList<KeyValuePair<string, string>> query, bool presigned,
        SigV4Request request, IReadOnlyList<string> signedHeaders, string payloadHash)
    {
        var sb = new StringBuilder();
        sb.Append(method.ToUpperInvariant()).Append('\n');
        sb.Append(CanonicalUri(rawPath)).Append('\n');
        sb.Append(CanonicalQuery(query, presigned)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = request.HeaderValues(name).Select(TrimAll);
            sb.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }
        sb.Append('\n');
        sb.Append(string.Join(';', signedHeaders)).Append('\n');
        sb.Append(payloadHash);
        return sb.ToString();
    }

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{HexSha256(Encoding.UTF8.GetBytes(canonicalRequest))}";

    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var kDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        var kRegion = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(region));
        var kService = HMACSHA256.HashData(kRegion, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(kService, "aws4_request"u8.ToArray());
    }

    public static string HexSha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>Non-S3 services: remove dot segments, then URI-encode the (already encoded) path once more, keeping '/'.</summary>
    public static string CanonicalUri(string rawPath)
    {
        if (string.IsNullOrEmpty(rawPath)) return "/";
        var output = new List<string>();
        foreach (var s in rawPath.Split('/'))
        {
            if (s.Length == 0 || s == ".") continue;
            if (s == "..") { if (output.Count > 0) output.RemoveAt(output.Count - 1); continue; }
            output.Add(s);
        }
        var normalized = (rawPath[0] == '/' ? "/" : "") + string.Join('/', output) + (rawPath[^1] == '/' && output.Count > 0 ? "/" : "");
        if (normalized.Length == 0) normalized = "/";
        return UriEncode(normalized, keepSlash: true);
    }

    /// <summary>Sorted by encoded name then value; every name and value decoded then re-encoded per RFC 3986.</summary>
    public static string CanonicalQuery(IReadOnlyList<KeyValuePair<string, string>> query, bool presigned) =>
        string.Join('&', query
            .Where(p => !(presigned && p.Key == "X-Amz-Signature"))
            .Select(p => (Key: UriEncode(p.Key, false), Value: UriEncode(p.Value, false)))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));

    /// <summary>Decoded name/value pairs of a raw query string ('+' reads as a space, as AWS reads query strings; SigV4 clients send %2B and %20).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseQuery(string rawQuery)
    {
        var q = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        var result = new List<KeyValuePair<string, string>>();
        if (q.Length == 0) return result;
        foreach (var part in q.Split('&'))
        {
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            var k = eq < 0 ? part : part[..eq];
            var v = eq < 0 ? "" : part[(eq + 1)..];
            result.Add(new(Uri.UnescapeDataString(k.Replace('+', ' ')), Uri.UnescapeDataString(v.Replace('+', ' '))));
        }
        return result;
    }

    public static string UriEncode(string value, bool keepSlash)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string TrimAll(string value) => string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
