namespace EksSecurity;

/// <summary>
/// What a cmdlet knows about AWS credentials and region: its parameters and the session's
/// AWS Tools variables. The engine resolves them in AWS Tools for PowerShell's order.
/// </summary>
public sealed class AwsAccessRequest
{
    public string? AccessKey { get; init; }
    /// <summary>Never logged or stored.</summary>
    public string? SecretKey { get; init; }
    public string? SessionToken { get; init; }
    public string? ProfileName { get; init; }
    public string? ProfileLocation { get; init; }
    public string? Region { get; init; }
    public string? EndpointUrl { get; init; }
    /// <summary>-Credential: an AWS Tools credentials object (read by shape: it has GetCredentials()).</summary>
    public object? Credential { get; init; }
    /// <summary>$StoredAWSCredentials of the session (Set-AWSCredential): a credentials object or a profile name.</summary>
    public object? StoredCredentials { get; init; }
    /// <summary>$StoredAWSRegion of the session (Set-DefaultAWSRegion).</summary>
    public string? StoredRegion { get; init; }
    /// <summary>The region of -ClusterArn, when given.</summary>
    public string? ArnRegion { get; init; }
    /// <summary>How many calls may run at once.</summary>
    public int ThrottleLimit { get; init; } = 8;
}

/// <summary>Where the credentials and the region came from, for -Debug; never the secret itself.</summary>
public sealed class AwsAccessInfo
{
    public required string CredentialSource { get; init; }
    public string? AccessKeyId { get; init; }
    public required string Region { get; init; }
    public required string RegionSource { get; init; }
    public override string ToString() => $"credentials from {CredentialSource}; region {Region} from {RegionSource}";
}
