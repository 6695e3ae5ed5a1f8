using System.Text;

namespace EksSecurity.Engine.Aws;

/// <summary>An EKS bearer token and when to stop using it.</summary>
public sealed record EksToken(string Value, DateTimeOffset ExpiresAt)
{
    /// <summary>Never print the token: it is a credential for the cluster.</summary>
    public override string ToString() => $"EKS token (expires {ExpiresAt:O})";
}

/// <summary>
/// Mints the Kubernetes bearer token for an EKS cluster from AWS credentials, as `aws eks get-token`
/// does: a presigned STS GetCallerIdentity URL whose signature covers the x-k8s-aws-id header naming
/// the cluster, base64url-encoded behind "k8s-aws-v1.". Cached and renewed before it expires, so
/// scans of any length keep working.
/// </summary>
public sealed class EksTokenProvider
{
    public const string Prefix = "k8s-aws-v1.";
    public const string ClusterIdHeader = "x-k8s-aws-id";
    /// <summary>The authenticator accepts a token for 15 minutes after signing; the CLI reports 14.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(14);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    private readonly AwsAccess _access;
    private readonly string _clusterName;
    private readonly Func<DateTime> _clock;
    private readonly object _gate = new();
    private EksToken? _current;

    public EksTokenProvider(AwsAccess access, string clusterName, Func<DateTime>? clock = null)
    {
        _access = access;
        _clusterName = clusterName;
        _clock = clock ?? (() => DateTime.UtcNow);
    }

    public EksToken GetToken()
    {
        lock (_gate)
        {
            var now = _clock();
            if (_current is null || _current.ExpiresAt - RenewBefore <= now) _current = Mint(now);
            return _current;
        }
    }

    private EksToken Mint(DateTime now)
    {
        var credentials = _access.Credentials.GetCredentials();
        // Always the partition's regional STS host: the EKS authenticator only accepts presigned URLs for
        // STS hostnames, so an endpoint override (a test server, a proxy) must not leak into the token.
        var endpoint = AwsEndpoints.DefaultEndpoint(AwsService.Sts, _access.Region);
        var url = new Uri(endpoint, "?Action=GetCallerIdentity&Version=2011-06-15");
        var presigned = AwsSigner.Presign(url, new Dictionary<string, string> { [ClusterIdHeader] = _clusterName }, credentials,
            _access.Region, "sts", now, TimeSpan.FromSeconds(60));
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(presigned.AbsoluteUri)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new EksToken(Prefix + encoded, new DateTimeOffset(now, TimeSpan.Zero) + Lifetime);
    }
}
