using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using Amazon.Util;

namespace EksSecurity.Engine.Aws;

/// <summary>
/// SigV4 for our small clients: the canonical request is assembled here (string work), the
/// signing key and the signature come from AWSSDK.Core's AWS4Signer (no home-made crypto).
/// </summary>
public static class AwsSigner
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public static readonly string EmptyBodyHash = Hash([]);

    public static string Hash(byte[] body) => AWSSDKUtils.ToHex(AWS4Signer.ComputeHash(body), true);

    /// <summary>Adds x-amz-date, x-amz-security-token, x-amz-content-sha256 and Authorization to <paramref name="headers"/>.</summary>
    public static void SignHeaders(HttpMethod method, Uri uri, IDictionary<string, string> headers, byte[] body,
        ImmutableCredentials credentials, string region, string service, DateTime utcNow, bool signContentHash = true)
    {
        var amzDate = utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        headers["host"] = HostHeader(uri);
        headers["x-amz-date"] = amzDate;
        if (!string.IsNullOrEmpty(credentials.Token)) headers["x-amz-security-token"] = credentials.Token;
        var bodyHash = Hash(body);
        if (signContentHash) headers["x-amz-content-sha256"] = bodyHash;
        var signed = headers.Where(h => !string.Equals(h.Key, "authorization", StringComparison.OrdinalIgnoreCase))
            .Select(h => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), CollapseWhitespace(h.Value)))
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .ToList();
        var signedHeaders = string.Join(";", signed.Select(h => h.Key));
        var canonical = new StringBuilder()
            .Append(method.Method).Append('\n')
            .Append(CanonicalPath(uri)).Append('\n')
            .Append(CanonicalQuery(uri.Query)).Append('\n');
        foreach (var h in signed) canonical.Append(h.Key).Append(':').Append(h.Value).Append('\n');
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(bodyHash);
        var result = AWS4Signer.ComputeSignature(credentials, region, utcNow, service, signedHeaders, canonical.ToString());
        headers["Authorization"] = result.ForAuthorizationHeader;
    }

    /// <summary>
    /// A presigned GET URL (query-string SigV4), as botocore's presigner makes it: the extra
    /// headers are signed and must be sent by whoever uses the URL.
    /// </summary>
    public static Uri Presign(Uri uri, IReadOnlyDictionary<string, string> extraSignedHeaders, ImmutableCredentials credentials,
        string region, string service, DateTime utcNow, TimeSpan expires)
    {
        var amzDate = utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = HostHeader(uri) };
        foreach (var (k, v) in extraSignedHeaders) headers[k.ToLowerInvariant()] = CollapseWhitespace(v);
        var signedHeaders = string.Join(";", headers.Keys);
        var scope = $"{utcNow:yyyyMMdd}/{region}/{service}/aws4_request";
        var query = ParseQuery(uri.Query);
        query.Add(("X-Amz-Algorithm", Algorithm));
        query.Add(("X-Amz-Credential", $"{credentials.AccessKey}/{scope}"));
        query.Add(("X-Amz-Date", amzDate));
        query.Add(("X-Amz-Expires", ((int)expires.TotalSeconds).ToString(CultureInfo.InvariantCulture)));
        query.Add(("X-Amz-SignedHeaders", signedHeaders));
        if (!string.IsNullOrEmpty(credentials.Token)) query.Add(("X-Amz-Security-Token", credentials.Token));
        var canonicalQuery = CanonicalQuery(query);
        var canonical = new StringBuilder()
            .Append("GET\n")
            .Append(CanonicalPath(uri)).Append('\n')
            .Append(canonicalQuery).Append('\n');
        foreach (var h in headers) canonical.Append(h.Key).Append(':').Append(h.Value).Append('\n');
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(EmptyBodyHash);
        var result = AWS4Signer.ComputeSignature(credentials, region, utcNow, service, signedHeaders, canonical.ToString());
        var builder = new UriBuilder(uri) { Query = canonicalQuery + "&X-Amz-Signature=" + result.Signature };
        return builder.Uri;
    }

    private static string HostHeader(Uri uri) => uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";

    private static string CollapseWhitespace(string value) => string.Join(' ', value.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Each path segment URI-encoded again (SigV4 double-encodes for every service but S3).</summary>
    private static string CanonicalPath(Uri uri)
    {
        var path = uri.AbsolutePath;
        if (string.IsNullOrEmpty(path)) return "/";
        return string.Join('/', path.Split('/').Select(Encode));
    }

    public static string Encode(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var sb = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~') sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static List<(string Key, string Value)> ParseQuery(string query)
    {
        var list = new List<(string, string)>();
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
            list.Add((key, value));
        }
        return list;
    }

    private static string CanonicalQuery(string query) => CanonicalQuery(ParseQuery(query));

    private static string CanonicalQuery(IEnumerable<(string Key, string Value)> query) =>
        string.Join('&', query.Select(p => (Key: Encode(p.Key), Value: Encode(p.Value)))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
}
