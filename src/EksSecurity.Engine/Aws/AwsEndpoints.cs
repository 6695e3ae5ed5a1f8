namespace EksSecurity.Engine.Aws;

/// <summary>The services the scanner calls, with their endpoint and signing name.</summary>
public enum AwsService
{
    Eks,
    Iam,
    Sts,
    Ec2,
    Kms,
    Ssm,
}

/// <summary>
/// Endpoints per partition (aws, aws-cn, aws-us-gov), as the services' endpoint rule sets
/// give them for the standard (non-FIPS, non-dual-stack) case. IAM is global per partition.
/// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_&lt;SERVICE&gt; override them, as in the AWS CLI and SDKs.
/// </summary>
public static class AwsEndpoints
{
    public static string Partition(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";

    public static string DnsSuffix(string region) => Partition(region) == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";

    /// <summary>The name SigV4 signs with (the credential scope's service).</summary>
    public static string SigningName(AwsService service) => service switch
    {
        AwsService.Eks => "eks",
        AwsService.Iam => "iam",
        AwsService.Sts => "sts",
        AwsService.Ec2 => "ec2",
        AwsService.Kms => "kms",
        AwsService.Ssm => "ssm",
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };

    /// <summary>The environment-variable suffix of AWS_ENDPOINT_URL_&lt;SERVICE&gt; (the service id, upper case).</summary>
    public static string EnvironmentName(AwsService service) => service switch
    {
        AwsService.Eks => "EKS",
        AwsService.Iam => "IAM",
        AwsService.Sts => "STS",
        AwsService.Ec2 => "EC2",
        AwsService.Kms => "KMS",
        AwsService.Ssm => "SSM",
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };

    /// <summary>The region requests to IAM are signed for: IAM lives in one region per partition.</summary>
    public static string SigningRegion(AwsService service, string region) => service == AwsService.Iam
        ? Partition(region) switch { "aws-cn" => "cn-north-1", "aws-us-gov" => "us-gov-west-1", _ => "us-east-1" }
        : region;

    public static Uri DefaultEndpoint(AwsService service, string region)
    {
        var suffix = DnsSuffix(region);
        return service switch
        {
            AwsService.Iam => Partition(region) switch
            {
                "aws-cn" => new Uri($"https://iam.cn-north-1.{suffix}/"),
                "aws-us-gov" => new Uri($"https://iam.us-gov.{suffix}/"),
                _ => new Uri($"https://iam.{suffix}/"),
            },
            _ => new Uri($"https://{SigningName(service)}.{region}.{suffix}/"),
        };
    }

    /// <summary>The endpoint to call: an explicit URL, else the service's environment variable, else the global one, else the default.</summary>
    public static Uri Resolve(AwsService service, string region, string? explicitUrl, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var url = explicitUrl
            ?? environment("AWS_ENDPOINT_URL_" + EnvironmentName(service))
            ?? environment("AWS_ENDPOINT_URL");
        if (string.IsNullOrWhiteSpace(url)) return DefaultEndpoint(service, region);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
            throw new EksSecurityException("InvalidEndpointUrl", EksErrorKind.InvalidArgument,
                $"The endpoint URL '{url}' for {EnvironmentName(service)} is not an absolute http(s) URL.", url);
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }
}
