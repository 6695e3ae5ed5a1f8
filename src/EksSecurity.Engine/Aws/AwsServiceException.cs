namespace EksSecurity.Engine.Aws;

/// <summary>An error answer from an AWS service, with its code (AccessDenied, ThrottlingException, NoSuchEntity, ...).</summary>
public sealed class AwsServiceException : Exception
{
    public AwsServiceException(AwsService service, string operation, string code, string message, int statusCode, string? requestId = null, Exception? inner = null)
        : base($"{AwsEndpoints.SigningName(service)}:{operation} failed: {code}: {message}", inner)
    {
        Service = service;
        Operation = operation;
        Code = code;
        ServiceMessage = message;
        StatusCode = statusCode;
        RequestId = requestId;
    }

    public AwsService Service { get; }
    public string Operation { get; }
    public string Code { get; }
    public string ServiceMessage { get; }
    public int StatusCode { get; }
    public string? RequestId { get; }

    /// <summary>The IAM action that was called, such as eks:DescribeCluster.</summary>
    public string Action => $"{AwsEndpoints.SigningName(Service)}:{Operation}";

    public bool IsAccessDenied => !IsAuthenticationFailure && (Code is "AccessDenied" or "AccessDeniedException" or "UnauthorizedOperation" or "UnauthorizedAccess" or "AuthorizationError"
        || StatusCode == 403);

    /// <summary>
    /// The service did not accept the credentials themselves (wrong secret key, unknown or expired key,
    /// bad session token, clock skew), in any protocol's wording: no permission set is involved, and
    /// every other call with the same credentials fails the same way.
    /// </summary>
    public bool IsAuthenticationFailure => IsAuthenticationFailureCode(Code);

    public static bool IsAuthenticationFailureCode(string code) => code is
        // query (IAM, STS)
        "SignatureDoesNotMatch" or "InvalidClientTokenId" or "ExpiredToken" or "IncompleteSignature" or "MissingAuthenticationToken"
        // rest-json and json 1.1 (EKS, KMS, SSM)
        or "InvalidSignatureException" or "UnrecognizedClientException" or "ExpiredTokenException" or "IncompleteSignatureException"
        or "MissingAuthenticationTokenException"
        // ec2
        or "AuthFailure" or "RequestExpired" or "InvalidAccessKeyId" or "SignatureExpired";

    public bool IsNotFound => Code is "ResourceNotFoundException" or "NoSuchEntity" or "NotFoundException" or "NotFound"
        || Code.EndsWith(".NotFound", StringComparison.Ordinal) || Code.StartsWith("InvalidInstanceID", StringComparison.Ordinal);

    public static bool IsThrottlingCode(string code) => code is "Throttling" or "ThrottlingException" or "ThrottledException" or "RequestThrottledException"
        or "TooManyRequestsException" or "ProvisionedThroughputExceededException" or "TransactionInProgressException" or "RequestLimitExceeded"
        or "BandwidthLimitExceeded" or "LimitExceededException" or "RequestThrottled" or "SlowDown" or "PriorRequestNotComplete" or "EC2ThrottledException";

    public bool IsRetryable => IsThrottlingCode(Code) || StatusCode is 500 or 502 or 503 or 504 || Code is "RequestTimeout" or "RequestTimeoutException" or "InternalError" or "InternalFailure" or "ServiceUnavailable";
}
